// What the client knows about one room: its members, the last message seen
// (the resume position), who is typing, the messages held as a timeline
// (since 1.3.0: edits, deletes and reactions applied to them) and the read
// marker with the unread counts. Pure state, no I/O.
import type { ChatMessage, Member, Position } from '@wirechat/protocol/primitives'
import type { RoomState } from '@wirechat/protocol/frames/room'
import { applyEntry, timelineLines, type Timeline } from '@wirechat/protocol/timeline'

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
  #timeline: Timeline = new Map()
  /** The read marker (1.3.0 servers; 0 otherwise). */
  #readSeq = 0
  /** The seq the join's counts were taken at: later messages are counted here. */
  #countedUpTo = 0
  #unreadBefore = 0
  #mentionsBefore = 0
  readonly #unreadSince = new Set<number>()
  readonly #mentionsSince = new Set<number>()

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

  /** The messages held, by seq, with every event seen applied (protocol/timeline.ts). */
  get timeline(): Timeline {
    return this.#timeline
  }

  /** What the room shows, oldest first: its messages and moderation events, as they are now. */
  lines(): ChatMessage[] {
    return timelineLines(this.#timeline)
  }

  /** The user's read marker in this room (since 1.3.0; 0 from older servers). */
  get readSeq(): number {
    return this.#readSeq
  }

  /** Messages of others above the read marker, deleted ones not counted: the server's count at join plus those seen since. */
  get unread(): number {
    return this.#unreadBefore + this.#unreadSince.size
  }

  /** Of those, the ones that mention the user. */
  get mentions(): number {
    return this.#mentionsBefore + this.#mentionsSince.size
  }

  /** Members typing now, except `selfId`. */
  typing(selfId?: string): Member[] {
    return [...this.#typing].filter(([userId]) => userId !== selfId).map(([userId, name]) => ({ userId, name }))
  }

  /** Applies a join reply: members, position, counts and the snapshot or resume outcome. */
  applyJoin(state: RoomState): JoinOutcome {
    const rejoined = this.#epoch !== undefined
    const resumed = state.resume?.resumed === true
    this.#epoch = state.epoch
    // Resumed: the replay follows as pushes, so the position stays where it was
    // (state.seq already counts the replay). Otherwise the snapshot replaces all.
    if (!resumed) {
      this.#lastSeq = 0
      this.#timeline = new Map()
      for (const message of state.history) {
        this.accept(message)
        applyEntry(this.#timeline, message)
      }
      this.#lastSeq = Math.max(this.#lastSeq, state.seq)
    }
    // The server counted up to state.seq (a resume's replay included); later messages are counted as they come.
    if (state.readSeq !== undefined) {
      this.#readSeq = state.readSeq
      this.#countedUpTo = state.seq
      this.#unreadBefore = state.unread ?? 0
      this.#mentionsBefore = state.mentions ?? 0
      this.#unreadSince.clear()
      this.#mentionsSince.clear()
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
    if (message.event === undefined) this.#typing.delete(message.userId) // sending ends typing (the server says so too)
    return true
  }

  /**
   * Applies a new stream entry (after `accept`) to the timeline and the
   * counts; returns the seqs of held messages it changed, its own included
   * when it is a line.
   */
  applyEntry(message: ChatMessage, selfId: string | undefined): number[] {
    const changed = applyEntry(this.#timeline, message)
    const { event } = message
    if (event === undefined) {
      if (message.userId !== selfId && message.seq > this.#readSeq && message.seq > this.#countedUpTo) {
        this.#unreadSince.add(message.seq)
        if (selfId !== undefined && message.mentions?.includes(selfId)) this.#mentionsSince.add(message.seq)
      }
    } else if (event.kind === 'delete') {
      this.#unreadSince.delete(event.target)
      this.#mentionsSince.delete(event.target)
    }
    return changed
  }

  /** Applies an older page (history): the timeline only; returns the seqs it changed or added. */
  applyPage(messages: readonly ChatMessage[]): number[] {
    const changed = new Set<number>()
    for (const message of messages) for (const seq of applyEntry(this.#timeline, message)) changed.add(seq)
    return [...changed]
  }

  /** The read marker moved (here or on another device); false when it did not move. */
  markRead(seq: number): boolean {
    if (seq <= this.#readSeq) return false
    this.#readSeq = seq
    // What the server counted lies at or below countedUpTo: reading that far clears it.
    if (seq >= this.#countedUpTo) {
      this.#unreadBefore = 0
      this.#mentionsBefore = 0
    }
    for (const s of [...this.#unreadSince]) if (s <= seq) this.#unreadSince.delete(s)
    for (const s of [...this.#mentionsSince]) if (s <= seq) this.#mentionsSince.delete(s)
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
