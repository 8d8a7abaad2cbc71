// Room entries as snapshots (since protocol 1.3.0): a message with its current
// state. The message's own row holds most of it (edited text, `edited`,
// `deleted`, `mentions`, `rev`, the ReplyRef as it was sent); the reactions
// are rows of their own. One SELECT reads both for a whole page: the reactions
// are an aggregate in the select list, so it runs only for the rows the page
// keeps (above the LIMIT's index scan), and finds nothing for most.
import { MAX_REACTION_USERS, type ChatMessage, type Reaction } from '@wirechat/protocol'
import { type MessageRow, toChat } from './rows.ts'

/** A row of `messages` as PostgreSQL gives it (mentions a text[], deleted a boolean), with the page's reactions. */
export interface SnapshotRow extends MessageRow<string> {
  /** Reaction groups in the order they began, as json_agg builds them; absent from an INSERT … RETURNING. */
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
    SELECT m.*,
      (SELECT json_agg(json_build_object('emoji', g.emoji, 'count', g.count, 'users', g.users) ORDER BY g.first)
        FROM (
          SELECT r.emoji, COUNT(*) AS count, MIN(r.group_seq) AS first,
            (array_agg(r.user_id ORDER BY r.added_seq))[1:${MAX_REACTION_USERS}] AS users
          FROM ${s}.reactions r WHERE r.room = m.room AND r.seq = m.seq GROUP BY r.emoji
        ) g) AS reactions
    FROM ${s}.messages m
    WHERE ${where} ${rest}`
}

/** A stored entry as a ChatMessage: rows.ts toChat, so a message without 1.3.0 state is what it always was. */
export const toSnapshot = (row: SnapshotRow): ChatMessage => toChat(row, row.reactions ?? undefined)
