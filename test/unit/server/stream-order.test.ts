import t from 'tap'
import type { Delivery } from '../../../server/broker/broker.ts'
import { StreamOrder } from '../../../server/stream-order.ts'

function setup(stored: number[], head: number, gapTimeoutMs = 60_000) {
  const delivered: Array<number | string> = []
  let onDeliver = () => {}
  const order = new StreamOrder({
    source: {
      head: async () => head,
      fetch: async (_c, after, limit) =>
        stored
          .filter((s) => s > after)
          .slice(0, limit)
          .map((seq) => ({ data: `stored ${seq}`, seq })),
    },
    deliver: (_c, d: Delivery) => {
      delivered.push(d.seq ?? d.data)
      onDeliver()
    },
    gapTimeoutMs,
    onError: (err) => {
      throw err
    },
  })
  // Bounded wait (the gap timer is unref'd, so this also keeps the test alive).
  const next = (count: number) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${delivered.length} of ${count} delivered`)), 5000)
      onDeliver = () => {
        if (delivered.length >= count) {
          clearTimeout(timer)
          resolve()
        }
      }
    })
  return { order, delivered, next }
}

const d = (seq?: number, data = `live ${seq}`): Delivery => ({ data, seq })

t.test('in-order deliveries pass straight through; unsequenced ones are never held', async (t) => {
  const { order, delivered } = setup([], 4)
  order.track('lobby')
  await order.start('lobby')
  order.accept('lobby', d(5))
  order.accept('lobby', d(undefined, 'alarm'))
  order.accept('lobby', d(6))
  t.same(delivered, [5, 'alarm', 6])
})

t.test('an early delivery waits for the missing one; duplicates are dropped', async (t) => {
  const { order, delivered } = setup([], 0)
  order.track('lobby')
  await order.start('lobby')
  order.accept('lobby', d(2))
  order.accept('lobby', d(3))
  t.same(delivered, [], 'held until 1 arrives')
  order.accept('lobby', d(1))
  order.accept('lobby', d(2))
  t.same(delivered, [1, 2, 3])
  order.close('lobby')
})

t.test('deliveries racing the subscription are held, and dropped when the head covers them', async (t) => {
  const { order, delivered } = setup([], 7)
  order.track('lobby')
  order.accept('lobby', d(7))
  order.accept('lobby', d(8))
  await order.start('lobby')
  t.same(delivered, [8], 'seq 7 is older than the head read after subscribing')
})

t.test('a gap that outlives its timeout is filled from the store', async (t) => {
  const { order, delivered, next } = setup([1, 2, 3, 4], 0, 5)
  order.track('lobby')
  await order.start('lobby')
  const done = next(4)
  order.accept('lobby', d(1))
  order.accept('lobby', d(4)) // 2 and 3 were lost by the broker
  await done
  t.same(delivered, [1, 2, 3, 4], 'the missing messages came from the store, in order, once')
  order.close('lobby')
})

t.test('catchUp after a broker outage fetches what was published while disconnected', async (t) => {
  const { order, delivered, next } = setup([1, 2, 3], 1)
  order.track('lobby')
  await order.start('lobby')
  const done = next(2)
  order.catchUp()
  await done
  t.same(delivered, [2, 3])
})
