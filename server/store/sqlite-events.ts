// The life of a message in the SQLite store (protocol 1.3.0): what an event
// entry does to the rows it names, and how rows read back as snapshots.
// applyEvent runs inside the savepoint of appendEvent (sqlite-appends.ts), in
// the batch's transaction: the entry's seq and its effect commit together or
// not at all, and a refusal writes nothing.
import { type ChatMessage, DELETED_TEXT, type RoomEvent } from '@wirechat/protocol'
import { reactionRefusal, restrictionInForce, targetRefusal } from './message-life.ts'
import { type MessageRow, reactionsBySeq, toChat } from './rows.ts'
import type { Batch } from './sqlite-group-commit.ts'
import { eventsOf, membershipsOf, restrictionsOf, ROOMS, roomOf } from './sqlite-keys.ts'
import type { PackedMessageRow, Statements } from './sqlite-statements.ts'
import type { EventInput, EventRefusal } from './store.ts'

/**
 * Applies `input` as the entry at `seq` (not inserted yet) and hides what it
 * changed from reads until the batch is released; returns why not instead
 * when it changes nothing.
 */
export function applyEvent(s: Statements, input: EventInput, seq: number, batch: Batch): EventRefusal | undefined {
  const event = input.event
  if ('target' in event) {
    const refusal = applyToTarget(s, input, event, seq)
    if (refusal === undefined) batch.hide(eventsOf(input.room))
    return refusal
  }
  return moderate(s, input, event, batch)
}

function applyToTarget(s: Statements, input: EventInput, event: Extract<RoomEvent, { target: number }>, seq: number): EventRefusal | undefined {
  const { room } = input
  const { target } = event
  const row = s.target.get(room, target)
  const refusal = targetRefusal(event.kind, row && { isEvent: row.is_event === 1, deleted: row.deleted === 1 })
  if (refusal !== undefined) return refusal
  switch (event.kind) {
    case 'edit':
      s.editText.run(input.text, input.ts, seq, room, target)
      return undefined
    case 'delete':
      // The text goes everywhere it was copied: the edit entries that carried
      // it and the excerpts of replies.
      s.tombstone.run(DELETED_TEXT, seq, room, target)
      s.deleteReactionsOf.run(room, target)
      s.wipeEdits.run(DELETED_TEXT, room, target)
      s.dropExcerpts.run(room, target)
      return undefined
    case 'react': {
      const state = s.reactionState.get({ room, seq: target, emoji: event.emoji, user: input.userId })!
      const refused = reactionRefusal({ has: state.has === 1, emojiPresent: state.group_seq !== null, emojis: state.emojis, mine: state.mine }, event.on)
      if (refused !== undefined) return refused
      // A reaction joins its group's place, or begins the group at this seq.
      if (event.on) s.addReaction.run(room, target, event.emoji, input.userId, state.group_seq ?? seq, seq)
      else s.removeReaction.run(room, target, event.emoji, input.userId)
      s.setRev.run(seq, room, target)
      return undefined
    }
  }
}

/** The events whose effect (moderate below) changes a room's bans and mutes: restrictionsOf(room) is hidden by them. */
export const RESTRICTION_EVENTS: ReadonlySet<string> = new Set<RoomEvent['kind']>(['ban', 'mute', 'unban', 'unmute'])

function moderate(s: Statements, input: EventInput, event: Exclude<RoomEvent, { target: number }>, batch: Batch): EventRefusal | undefined {
  const { room } = input
  const removeMember = () => {
    s.removeMembership.run(event.userId, room)
    batch.hide(membershipsOf(event.userId))
    batch.hide(ROOMS)
  }
  switch (event.kind) {
    case 'kick':
      removeMember()
      return undefined
    case 'ban':
    case 'mute':
      s.setRestriction.run(room, event.userId, event.kind, event.name, event.until ?? null, input.userId, event.reason ?? null, input.ts)
      batch.hide(restrictionsOf(room))
      if (event.kind === 'ban') {
        removeMember()
        s.removeInvitation.run(room, event.userId)
        batch.hide(roomOf(room))
      }
      return undefined
    case 'unban':
    case 'unmute': {
      const kind = event.kind === 'unban' ? 'ban' : 'mute'
      const row = s.restriction.get(room, event.userId, kind)
      if (row === undefined || !restrictionInForce(row.until, input.ts)) return 'unchanged'
      s.removeRestriction.run(room, event.userId, kind)
      batch.hide(restrictionsOf(room))
      return undefined
    }
  }
}

/** A row with its 1.3.0 columns unpacked (see MESSAGE_COLUMNS in sqlite-statements.ts); search's rows come whole, without `life`. */
function unpack(row: PackedMessageRow | MessageRow): MessageRow {
  const { life } = row as Partial<PackedMessageRow>
  return life == null ? row : { ...row, ...(JSON.parse(life) as Partial<MessageRow>) }
}

/**
 * The messages of rows of one room, with their reactions: one query for the
 * rows that events touched (only those have a rev), none when no row was.
 */
export function toSnapshots(s: Statements, packed: Array<PackedMessageRow | MessageRow>): ChatMessage[] {
  const rows = packed.map(unpack)
  let low = Number.MAX_SAFE_INTEGER
  let high = 0
  for (const row of rows) {
    if (row.rev == null) continue
    if (row.seq < low) low = row.seq
    if (row.seq > high) high = row.seq
  }
  if (high === 0) return rows.map((row) => toChat(row))
  const reactions = reactionsBySeq(s.reactionsBetween.all(rows[0]!.room, low, high))
  return rows.map((row) => toChat(row, reactions.get(row.seq)))
}
