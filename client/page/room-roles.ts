// Who is who in the rooms the page shows: room-info per room (topic,
// visibility, owners, moderators, our own role), fetched when a room is shown
// and again when an alarm says its topic, visibility or roles changed.
import type { ChatClient, RoomDetails, RoomRole } from '../index.ts'

export type Standing = RoomRole | 'none'

/** A member's role as room-info tells it: owner, moderator or plain member. */
export function roleOf(details: RoomDetails | undefined, userId: string): RoomRole {
  if (details?.owners.includes(userId)) return 'owner'
  if (details?.moderators.includes(userId)) return 'moderator'
  return 'member'
}

const RANK: Record<Standing, number> = { none: 0, member: 1, moderator: 2, owner: 3 }

/** True when `actor` may kick, ban or mute a user of role `target` (the server's rule: only down the ranks, from moderator up). */
export function mayModerate(actor: Standing, target: Standing): boolean {
  return RANK[actor] >= RANK.moderator && RANK[actor] > RANK[target]
}

/** True for owners and moderators: topic, invitations, bans and mutes. */
export const isModerator = (role: Standing): boolean => RANK[role] >= RANK.moderator

export class RoomRoles {
  readonly #client: ChatClient
  readonly #details = new Map<string, RoomDetails>()
  /** Per room, the newest request: an older answer must not replace a newer one. */
  readonly #asked = new Map<string, number>()
  #seq = 0
  /** Called after a room's details arrive (or are forgotten). */
  onChange: (room: string) => void = () => {}

  constructor(client: ChatClient) {
    this.#client = client
  }

  get(room: string): RoomDetails | undefined {
    return this.#details.get(room)
  }

  /** Our role in the room; `none` until known. */
  yourRole(room: string): Standing {
    return this.#details.get(room)?.yourRole ?? 'none'
  }

  /** Fetches the room's details unless known (or `force`); failures leave what was known. */
  async load(room: string, force = false): Promise<RoomDetails | undefined> {
    if (!force && this.#details.has(room)) return this.#details.get(room)
    const seq = ++this.#seq
    this.#asked.set(room, seq)
    try {
      const details = await this.#client.roomInfo(room)
      if (this.#asked.get(room) !== seq) return this.#details.get(room)
      this.#details.set(room, details)
      this.onChange(room)
      return details
    } catch {
      return this.#details.get(room)
    }
  }

  /** Fetches again when known: after an alarm or our own change. */
  refresh(room: string): void {
    if (this.#details.has(room)) void this.load(room, true)
  }

  forget(room: string): void {
    this.#asked.delete(room)
    if (this.#details.delete(room)) this.onChange(room)
  }

  clear(): void {
    this.#details.clear()
    this.#asked.clear()
  }
}
