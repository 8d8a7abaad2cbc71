// Every check of the client kit, in one table: a stable id, the PROTOCOL.md
// section it judges, the clauses of PROTOCOL.md it proves (schema/clauses.json)
// and the rule as the report states it. Ids never change meaning once published.

export interface ClientCheck {
  /** PROTOCOL.md section number ("adapter" for the kit's own adapter contract). */
  section: string
  /** What the client must do, one sentence: the report's check name after the id. */
  rule: string
  /** The PROTOCOL.md clause ids the check proves (`RECON-1`, `CLOSE-4011`); empty for the adapter contract. */
  clauses: readonly string[]
}

export const CLIENT_CHECKS = {
  'CLI-RECONNECT-1006': { section: '12', rule: 'after an abrupt close (1006) the client reconnects and logs in again with its session key', clauses: ['RECON-5', 'RECON-2'] },
  'CLI-RECONNECT-1001': {
    section: '12',
    rule: 'after 1001 going-away the client reconnects with backoff (no attempt at once, none past the cap) and logs in again with its session key',
    clauses: ['CLOSE-1001', 'RECON-2', 'RECON-3'],
  },
  'CLI-BACKOFF-GROWS': { section: '12', rule: 'reconnect delays grow: the retries are not immediate and later ones wait longer than the first ones', clauses: ['RECON-3'] },
  'CLI-BACKOFF-CAP': { section: '12', rule: 'no reconnect delay exceeds the cap (WIRECHAT_BACKOFF_MAX_MS)', clauses: ['RECON-3'] },
  'CLI-BACKOFF-JITTER': { section: '12', rule: 'reconnect delays are jittered: the delays at the cap are not all the same', clauses: ['RECON-2', 'RECON-3'] },
  'CLI-TERMINAL-1000': { section: '12', rule: 'after logout and the close 1000 that follows, the client does not reconnect', clauses: ['CLOSE-1000', 'RECON-3'] },
  'CLI-TERMINAL-4008': { section: '12', rule: 'after close 4008 (abuse) the client does not reconnect and shows that it stopped', clauses: ['CLOSE-4008', 'RECON-1'] },
  'CLI-TERMINAL-4011': { section: '12', rule: 'after close 4011 (session revoked) the client does not reconnect and shows that it stopped', clauses: ['CLOSE-4011', 'RECON-1'] },
  'CLI-TERMINAL-4013': { section: '12', rule: 'after close 4013 (disconnected by an operator) the client does not reconnect and shows that it stopped', clauses: ['CLOSE-4013', 'RECON-1'] },
  'CLI-TERMINAL-4014': { section: '12', rule: 'after close 4014 (banned) the client does not reconnect and shows that it stopped', clauses: ['CLOSE-4014', 'RECON-1'] },
  'CLI-RESUME-SINCE': { section: '7', rule: 'the login after a reconnect resumes every room with `since` = epoch and seq of the last message shown in it', clauses: ['HIST-9', 'RECON-2'] },
  'CLI-RESUME-INBOX': { section: '8', rule: 'the login after a reconnect carries `inbox` = the position of the last direct message received', clauses: ['DM-8'] },
  'CLI-RESUME-REPLAY': { section: '7', rule: 'messages replayed after a resume are shown once each, in seq order, after the ones shown before the drop', clauses: ['HIST-9'] },
  'CLI-RESEND-SAME-ID': { section: '6', rule: 'a chat left without chat-ok by a dropped connection is sent again after the reconnect with the same clientMsgId, and shown once', clauses: ['CHAT-7'] },
  'CLI-DUPLICATE-ONCE': { section: '6', rule: 'a message already shown (from the resume replay) is not shown again when chat-ok says `duplicate: true`', clauses: ['CHAT-7'] },
  'CLI-RATE-WAIT': { section: '11', rule: 'after `rate-limited` with `retryAfterMs` the client sends no chat until that time has passed', clauses: ['LIM-1', 'LIM-6', 'ERR-rate-limited'] },
  'CLI-RATE-RESEND': { section: '11', rule: 'a chat refused with `rate-limited` is not lost silently: it is sent again after the wait, or the error is shown', clauses: ['ERR-rate-limited'] },
  'CLI-COMPAT-FIELDS': { section: '1', rule: 'unknown fields in server frames and messages are ignored: the message is shown and the connection kept', clauses: ['OVR-2'] },
  'CLI-COMPAT-PUSH': { section: '1', rule: 'an unknown push type is ignored: later messages are shown and the connection kept', clauses: ['OVR-2'] },
  'CLI-COMPAT-ALARM': { section: '1', rule: 'an unknown alarm kind is ignored (or shown by its text): later messages are shown and sends still work', clauses: ['OVR-4'] },
  'CLI-HEARTBEAT-DEAD': {
    section: '10',
    rule: 'a link where the server stopped answering is detected (ping without pong) and replaced by a new connection, while a live link is kept',
    clauses: ['BEAT-3'],
  },
  'CLI-GAP-HISTORY': { section: '6', rule: 'a skipped seq in live pushes is filled with `history` after the last seq shown', clauses: ['CHAT-5'] },
  'CLI-GAP-ORDER': { section: '6', rule: 'around a gap every message is shown once, in seq order, none missing and none after a later one', clauses: ['CHAT-5'] },
  'CLI-GAP-DM': { section: '17', rule: 'a skipped inbox seq in live `dm` pushes is treated as a missed message: every direct message is shown once, in seq order', clauses: ['GUAR-1'] },
  'CLI-LIFE-APPLY': {
    section: '7a',
    rule: 'edit, react and delete events change their message, applied in seq order (a second edit wins, a reaction taken back goes, a tombstone stays), and are not shown as lines of their own',
    clauses: ['LIFE-3'],
  },
  'CLI-LIFE-REV': {
    section: '7a',
    rule: "an event at or below its message's `rev` (sent with the snapshot the message already contains it in) is not applied again: a reaction is counted once",
    clauses: ['LIFE-8'],
  },
  'CLI-LIFE-WAIT': {
    section: '7a',
    rule: 'an event whose message the client does not hold yet (it comes in a history page read before the event and answered after it) is applied once the message arrives',
    clauses: ['LIFE-10'],
  },
  'CLI-UNREAD-LIVE': {
    section: '7a',
    rule: "the unread count of a room not on screen starts at the join's `unread` and grows by each new message of another user (not the user's own, not events)",
    clauses: ['LIFE-33'],
  },
  'CLI-VERSION-OLD-SERVER': {
    section: '1',
    rule: 'to a server whose welcome says 1.0.0 the client sends only 1.0.0 requests, with 1.0.0 fields',
    clauses: ['OVR-8'],
  },
  'CLI-ERROR-UNKNOWN': {
    section: '1',
    rule: 'an error code the client does not know is handled by its `retryable` flag: refused with retryable false, a chat is not sent again nor shown as sent, and the client keeps working',
    clauses: ['OVR-3'],
  },
  'CLI-TYPING-REFRESH': {
    section: '9',
    rule: 'while the user types, `typing: true` is repeated at least every limits.typingTtlMs / 2, the TTL read from welcome (the kit announces an unusual one)',
    clauses: ['TYP-3', 'LIM-2'],
  },
  'CLI-NFC-OUT': { section: '3', rule: 'names and texts are sent in NFC, whatever form they were typed in', clauses: ['ENV-15'] },
  'CLI-FRAMES-VALID': { section: '3', rule: 'every frame the client sends is a text frame holding a valid client frame (strict out)', clauses: ['TRAN-13', 'TYPE-1'] },
  'CLI-SUBPROTOCOL': { section: '2', rule: 'every connection attempt offers the subprotocol chat.v1', clauses: ['TRAN-1'] },
  'CLI-ADAPTER-LINES': { section: 'adapter', rule: 'every line the adapter prints on stdout is a JSON object with a string `shown`', clauses: [] },
} as const satisfies Record<string, ClientCheck>

export type ClientCheckId = keyof typeof CLIENT_CHECKS

export const CLIENT_CHECK_IDS = Object.keys(CLIENT_CHECKS) as ClientCheckId[]

/** The report name of a check: its id, then its rule. */
export const checkName = (id: ClientCheckId): string => `${id} ${CLIENT_CHECKS[id].rule}`

/** Section titles of the client kit's report (PROTOCOL.md sections, plus the adapter contract). */
export const CLIENT_SECTIONS: Readonly<Record<string, string>> = {
  1: 'Overview (compatibility)',
  2: 'Transport',
  3: 'Envelope',
  6: 'Chat',
  7: 'History and resume',
  '7a': 'The life of a message',
  8: 'Direct messages',
  9: 'Typing',
  10: 'Heartbeat',
  11: 'Errors',
  12: 'Close codes',
  17: 'Guarantees',
  adapter: 'The adapter',
}
