// Redis stops and comes back mid-stream: nodes keep running and say so in
// /readyz, sends during the outage get a retryable error (never a false ack),
// and afterwards every acknowledged message reaches every member once, in order.
import t from 'tap'
import type { ServerFrame, ServerFrameOf } from '../../protocol/index.ts'
import { RawClient } from '../helpers/raw-client.ts'
import { startPrivateRedis } from '../helpers/redis-server.ts'
import { startCluster } from './cluster.ts'

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

const readyStatus = async (httpUrl: string) => (await fetch(`${httpUrl}/readyz`)).status

t.test('a Redis restart loses no acknowledged message and delivery resumes', async (t) => {
  const redis = await startPrivateRedis(t)
  const { nodes } = await startCluster(t, 2, { redisUrl: redis.url })
  const [a, b] = nodes as [(typeof nodes)[0], (typeof nodes)[0]]
  const { client: writer } = await RawClient.login(t, a.url, { name: 'writer' })
  const { client: reader } = await RawClient.login(t, b.url, { name: 'reader' })

  const acked = new Map<string, number>() // clientMsgId → seq
  const refused: string[] = []
  const send = async (id: string) => {
    const reply = await writer.request({ type: 'chat', room: 'lobby', text: `m ${id}`, clientMsgId: id }, 20_000)
    if (reply.type === 'chat-ok') acked.set(id, reply.message.seq)
    else if (reply.type === 'error') {
      t.equal(reply.retryable, true, `${id}: refused as retryable (${reply.code})`)
      t.equal(reply.code, 'unavailable')
      refused.push(id)
    }
  }

  for (let i = 0; i < 10; i++) await send(`before-${String(i).padStart(3, '0')}`)
  // Mid-stream: 40 pipelined sends, Redis killed while they are in flight.
  const inFlight = Array.from({ length: 40 }, (_, i) => send(`stream-${String(i).padStart(3, '0')}`))
  await until('a few acks of the stream', async () => acked.size >= 15)
  await redis.stop()
  await Promise.all(inFlight)
  await until('node A to report not ready', async () => (await readyStatus(a.httpUrl)) === 503)
  for (let i = 0; i < 10; i++) await send(`during-${String(i).padStart(3, '0')}`)
  t.ok(refused.length > 0, `sends during the outage are refused (${refused.length} of 10)`)
  t.equal(await writer.request({ type: 'ping' }).then((f) => f.type), 'pong', 'the node keeps serving its sockets')

  await redis.start()
  await until('both nodes ready again', async () => (await readyStatus(a.httpUrl)) === 200 && (await readyStatus(b.httpUrl)) === 200)
  // The client retries what was refused, with the same ids.
  for (const id of [...refused]) await send(id)
  for (let i = 0; i < 10; i++) await send(`after-${String(i).padStart(3, '0')}`)
  t.equal(acked.size, 70, 'every message is eventually acknowledged')

  const expected = [...acked.values()].sort((x, y) => x - y)
  const seqs: number[] = []
  while (seqs.length < expected.length) {
    const f = (await reader.take((f: ServerFrame) => f.type === 'chat', 'chat', 15_000)) as ServerFrameOf<'chat'>
    seqs.push(f.message.seq)
  }
  t.same(seqs, expected, 'the reader on the other node got every acknowledged message once, in seq order')
  t.same(
    seqs,
    Array.from({ length: seqs.length }, (_, i) => i + 1),
    'and the room has no gap',
  )
  // A marker behind everything: node B delivers the room in seq order, so a second copy of an
  // earlier message would have come before it.
  await writer.request({ type: 'chat', room: 'lobby', text: 'marker' }, 20_000)
  await reader.take((f: ServerFrame) => f.type === 'chat' && f.message.text === 'marker', 'the marker', 15_000)
  t.same(
    reader.pending().filter((f) => f.type === 'chat'),
    [],
    'nothing twice',
  )
})
