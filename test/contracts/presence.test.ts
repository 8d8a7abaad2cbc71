// The presence contract for every PresenceTracker. The memory tracker is
// single-process: its pair is the same instance twice and it has no node
// liveness, so the node cases are skipped for it (reason in the output).
// Redis runs every case with a short node TTL and a unique prefix per pair.
import t from 'tap'
import { createMemoryPresence } from '../../server/rooms/presence.ts'
import { createRedisPresence, type RedisPresence } from '../../server/rooms/presence-redis.ts'
import { presenceContract } from './presence-contract.ts'
import { deleteKeys, redisUrl, requireRedis, uniqueName, until } from './services.ts'

// Short enough to keep the expiry cases quick, long enough that a loaded
// machine (tap runs files in parallel) does not stall a live node past its TTL:
// a node that misses its heartbeats that long is presumed dead, by design.
const nodeTtlMs = 1500
const sweepIntervalMs = 300

t.test('memory presence', async (t) => {
  presenceContract(t, async () => {
    const presence = createMemoryPresence()
    return { a: presence, b: presence }
  })
})

t.test('redis presence', async (t) => {
  if (!(await requireRedis(t))) return
  const run = uniqueName('wirechat-test')
  t.teardown(async () => {
    await deleteKeys(run)
  })
  let pairs = 0
  presenceContract(t, async (t) => {
    const keyPrefix = `${run}:${++pairs}:`
    let nodes = 0
    const node = async (): Promise<RedisPresence> => {
      const presence = createRedisPresence({ url: redisUrl, nodeId: `n${++nodes}`, keyPrefix, nodeTtlMs, sweepIntervalMs })
      t.teardown(() => presence.close())
      await until(() => presence.ready(), 5000, 'presence connected')
      return presence
    }
    return {
      a: await node(),
      b: await node(),
      mortal: async () => {
        const presence = await node()
        return { presence, crash: () => presence.abandon() }
      },
      expiryMs: nodeTtlMs + sweepIntervalMs,
    }
  })

  t.test('closed nodes leave no keys behind', async (t) => {
    const keyPrefix = `${run}:clean:`
    const nodes = [1, 2].map((n) => createRedisPresence({ url: redisUrl, nodeId: `clean${n}`, keyPrefix, nodeTtlMs, sweepIntervalMs }))
    await until(() => nodes.every((n) => n.ready()), 5000, 'presence connected')
    await nodes[0]!.add('lobby', { userId: 'u-ana', name: 'ana' }, 'c1')
    await nodes[1]!.add('lobby', { userId: 'u-ana', name: 'ana' }, 'c2')
    await nodes[1]!.add('side', { userId: 'u-bob', name: 'bob' }, 'c3')
    await nodes[0]!.remove('lobby', 'u-ana', 'c1')
    for (const n of nodes) await n.close()
    t.equal(await deleteKeys(keyPrefix), 0)
  })
})
