// The one list of error codes and close codes. Adding a code here adds it to
// the generated schema and PROTOCOL.md; the conformance suite checks each one.

/** How a client should react to an error code or close code. */
export type RetryAdvice = 'never' | 'after-fix' | 'backoff' | 'immediately'

export interface ErrorCodeInfo {
  /** Whether sending the same request again later can succeed unchanged. */
  retryable: boolean
  /** When this error happens. */
  meaning: string
}

/** Error codes carried by `error` frames: the connection stays open. */
export const ErrorCodes = {
  'bad-json': { retryable: false, meaning: 'The text frame is not valid JSON, or not a JSON object.' },
  'unknown-type': { retryable: false, meaning: 'The `type` field is missing or names no client frame.' },
  'bad-frame': {
    retryable: false,
    meaning:
      'The frame does not match its schema: a missing, extra or mistyped field, a string too long, with forbidden characters, or not well-formed Unicode (a lone UTF-16 surrogate). `details` lists the offending paths.',
  },
  'not-logged-in': { retryable: false, meaning: 'Only `login` and `ping` are accepted before a successful login.' },
  'already-logged-in': { retryable: false, meaning: 'A connection logs in once; use `rename` to change the name.' },
  'name-taken': { retryable: false, meaning: 'Another online user has this name (compared case-insensitively after NFC normalisation).' },
  'invalid-session': { retryable: false, meaning: 'The session key is unknown or expired; log in again without it.' },
  'auth-required': { retryable: false, meaning: 'The server requires a signed `token` in `login`.' },
  'auth-failed': { retryable: false, meaning: 'The token is invalid, expired or not signed by a trusted key.' },
  'not-in-room': { retryable: false, meaning: 'The request names a room this connection has not joined.' },
  'already-in-room': { retryable: false, meaning: 'This connection is already in the room.' },
  'too-many-rooms': { retryable: false, meaning: 'Joining would exceed `limits.maxRooms` for this connection.' },
  'name-reserved': { retryable: false, meaning: 'The name is registered to another user (compared like names are); log in with its password or pick another name.' },
  'already-registered': { retryable: false, meaning: 'The user is a registered account already.' },
  'not-registered': { retryable: false, meaning: 'The request needs a registered account; this user is a guest (`register` first).' },
  'session-not-found': { retryable: false, meaning: 'No session of this user has that `sessionId`.' },
  'user-not-found': { retryable: false, meaning: 'No user with this id is known to the server.' },
  'not-found': {
    retryable: false,
    meaning:
      'No such room or namespace (since 1.2.0), or no message at that seq in the room (since 1.3.0: an event, a deleted message for `edit`, `react` and replies). A private room the user is not invited to gets the same answer, so its existence does not leak.',
  },
  forbidden: {
    retryable: false,
    meaning:
      "The user's role does not allow this (since 1.2.0): posting in a room of a namespace where only owners and moderators post, creating a room where the namespace does not let this user, changing a room or a role without the right to; since 1.3.0 also editing someone else's message, deleting it without moderating the room, and kicking, banning or muting without the right to (a moderator cannot act on an owner or another moderator).",
  },
  banned: {
    retryable: false,
    meaning:
      'An operator banned this user from the server: every login is refused until the ban ends. The message says until when (or that it does not end); `details` carries `until:<epoch ms>` or `until:never`. Since 1.3.0 also: a moderator banned this user from the room, so `join-room` and `history` are refused (same message and `details`).',
  },
  muted: {
    retryable: false,
    meaning:
      'A moderator muted this user in the room (since 1.3.0): `chat`, `edit`, `react` and `typing` there are refused until the mute ends; `details` carries `until:<epoch ms>` or `until:never`.',
  },
  blocked: { retryable: false, meaning: 'The recipient blocks this user (since 1.3.0): the DM was not delivered or stored.' },
  'too-many-reactions': {
    retryable: false,
    meaning: 'The message has the most distinct reactions allowed (`MAX_REACTIONS_PER_MESSAGE`, 20), or the user reacted to it with the most emoji allowed (10) (since 1.3.0).',
  },
  'rate-limited': {
    retryable: true,
    meaning: "Too many requests, or a message sooner than the room's slow mode allows (since 1.2.0); wait `retryAfterMs` before sending again. Persistent abuse ends with close 4008.",
  },
  unavailable: { retryable: true, meaning: 'A dependency (history store or broker) is unreachable; nothing was accepted, send again later.' },
  internal: { retryable: true, meaning: 'The server failed unexpectedly; nothing was accepted. Details are in the server log only.' },
} as const satisfies Record<string, ErrorCodeInfo>

export type ErrorCode = keyof typeof ErrorCodes
export const ERROR_CODES = Object.keys(ErrorCodes) as ErrorCode[]

export interface CloseCodeInfo {
  /** Short machine name, also sent as the close reason. */
  name: string
  /** What the client should do. */
  reconnect: RetryAdvice
  meaning: string
}

/**
 * WebSocket close codes the server uses. 1000–1011 are RFC 6455's; 4000–4099
 * are terminal (do not reconnect automatically); 4100–4199 ask the client to
 * reconnect with backoff and resume.
 */
export const CloseCodes = {
  1000: { name: 'normal', reconnect: 'never', meaning: 'Closed on purpose: after `logout`, or by the client.' },
  1001: { name: 'going-away', reconnect: 'backoff', meaning: 'The server is shutting down or restarting; reconnect and resume.' },
  1002: { name: 'protocol-error', reconnect: 'after-fix', meaning: 'WebSocket protocol violation (bad opcode, unmasked client frame, bad fragmentation).' },
  1003: { name: 'unsupported-data', reconnect: 'after-fix', meaning: 'A binary frame was sent; the protocol is JSON text frames only.' },
  1007: { name: 'invalid-payload', reconnect: 'after-fix', meaning: 'A text frame is not valid UTF-8.' },
  1008: { name: 'policy-violation', reconnect: 'after-fix', meaning: 'A message was split into more than `limits.maxFragments` WebSocket frames (a fragment bomb).' },
  1009: { name: 'message-too-big', reconnect: 'after-fix', meaning: 'A frame (or a message assembled from fragments) exceeds `limits.maxFrameBytes`.' },
  1011: { name: 'internal-error', reconnect: 'backoff', meaning: 'The server hit an unexpected condition.' },
  4001: { name: 'login-timeout', reconnect: 'after-fix', meaning: 'No successful `login` within `loginTimeoutMs` of the welcome.' },
  4008: { name: 'abuse', reconnect: 'never', meaning: 'Persistent abuse: rate limits or bad frames kept up after `rate-limited` errors.' },
  4011: {
    name: 'session-revoked',
    reconnect: 'never',
    meaning: 'The session was revoked (by the user on another device, a password change or account deletion): its key no longer logs in. Log in again without it.',
  },
  4012: {
    name: 'session-expired',
    reconnect: 'after-fix',
    meaning: 'The session or its signed token expired while connected. Log in again (a new token); rooms can then be resumed from the last seq.',
  },
  4013: {
    name: 'disconnected',
    reconnect: 'never',
    meaning: 'An operator disconnected this user (every connection, on every node). Show it; do not reconnect on your own (logging in again is allowed unless a ban follows).',
  },
  4014: {
    name: 'banned',
    reconnect: 'never',
    meaning: 'An operator banned this user from the server: every connection closes and logins are refused with `banned` until the ban ends.',
  },
  4100: { name: 'slow-consumer', reconnect: 'backoff', meaning: 'The connection did not read fast enough and its outgoing buffer passed its bound; reconnect and resume from the last seq.' },
} as const satisfies Record<number, CloseCodeInfo>

export type CloseCode = keyof typeof CloseCodes
export const CLOSE_CODES = Object.keys(CloseCodes).map(Number) as CloseCode[]

/** True when a client should not reconnect after this close code on its own. */
export function isTerminalClose(code: number): boolean {
  const info = (CloseCodes as Record<number, CloseCodeInfo>)[code]
  return info !== undefined && info.reconnect !== 'backoff' && info.reconnect !== 'immediately'
}
