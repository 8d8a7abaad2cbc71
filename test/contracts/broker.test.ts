// The broker contract for every Broker. The memory broker is single-process:
// its "pair" is the same instance twice, so the cases that need two distinct
// nodes, a server to lose or a connection to cut are skipped for it (with the
// reason in the output). Redis runs every case, with a unique prefix per run.
import t from 'tap'
import type { Broker } from '../../server/broker/broker.ts'
import { createMemoryBroker } from '../../server/broker/memory.ts'
import { createRedisBroker } from '../../server/broker/redis.ts'
import { brokerContract } from './broker-contract.ts'
import { closedPort, deleteKeys, killRedisConnection, redisUrl, requireRedis, uniqueName, until } from './services.ts'

t.test('memory broker', async (t) => {
  brokerContract(t, async (t) => {
    const broker = createMemoryBroker()
    t.teardown(() => broker.close())
    return { a: broker, b: broker }
  })
})

t.test('redis broker', async (t) => {
  if (!(await requireRedis(t))) return
  const run = uniqueName('wirechat-test')
  t.teardown(() => deleteKeys(run))
  let pairs = 0
  brokerContract(t, async (t) => {
    const keyPrefix = `${run}:${++pairs}:`
    const names = { a: `${run}-${pairs}-a`, b: `${run}-${pairs}-b` }
    const make = (name: string, url = redisUrl): Broker => {
      const broker = createRedisBroker({ url, keyPrefix, name, commandTimeoutMs: 1000 })
      t.teardown(() => broker.close())
      return broker
    }
    const a = make(names.a)
    const b = make(names.b)
    await until(() => a.ready() && b.ready(), 5000, 'both brokers ready')
    const port = await closedPort()
    return {
      a,
      b,
      unreachable: () => make(`${run}-unreachable`, `redis://127.0.0.1:${port}`),
      cut: async () => {
        t.equal(await killRedisConnection(`${names.b}-sub`), 1, 'cut one connection')
      },
    }
  })
})
