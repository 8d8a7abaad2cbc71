// The sender's own delivery becomes its acknowledgement: after a publish, the
// reply is registered under (channel, seq) and sent when that delivery comes
// back through the ordered stream, in its place, so the sender sees its ack
// in the same order as every other member sees the push.
import type { ServerFrameType } from '@wirechat/protocol'

/** An encoded reply waiting for its delivery. */
export interface PendingReply {
  type: ServerFrameType
  data: string
}

const keyOf = (channel: string, seq: number): string => `${channel}\n${seq}`

export class OwnDeliveries {
  readonly #pending = new Map<string, PendingReply>()

  get empty(): boolean {
    return this.#pending.size === 0
  }

  /** Registers a reply; returns the key that settles it. */
  expect(channel: string, seq: number, reply: PendingReply): string {
    const key = keyOf(channel, seq)
    this.#pending.set(key, reply)
    return key
  }

  has(key: string): boolean {
    return this.#pending.has(key)
  }

  /** Removes and returns the reply of a key, if still pending. */
  take(key: string): PendingReply | undefined {
    const reply = this.#pending.get(key)
    if (reply !== undefined) this.#pending.delete(key)
    return reply
  }

  /** The key of a delivery, when it is one this connection is waiting for. */
  match(channel: string, seq: number): string | undefined {
    const key = keyOf(channel, seq)
    return this.#pending.has(key) ? key : undefined
  }
}
