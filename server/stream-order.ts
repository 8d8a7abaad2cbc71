// Per-channel ordering of seq-numbered deliveries on one node. With several
// nodes, pushes of one room can reach a node out of seq order (two publishers)
// or not at all (a broker outage). This hands them to local members strictly
// in seq order: early ones wait, a gap that outlives `gapTimeoutMs` is filled
// from the store (which assigned the seq, so it has the message), and
// duplicates are dropped. Deliveries without seq (alarms, typing) pass through.
import type { Delivery } from './broker/broker.ts'

export interface StreamSource {
  /** Newest seq of a channel's stream in the store. */
  head(channel: string): Promise<number>
  /** Encoded deliveries of the stream after `after`, oldest first. */
  fetch(channel: string, after: number, limit: number): Promise<Delivery[]>
}

interface Stream {
  /** Last seq handed to members; undefined until the head is known. */
  last: number | undefined
  held: Map<number, Delivery>
  timer: NodeJS.Timeout | undefined
  filling: boolean
}

export class StreamOrder {
  readonly #streams = new Map<string, Stream>()
  readonly #source: StreamSource
  readonly #deliver: (channel: string, delivery: Delivery) => void
  readonly #gapTimeoutMs: number
  readonly #onError: (err: unknown, channel: string) => void

  constructor(options: {
    source: StreamSource
    deliver: (channel: string, delivery: Delivery) => void
    gapTimeoutMs: number
    onError: (err: unknown, channel: string) => void
  }) {
    this.#source = options.source
    this.#deliver = options.deliver
    this.#gapTimeoutMs = options.gapTimeoutMs
    this.#onError = options.onError
  }

  /**
   * Starts tracking a channel: call before subscribing to it, then `start`
   * once subscribed. Deliveries in between are held, and dropped if the head
   * read by `start` covers them.
   */
  track(channel: string): void {
    this.#streams.set(channel, { last: undefined, held: new Map(), timer: undefined, filling: false })
  }

  /** Reads the channel's head (after the subscription is active) and releases what waits beyond it. */
  async start(channel: string): Promise<void> {
    const stream = this.#streams.get(channel)
    if (!stream) return
    const head = await this.#source.head(channel)
    if (this.#streams.get(channel) !== stream) return
    stream.last = head
    for (const seq of [...stream.held.keys()]) if (seq <= head) stream.held.delete(seq)
    this.#drain(channel, stream)
  }

  close(channel: string): void {
    const stream = this.#streams.get(channel)
    if (stream?.timer) clearTimeout(stream.timer)
    this.#streams.delete(channel)
  }

  /** Handles a delivery from the broker. */
  accept(channel: string, delivery: Delivery): void {
    const stream = this.#streams.get(channel)
    if (delivery.seq === undefined || stream === undefined) return this.#deliver(channel, delivery)
    if (stream.last !== undefined && delivery.seq <= stream.last) return // already delivered
    stream.held.set(delivery.seq, delivery)
    if (stream.last !== undefined) this.#drain(channel, stream)
  }

  /** Fetches whatever the store has beyond what was delivered (after a broker outage). */
  catchUp(): void {
    for (const [channel, stream] of this.#streams) void this.#fill(channel, stream)
  }

  #drain(channel: string, stream: Stream): void {
    let next: Delivery | undefined
    while (stream.last !== undefined && (next = stream.held.get(stream.last + 1)) !== undefined) {
      stream.held.delete(stream.last + 1)
      stream.last++
      this.#deliver(channel, next)
    }
    if (stream.held.size === 0) {
      if (stream.timer) clearTimeout(stream.timer)
      stream.timer = undefined
    } else if (stream.timer === undefined) {
      stream.timer = setTimeout(() => {
        stream.timer = undefined
        void this.#fill(channel, stream)
      }, this.#gapTimeoutMs)
      stream.timer.unref()
    }
  }

  async #fill(channel: string, stream: Stream): Promise<void> {
    if (stream.filling || stream.last === undefined) return
    stream.filling = true
    try {
      const missing = await this.#source.fetch(channel, stream.last, 1000)
      if (this.#streams.get(channel) !== stream) return
      for (const delivery of missing) if (delivery.seq! > stream.last) stream.held.set(delivery.seq!, delivery)
      this.#drain(channel, stream)
    } catch (err) {
      this.#onError(err, channel)
    } finally {
      stream.filling = false
    }
  }
}
