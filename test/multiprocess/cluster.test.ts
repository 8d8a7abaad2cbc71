// Several server processes on Redis + PostgreSQL act as one chat.
import t from 'tap'
import type { ChatMessage, ServerFrame, ServerFrameOf } from '../../protocol/index.ts'
import { RawClient } from '../helpers/raw-client.ts'
import { startCluster } from './cluster.ts'

const isChat = (f: ServerFrame) => f.type === 'chat'
const chatOrAck = (f: ServerFrame) => f.type === 'chat' || f.type === 'chat-ok'

async function collect(client: RawClient, count: number, match: (f: ServerFrame) => boolean): Promise<ChatMessage[]> {
  const seen: ChatMessage[] = []
  while (seen.length < count) {
    const f = await client.take(match, 'chat', 15_000)
    if (f.type === 'chat' || f.type === 'chat-ok') seen.push(f.message)
  }
  return seen
}

t.test('cross-node fan-out: every member on every node gets each message once, in one identical gapless order', async (t) => {
  const { nodes } = await startCluster(t, 3)
  const readers = await Promise.all(nodes.flatMap((node, n) => [0, 1].map((i) => RawClient.login(t, node.url, { name: `reader-${n}-${i}` }))))
  const senders = await Promise.all(nodes.map((node, n) => RawClient.login(t, node.url, { name: `sender-${n}` })))
  const PER_SENDER = 30
  const TOTAL = PER_SENDER * senders.length
  senders.forEach(({ client }, s) => {
    for (let i = 0; i < PER_SENDER; i++) client.send({ type: 'chat', room: 'lobby', text: `s${s} #${i}`, clientMsgId: `sender${s}-msg${i}` })
  })
  const views = await Promise.all(readers.map(({ client }) => collect(client, TOTAL, isChat)))
  const senderViews = await Promise.all(senders.map(({ client }) => collect(client, TOTAL, chatOrAck)))
  const order = views[0]!.map((m) => m.msgId)
  t.same(
    views[0]!.map((m) => m.seq),
    Array.from({ length: TOTAL }, (_, i) => i + 1),
    'seqs 1..N assigned cluster-wide, no gap',
  )
  for (const [i, view] of views.entries())
    t.same(
      view.map((m) => m.msgId),
      order,
      `reader ${i} (node ${Math.floor(i / 2)}) sees the same order`,
    )
  for (const [i, view] of senderViews.entries())
    t.same(
      view.map((m) => m.msgId),
      order,
      `sender ${i} sees acks and pushes in that order`,
    )
  // A marker behind everything: each node delivers the room in seq order, so once a client has
  // the marker, any second copy of an earlier message would have come before it.
  // (The marker's sender has it as its ack, which also comes in stream order.)
  const [marking, ...others] = senders
  await marking!.client.request({ type: 'chat', room: 'lobby', text: 'marker' })
  for (const { client } of [...readers, ...others]) await client.take((f) => f.type === 'chat' && f.message.text === 'marker', 'the marker', 15_000)
  for (const { client } of [...readers, ...senders]) {
    t.same(client.pending().filter(chatOrAck), [], 'nothing delivered twice')
  }
})

t.test('resume across nodes: drop from node A, reconnect to node B, get exactly what was missed', async (t) => {
  const { nodes } = await startCluster(t, 3)
  const [a, b, c] = nodes as [(typeof nodes)[0], (typeof nodes)[0], (typeof nodes)[0]]
  const { client: reader, login } = await RawClient.login(t, a.url, { name: 'reader' })
  const { client: sender } = await RawClient.login(t, c.url, { name: 'sender' })
  await sender.request({ type: 'chat', room: 'lobby', text: 'seen' })
  const seen = (await reader.take(isChat)) as ServerFrameOf<'chat'>
  reader.terminate()
  const missed: number[] = []
  for (let i = 0; i < 20; i++) missed.push(((await sender.request({ type: 'chat', room: 'lobby', text: `missed ${i}` })) as ServerFrameOf<'chat-ok'>).message.seq)
  const back = await RawClient.connect(t, b.url)
  const reply = await back.request({ type: 'login', session: login.session, rooms: [{ room: 'lobby', since: { epoch: login.rooms[0]!.epoch, seq: seen.message.seq } }] })
  t.match(reply, { type: 'login-ok', userId: login.userId, rooms: [{ resume: { resumed: true, missed: 20 } }] }, 'the session and the position are valid on another node')
  const replayed = (await collect(back, 20, isChat)).map((m) => m.seq)
  t.same(replayed, missed, 'exactly the missed messages, in order')
  const live = (await sender.request({ type: 'chat', room: 'lobby', text: 'live' })) as ServerFrameOf<'chat-ok'>
  t.equal(((await back.take(isChat)) as ServerFrameOf<'chat'>).message.seq, live.message.seq, 'then live on the new node')
  t.ok(await back.quiet(100))
})

t.test("presence is cluster-wide: one joined/left per user across nodes; a killed node's users expire and leave", async (t) => {
  const { nodes } = await startCluster(t, 3)
  const [a, b, c] = nodes as [(typeof nodes)[0], (typeof nodes)[0], (typeof nodes)[0]]
  const { client: ana } = await RawClient.login(t, a.url, { name: 'ana' })
  const { client: bob1, login: bob } = await RawClient.login(t, b.url, { name: 'bob' })
  t.match(await ana.take((f) => f.type === 'alarm'), { kind: 'joined', name: 'bob' })
  // bob's second tab on another node: no second joined alarm.
  const { client: bob2 } = await RawClient.login(t, c.url, { session: bob.session })
  const { client: carl } = await RawClient.login(t, c.url, { name: 'carl' })
  t.match(await ana.take((f) => f.type === 'alarm'), { kind: 'joined', name: 'carl' }, "the next alarm is carl's: bob joined once")
  const members = (await ana.request({ type: 'presence', room: 'lobby' })) as ServerFrameOf<'presence-ok'>
  t.same(members.members.map((m) => m.name).sort(), ['ana', 'bob', 'carl'])

  bob1.close()
  await bob1.closed()
  t.ok(await ana.quiet(300), 'bob still has a tab on node C: no left alarm')

  // Node C dies without a goodbye: carl (only on C) and bob's last tab expire.
  c.process.kill('SIGKILL')
  await c.exited
  const lefts = [await ana.take((f) => f.type === 'alarm', 'left alarm', 15_000), await ana.take((f) => f.type === 'alarm', 'left alarm', 15_000)]
  t.same(
    lefts.map((f) => (f as ServerFrameOf<'alarm'>).kind),
    ['left', 'left'],
  )
  t.same(lefts.map((f) => (f as ServerFrameOf<'alarm'>).name).sort(), ['bob', 'carl'], 'each user left once, cluster-wide')
  const after = (await ana.request({ type: 'presence', room: 'lobby' })) as ServerFrameOf<'presence-ok'>
  t.same(
    after.members.map((m) => m.name),
    ['ana'],
  )
  void bob2
  void carl

  // The surviving nodes are unaffected.
  const { client: dan } = await RawClient.login(t, b.url, { name: 'dan' })
  await dan.request({ type: 'chat', room: 'lobby', text: 'still here' })
  t.match(await ana.take(isChat), { type: 'chat', message: { name: 'dan', text: 'still here' } })
})
