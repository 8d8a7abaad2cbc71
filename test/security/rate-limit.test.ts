// Token buckets: the general one per connection, the join and typing ones on
// top, `rate-limited` with retryAfterMs, and close 4008 for a peer that keeps
// going, while everyone else chats undisturbed.
import t from 'tap'
import type { ServerFrame, ServerFrameOf } from '../../protocol/index.ts'
import { RawClient } from '../helpers/raw-client.ts'
import { startServer } from '../helpers/server.ts'

const errors = (client: RawClient) => client.received.filter((f): f is ServerFrameOf<'error'> => f.type === 'error')

t.test('the welcome announces every bucket, with the defaults', async (t) => {
  const server = await startServer(t)
  const client = await RawClient.connect(t, server.url)
  const { config } = server
  t.match(client.welcome.limits, {
    messagesPerSecond: config.messagesPerSecond,
    messageBurst: config.messageBurst,
    joinsPerSecond: config.joinsPerSecond,
    joinBurst: config.joinBurst,
    typingPerSecond: config.typingPerSecond,
    typingBurst: config.typingBurst,
    maxFragments: config.maxFragments,
    maxFrameBytes: config.maxFrameBytes,
    maxRooms: config.maxRooms,
  })
  t.ok(config.joinBurst < config.messageBurst && config.typingBurst < config.messageBurst, 'join and typing buckets are tighter than the general one by default')
})

t.test('a flood of thousands of frames gets rate-limited errors, then close 4008; a bystander keeps chatting', async (t) => {
  const server = await startServer(t, { store: 'memory' })
  const { client: flooder } = await RawClient.login(t, server.url, { name: 'flooder' })
  const {
    client: bob,
    login: { userId: bobId },
  } = await RawClient.login(t, server.url, { name: 'bob' })
  const { client: carol } = await RawClient.login(t, server.url, { name: 'carol' })

  const sent: string[] = []
  for (let round = 0; round < 10; round++) {
    // 500 frames in one tick per round: thousands per second.
    for (let i = 0; i < 500; i++) flooder.send({ type: 'chat', id: `f${round}-${i}`, room: 'lobby', text: `spam ${i}` })
    const text = `bob ${round}`
    const ack = await bob.request({ type: 'chat', room: 'lobby', text })
    t.equal(ack.type, 'chat-ok', `bystander message ${round} accepted`)
    sent.push(text)
  }
  const closed = await flooder.closed()
  t.equal(closed.code, 4008)
  t.equal(closed.reason, 'abuse')

  const limited = errors(flooder)
  t.ok(limited.length > 0, 'the flooder was told before being cut off')
  t.ok(
    limited.every((e) => e.code === 'rate-limited' && e.retryable === true && (e.retryAfterMs ?? 0) > 0 && typeof e.id === 'string'),
    'each refusal is rate-limited, retryable, with retryAfterMs and the request id',
  )
  t.equal(limited.length, server.config.abuseStrikes - 1, 'the refusal that reaches abuseStrikes closes instead of answering')
  const accepted = flooder.received.filter((f) => f.type === 'chat-ok').length
  t.ok(accepted <= server.config.messageBurst + 2, `at most the burst got through (${accepted})`)

  const fromBob: string[] = []
  while (fromBob.length < sent.length) {
    const push = await carol.take((f) => f.type === 'chat' && f.message.userId === bobId)
    if (push.type === 'chat') fromBob.push(push.message.text)
  }
  t.same(fromBob, sent, 'carol got every bystander message, in order')
  t.same(errors(bob), [], 'the bystander was never limited')
  t.same(errors(carol), [])
})

t.test('garbage spends tokens and strikes too', async (t) => {
  const server = await startServer(t, { abuseStrikes: 5 })
  const client = await RawClient.connect(t, server.url)
  for (let i = 0; i < 5; i++) client.send('not json')
  t.equal((await client.closed()).code, 4008)
  t.same(
    errors(client).map((e) => e.code),
    ['bad-json', 'bad-json', 'bad-json', 'bad-json'],
    'the fifth strike closes without a reply',
  )
})

// PROTOCOL.md §13: ABUSE_STRIKES strikes close with 4008 and the frame that
// reaches the limit gets no reply, so exactly N - 1 refusals are answered.
for (const [label, strike, code] of [
  ['bad-json', 'not json', 'bad-json'],
  ['unknown-type', JSON.stringify({ type: 'shout' }), 'unknown-type'],
  ['bad-frame', JSON.stringify({ type: 'chat', room: 'lobby' }), 'bad-frame'],
] as const) {
  t.test(`with ABUSE_STRIKES=4, three ${label} refusals are answered and the fourth closes with 4008 and no reply`, async (t) => {
    const server = await startServer(t, { abuseStrikes: 4 })
    const { client } = await RawClient.login(t, server.url)
    for (let i = 1; i <= 3; i++) {
      client.send(strike)
      t.match(await client.next('error'), { code }, `strike ${i} answered`)
    }
    t.equal((await client.request({ type: 'ping' })).type, 'pong', 'the connection still works at N - 1 strikes')
    client.send(strike)
    t.same(await client.closed(), { code: 4008, reason: 'abuse' })
    t.same(client.pending(), [], 'the fourth strike got no reply')
  })
}

t.test('rate-limited refusals are strikes: N - 1 answered, the Nth closes with 4008 and no reply', async (t) => {
  const server = await startServer(t, { abuseStrikes: 3, messageBurst: 2, messagesPerSecond: 0.01 })
  const client = await RawClient.connect(t, server.url)
  t.equal((await client.request({ type: 'ping' })).type, 'pong', 'one token left after this')
  t.equal((await client.request({ type: 'ping' })).type, 'pong', 'bucket now empty')
  for (let i = 1; i <= 2; i++) t.match(await client.request({ type: 'ping' }), { type: 'error', code: 'rate-limited' }, `strike ${i} answered`)
  client.send({ type: 'ping', id: 'third' })
  t.same(await client.closed(), { code: 4008, reason: 'abuse' })
  t.same(client.pending(), [], 'the third strike got no reply')
})

t.test('joins have their own bucket on top of the general one', async (t) => {
  const server = await startServer(t, { joinBurst: 3, joinsPerSecond: 0.01 })
  const { client } = await RawClient.login(t, server.url, { rooms: [] })
  const replies: ServerFrame[] = []
  for (const room of ['a', 'b', 'c', 'd']) replies.push(await client.request({ type: 'join-room', room }))
  t.same(
    replies.map((r) => r.type),
    ['join-room-ok', 'join-room-ok', 'join-room-ok', 'error'],
  )
  t.match(replies[3], { code: 'rate-limited', retryable: true })
  t.ok(((replies[3] as ServerFrameOf<'error'>).retryAfterMs ?? 0) > 1000, 'retryAfterMs follows the join rate, not the general one')
  t.equal((await client.request({ type: 'chat', room: 'a', text: 'other requests still pass' })).type, 'chat-ok')
  t.equal((await client.request({ type: 'leave-room', room: 'a' })).type, 'leave-room-ok')
})

t.test('typing has its own bucket on top of the general one', async (t) => {
  const server = await startServer(t, { typingBurst: 2, typingPerSecond: 0.01 })
  const { client } = await RawClient.login(t, server.url)
  const replies: ServerFrame[] = []
  for (const typing of [true, false, true]) replies.push(await client.request({ type: 'typing', room: 'lobby', typing }))
  t.same(
    replies.map((r) => r.type),
    ['typing-ok', 'typing-ok', 'error'],
  )
  t.match(replies[2], { code: 'rate-limited' })
  t.equal((await client.request({ type: 'chat', room: 'lobby', text: 'chat is not typing' })).type, 'chat-ok')
})
