// The one reducer of a room's stream (since 1.3.0). Messages and events share
// the gapless seq; applying the entries of a stream in seq order, from any
// starting snapshot (a join, a history page, a resume), gives the same state
// as having been online throughout. Clients, the conformance kit and the
// server's tests all use this function, so there is one definition of what an
// event does.
//
// Why a snapshot never gets an event twice: a message carries `rev`, the seq
// of the newest event already applied to it, and events at or below it are
// skipped. Why an event is never lost: one whose target the timeline does not
// hold yet (older than the loaded history, or a history page read before the
// event and answered after it) is kept until its target arrives.
import { DELETED_TEXT, MAX_REACTION_USERS, type ChatMessage, type Reaction, type RoomEvent } from './primitives.ts'

/**
 * The entries of one room a client holds, by seq: messages, moderation events
 * (kick, ban, mute …: lines to show) and the edit, delete and react events
 * whose target is not held yet. Applied events are not kept: they changed
 * their message. `timelineLines` gives what to render.
 */
export type Timeline = Map<number, ChatMessage>

type TargetedEvent = Extract<RoomEvent, { target: number }>

// Seqs of the events waiting in each timeline, so adding a message (5,000 of
// them for a long history) does not scan the timeline. The map stays the
// truth: a seq is checked against it before use.
const waitingIndex = new WeakMap<Timeline, Set<number>>()

/** The events held in `timeline` that wait for a target, in seq order. */
function waitingEvents(timeline: Timeline): Array<ChatMessage & { event: TargetedEvent }> {
  const seqs = waitingIndex.get(timeline)
  if (seqs === undefined || seqs.size === 0) return []
  const out: Array<ChatMessage & { event: TargetedEvent }> = []
  for (const seq of seqs) {
    const entry = timeline.get(seq)
    if (entry !== undefined && isTargetedEvent(entry)) out.push(entry)
    else seqs.delete(seq)
  }
  return out.sort((a, b) => a.seq - b.seq)
}

function holdWaiting(timeline: Timeline, entry: ChatMessage): void {
  timeline.set(entry.seq, entry)
  let seqs = waitingIndex.get(timeline)
  if (seqs === undefined) waitingIndex.set(timeline, (seqs = new Set()))
  seqs.add(entry.seq)
}

/** True for an edit, delete or react entry: it changes a message rather than being shown. */
export function isTargetedEvent(entry: ChatMessage): entry is ChatMessage & { event: TargetedEvent } {
  return entry.event !== undefined && 'target' in entry.event
}

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

/**
 * A message's reaction groups after one user's reaction came or went. A group
 * keeps its place while it has a reaction; a new one (or one that emptied and
 * came back) goes last. Users are listed in the order they reacted, at most
 * MAX_REACTION_USERS; past that only `count` moves.
 */
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
      // A user past the listed ones can only be told apart by the count.
      const count = group.count - (has || group.users.length >= MAX_REACTION_USERS ? 1 : 0)
      if (count > 0) out.push({ emoji, count, users: group.users.filter((u) => u !== userId) })
    }
  }
  if (!found && on) out.push({ emoji, count: 1, users: [userId] })
  return out
}

/** The reply without its excerpt when its original is deleted in the timeline (held, or a delete waiting for it). */
function withoutDeletedExcerpt(timeline: Timeline, message: ChatMessage): ChatMessage {
  const ref = message.replyTo
  if (ref?.excerpt === undefined) return message
  const deleted = timeline.get(ref.seq)?.deleted === true || waitingEvents(timeline).some((e) => e.event.kind === 'delete' && e.event.target === ref.seq)
  if (!deleted) return message
  const { excerpt: _x, ...replyTo } = ref
  return { ...message, replyTo }
}

/**
 * Applies one stream entry to a timeline and returns the seqs of the held
 * messages that changed (the entry's own seq when it is a new line).
 * - A message is added; a copy of a held message replaces it only when it is
 *   at least as new (its `rev` is not below the held one's). Events kept for
 *   it are then applied (those at or below its `rev` are skipped).
 * - An edit, delete or react event changes its target when held, else waits.
 *   A delete also drops the excerpt of the held replies to the target.
 * - A moderation event (kick, ban …) is kept as a line.
 */
export function applyEntry(timeline: Timeline, entry: ChatMessage): number[] {
  const event: RoomEvent | undefined = entry.event
  if (event === undefined) return addMessage(timeline, entry)
  if (!('target' in event)) {
    if (timeline.has(entry.seq)) return []
    timeline.set(entry.seq, entry)
    return [entry.seq]
  }
  const changed: number[] = []
  const target = timeline.get(event.target)
  if (target === undefined) {
    holdWaiting(timeline, entry)
  } else if (target.event === undefined) {
    const next = applyEvent(target, entry)
    if (next !== target) {
      timeline.set(target.seq, next)
      changed.push(target.seq)
    }
  }
  if (event.kind === 'delete') {
    for (const [seq, message] of timeline) {
      if (message.event === undefined && message.replyTo?.seq === event.target && message.replyTo.excerpt !== undefined) {
        const { excerpt: _x, ...replyTo } = message.replyTo
        timeline.set(seq, { ...message, replyTo })
        changed.push(seq)
      }
    }
  }
  return changed
}

function addMessage(timeline: Timeline, entry: ChatMessage): number[] {
  const held = timeline.get(entry.seq)
  if (held !== undefined && held.event === undefined && (held.rev ?? 0) > (entry.rev ?? 0)) return []
  let message = withoutDeletedExcerpt(timeline, entry)
  // Events that arrived before their target, in seq order.
  for (const e of waitingEvents(timeline).filter((w) => w.event.target === entry.seq)) {
    message = applyEvent(message, e)
    timeline.delete(e.seq)
  }
  timeline.set(entry.seq, message)
  return [entry.seq]
}

/** What a room shows, oldest first: its messages and its moderation events (not the events waiting for a target). */
export function timelineLines(timeline: Timeline): ChatMessage[] {
  return [...timeline.values()].filter((e) => !isTargetedEvent(e)).sort((a, b) => a.seq - b.seq)
}
