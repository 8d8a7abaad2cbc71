// The history store: durable room streams, direct messages and user sessions.
// Contract (checked by test/contracts/store.ts for every implementation):
// - appendChat assigns the room's next seq (1, 2, 3 … with no gap) and returns
//   only after the message is durable; the same (userId, clientMsgId) appended
//   again returns the first message with duplicate: true and stores nothing.
// - Callers serialise appends per room when they need publish order = seq order.
// - appendDm assigns each participant's next inbox seq the same way.
// - epoch is fixed for the life of the stored data and changes when it is wiped.
import type { ChatMessage, DirectMessage, RoomEvent } from '@wirechat/protocol'

/**
 * Lifetime of a session that nobody gave one: sessions saved by saveSession,
 * and sessions of a database made before sessions expired (from its upgrade
 * on). The server's SESSION_TTL_MS defaults to the same.
 */
export const DEFAULT_SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000

export interface ChatInput {
  room: string
  userId: string
  name: string
  text: string
  ts: number
  clientMsgId?: string | undefined
  /** Since 1.3.0: seq of the message this one answers, in the same room. */
  replyTo?: number | undefined
  /** Since 1.3.0: user ids the text mentions (resolved by the server), at most MAX_MENTIONS. */
  mentions?: string[] | undefined
}

/**
 * An event entry to append (since 1.3.0). The store appends it with the room's
 * next seq and applies its effect in the same transaction, all or nothing:
 * - edit: the target's text becomes `text`, `edited` = ts;
 * - delete: the target's text, reactions, mentions and reply are removed (the
 *   row stays as a tombstone), the text of the edit entries of the target and
 *   the excerpt of replies to it are removed too;
 * - react: the (target, emoji, actor) reaction is added or removed;
 * - ban / mute: the user's restriction in the room is set (replacing one in
 *   force); ban and kick also remove the user's membership and ban their
 *   invitation; unban / unmute lift it.
 * Each of edit, delete and react sets the target's `rev` to the new seq.
 */
export interface EventInput {
  room: string
  /** The actor ("system" for an operator). */
  userId: string
  name: string
  /** What clients older than 1.3.0 show; for an edit, the new text. */
  text: string
  ts: number
  event: RoomEvent
}

/** Why appendEvent appended nothing. */
export type EventRefusal =
  /** No message at the target seq in the room (or it is an event; or, for edit and react, it is deleted). */
  | 'not-found'
  /** The state is already what the event asks (a second delete, a reaction already there, an unban of nobody …): idempotent success. */
  | 'unchanged'
  /** react: the message has MAX_REACTIONS_PER_MESSAGE emoji, or the actor MAX_REACTIONS_PER_USER on it. */
  | 'too-many-reactions'

export type AppendedEvent = { appended: true; message: ChatMessage } | { appended: false; refusal: EventRefusal }

/** A ban or mute of a user in a room. */
export interface RestrictionRow {
  room: string
  userId: string
  kind: 'ban' | 'mute'
  /** The user's name when restricted. */
  name: string
  /** Ends at (epoch ms); undefined: until lifted. */
  until?: number | undefined
  /** Who did it. */
  by: string
  reason?: string | undefined
  since: number
}

/** A room's unread state for one user. */
export interface UnreadRow {
  room: string
  /** The read marker (0: nothing read). */
  readSeq: number
  /** Messages (not events, not deleted, not the user's own) above the marker. */
  unread: number
  /** Of those, the ones mentioning the user. */
  mentions: number
}

export interface SearchQuery {
  userId: string
  /** Rooms the user may read (search only these). */
  rooms: string[]
  /** Search the user's DMs too. */
  dms: boolean
  /** Terms as search-terms.ts parses them from the user's query, all to match; none (or one that no text can match) finds nothing. */
  terms: SearchTerm[]
  /** Only hits older than this position (from the previous page's last hit). */
  before?: SearchPosition | undefined
  limit: number
}

/** One term of a query (search-terms.ts has the tokens and their meaning): all of a term's tokens must appear (a phrase: in order, together). */
export interface SearchTerm {
  /** Tokens of the word index (folded words, CJK bigrams), or single CJK characters when `char`. */
  tokens: string[]
  /** True: the tokens must be adjacent and in order. */
  phrase: boolean
  /** The tokens are CJK characters, each anywhere in the text (the character index). */
  char?: boolean | undefined
}

/** Where a hit sits in the newest-first order of results. */
export interface SearchPosition {
  ts: number
  /** The hit's msgId: breaks ties between hits of one millisecond. */
  msgId: string
}

export type SearchHitRow = { kind: 'room'; message: ChatMessage } | { kind: 'dm'; dm: DirectMessage }

export interface DmInput {
  from: string
  fromName: string
  to: string
  text: string
  ts: number
  clientMsgId?: string | undefined
}

export interface Appended<M> {
  message: M
  /** True when the clientMsgId was seen before: `message` is the original. */
  duplicate: boolean
}

/** One chat's outcome in appendChats. */
export type AppendOutcome = { ok: true; value: Appended<ChatMessage> } | { ok: false; error: unknown }

/** appendChats as appendChat one after the other: for stores whose appends to a room keep their order without more. */
export async function appendOneByOne(store: Pick<HistoryStore, 'appendChat'>, inputs: readonly ChatInput[]): Promise<AppendOutcome[]> {
  const outcomes: AppendOutcome[] = []
  for (const input of inputs)
    outcomes.push(
      await store.appendChat(input).then(
        (value) => ({ ok: true as const, value }),
        (error: unknown) => ({ ok: false as const, error }),
      ),
    )
  return outcomes
}

export interface RangeQuery {
  /** Messages with seq > after, oldest first. */
  after?: number | undefined
  /** Messages with seq < before (newest page below it), oldest first. */
  before?: number | undefined
  limit: number
}

export interface Page {
  messages: ChatMessage[]
  hasMore: boolean
}

/** A stored DM and its position in each participant's inbox. */
export interface AppendedDm {
  /** The message without `seq` (each inbox has its own). */
  message: Omit<DirectMessage, 'seq'>
  duplicate: boolean
  /** Inbox seq of the recipient. */
  toSeq: number
  /** Inbox seq of the sender (equal to toSeq for a DM to oneself). */
  fromSeq: number
}

/** A page of one DM conversation (dmConversation), backwards from the newest. */
export interface ConversationQuery {
  /** Only DMs with inbox seq < before (the first seq of the page after); absent: from the newest. */
  before?: number | undefined
  limit: number
}

export interface InboxPage {
  /** DMs with `seq` set to their position in this user's inbox, oldest first. */
  messages: DirectMessage[]
  hasMore: boolean
}

export interface SessionRecord {
  userId: string
  name: string
}

/** A session (device) of a user, as kept by the store (the key itself is stored hashed). */
export interface SessionRow {
  /** Public id of the session (not a secret). */
  sessionId: string
  userId: string
  name: string
  device?: string | undefined
  createdAt: number
  lastSeenAt: number
  /** The session stops logging in after this time unless touched before (sliding expiry). */
  expiresAt: number
}

export interface NewSession {
  userId: string
  name: string
  device?: string | undefined
  createdAt: number
  expiresAt: number
}

/** A registered name. */
export interface Account {
  userId: string
  /** The registered display name, as the user chose it. */
  name: string
  /** nameKey(name): the comparison form that makes the name unique (names.ts). */
  nameKey: string
  /** Memory-hard hash of the password with its parameters and salt (server/auth/password.ts). */
  passwordHash: string
  createdAt: number
}

/** A server-wide ban of a user (admin API). */
export interface Ban {
  userId: string
  /** When the ban ends (epoch ms); null: until lifted. */
  until: number | null
  reason?: string | undefined
  createdAt: number
}

/** A DM conversation of a user: the other user, the newest DM either way, the unread count. */
export interface DmConversationRow {
  peerId: string
  /** The peer's name as of their newest DM in the conversation (or their account name). */
  peerName: string
  /** The newest DM, with `seq` in this user's inbox. */
  last: DirectMessage
  /** DMs from the peer with inbox seq above the user's read marker of the conversation. */
  unread: number
}

/** A user's role in a room; `member` is everyone else who joined it (a membership). */
export type RoomRole = 'owner' | 'moderator' | 'member'

/** A room's record (since protocol 1.2.0): made when a permitted user first joins a new name. */
export interface RoomRecord {
  room: string
  /** The namespace the name is in ("" for a name without prefix). */
  namespace: string
  /** The creator's user id; absent for rooms that existed before records. */
  owner?: string | undefined
  /** 0–200 code points. */
  topic: string
  /** Public rooms are listed in the directory and anyone may join; private ones only by invitation. */
  public: boolean
  createdAt: number
}

/** A public room as the directory lists it. */
export interface DirectoryRow {
  room: string
  topic: string
  /** Stored memberships of the room. */
  members: number
}

export interface DirectoryQuery {
  /** Only rooms of this namespace. */
  namespace?: string | undefined
  /** Only room names starting with this (literally: no pattern characters). */
  prefix?: string | undefined
  /** Only room names above this one (the last name of the previous page). */
  after?: string | undefined
  limit: number
}

/** Upper bounds of the batch-size buckets of CommitStats (writes per commit). */
export const BATCH_SIZE_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512] as const

/** What the group commit has done since it started, for metrics (all counts only grow). */
export interface CommitStats {
  /** Transactions committed (batches with at least one write). */
  commits: number
  /** Writes (jobs) in those batches. */
  writes: number
  /** Flushes (fdatasync) that completed, and the seconds they took in all. */
  flushes: number
  flushSeconds: number
  /** Commits by batch size: batchSizes[i] counts batches of at most BATCH_SIZE_BUCKETS[i] writes (and more than the bucket before); the last entry counts larger ones. */
  batchSizes: number[]
}

export interface HistoryStore {
  /** Identity of the stored history. Valid after open(). */
  readonly epoch: string
  open(): Promise<void>
  close(): Promise<void>
  appendChat(input: ChatInput): Promise<Appended<ChatMessage>>
  /**
   * Appends chats of one room that waited for their turn together, in the order given: each
   * outcome is what appendChat would have given (a new message, a duplicate, or the error), and
   * the new messages' seqs follow the order of the inputs.
   */
  appendChats(inputs: readonly ChatInput[]): Promise<AppendOutcome[]>
  /** Seq of the newest message in the room, 0 when none. */
  head(room: string): Promise<number>
  /** Seq of the oldest message still kept, 0 when none. */
  tail(room: string): Promise<number>
  range(room: string, query: RangeQuery): Promise<Page>
  /**
   * Stores a DM and appends it to the inbox of the recipient and of the sender:
   * each user's inbox is one gapless stream of every DM they sent or received,
   * so one position resumes all their conversations.
   */
  appendDm(input: DmInput): Promise<AppendedDm>
  /** Seq of the newest DM in a user's inbox, 0 when none. */
  inboxHead(userId: string): Promise<number>
  /** DMs of a user's inbox with seq > after, oldest first. */
  inboxRange(userId: string, after: number, limit: number): Promise<InboxPage>
  /** Remembers a session key (stored hashed) for a user. */
  saveSession(key: string, record: SessionRecord): Promise<void>
  findSession(key: string): Promise<SessionRecord | undefined>
  /** True when a user with this id ever logged in. */
  hasUser(userId: string): Promise<boolean>
  /** Updates the name stored for a user's sessions. */
  renameUser(userId: string, name: string): Promise<void>

  // ---- accounts (since protocol 1.1.0) --------------------------------------
  // Contract: nameKey is unique among accounts; createAccount of a taken
  // nameKey (or an existing userId) resolves false and changes nothing.

  /** Registers an account; false when the nameKey or the userId is registered already. */
  createAccount(account: Account): Promise<boolean>
  findAccountByNameKey(nameKey: string): Promise<Account | undefined>
  findAccount(userId: string): Promise<Account | undefined>
  /** Moves an account to a new name; false when the new nameKey belongs to another account. */
  renameAccount(userId: string, name: string, nameKey: string): Promise<boolean>
  setPasswordHash(userId: string, passwordHash: string): Promise<void>
  /** Removes the account, its sessions, memberships and DM read markers; its messages stay. */
  deleteAccount(userId: string): Promise<void>
  /** Accounts whose nameKey starts with the prefix, by nameKey, at most `limit`. */
  findAccountsByPrefix(nameKeyPrefix: string, limit: number): Promise<Account[]>

  // ---- sessions (devices) -----------------------------------------------------
  // Contract: findSessionByKey returns nothing for a revoked or expired
  // (expiresAt <= now) session; revoking is idempotent.

  /** Creates a session for a key (stored hashed); resolves with its public id. */
  createSession(key: string, session: NewSession): Promise<string>
  findSessionByKey(key: string, now: number): Promise<SessionRow | undefined>
  /** Records a use of the session and moves its expiry (sliding). */
  touchSession(sessionId: string, lastSeenAt: number, expiresAt: number): Promise<void>
  /** The user's live (not revoked, not expired) sessions, most recently used first. */
  listSessions(userId: string, now: number): Promise<SessionRow[]>
  /** Revokes one session of a user; false when the user has no such session. */
  revokeSession(userId: string, sessionId: string): Promise<boolean>
  /** Revokes every session of a user but `exceptSessionId`; resolves with the revoked ids. */
  revokeUserSessions(userId: string, exceptSessionId?: string): Promise<string[]>

  // ---- memberships: the rooms a user belongs to, kept across connections ------

  addMembership(userId: string, room: string, joinedAt: number): Promise<void>
  removeMembership(userId: string, room: string): Promise<void>
  /** The user's rooms, in the order they were joined. */
  listMemberships(userId: string): Promise<string[]>

  /** How many users belong to the room (stored memberships). */
  countMembers(room: string): Promise<number>

  // ---- rooms, roles and invitations (since protocol 1.2.0) ----------------------
  // Contract: createRoom stores the record and, with an owner, gives the owner
  // the `owner` role, all or nothing; a room created twice keeps the first
  // record (false). Roles above `member` are stored; setting `member` removes
  // the stored role. Room names in the directory come in code point order.

  /** Creates a room record (and its owner's role); false when the room has one already. */
  createRoom(record: RoomRecord): Promise<boolean>
  findRoom(room: string): Promise<RoomRecord | undefined>
  /** Changes the topic and/or the visibility of a room. */
  updateRoom(room: string, changes: { topic?: string | undefined; public?: boolean | undefined }): Promise<void>
  /** The stored role of a user in a room (owner or moderator); undefined for everyone else. */
  findRoomRole(room: string, userId: string): Promise<Exclude<RoomRole, 'member'> | undefined>
  /** Sets a user's role in a room; `member` removes a stored role. */
  setRoomRole(room: string, userId: string, role: RoomRole): Promise<void>
  /** The users with a stored role in a room, by user id. */
  listRoomRoles(room: string): Promise<Array<{ userId: string; role: Exclude<RoomRole, 'member'> }>>
  /** Invites a user to a room (idempotent: the first invitation stays). */
  addInvitation(room: string, userId: string, invitedBy: string, at: number): Promise<void>
  hasInvitation(room: string, userId: string): Promise<boolean>
  /** Public rooms by name, at most `limit`, with their member counts. */
  listPublicRooms(query: DirectoryQuery): Promise<DirectoryRow[]>

  // ---- DM conversations and their read markers ----------------------------------

  /** The user's DM conversations, newest first, at most `limit`. */
  listDmConversations(userId: string, limit: number): Promise<DmConversationRow[]>
  /**
   * One DM conversation, a page backwards: the newest `limit` DMs between
   * `userId` and `peerId` (either way; peerId = userId: the DMs to oneself)
   * with inbox seq < `before`, oldest first, `seq` set to their position in
   * userId's inbox (so a page has gaps where other conversations lie);
   * hasMore when older DMs of the conversation exist. Like inboxRange it
   * stops below the inbox's DMs not yet acknowledged to their sender.
   */
  dmConversation(userId: string, peerId: string, query: ConversationQuery): Promise<InboxPage>
  /** Moves the read marker of the user's conversation with `peerId` up to inbox `seq` (never down); resolves with the marker in force. */
  markDmRead(userId: string, peerId: string, seq: number): Promise<number>

  // ---- operators and blocks (since protocol 1.2.0) ------------------------------
  // Contract: a ban with `until` <= now is not found (it ended); setting a ban
  // replaces the user's previous one; removing is idempotent. Blocks are a set
  // of (user, blocked user) pairs: adding twice or removing a missing one
  // changes nothing. deleteRoom removes the room's messages, memberships,
  // record, roles and invitations, all or nothing, but not its numbering: the
  // next message gets head + 1, so positions clients hold stay valid (a resume
  // finds the messages gone, not the stream moved back).

  /** Bans a user server-wide, replacing any earlier ban of theirs. */
  setBan(ban: Ban): Promise<void>
  /** Lifts the user's ban; false when there was none in force. */
  removeBan(userId: string, now: number): Promise<boolean>
  /** The user's ban in force at `now`. */
  findBan(userId: string, now: number): Promise<Ban | undefined>
  /** Deletes a room: its history, memberships, record, roles and invitations; resolves with the number of messages deleted. */
  deleteRoom(room: string): Promise<number>
  /** `userId` blocks `blockedId`. */
  addBlock(userId: string, blockedId: string, at: number): Promise<void>
  removeBlock(userId: string, blockedId: string): Promise<void>
  /** The users `userId` blocks, in the order they were blocked. */
  listBlocks(userId: string): Promise<string[]>
  /** True when `userId` blocks `blockedId`. */
  isBlocked(userId: string, blockedId: string): Promise<boolean>

  // ---- the life of a message and moderation (since protocol 1.3.0) -------------
  // Contract: see EventInput. Snapshots (range, findMessage, appendChat's
  // message) carry the message's current state: edited text and `edited`,
  // tombstones (`deleted`, text DELETED_TEXT), `reactions` (groups by their
  // oldest reaction, users oldest first, at most MAX_REACTION_USERS listed),
  // `replyTo` with its excerpt, `mentions`, `rev`; event entries carry `event`.
  // appendChat with a replyTo that names no message of the room (or an event,
  // or a deleted message) rejects with a ReplyTargetError and stores nothing.

  /** Appends an event entry and applies it (see EventInput), or says why not. */
  appendEvent(input: EventInput): Promise<AppendedEvent>
  /** The entry at `seq` in the room (its current state). */
  findMessage(room: string, seq: number): Promise<ChatMessage | undefined>
  /** The user's ban or mute in force in the room at `now`. */
  findRestriction(room: string, userId: string, kind: 'ban' | 'mute', now: number): Promise<RestrictionRow | undefined>
  /** The bans and mutes in force in a room at `now`, oldest first. */
  listRestrictions(room: string, now: number): Promise<RestrictionRow[]>
  /** Moves the user's read marker of the room up to `seq` (never down); resolves with the marker in force. */
  markRoomRead(userId: string, room: string, seq: number): Promise<number>
  /** Sets the user's read marker of the room to `seq` when they have none (or one at 0); resolves with the marker in force. */
  startReading(userId: string, room: string, seq: number): Promise<number>
  /** Read marker, unread and mention counts of the user in each room, in the order given. */
  unreadCounts(userId: string, rooms: string[]): Promise<UnreadRow[]>
  /** Messages (snapshots) and DMs (with the user's inbox seq) the query finds, newest first by (ts, msgId), at most `limit` (+ whether more exist); never event entries or deleted messages. */
  search(query: SearchQuery): Promise<{ hits: SearchHitRow[]; hasMore: boolean }>

  // ---- housekeeping (retention, old sessions) -----------------------------------
  // Contract: pruneRoom removes a prefix of the room's stream, never a hole in
  // it: the entries before the first one written at or after `before` (at most
  // `limit` of them), with their reactions. Numbering goes on (the next entry
  // gets head + 1, as after deleteRoom), so tail() rises and a resume from
  // below it is too far behind; read markers stay. purgeSessions deletes the
  // rows of sessions that expired or were revoked before `before`, but keeps
  // each user's newest session row, which tells that the user exists and
  // their last name.

  /** Rooms that have stored entries, in name order after `after`, at most `limit`. */
  roomsWithHistory(after: string, limit: number): Promise<string[]>
  /** Removes the room's oldest entries written before `before` (see the contract); resolves with the number removed. */
  pruneRoom(room: string, before: number, limit: number): Promise<number>
  /** Deletes at most `limit` rows of sessions that ended before `before`; resolves with the number deleted. */
  purgeSessions(before: number, limit: number): Promise<number>

  /** Group-commit counters of a store that batches its writes (SQLite); absent elsewhere. */
  commitStats?(): CommitStats
}

/** appendChat's replyTo names no message the reply can answer. */
export class ReplyTargetError extends Error {
  constructor(room: string, seq: number) {
    super(`No message at seq ${seq} in room "${room}" to reply to`)
    this.name = 'ReplyTargetError'
  }
}
