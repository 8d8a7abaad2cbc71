// Local index of channel ↔ member (room names and per-user DM channels).
// Synchronous and socket-free: the two-map shape of socket.io's in-memory
// adapter. Empty channels are deleted so memory follows live membership.

export class ChannelRegistry<M> {
  readonly #members = new Map<string, Set<M>>()
  readonly #channels = new Map<M, Set<string>>()

  /** Adds a member; true when it is the first local member of the channel. */
  add(channel: string, member: M): boolean {
    let members = this.#members.get(channel)
    const first = members === undefined
    if (!members) this.#members.set(channel, (members = new Set()))
    members.add(member)
    let channels = this.#channels.get(member)
    if (!channels) this.#channels.set(member, (channels = new Set()))
    channels.add(channel)
    return first
  }

  /** Removes a member; true when the channel has no local member left. */
  remove(channel: string, member: M): boolean {
    const members = this.#members.get(channel)
    if (!members?.delete(member)) return false
    const channels = this.#channels.get(member)
    channels?.delete(channel)
    if (channels?.size === 0) this.#channels.delete(member)
    if (members.size > 0) return false
    this.#members.delete(channel)
    return true
  }

  /** Local members of a channel (live view; do not mutate). */
  members(channel: string): ReadonlySet<M> | undefined {
    return this.#members.get(channel)
  }

  /** Channels a member is in. */
  channelsOf(member: M): ReadonlySet<string> {
    return this.#channels.get(member) ?? new Set()
  }

  has(channel: string, member: M): boolean {
    return this.#members.get(channel)?.has(member) ?? false
  }

  /** Channels with at least one local member. */
  channels(): IterableIterator<string> {
    return this.#members.keys()
  }

  /** Number of channels with at least one local member. */
  get size(): number {
    return this.#members.size
  }
}
