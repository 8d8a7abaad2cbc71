// Event entries and replies in PostgreSQL (since protocol 1.3.0).
// - One transaction per event: bump rooms.head (the row lock that serialises
//   every append to the room, from every node, until COMMIT), read and check
//   the state the event changes, change it, insert the entry. A refusal rolls
//   the bump back, so it burns no seq. Since the lock is held from the first
//   statement, each later statement (READ COMMITTED: a fresh snapshot each)
//   sees every earlier event of the room committed: two nodes reacting at
//   once cannot both count the same reaction, or both miss each other's.
// - A reply is appended the same way (lock, then read its target), so a delete
//   that commits first is seen and the reply never quotes deleted text.
import type pg from 'pg'
import { DELETED_TEXT, type ChatMessage, type RoomEvent } from '@wirechat/protocol'
import { newMessageId } from './ids.ts'
import { canReplyTo, excerptOf, reactionRefusal, restrictionInForce, targetRefusal } from './message-life.ts'
import { type EntryRow, snapshotSql, toSnapshot } from './postgres-snapshots.ts'
import { type Outcome, transaction } from './postgres-transaction.ts'
import { type Appended, type AppendedEvent, type ChatInput, type EventInput, type EventRefusal, ReplyTargetError } from './store.ts'

type Client = pg.PoolClient

export function eventStatements(s: string) {
  return {
    bump: `
      INSERT INTO ${s}.rooms AS r (room, head) VALUES ($1, 1)
      ON CONFLICT (room) DO UPDATE SET head = r.head + 1
      RETURNING head`,
    target: `SELECT event IS NOT NULL AS is_event, deleted FROM ${s}.messages WHERE room = $1 AND seq = $2`,
    insertEvent: `
      INSERT INTO ${s}.messages (room, seq, msg_id, user_id, name, text, ts, event, target)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *`,
    edit: `UPDATE ${s}.messages SET text = $3, edited = $4, rev = $5 WHERE room = $1 AND seq = $2`,
    // One statement, four sets of rows (the target, its reactions, the edit
    // entries naming it, the replies to it): the text leaves the table, not
    // just the snapshots.
    delete: `
      WITH tombstone AS (
        UPDATE ${s}.messages SET text = $3, deleted = true, mentions = NULL, reply_to = NULL, reply_excerpt = NULL, edited = NULL, rev = $4
        WHERE room = $1 AND seq = $2
      ), reactions AS (
        DELETE FROM ${s}.reactions WHERE room = $1 AND seq = $2
      ), edits AS (
        UPDATE ${s}.messages SET text = $3 WHERE room = $1 AND target = $2 AND (event::jsonb) ->> 'kind' = 'edit'
      )
      UPDATE ${s}.messages SET reply_excerpt = NULL WHERE room = $1 AND reply_to = $2 AND reply_excerpt IS NOT NULL`,
    reactionState: `
      SELECT COUNT(DISTINCT emoji) AS emojis, COUNT(*) FILTER (WHERE user_id = $4) AS mine,
        COALESCE(bool_or(emoji = $3), false) AS emoji_there, COALESCE(bool_or(emoji = $3 AND user_id = $4), false) AS has
      FROM ${s}.reactions WHERE room = $1 AND seq = $2`,
    // A reaction joins its group's place, or begins a group at the end.
    addReaction: `
      INSERT INTO ${s}.reactions (room, seq, emoji, user_id, added_seq, group_seq)
      SELECT $1, $2, $3, $4, $5, COALESCE(MIN(group_seq), $5) FROM ${s}.reactions WHERE room = $1 AND seq = $2 AND emoji = $3`,
    removeReaction: `DELETE FROM ${s}.reactions WHERE room = $1 AND seq = $2 AND emoji = $3 AND user_id = $4`,
    setRev: `UPDATE ${s}.messages SET rev = $3 WHERE room = $1 AND seq = $2`,
    setRestriction: `
      INSERT INTO ${s}.restrictions (room, user_id, kind, name, until, "by", reason, since, seq) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
      ON CONFLICT (room, user_id, kind) DO UPDATE SET name = EXCLUDED.name, until = EXCLUDED.until, "by" = EXCLUDED."by",
        reason = EXCLUDED.reason, since = EXCLUDED.since, seq = EXCLUDED.seq`,
    liftRestriction: `DELETE FROM ${s}.restrictions WHERE room = $1 AND user_id = $2 AND kind = $3 RETURNING until`,
    removeMember: `DELETE FROM ${s}.memberships WHERE room = $1 AND user_id = $2`,
    removeInvitation: `DELETE FROM ${s}.invitations WHERE room = $1 AND user_id = $2`,
    // A reply: the target is read after the bump (under the room's lock).
    replyTarget: `SELECT msg_id, user_id, name, text, event IS NOT NULL AS is_event, deleted FROM ${s}.messages WHERE room = $1 AND seq = $2`,
    insertReply: `
      INSERT INTO ${s}.messages (room, seq, msg_id, user_id, name, text, ts, client_msg_id, mentions, reply_to, reply_excerpt)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING *`,
    snapshotByClientId: snapshotSql(s, 'm.user_id = $1 AND m.client_msg_id = $2'),
  }
}

type Statements = ReturnType<typeof eventStatements>

const refused = (refusal: EventRefusal): Outcome<AppendedEvent> => ({ commit: false, result: { appended: false, refusal } })

async function bump(c: Client, q: Statements, room: string): Promise<number> {
  const { rows } = await c.query<{ head: string }>(q.bump, [room])
  return Number(rows[0]!.head)
}

/** Appends an event entry and applies it, all or nothing (see EventInput in store.ts). */
export function appendEvent(pool: pg.Pool, q: Statements, input: EventInput): Promise<AppendedEvent> {
  return transaction(pool, async (c) => {
    const seq = await bump(c, q, input.room)
    const refusal = await applyEvent(c, q, input, seq)
    if (refusal !== undefined) return refused(refusal)
    const event = input.event
    const target = 'target' in event ? event.target : null
    const { rows } = await c.query<EntryRow>(q.insertEvent, [input.room, seq, newMessageId(), input.userId, input.name, input.text, input.ts, JSON.stringify(event), target])
    return { commit: true, result: { appended: true, message: toSnapshot(rows[0]!) } }
  })
}

/** Changes what the event changes, as entry `seq`; or says why it changes nothing. */
async function applyEvent(c: Client, q: Statements, input: EventInput, seq: number): Promise<EventRefusal | undefined> {
  const { room, event } = input
  switch (event.kind) {
    case 'edit':
    case 'delete':
    case 'react': {
      const { rows } = await c.query<{ is_event: boolean; deleted: boolean }>(q.target, [room, event.target])
      const refusal = targetRefusal(event.kind, rows[0] && { isEvent: rows[0].is_event, deleted: rows[0].deleted })
      if (refusal !== undefined) return refusal
      if (event.kind === 'delete') await c.query(q.delete, [room, event.target, DELETED_TEXT, seq])
      else if (event.kind === 'edit') await c.query(q.edit, [room, event.target, input.text, input.ts, seq])
      else {
        const refused = await react(c, q, input.userId, room, event, seq)
        if (refused !== undefined) return refused
        await c.query(q.setRev, [room, event.target, seq])
      }
      return undefined
    }
    case 'ban':
    case 'mute': {
      await c.query(q.setRestriction, [room, event.userId, event.kind, event.name, event.until ?? null, input.userId, event.reason ?? null, input.ts, seq])
      if (event.kind === 'ban') {
        await c.query(q.removeMember, [room, event.userId])
        await c.query(q.removeInvitation, [room, event.userId])
      }
      return undefined
    }
    case 'unban':
    case 'unmute': {
      const { rows } = await c.query<{ until: string | null }>(q.liftRestriction, [room, event.userId, event.kind === 'unban' ? 'ban' : 'mute'])
      const inForce = rows[0] !== undefined && restrictionInForce(rows[0].until === null ? null : Number(rows[0].until), input.ts)
      return inForce ? undefined : 'unchanged'
    }
    case 'kick':
      // Always an entry: the user's connections leave the room whether or not a membership was stored.
      await c.query(q.removeMember, [room, event.userId])
      return undefined
  }
}

async function react(c: Client, q: Statements, userId: string, room: string, event: Extract<RoomEvent, { kind: 'react' }>, seq: number): Promise<EventRefusal | undefined> {
  const { rows } = await c.query<{ emojis: string; mine: string; emoji_there: boolean; has: boolean }>(q.reactionState, [room, event.target, event.emoji, userId])
  const state = rows[0]!
  const refusal = reactionRefusal({ has: state.has, emojiPresent: state.emoji_there, emojis: Number(state.emojis), mine: Number(state.mine) }, event.on)
  if (refusal !== undefined) return refusal
  if (event.on) await c.query(q.addReaction, [room, event.target, event.emoji, userId, seq])
  else await c.query(q.removeReaction, [room, event.target, event.emoji, userId])
  return undefined
}

/**
 * appendChat of a reply: its target must be a message of the room, neither an
 * event nor deleted (ReplyTargetError otherwise, and nothing is stored). A
 * repeated clientMsgId resolves with the original, whatever became of its target.
 */
export async function appendReply(pool: pg.Pool, q: Statements, input: ChatInput & { replyTo: number }): Promise<Appended<ChatMessage>> {
  const clientMsgId = input.clientMsgId ?? null
  const original = async (): Promise<Appended<ChatMessage> | undefined> => {
    if (clientMsgId === null) return undefined
    const { rows } = await pool.query<EntryRow>(q.snapshotByClientId, [input.userId, clientMsgId])
    return rows[0] && { message: toSnapshot(rows[0]), duplicate: true }
  }
  const seen = await original()
  if (seen) return seen
  try {
    return await transaction(pool, async (c) => {
      const seq = await bump(c, q, input.room)
      const { rows: targets } = await c.query<{ msg_id: string; user_id: string; name: string; text: string; is_event: boolean; deleted: boolean }>(q.replyTarget, [input.room, input.replyTo])
      const target = targets[0]
      if (target === undefined || !canReplyTo({ isEvent: target.is_event, deleted: target.deleted })) throw new ReplyTargetError(input.room, input.replyTo)
      const mentions = input.mentions?.length ? input.mentions : null
      const excerpt = excerptOf(target.text)
      const { rows } = await c.query<EntryRow>(q.insertReply, [input.room, seq, newMessageId(), input.userId, input.name, input.text, input.ts, clientMsgId, mentions, input.replyTo, excerpt])
      const message = toSnapshot({ ...rows[0]!, reply_msg_id: target.msg_id, reply_user_id: target.user_id, reply_name: target.name })
      return { commit: true, result: { message, duplicate: false } }
    })
  } catch (err) {
    // Another append of the same (user, clientMsgId) committed between our look and our insert.
    if (clientMsgId === null || (err as { code?: unknown }).code !== '23505') throw err
    const again = await original()
    if (!again) throw err
    return again
  }
}
