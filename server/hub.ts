// The node's core: services plus the delivery path. Broker deliveries reach
// the local members of a channel through the registry; every member gets the
// same string, and the origin connection gets its own reply in its place.
import type { FastifyBaseLogger } from 'fastify'
import { encodeMessagePush } from '@wirechat/protocol'
import type { Broker, Delivery } from './broker/broker.ts'
import { LoginLimits } from './auth/login-limits.ts'
import { entryDelivery } from './stream-entries.ts'
import { channelOf, controlOf, encodeControl, type Control } from './channels.ts'
import type { Config } from './config.ts'
import { counterFor, frameType, type Metrics } from './metrics.ts'
import { RoomAppends } from './room-appends.ts'
import { StreamOrder } from './stream-order.ts'
import type { PresenceTracker } from './rooms/presence.ts'
import { ChannelRegistry } from './rooms/registry.ts'
import { TypingTracker } from './rooms/typing.ts'
import { SlowMode } from './limits/slow-mode.ts'
import { Namespaces } from './namespaces.ts'
import type { HistoryStore } from './store/store.ts'
import { OnlineUsers } from './users.ts'

/** What a hub delivers to: a logged-in session on this node. */
export interface Member {
  readonly id: string
  /** Receives a delivery for a channel it is in. */
  deliver(channel: string, delivery: Delivery): void
  /** Acts on a control message of its user's channel (see channels.ts); never sent on to a client. */
  control?(control: Control): void
}

export interface Services {
  config: Config
  store: HistoryStore
  broker: Broker
  presence: PresenceTracker
  metrics: Metrics
  log: FastifyBaseLogger
  /** Default: the default namespace only. */
  namespaces?: Namespaces
}

export class Hub<M extends Member = Member> {
  readonly config: Config
  readonly store: HistoryStore
  readonly broker: Broker
  readonly presence: PresenceTracker
  readonly metrics: Metrics
  readonly log: FastifyBaseLogger
  readonly namespaces: Namespaces
  /** Last posts per user and room, for the namespaces' slow mode. */
  readonly slowMode = new SlowMode()
  readonly users = new OnlineUsers()
  readonly registry = new ChannelRegistry<M>()
  readonly typing: TypingTracker
  /** Failed password logins of this node, per account and per address. */
  readonly loginLimits: LoginLimits
  /** Called when a typing indicator expires: set by the room handlers. */
  onTypingExpired: (room: string, userId: string, origin: string | undefined) => void = () => {}
  /** Chats of a room appended together when they queue (room-appends.ts). */
  readonly appends: RoomAppends
  readonly #roomQueues = new Map<string, Promise<unknown>>()
  readonly #order: StreamOrder

  constructor(services: Services) {
    this.config = services.config
    this.store = services.store
    this.broker = services.broker
    this.presence = services.presence
    this.metrics = services.metrics
    this.log = services.log
    this.namespaces = services.namespaces ?? new Namespaces()
    this.loginLimits = new LoginLimits(this.config)
    this.appends = new RoomAppends(this.store, (room, work) => this.serial(room, work))
    this.typing = new TypingTracker(this.config.typingTtlMs, (room, userId, _typing, origin) => this.onTypingExpired(room, userId, origin))
    this.#order = new StreamOrder({
      source: {
        head: (name) => {
          const channel = channelOf(name)
          return channel.kind === 'inbox' ? this.store.inboxHead(channel.userId) : this.store.head(channel.room)
        },
        fetch: async (name, after, limit) => {
          const channel = channelOf(name)
          if (channel.kind === 'inbox') {
            const page = await this.store.inboxRange(channel.userId, after, limit)
            return page.messages.map((message) => ({ data: encodeMessagePush('dm', message), seq: message.seq }))
          }
          const page = await this.store.range(channel.room, { after, limit })
          return page.messages.map((message) => entryDelivery(message))
        },
      },
      deliver: (channel, delivery) => this.#dispatch(channel, delivery),
      gapTimeoutMs: this.config.gapTimeoutMs,
      onError: (err, channel) => this.log.error({ err, channel }, 'filling a stream gap from the store failed'),
    })
    this.broker.onDelivery((channel, delivery) => this.#order.accept(channel, delivery))
    this.broker.onReconnect?.(() => this.#order.catchUp())
  }

  #dispatch(channel: string, delivery: Delivery): void {
    const members = this.registry.members(channel)
    if (!members) return
    const control = controlOf(delivery.data)
    if (control !== undefined) {
      for (const member of [...members]) member.control?.(control)
      return
    }
    let pushed = 0
    for (const member of members) {
      member.deliver(channel, delivery)
      if (member.id !== delivery.origin) pushed++
    }
    this.metrics.fanout.observe(pushed)
    if (pushed > 0) counterFor(this.metrics.framesOut, frameType(delivery.data)).inc(pushed)
  }

  /** Adds a local member to a channel, subscribing this node on the first one. */
  async join(channel: string, member: M): Promise<void> {
    if (!this.registry.add(channel, member)) return
    this.#order.track(channel)
    await this.broker.subscribe(channel)
    await this.#order.start(channel)
  }

  /** Removes a local member, unsubscribing this node after the last one. */
  async leave(channel: string, member: M): Promise<void> {
    if (!this.registry.remove(channel, member)) return
    this.#order.close(channel)
    await this.broker.unsubscribe(channel)
  }

  publish(channel: string, delivery: Delivery): Promise<void> {
    return this.broker.publish(channel, delivery)
  }

  /**
   * Has every node act on a control message about a channel's connections:
   * this node's members at once (a broker outage cannot keep them here), the
   * other nodes' through the broker, as fast as a delivery. Rejects when the
   * broker refused it; the local members have acted already.
   */
  async control(channel: string, control: Control): Promise<void> {
    for (const member of [...(this.registry.members(channel) ?? [])]) member.control?.(control)
    await this.publish(channel, { data: encodeControl(control) })
  }

  /**
   * Runs `work` after every earlier call for the same room has finished, so a
   * room's messages are published in the order their seqs were assigned.
   */
  serial<T>(room: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#roomQueues.get(room) ?? Promise.resolve()
    const next = previous.then(work, work)
    const tail = next.catch(() => {})
    this.#roomQueues.set(room, tail)
    void tail.then(() => {
      if (this.#roomQueues.get(room) === tail) this.#roomQueues.delete(room)
    })
    return next
  }
}
