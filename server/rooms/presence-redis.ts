// Cluster-wide presence in Redis: a user with connections on several nodes
// joins once (first connection anywhere) and leaves once (last one), decided
// atomically by Lua scripts (presence-redis-scripts.ts has the key layout).
//
// Node liveness. Each node refreshes its `node:<id>` key (TTL nodeTtlMs) every
// nodeTtlMs / 3, and every node sweeps every sweepIntervalMs: the connections
// of a node whose key has expired are removed in one script that returns the
// users who thereby left, so exactly one sweeper reports each of them through
// onExpired. Expiry time: a crashed node's key expires between 2/3 × nodeTtlMs
// and nodeTtlMs after its last heartbeat, and the next sweep reports it, so its
// users are reported gone at most nodeTtlMs + sweepIntervalMs after the crash
// (defaults 10 s + 5 s = 15 s; at least about 6.7 s).
//
// A node that was presumed dead (paused or cut off from Redis for longer than
// nodeTtlMs) notices on its next heartbeat and adds its live connections back;
// peers were told those users left and are not told they are back (logged).
import type { Member } from '@wirechat/protocol'
import { closeRedisClient, createRedisClient } from '../redis/client.ts'
import type { ServiceLogger } from '../service-logger.ts'
import type { ExpiredHandler, PresenceTracker } from './presence.ts'
import * as scripts from './presence-redis-scripts.ts'

export interface RedisPresenceOptions {
  /** redis://host:port/db */
  url: string
  /** This node's id, unique in the cluster and stable for its life (printable ASCII). */
  nodeId: string
  /** Prefix of every key. Default `wirechat:presence:`. */
  keyPrefix?: string
  /** How long a node counts as alive after its last heartbeat, ms. Default 10000. */
  nodeTtlMs?: number
  /** How often this node looks for dead nodes, ms. Default nodeTtlMs / 2. */
  sweepIntervalMs?: number
  /** Longest wait for Redis, ms. Default 2000. */
  commandTimeoutMs?: number
  logger?: ServiceLogger
}

/** The Redis tracker, with its close and a crash stand-in for fault drills. */
export interface RedisPresence extends PresenceTracker {
  onExpired(handler: ExpiredHandler): void
  /**
   * Graceful shutdown: stops the timers, removes this node's remaining
   * connections and reports each user who thereby left a room through
   * onExpired (before resolving), then deletes the node's key.
   */
  close(): Promise<void>
  /** Stops heartbeats and drops the connection without removing anything, as a crash would. */
  abandon(): Promise<void>
  /** True while connected to Redis; add and remove reject at once while it is false. */
  ready(): boolean
}

interface LocalConnection {
  room: string
  member: Member
  connectionId: string
}

type ScriptName = keyof typeof scripts
type ScriptCall = (...args: Array<string | number>) => Promise<unknown>

export function createRedisPresence(options: RedisPresenceOptions): RedisPresence {
  const { nodeId } = options
  if (!/^[\x21-\x7e]{1,128}$/.test(nodeId)) throw new Error(`Invalid presence node id ${JSON.stringify(nodeId)}: printable ASCII without spaces.`)
  const prefix = options.keyPrefix ?? 'wirechat:presence:'
  const nodeTtlMs = options.nodeTtlMs ?? 10_000
  const sweepIntervalMs = options.sweepIntervalMs ?? Math.round(nodeTtlMs / 2)
  const redis = createRedisClient({ url: options.url, name: `wirechat-presence-${nodeId}`, commandTimeoutMs: options.commandTimeoutMs ?? 2000, logger: options.logger })
  for (const [name, def] of Object.entries(scripts)) redis.defineCommand(`wirechat_${name}`, def)
  const run = (name: ScriptName, ...args: Array<string | number>): Promise<unknown> => (redis as unknown as Record<string, ScriptCall>)[`wirechat_${name}`]!(...args)

  const key = {
    node: (id: string) => `${prefix}node:${id}`,
    nodes: `${prefix}nodes`,
    conns: (id: string) => `${prefix}conns:${id}`,
    members: (room: string) => `${prefix}members:${room}`,
    user: (room: string, userId: string) => `${prefix}user:${room}\n${userId}`,
  }
  const tag = (connectionId: string) => `${nodeId}\n${connectionId}`
  const entry = (room: string, userId: string, connectionId: string) => JSON.stringify([room, userId, connectionId])
  const localKey = (room: string, userId: string, connectionId: string) => entry(room, userId, connectionId)

  /** This node's connections as Redis should have them, to restore them after a presumed death. */
  const local = new Map<string, LocalConnection>()
  /** Removals that failed (Redis unreachable); retried on each heartbeat. `silent`: the add itself had failed. */
  const pendingRemovals = new Map<string, LocalConnection & { silent: boolean }>()
  let onExpired: ExpiredHandler = () => {}
  let stopped = false

  const report = (flat: unknown): void => {
    const list = flat as string[]
    for (let i = 0; i + 2 < list.length; i += 3) onExpired(list[i]!, { userId: list[i + 1]!, name: list[i + 2]! })
  }

  async function addToRedis(c: LocalConnection): Promise<{ first: boolean; alive: boolean }> {
    const { room, member, connectionId } = c
    const [first, alive] = (await run(
      'add',
      key.members(room),
      key.user(room, member.userId),
      key.conns(nodeId),
      key.nodes,
      key.node(nodeId),
      member.userId,
      member.name,
      tag(connectionId),
      entry(room, member.userId, connectionId),
      nodeId,
      nodeTtlMs,
    )) as [number, number]
    return { first: first === 1, alive: alive === 1 }
  }

  async function removeFromRedis(room: string, userId: string, connectionId: string): Promise<boolean> {
    return (await run('remove', key.members(room), key.user(room, userId), key.conns(nodeId), userId, tag(connectionId), entry(room, userId, connectionId))) === 1
  }

  /** Puts this node's live connections back after other nodes swept them. */
  async function restore(): Promise<void> {
    let restored = 0
    for (const c of [...local.values()]) if ((await addToRedis(c)).first) restored++
    if (local.size > 0) options.logger?.warn({ nodeId, connections: local.size, restoredMembers: restored }, 'presence: this node was presumed dead; its connections were added back')
  }

  async function retryRemovals(): Promise<void> {
    for (const [k, c] of [...pendingRemovals]) {
      const last = await removeFromRedis(c.room, c.member.userId, c.connectionId)
      pendingRemovals.delete(k)
      if (last && !c.silent) onExpired(c.room, c.member)
    }
  }

  async function beat(): Promise<void> {
    const alive = await run('heartbeat', key.node(nodeId), nodeTtlMs)
    if (alive === 0) await restore()
    await retryRemovals()
  }

  async function sweepOthers(): Promise<void> {
    for (const id of await redis.smembers(key.nodes)) {
      if (id === nodeId || stopped) continue
      report(await run('sweep', key.node(id), key.conns(id), key.nodes, prefix, id, '0'))
    }
  }

  // Failures while Redis is unreachable are expected here; the client logs the outage once.
  const quietly = (work: () => Promise<void>) => () => {
    if (!stopped) work().catch(() => {})
  }
  const heartbeatTimer = setInterval(quietly(beat), Math.max(1, Math.round(nodeTtlMs / 3)))
  const sweepTimer = setInterval(quietly(sweepOthers), Math.max(1, sweepIntervalMs))
  heartbeatTimer.unref()
  sweepTimer.unref()
  redis.on('ready', quietly(beat))

  function stop(): void {
    stopped = true
    clearInterval(heartbeatTimer)
    clearInterval(sweepTimer)
  }

  return {
    async add(room, member, connectionId) {
      const c = { room, member: { userId: member.userId, name: member.name }, connectionId }
      const k = localKey(room, member.userId, connectionId)
      pendingRemovals.delete(k)
      try {
        const { first, alive } = await addToRedis(c)
        local.set(k, c)
        if (!alive && local.size > 1) await restore()
        return first
      } catch (err) {
        // It may have been applied before the reply was lost: take it out again, without a `left`.
        pendingRemovals.set(k, { ...c, silent: true })
        throw err
      }
    },

    async remove(room, userId, connectionId) {
      const k = localKey(room, userId, connectionId)
      const c = local.get(k)
      local.delete(k)
      try {
        return await removeFromRedis(room, userId, connectionId)
      } catch (err) {
        // Retried on the next heartbeat; if it was the last connection, onExpired reports the leave.
        if (c) pendingRemovals.set(k, { ...c, silent: false })
        throw err
      }
    },

    async list(room) {
      const members = await redis.hgetall(key.members(room))
      return Object.entries(members).map(([userId, name]) => ({ userId, name }))
    },

    async rename(room, userId, name) {
      for (const c of local.values()) if (c.room === room && c.member.userId === userId) c.member.name = name
      await run('rename', key.members(room), userId, name)
    },

    onExpired(handler) {
      onExpired = handler
    },

    async close() {
      if (stopped) return
      stop()
      try {
        await retryRemovals().catch(() => {})
        report(await run('sweep', key.node(nodeId), key.conns(nodeId), key.nodes, prefix, nodeId, '1'))
        await redis.del(key.node(nodeId))
      } catch (err) {
        // Redis unreachable: the other nodes sweep this one once its key expires.
        options.logger?.warn({ nodeId, err: (err as Error).message }, "presence: could not remove this node's connections at close")
      } finally {
        local.clear()
        await closeRedisClient(redis)
      }
    },

    ready: () => !stopped && redis.status === 'ready',

    async abandon() {
      stop()
      redis.disconnect()
    },
  }
}
