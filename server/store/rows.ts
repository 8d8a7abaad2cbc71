// Rows of the SQL stores (SQLite and PostgreSQL share the table layout) and
// their mapping to protocol messages. `N` is how a number column arrives:
// SQLite gives numbers, PostgreSQL gives bigint columns as strings (seqs and
// millisecond times fit a double, so Number() is exact for both).
import type { ChatMessage, DirectMessage, Reaction, RoomEvent } from '@wirechat/protocol'
import { toReactions } from './message-life.ts'
import type { Account, Ban, DmConversationRow, RestrictionRow, RoomRecord, SessionRow } from './store.ts'

/** A row of `messages`. */
export interface MessageRow<N extends number | string = number> {
  room: string
  seq: N
  msg_id: string
  user_id: string
  name: string
  text: string
  ts: N
  client_msg_id: string | null
  // Since schema 5 (protocol 1.3.0). Optional: a store not yet upgraded has
  // none of them. JSON columns arrive as text from SQLite and parsed from
  // PostgreSQL's jsonb; `deleted` is 0/1 in SQLite, a boolean in PostgreSQL.
  /** The RoomEvent of an event entry. */
  event?: string | RoomEvent | null
  /** An edit entry's target. */
  edit_of?: N | null
  /** A reply's target, and what its ReplyRef shows (the excerpt is gone once the target is deleted). */
  reply_to?: N | null
  reply_msg_id?: string | null
  reply_user_id?: string | null
  reply_name?: string | null
  reply_excerpt?: string | null
  /** User ids, a JSON array. */
  mentions?: string | string[] | null
  edited?: N | null
  deleted?: number | boolean | null
  rev?: N | null
}

/** A row of `reactions` as snapshot reads select it, ordered by seq, group_seq, added_seq. */
export interface ReactionRow<N extends number | string = number> {
  seq: N
  emoji: string
  user_id: string
}

/** A row of `restrictions`. */
export interface RestrictionTableRow<N extends number | string = number> {
  room: string
  user_id: string
  kind: 'ban' | 'mute'
  name: string
  until: N | null
  by_user: string
  reason: string | null
  since: N
}

/** A row of `dms`. */
export interface DmRow<N extends number | string = number> {
  id: N
  msg_id: string
  from_user: string
  from_name: string
  to_user: string
  text: string
  ts: N
  client_msg_id: string | null
}

const fromJson = <T>(value: string | T): T => (typeof value === 'string' ? (JSON.parse(value) as T) : value)

/**
 * The message of a row, fields in the order of the ChatMessage schema (a row
 * of schema 4, or a message without 1.3.0 state, gives what it always gave).
 * `reactions`: the message's groups (see reactionsBySeq).
 */
export function toChat(row: MessageRow<number | string>, reactions?: Reaction[]): ChatMessage {
  const m: ChatMessage = { msgId: row.msg_id, room: row.room, seq: Number(row.seq), userId: row.user_id, name: row.name, text: row.text, ts: Number(row.ts) }
  if (row.client_msg_id !== null) m.clientMsgId = row.client_msg_id
  if (row.event != null) m.event = fromJson(row.event)
  if (row.reply_to != null) {
    m.replyTo = { msgId: row.reply_msg_id!, seq: Number(row.reply_to), userId: row.reply_user_id!, name: row.reply_name! }
    if (row.reply_excerpt != null) m.replyTo.excerpt = row.reply_excerpt
  }
  if (row.mentions != null) m.mentions = fromJson(row.mentions)
  if (row.edited != null) m.edited = Number(row.edited)
  if (row.deleted) m.deleted = true
  if (reactions !== undefined && reactions.length > 0) m.reactions = reactions
  if (row.rev != null) m.rev = Number(row.rev)
  return m
}

/** The reaction groups of each message, from the reaction rows of a page (ordered by seq, group_seq, added_seq). */
export function reactionsBySeq(rows: ReactionRow<number | string>[]): Map<number, Reaction[]> {
  const bySeq = new Map<number, Array<{ emoji: string; userId: string }>>()
  for (const row of rows) {
    const seq = Number(row.seq)
    let pairs = bySeq.get(seq)
    if (pairs === undefined) bySeq.set(seq, (pairs = []))
    pairs.push({ emoji: row.emoji, userId: row.user_id })
  }
  return new Map([...bySeq].map(([seq, pairs]) => [seq, toReactions(pairs)]))
}

export function toRestriction(row: RestrictionTableRow<number | string>): RestrictionRow {
  const r: RestrictionRow = { room: row.room, userId: row.user_id, kind: row.kind, name: row.name, by: row.by_user, since: Number(row.since) }
  if (row.until !== null) r.until = Number(row.until)
  if (row.reason !== null) r.reason = row.reason
  return r
}

/** A DM without `seq`: each participant's inbox gives it a seq of its own. */
export function toDm(row: Omit<DmRow<number | string>, 'id'>): Omit<DirectMessage, 'seq'> {
  const m: Omit<DirectMessage, 'seq'> = { msgId: row.msg_id, from: row.from_user, fromName: row.from_name, to: row.to_user, text: row.text, ts: Number(row.ts) }
  if (row.client_msg_id !== null) m.clientMsgId = row.client_msg_id
  return m
}

/**
 * A page from rows read with `LIMIT limit + 1`: the extra row only tells that
 * there is more. Rows read newest first (a page below a position) are turned
 * oldest first, as every page is.
 */
export function toPage<R, M>(rows: R[], limit: number, map: (row: R) => M, newestFirst = false): { messages: M[]; hasMore: boolean } {
  const kept = rows.slice(0, limit)
  return { messages: (newestFirst ? kept.reverse() : kept).map(map), hasMore: rows.length > limit }
}

/** A row of `accounts`. */
export interface AccountRow<N extends number | string = number> {
  user_id: string
  name: string
  name_key: string
  password_hash: string
  created_at: N
}

/** A row of `sessions` (the key itself is never stored: key_hash). */
export interface SessionTableRow<N extends number | string = number> {
  key_hash: string
  session_id: string
  user_id: string
  name: string
  device: string | null
  created_at: N
  last_seen_at: N
  expires_at: N
  revoked_at: N | null
}

/** A conversation as the stores' conversation queries return it: its newest DM's row, with the peer, this user's inbox seq and the counts. */
export type ConversationRow<N extends number | string = number> = DmRow<N> & { peer_id: string; seq: N; unread: N; peer_name: string }

export function toAccount(row: AccountRow<number | string>): Account {
  return { userId: row.user_id, name: row.name, nameKey: row.name_key, passwordHash: row.password_hash, createdAt: Number(row.created_at) }
}

export function toSession(row: SessionTableRow<number | string>): SessionRow {
  const s: SessionRow = { sessionId: row.session_id, userId: row.user_id, name: row.name, createdAt: Number(row.created_at), lastSeenAt: Number(row.last_seen_at), expiresAt: Number(row.expires_at) }
  if (row.device !== null) s.device = row.device
  return s
}

/** True when the session row can log in at `now`: not revoked, not expired. */
export const isLive = (row: SessionTableRow<number | string>, now: number): boolean => row.revoked_at === null && Number(row.expires_at) > now

export function toConversation(row: ConversationRow<number | string>): DmConversationRow {
  return { peerId: row.peer_id, peerName: row.peer_name, last: { ...toDm(row), seq: Number(row.seq) }, unread: Number(row.unread) }
}

/**
 * The least string above every string that starts with `prefix`, in code
 * point order (SQLite's BINARY collation and PostgreSQL's "C" on UTF-8 both
 * compare UTF-8 bytes, which is code point order): the prefix with its last
 * code point raised by one. A prefix search is then a range of the index,
 * `key >= prefix AND key < end`, and no character of the prefix means
 * anything (unlike LIKE's % and _). Undefined when no such string exists
 * (an empty prefix, or one of U+10FFFF only): search without an upper end.
 */
export function prefixEnd(prefix: string): string | undefined {
  const points = [...prefix]
  while (points.length > 0) {
    const last = points.pop()!.codePointAt(0)!
    if (last < 0x10ffff) return points.join('') + String.fromCodePoint(last === 0xd7ff ? 0xe000 : last + 1)
  }
  return undefined
}

/** A row of `room_records`; `public` is 0/1 in SQLite, a boolean in PostgreSQL. */
export interface RoomRecordRow<N extends number | string = number> {
  room: string
  namespace: string
  owner: string | null
  topic: string
  public: number | boolean
  created_at: N
}

export function toRoomRecord(row: RoomRecordRow<number | string>): RoomRecord {
  const r: RoomRecord = { room: row.room, namespace: row.namespace, topic: row.topic, public: Boolean(row.public), createdAt: Number(row.created_at) }
  if (row.owner !== null) r.owner = row.owner
  return r
}

/** A row of `bans`. */
export interface BanRow<N extends number | string = number> {
  user_id: string
  until: N | null
  reason: string | null
  created_at: N
}

export function toBan(row: BanRow<number | string>): Ban {
  return { userId: row.user_id, until: row.until === null ? null : Number(row.until), reason: row.reason ?? undefined, createdAt: Number(row.created_at) }
}

/** True when a ban is in force at `now`. */
export const banInForce = (ban: { until: number | null }, now: number): boolean => ban.until === null || ban.until > now
