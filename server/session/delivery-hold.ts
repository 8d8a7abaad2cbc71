// While a room (or the DM inbox) is being joined, its live deliveries are
// held: the node subscribes before reading the store, so every message is
// either in the snapshot/replay or held, and the overlap is dropped by seq
// when the hold is released. No gap, no duplicate.
import type { Delivery } from '../broker/broker.ts'

export class DeliveryHold {
  readonly #held = new Map<string, Delivery[]>()

  get empty(): boolean {
    return this.#held.size === 0
  }

  begin(channel: string): void {
    this.#held.set(channel, [])
  }

  /** Keeps a delivery of a held channel; false when the channel is not held. */
  keep(channel: string, delivery: Delivery): boolean {
    const held = this.#held.get(channel)
    if (held === undefined) return false
    held.push(delivery)
    return true
  }

  /** Ends the hold and returns what to deliver now: chat pushes the replay already carried are skipped. */
  release(channel: string, deliveredSeq: number): Delivery[] {
    const held = this.#held.get(channel)
    if (held === undefined) return []
    this.#held.delete(channel)
    return held.filter((d) => d.seq === undefined || d.seq > deliveredSeq)
  }
}
