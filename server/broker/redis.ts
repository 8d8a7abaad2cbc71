// Redis pub/sub broker: one connection publishes, one subscribes.
// - Order: one publishing connection per node, and Redis forwards a channel's
//   messages in the order it received them, so one node's deliveries on one
//   channel arrive in publish order on every node.
// - Fail fast: publish rejects at once while Redis is unreachable, and a publish
//   in flight when the connection drops rejects (it may still have been
//   delivered: the caller answers a retryable error and client retries are
//   deduplicated by the store).
// - Channels are remembered here, not by ioredis (autoResubscribe is off): on
//   every new subscriber connection all of them are subscribed again, then
//   onReconnect runs, so the hub catches up only once nothing more can be missed.
import type { Broker, Delivery, DeliveryHandler } from './broker.ts'
import { closeRedisClient, createRedisClient } from '../redis/client.ts'
import type { ServiceLogger } from '../service-logger.ts'

export interface RedisBrokerOptions {
  /** redis://host:port/db */
  url: string
  /** Prefix of every Redis channel name, to share one Redis between deployments. Default `wirechat:`. */
  keyPrefix?: string
  /** Longest wait for Redis to accept a publish or subscribe, ms. Default 2000. */
  commandTimeoutMs?: number
  /** Connections are named `<name>-pub` and `<name>-sub` in CLIENT LIST. Default `wirechat`. */
  name?: string
  /** Connection lost / restored lines; nothing is printed without it. */
  logger?: ServiceLogger
}

/**
 * Wire form of a delivery: `seq \n origin \n from \n n \n data legacy`, where
 * `n` is data's length when a `legacy` frame follows it (empty otherwise). The
 * frames are already encoded, so they are appended as they are rather than
 * escaped a second time.
 */
export function encodeDelivery(delivery: Delivery): string {
  if (delivery.origin?.includes('\n') || delivery.from?.includes('\n')) throw new Error('A delivery origin or sender cannot contain a newline.')
  if (delivery.seq !== undefined && !Number.isSafeInteger(delivery.seq)) throw new Error('A delivery seq must be an integer.')
  const split = delivery.legacy === undefined ? '' : String(delivery.data.length)
  return `${delivery.seq ?? ''}\n${delivery.origin ?? ''}\n${delivery.from ?? ''}\n${split}\n${delivery.data}${delivery.legacy ?? ''}`
}

/** Reads what encodeDelivery wrote; undefined for anything else. */
export function decodeDelivery(payload: string): Delivery | undefined {
  const ends: number[] = []
  for (let at = -1, i = 0; i < 4; i++) {
    at = payload.indexOf('\n', at + 1)
    if (at < 0) return undefined
    ends.push(at)
  }
  const [a, b, c, d] = ends as [number, number, number, number]
  const body = payload.slice(d + 1)
  const delivery: Delivery = { data: body }
  if (d > c + 1) {
    const split = Number(payload.slice(c + 1, d))
    if (!Number.isSafeInteger(split) || split < 0 || split > body.length) return undefined
    delivery.data = body.slice(0, split)
    delivery.legacy = body.slice(split)
  }
  if (a > 0) {
    const seq = Number(payload.slice(0, a))
    if (!Number.isSafeInteger(seq)) return undefined
    delivery.seq = seq
  }
  if (b > a + 1) delivery.origin = payload.slice(a + 1, b)
  if (c > b + 1) delivery.from = payload.slice(b + 1, c)
  return delivery
}

export function createRedisBroker(options: RedisBrokerOptions): Broker {
  const prefix = options.keyPrefix ?? 'wirechat:'
  const commandTimeoutMs = options.commandTimeoutMs ?? 2000
  const name = options.name ?? 'wirechat'
  const pub = createRedisClient({ url: options.url, name: `${name}-pub`, commandTimeoutMs, logger: options.logger })
  const sub = createRedisClient({ url: options.url, name: `${name}-sub`, commandTimeoutMs, logger: options.logger })
  sub.options.autoResubscribe = false
  const channels = new Set<string>()
  let onDelivery: DeliveryHandler = () => {}
  let onReconnect: () => void = () => {}
  /** The subscriber connection is up and every remembered channel is subscribed on it. */
  let subscribed = false
  let connectedBefore = false
  let closed = false

  sub.on('message', (redisChannel: string, payload: string) => {
    if (!redisChannel.startsWith(prefix)) return
    const channel = redisChannel.slice(prefix.length)
    // A message can still arrive between UNSUBSCRIBE and its reply.
    if (!channels.has(channel)) return
    const delivery = decodeDelivery(payload)
    if (delivery) onDelivery(channel, delivery)
    else options.logger?.warn({ channel }, 'redis broker dropped a malformed delivery')
  })
  sub.on('close', () => {
    subscribed = false
  })
  sub.on('ready', () => {
    const mayHaveMissed = connectedBefore || channels.size > 0
    connectedBefore = true
    const all = [...channels].map((c) => prefix + c)
    const done = all.length > 0 ? sub.subscribe(...all) : Promise.resolve()
    done.then(
      () => {
        if (closed || sub.status !== 'ready') return
        subscribed = true
        if (mayHaveMissed) onReconnect()
      },
      (err: unknown) => {
        // The connection dropped again; the next 'ready' retries.
        options.logger?.warn({ err: (err as Error).message }, 'redis broker could not resubscribe')
      },
    )
  })

  return {
    /**
     * Rejects while Redis is unreachable; the channel is remembered anyway and
     * subscribed when the connection is back (unsubscribe forgets it).
     */
    async subscribe(channel) {
      if (closed) throw new Error('Broker closed.')
      channels.add(channel)
      await sub.subscribe(prefix + channel)
    },

    /** Never rejects: deliveries for the channel stop at once, filtered here if Redis is slow to confirm. */
    async unsubscribe(channel) {
      channels.delete(channel)
      if (sub.status !== 'ready') return // the next connection starts without it
      await sub.unsubscribe(prefix + channel).catch(() => {})
    },

    async publish(channel, delivery) {
      if (closed) throw new Error('Broker closed.')
      await pub.publish(prefix + channel, encodeDelivery(delivery))
    },

    onDelivery(handler) {
      onDelivery = handler
    },
    onReconnect(handler) {
      onReconnect = handler
    },
    ready: () => !closed && subscribed && pub.status === 'ready',

    async close() {
      closed = true
      channels.clear()
      await Promise.all([closeRedisClient(pub), closeRedisClient(sub)])
    },
  }
}
