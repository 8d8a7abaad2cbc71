// Rows of the SQL stores (SQLite and PostgreSQL share the table layout) and
// their mapping to protocol messages. `N` is how a number column arrives:
// SQLite gives numbers, PostgreSQL gives bigint columns as strings (seqs and
// millisecond times fit a double, so Number() is exact for both).
import type { ChatMessage, DirectMessage } from '@wirechat/protocol'
import type { Account, Ban, DmConversationRow, RoomRecord, SessionRow } from './store.ts'

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

export function toChat(row: MessageRow<number | string>): ChatMessage {
  const m: ChatMessage = { msgId: row.msg_id, room: row.room, seq: Number(row.seq), userId: row.user_id, name: row.name, text: row.text, ts: Number(row.ts) }
  if (row.client_msg_id !== null) m.clientMsgId = row.client_msg_id
  return m
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
