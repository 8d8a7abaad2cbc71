// Room entries as snapshots (since protocol 1.3.0): a message with its current
// state. The state lives in three places: the message's own row (edited text,
// `edited`, `deleted`, `mentions`, `rev`, the reply's seq and excerpt), the row
// it replies to (msgId, author) and its reactions. One SELECT reads all three
// for a whole page: the reply target is a join, the reactions an aggregate
// evaluated only for the rows the page keeps (it sits in the select list, above
// the LIMIT's scan).
import { MAX_REACTION_USERS, type ChatMessage, type Reaction, type RoomEvent } from '@wirechat/protocol'
import { type MessageRow, toChat } from './rows.ts'

/** A row of `messages` with the columns of schema 5, as PostgreSQL gives them. */
export interface EntryRow extends MessageRow<string> {
  /** The RoomEvent as JSON text (text, not jsonb: jsonb would reorder its keys). */
  event: string | null
  /** Seq of the event's target (edit, delete, react): lets a delete find the edits of its target. */
  target: string | null
  reply_to: string | null
  /** The start of the reply target's text when the reply was sent; NULL once the target is deleted. */
  reply_excerpt: string | null
  mentions: string[] | null
  edited: string | null
  deleted: boolean
  rev: string | null
}

/** An EntryRow with what the snapshot SELECT joins to it (absent from an INSERT … RETURNING). */
export interface SnapshotRow extends EntryRow {
  reply_msg_id?: string | null
  reply_user_id?: string | null
  reply_name?: string | null
  /** Reaction groups in the order they began, as json_agg builds them. */
  reactions?: Reaction[] | null
}

/**
 * The snapshot SELECT of the entries `where` picks (columns of `m`), with
 * `rest` (ORDER BY / LIMIT) after it. Groups come in the order they began
 * (group_seq: a group keeps its place while it has users, as the protocol's
 * reducer keeps it) and list their oldest users first (added_seq). Both are
 * seqs of react entries, so neither order has ties.
 */
export function snapshotSql(s: string, where: string, rest = ''): string {
  return `
    SELECT m.*, t.msg_id AS reply_msg_id, t.user_id AS reply_user_id, t.name AS reply_name,
      (SELECT json_agg(json_build_object('emoji', g.emoji, 'count', g.count, 'users', g.users) ORDER BY g.first)
        FROM (
          SELECT r.emoji, COUNT(*) AS count, MIN(r.group_seq) AS first,
            (array_agg(r.user_id ORDER BY r.added_seq))[1:${MAX_REACTION_USERS}] AS users
          FROM ${s}.reactions r WHERE r.room = m.room AND r.seq = m.seq GROUP BY r.emoji
        ) g) AS reactions
    FROM ${s}.messages m LEFT JOIN ${s}.messages t ON t.room = m.room AND t.seq = m.reply_to
    WHERE ${where} ${rest}`
}

/**
 * A stored entry as a ChatMessage. Fields of 1.3.0 appear only when set, so a
 * message without them is exactly what toChat gave before schema 5.
 */
export function toSnapshot(row: SnapshotRow): ChatMessage {
  const m = toChat(row)
  if (row.event !== null) m.event = JSON.parse(row.event) as RoomEvent
  if (row.reply_to !== null && row.reply_msg_id != null && row.reply_user_id != null && row.reply_name != null) {
    m.replyTo = { msgId: row.reply_msg_id, seq: Number(row.reply_to), userId: row.reply_user_id, name: row.reply_name }
    if (row.reply_excerpt !== null) m.replyTo.excerpt = row.reply_excerpt
  }
  if (row.mentions !== null) m.mentions = row.mentions
  if (row.edited !== null) m.edited = Number(row.edited)
  if (row.deleted) m.deleted = true
  if (row.reactions != null) m.reactions = row.reactions.map((g) => ({ emoji: g.emoji, count: Number(g.count), users: g.users }))
  if (row.rev !== null) m.rev = Number(row.rev)
  return m
}
