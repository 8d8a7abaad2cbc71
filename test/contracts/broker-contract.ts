// The Broker contract (server/broker/broker.ts), run for every implementation
// by broker.test.ts. Two brokers are two nodes of one cluster. "Nothing
// arrived" is checked with a marker published after the fact on a channel the
// node does listen to: one publisher's deliveries reach a node in publish
// order, so once the marker is in, anything else would have been too.
import type { Test } from 'tap'
import type { Broker, Delivery } from '../../server/broker/broker.ts'
import { until } from './services.ts'

export interface BrokerPair {
  /** Two nodes, both ready; a single-process broker gives the same instance twice. */
  a: Broker
  b: Broker
  /** A broker of the same kind whose server cannot be reached (networked brokers only). */
  unreachable?: () => Broker
  /** Cuts b's connection to the server as a network fault would (networked brokers only). */
  cut?: () => Promise<void>
}

/** Makes a pair of ready brokers of one cluster, closed by the factory in `t`'s teardown. */
export type MakeBrokerPair = (t: Test) => Promise<BrokerPair>

const WAIT_MS = 5000

/** Every delivery a node received, per channel, in arrival order. */
class Inbox {
  readonly received: Array<{ channel: string; delivery: Delivery }> = []
  constructor(broker: Broker) {
    broker.onDelivery((channel, delivery) => {
      this.received.push({ channel, delivery })
    })
  }
  on(channel: string): Delivery[] {
    return this.received.filter((r) => r.channel === channel).map((r) => r.delivery)
  }
  async waitFor(channel: string, count: number): Promise<Delivery[]> {
    await until(() => this.on(channel).length >= count, WAIT_MS, `${count} deliveries on ${channel}`)
    return this.on(channel)
  }
}

export function brokerContract(t: Test, makeBrokerPair: MakeBrokerPair): void {
  t.test('a delivery reaches every subscribed node once, the publisher included', async (t) => {
    const { a, b } = await makeBrokerPair(t)
    const [inA, inB] = a === b ? [new Inbox(a), undefined] : [new Inbox(a), new Inbox(b)]
    await a.subscribe('lobby')
    await b.subscribe('lobby')
    await a.publish('lobby', { data: 'one', seq: 1 })
    await a.publish('lobby', { data: 'marker' })
    for (const inbox of [inA, inB]) {
      if (!inbox) continue
      t.same(
        (await inbox.waitFor('lobby', 2)).map((d) => d.data),
        ['one', 'marker'],
      )
    }
  })

  t.test('a node that never subscribed gets nothing', async (t) => {
    const { a, b } = await makeBrokerPair(t)
    if (a === b) return t.plan(0, 'a single-process broker is one node')
    const inA = new Inbox(a)
    const inB = new Inbox(b)
    await a.subscribe('lobby')
    await b.subscribe('marker')
    await a.publish('lobby', { data: 'for a only' })
    await a.publish('marker', { data: 'done' })
    await inB.waitFor('marker', 1)
    await inA.waitFor('lobby', 1)
    t.same(inB.on('lobby'), [], 'b is not subscribed to lobby')
    t.same(inA.on('marker'), [], 'a is not subscribed to marker')
  })

  t.test('an unsubscribed channel delivers nothing more', async (t) => {
    const { a, b } = await makeBrokerPair(t)
    const inB = new Inbox(b)
    await b.subscribe('lobby')
    await b.subscribe('marker')
    await a.publish('lobby', { data: 'before' })
    await inB.waitFor('lobby', 1)
    await b.unsubscribe('lobby')
    await a.publish('lobby', { data: 'after' })
    await a.publish('marker', { data: 'done' })
    await inB.waitFor('marker', 1)
    t.same(
      inB.on('lobby').map((d) => d.data),
      ['before'],
    )
    await b.unsubscribe('never-subscribed')
    t.pass('unsubscribing an unknown channel is harmless')
  })

  t.test('1,000 deliveries of one publisher arrive in publish order on every node', async (t) => {
    const { a, b } = await makeBrokerPair(t)
    const inA = new Inbox(a)
    const inB = a === b ? inA : new Inbox(b)
    await a.subscribe('lobby')
    await b.subscribe('lobby')
    await b.subscribe('other')
    // Not awaited one by one: the order of the publish calls is what counts.
    await Promise.all(Array.from({ length: 1000 }, (_, i) => a.publish(i % 10 === 9 ? 'other' : 'lobby', { data: `m${i + 1}`, seq: i + 1 })))
    const expected = Array.from({ length: 1000 }, (_, i) => i + 1)
    const lobby = expected.filter((n) => n % 10 !== 0)
    t.same(
      (await inB.waitFor('lobby', 900)).map((d) => d.seq),
      lobby,
      'b: in order, none lost or doubled',
    )
    t.same(
      (await inB.waitFor('other', 100)).map((d) => d.seq),
      expected.filter((n) => n % 10 === 0),
      'b: other channel in order too',
    )
    t.same(
      (await inA.waitFor('lobby', 900)).map((d) => d.seq),
      lobby,
      'a: in order',
    )
    t.same(
      inB.on('lobby').map((d) => d.data),
      lobby.map((n) => `m${n}`),
    )
  })

  t.test('data, seq and origin arrive exactly as published', async (t) => {
    const { a, b } = await makeBrokerPair(t)
    const inB = new Inbox(b)
    await b.subscribe('lobby')
    await b.subscribe('ünï 房间')
    const deliveries: Delivery[] = [
      { data: '{"type":"chat","text":"line one\\nline two"}', seq: 1, origin: 'conn-1' },
      { data: 'raw\nnew\r\nlines\n\n', seq: 2 },
      { data: '\n\nleading newlines', origin: 'conn-2' },
      { data: 'emoji 👋🏽, CJK 房间, combining é, RTL مرحبا, NUL \u0000 end' },
      { data: '' },
      { data: 'x'.repeat(64 * 1024) + '🙂', seq: 9_007_199_254_740_991 },
      { data: 'origin with unicode', origin: 'cönn-ß' },
    ]
    for (const d of deliveries) await a.publish('lobby', d)
    await a.publish('ünï 房间', { data: 'channel names are unicode too' })
    const got = await inB.waitFor('lobby', deliveries.length)
    t.same(got, deliveries)
    for (const [i, d] of got.entries()) t.ok(d.data === deliveries[i]!.data, `data ${i} is byte-exact`)
    t.same((await inB.waitFor('ünï 房间', 1))[0], { data: 'channel names are unicode too' })
  })

  t.test('subscribing twice still delivers once', async (t) => {
    const { a, b } = await makeBrokerPair(t)
    const inB = new Inbox(b)
    await b.subscribe('lobby')
    await b.subscribe('lobby')
    await a.publish('lobby', { data: 'one' })
    await a.publish('lobby', { data: 'marker' })
    t.same(
      (await inB.waitFor('lobby', 2)).map((d) => d.data),
      ['one', 'marker'],
    )
  })

  t.test('publish rejects promptly while the server is unreachable', async (t) => {
    const { unreachable } = await makeBrokerPair(t)
    if (!unreachable) return t.plan(0, 'this broker has no server to lose')
    const broker = unreachable()
    t.teardown(() => broker.close())
    t.equal(broker.ready(), false, 'not ready')
    const started = Date.now()
    await t.rejects(broker.publish('lobby', { data: 'lost' }))
    t.ok(Date.now() - started < 1000, `rejected in ${Date.now() - started} ms, not queued`)
    await t.rejects(broker.subscribe('lobby'), 'subscribe rejects too')
  })

  t.test('after a lost connection a node resubscribes, turns ready and runs onReconnect', async (t) => {
    const { a, b, cut } = await makeBrokerPair(t)
    if (!cut) return t.plan(0, 'this broker has no connection to lose')
    const inB = new Inbox(b)
    let reconnects = 0
    b.onReconnect?.(() => {
      reconnects++
    })
    await b.subscribe('lobby')
    await b.subscribe('side')
    await b.subscribe('gone')
    await a.publish('lobby', { data: 'before' })
    await inB.waitFor('lobby', 1)
    await cut()
    // Whether b has noticed the cut yet or not, a channel left now must not come back.
    await b.unsubscribe('gone')
    await until(() => reconnects > 0, WAIT_MS, 'onReconnect after the cut')
    t.equal(b.ready(), true, 'ready when onReconnect runs')
    await a.publish('gone', { data: 'not for b' })
    await a.publish('side', { data: 'side after' })
    await a.publish('lobby', { data: 'after' })
    t.same(
      (await inB.waitFor('lobby', 2)).map((d) => d.data),
      ['before', 'after'],
      'lobby resubscribed',
    )
    t.equal(reconnects, 1, 'onReconnect ran once')
    t.same(
      inB.on('side').map((d) => d.data),
      ['side after'],
      'every channel resubscribed',
    )
    t.same(inB.on('gone'), [], 'a channel left while down stays left')
  })
}
