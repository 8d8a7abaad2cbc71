// What each room role may do: one pure table, so the rules can be read (and
// tested) in one place. Namespace rules (who creates, who posts) come first
// in the handlers; this table answers who may act within a room.
import type { RoomRole } from '../store/store.ts'

/** A user's standing in a room: a role, or `none` for someone who does not belong to it. */
export type Standing = RoomRole | 'none'

export type RoomAction =
  /** Post in a room of a namespace where only owners and moderators post. */
  | 'post-moderated'
  | 'set-topic'
  | 'set-public'
  | 'invite'
  /** Delete anyone's message (since 1.3.0). */
  | 'delete-any'
  /** Kick, ban, mute (and lift) a user of role `target` (since 1.3.0). */
  | 'moderate'
  /** List the room's bans and mutes. */
  | 'list-restrictions'
  /** set-role on another user, by the role given. */
  | 'make-owner'
  | 'make-moderator'
  | 'make-member'

const RANK: Record<Standing, number> = { none: 0, member: 1, moderator: 2, owner: 3 }

/**
 * True when a user of role `actor` may do `action` (to a user of role
 * `target`, for the role changes). Owners do everything, moderators post,
 * set the topic, invite, delete any message and moderate members; members
 * nothing of this. A role change on
 * oneself is never allowed here: see `canChangeOwnRole`.
 */
export function can(actor: Standing, action: RoomAction, target: Standing = 'none'): boolean {
  switch (action) {
    case 'post-moderated':
    case 'set-topic':
    case 'invite':
    case 'delete-any':
    case 'list-restrictions':
      return RANK[actor] >= RANK.moderator
    case 'moderate':
      // Only down the ranks: a moderator acts on members (and on users who do not belong), an owner on moderators too, nobody on an owner.
      return RANK[actor] >= RANK.moderator && RANK[actor] > RANK[target]
    case 'set-public':
      return actor === 'owner'
    case 'make-owner':
    case 'make-moderator':
    case 'make-member':
      // Owners appoint and remove; nobody changes the role of someone who does not belong.
      return actor === 'owner' && target !== 'none'
  }
}

/** A user may lower their own role (step down), never raise it; the last owner's step down is refused by the caller. */
export function canChangeOwnRole(current: Standing, wanted: RoomRole): boolean {
  return current !== 'none' && RANK[wanted] <= RANK[current]
}
