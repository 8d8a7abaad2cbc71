// The one reducer of a room's stream (since 1.3.0). Messages and events share
// the gapless seq; applying the entries of a stream in seq order, from any
// starting snapshot (a join, a history page, a resume), gives the same state
// as having been online throughout. Clients, the conformance kit and the
// server's tests all use this function, so there is one definition of what an
// event does.
import { DELETED_TEXT, MAX_REACTION_USERS, type ChatMessage, type Reaction, type RoomEvent } from './primitives.ts'

/** The messages of one room a client holds, by seq. Events are not kept: they change the messages. */
export type Timeline = Map<number, ChatMessage>

/**
 * The message `target` after the event entry `entry`, or `target` itself when
 * the event is at or below the message's `rev` (already in its snapshot) or
 * does not apply to it.
 */
export function applyEvent(target: ChatMessage, entry: ChatMessage): ChatMessage {
  const event = entry.event
  if (event === undefined || !('target' in event) || event.target !== target.seq) return target
  if (target.rev !== undefined && entry.seq <= target.rev) return target
  if (target.deleted === true && event.kind !== 'delete') return { ...target, rev: entry.seq }
  switch (event.kind) {
    case 'edit':
      return { ...target, text: entry.text, edited: entry.ts, rev: entry.seq }
    case 'delete': {
      const { reactions: _r, mentions: _m, replyTo: _p, edited: _e, ...rest } = target
      return { ...rest, text: DELETED_TEXT, deleted: true, rev: entry.seq }
    }
    case 'react': {
      const reactions = react(target.reactions ?? [], event.emoji, entry.userId, event.on)
      const { reactions: _old, ...rest } = target
      return reactions.length === 0 ? { ...rest, rev: entry.seq } : { ...rest, reactions, rev: entry.seq }
    }
  }
}

function react(groups: readonly Reaction[], emoji: string, userId: string, on: boolean): Reaction[] {
  const out: Reaction[] = []
  let found = false
  for (const group of groups) {
    if (group.emoji !== emoji) {
      out.push(group)
      continue
    }
    found = true
    const has = group.users.includes(userId)
    if (on) {
      // The server appends an event only when the state changes; a repeat is harmless here too.
      if (has) out.push(group)
      else out.push({ emoji, count: group.count + 1, users: group.users.length < MAX_REACTION_USERS ? [...group.users, userId] : group.users })
    } else {
      const count = group.count - (has || group.users.length >= MAX_REACTION_USERS ? 1 : 0)
      if (count > 0) out.push({ emoji, count, users: group.users.filter((u) => u !== userId) })
    }
  }
  if (!found && on) out.push({ emoji, count: 1, users: [userId] })
  return out
}

/**
 * Applies one stream entry to a timeline: a message is added (a newer copy of
 * a held message replaces it only if it is at least as new: compare `rev`),
 * an event changes its target when the timeline holds it. Deleting a message
 * also drops the excerpt of the replies to it. Returns the seqs of the
 * messages that changed.
 */
export function applyEntry(timeline: Timeline, entry: ChatMessage): number[] {
  const event: RoomEvent | undefined = entry.event
  if (event === undefined) {
    const held = timeline.get(entry.seq)
    if (held !== undefined && (held.rev ?? 0) > (entry.rev ?? 0)) return []
    timeline.set(entry.seq, entry)
    return [entry.seq]
  }
  if (!('target' in event)) return []
  const target = timeline.get(event.target)
  const changed: number[] = []
  if (target !== undefined) {
    const next = applyEvent(target, entry)
    if (next !== target) {
      timeline.set(target.seq, next)
      changed.push(target.seq)
    }
  }
  if (event.kind === 'delete') {
    for (const [seq, message] of timeline) {
      if (message.replyTo?.seq === event.target && message.replyTo.excerpt !== undefined) {
        const { excerpt: _x, ...replyTo } = message.replyTo
        timeline.set(seq, { ...message, replyTo })
        changed.push(seq)
      }
    }
  }
  return changed
}
