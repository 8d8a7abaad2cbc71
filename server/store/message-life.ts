// The rules of a message's life (protocol 1.3.0) that every store applies the
// same way: which entry an event or a reply may name, the excerpt a reply
// keeps, the reaction limits, how reactions show in a snapshot, and when a
// restriction is in force. The memory and SQL stores share them, so they
// agree to the byte (the contract suite compares them with protocol/timeline.ts).
import { MAX_EXCERPT_CHARS, MAX_REACTION_USERS, MAX_REACTIONS_PER_MESSAGE, MAX_REACTIONS_PER_USER, type Reaction } from '@wirechat/protocol'
import type { EventRefusal } from './store.ts'

/** What a store knows of the entry an event or a reply names. */
export interface TargetState {
  /** The entry is an event, not a message. */
  isEvent: boolean
  deleted: boolean
}

/** The first MAX_EXCERPT_CHARS code points of a text (never half a surrogate pair). */
export function excerptOf(text: string): string {
  let end = 0
  let points = 0
  for (const char of text) {
    if (points === MAX_EXCERPT_CHARS) break
    end += char.length
    points++
  }
  return text.slice(0, end)
}

/** True when a reply may answer the entry: a message of the room that is not deleted. */
export const canReplyTo = (target: TargetState | undefined): target is TargetState => target !== undefined && !target.isEvent && !target.deleted

/**
 * Why an edit, delete or react of `target` appends nothing, or undefined when
 * it applies: only messages are targets; a deleted one can be deleted again
 * (idempotent: unchanged) but neither edited nor reacted to.
 */
export function targetRefusal(kind: 'edit' | 'delete' | 'react', target: TargetState | undefined): EventRefusal | undefined {
  if (target === undefined || target.isEvent) return 'not-found'
  if (target.deleted) return kind === 'delete' ? 'unchanged' : 'not-found'
  return undefined
}

/** The reactions of one message as a react event finds them. */
export interface ReactionState {
  /** The actor has this emoji on the message. */
  has: boolean
  /** Someone has this emoji on the message. */
  emojiPresent: boolean
  /** Distinct emoji on the message. */
  emojis: number
  /** Reactions of the actor on the message. */
  mine: number
}

/**
 * Why a react appends nothing, or undefined when it applies. A repeat is
 * `unchanged` even at a limit; the limits only stop what would add.
 */
export function reactionRefusal(state: ReactionState, on: boolean): EventRefusal | undefined {
  if (!on) return state.has ? undefined : 'unchanged'
  if (state.has) return 'unchanged'
  if (!state.emojiPresent && state.emojis >= MAX_REACTIONS_PER_MESSAGE) return 'too-many-reactions'
  if (state.mine >= MAX_REACTIONS_PER_USER) return 'too-many-reactions'
  return undefined
}

/**
 * A message's reactions as snapshots show them, from its (emoji, user) pairs
 * ordered by group, then by age within the group. A group's place is where it
 * began: it keeps it while it has users and, once emptied, begins again last —
 * the order protocol/timeline.ts gives a client that saw every event.
 * At most MAX_REACTION_USERS users are listed; `count` counts them all.
 */
export function toReactions(pairs: Iterable<{ emoji: string; userId: string }>): Reaction[] {
  const groups = new Map<string, Reaction>()
  for (const { emoji, userId } of pairs) {
    let group = groups.get(emoji)
    if (group === undefined) groups.set(emoji, (group = { emoji, count: 0, users: [] }))
    group.count++
    if (group.users.length < MAX_REACTION_USERS) group.users.push(userId)
  }
  return [...groups.values()]
}

/** True when a ban or mute ending at `until` (none: until lifted) is in force at `now`. */
export const restrictionInForce = (until: number | null | undefined, now: number): boolean => until === null || until === undefined || until > now
