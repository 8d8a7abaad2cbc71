// The broker moves already-encoded frames between nodes and knows nothing of
// frames. Contract (test/contracts/broker.ts runs it for every implementation):
// - a delivery published on a channel reaches every node subscribed to that
//   channel once, and deliveries published by one node on one channel arrive
//   in publish order; the caller publishes a room's chat pushes in seq order;
// - publish resolves once the broker accepted the delivery, and rejects when it
//   could not (the caller then answers `unavailable`, never a false ack).

/** One frame on its way to the local members of a channel. */
export interface Delivery {
  /** The encoded server frame, sent unchanged to every recipient. */
  data: string
  /** Seq of a room chat push, used to skip what a resuming member already has. */
  seq?: number | undefined
  /** Connection that caused it: it receives its own reply instead of this push. */
  origin?: string | undefined
  /** The frame for clients older than protocol 1.3.0, when it differs from `data` (stream-entries.ts); '' sends them nothing. */
  legacy?: string | undefined
  /** User whose action it is (typing): connections of users who block them do not get it. */
  from?: string | undefined
}

export type DeliveryHandler = (channel: string, delivery: Delivery) => void

export interface Broker {
  /** Starts receiving deliveries for a channel on this node. */
  subscribe(channel: string): Promise<void>
  unsubscribe(channel: string): Promise<void>
  publish(channel: string, delivery: Delivery): Promise<void>
  /** Sets the one handler that receives every delivery for subscribed channels. */
  onDelivery(handler: DeliveryHandler): void
  /** Sets a hook called after the broker recovered from an outage (deliveries may have been missed). */
  onReconnect?(handler: () => void): void
  /** False while the broker cannot publish (shown by /readyz). */
  ready(): boolean
  /**
   * Sets the one handler called when this node receives deliveries again after
   * it may have missed some (its connection to other nodes was lost and is
   * back, every channel resubscribed): the hub catches up from the store.
   * Optional: a single-process broker never misses anything.
   */
  onReconnect?(handler: () => void): void
  close(): Promise<void>
}
