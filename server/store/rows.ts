// Rows of the SQL stores (SQLite and PostgreSQL share the table layout) and
// their mapping to protocol messages. `N` is how a number column arrives:
// SQLite gives numbers, PostgreSQL gives bigint columns as strings (seqs and
// millisecond times fit a double, so Number() is exact for both).
import type { ChatMessage, DirectMessage } from '@wirechat/protocol'

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
