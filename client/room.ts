// What the client knows about one room: its members, the last message seen
// (the resume position) and who is typing. Pure state, no I/O.
import type { ChatMessage, Member, Position } from '@wirechat/protocol/primitives'
import type { RoomState } from '@wirechat/protocol/frames/room'

/** Room states. */
export const RoomStates = {
  /** A join request is on its way. */
  Joining: 'joining',
  /** Joined: messages, alarms and typing arrive. */
  Joined: 'joined',
  /** The connection dropped; the room is rejoined, with resume, when it is back. */
  Rejoining: 'rejoining',
  /** Left (or never joined). */
  Left: 'left',
} as const
export type RoomStatus = (typeof RoomStates)[keyof typeof RoomStates]

/** How a (re)join went, as the page needs to know it. */
export interface JoinOutcome {
  /** True when this was a rejoin after a reconnect. */
  rejoined: boolean
  /** True when missed messages follow as chat events; false when the view must be rebuilt from `history`. */
  resumed: boolean
  /** Messages the server replays after the reply. */
  missed: number
}

export class Room {
  readonly name: string
  status: RoomStatus = RoomStates.Joining
  #epoch: string | undefined
  #lastSeq = 0
  readonly #members = new Map<string, Member>()
  readonly #typing = new Map<string, string>()

  constructor(name: string) {
    this.name = name
  }

  /** Position to resume from after a reconnect; undefined before the first join. */
  get since(): Position | undefined {
    return this.#epoch === undefined ? undefined : { epoch: this.#epoch, seq: this.#lastSeq }
  }

  /** Seq of the newest message seen. */
  get lastSeq(): number {
    return this.#lastSeq
  }

  /** Members present now, in the order the server listed or announced them. */
  get members(): Member[] {
    return [...this.#members.values()]
  }

  /** Members typing now, except `selfId`. */
  typing(selfId?: string): Member[] {
    return [...this.#typing].filter(([userId]) => userId !== selfId).map(([userId, name]) => ({ userId, name }))
  }

  /** Applies a join reply: members, position and the snapshot or resume outcome. */
  applyJoin(state: RoomState): JoinOutcome {
    const rejoined = this.#epoch !== undefined
    const resumed = state.resume?.resumed === true
    this.#epoch = state.epoch
    // Resumed: the replay follows as pushes, so the position stays where it was
    // (state.seq already counts the replay). Otherwise the snapshot replaces all.
    if (!resumed) {
      this.#lastSeq = 0
      for (const message of state.history) this.accept(message)
      this.#lastSeq = Math.max(this.#lastSeq, state.seq)
    }
    this.setMembers(state.members)
    this.#typing.clear()
    this.status = RoomStates.Joined
    return { rejoined, resumed, missed: state.resume?.missed ?? 0 }
  }

  /**
   * Records a message; false when it is not new (seq ≤ the last seen), which
   * makes a replay overlapping live pushes or a duplicate ack harmless.
   */
  accept(message: ChatMessage): boolean {
    if (message.seq <= this.#lastSeq) return false
    this.#lastSeq = message.seq
    this.#typing.delete(message.userId) // sending ends typing (the server says so too)
    return true
  }

  setMembers(members: readonly Member[]): void {
    this.#members.clear()
    for (const m of members) this.#members.set(m.userId, { userId: m.userId, name: m.name })
  }

  /** Applies a joined/left/renamed alarm to the member list. */
  applyAlarm(kind: string, member: Member): void {
    // Alarms about the room itself (topic, visibility, role: 1.2.0) leave presence as it is.
    if (kind !== 'joined' && kind !== 'left' && kind !== 'renamed') return
    if (kind === 'left') {
      this.#members.delete(member.userId)
      this.#typing.delete(member.userId)
      return
    }
    this.#members.set(member.userId, { userId: member.userId, name: member.name })
    if (this.#typing.has(member.userId)) this.#typing.set(member.userId, member.name)
  }

  /** Applies a typing push; true when it changed anything. */
  applyTyping(member: Member, typing: boolean): boolean {
    if (typing) {
      const changed = this.#typing.get(member.userId) !== member.name
      this.#typing.set(member.userId, member.name)
      return changed
    }
    return this.#typing.delete(member.userId)
  }
}
