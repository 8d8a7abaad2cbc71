// The library against the real server: acknowledgements resolve with the
// server's copy, errors reject with their code, events follow the frames.
import t from 'tap'
import { isChatError } from '../../client/index.ts'
import { collect, connectAndLogin, createTestClient, nextEvent } from '../helpers/chat-client.ts'
import { startServer } from '../helpers/server.ts'

t.test('sendChat resolves with the stored message and the other member gets it as a chat event', async (t) => {
  const server = await startServer(t)
  const { client: ana } = await connectAndLogin(t, server, 'ana')
  const { client: bob } = await connectAndLogin(t, server, 'bob')
  const anaChats = collect(ana, 'chat')
  const received = nextEvent(bob, 'chat')
  const message = await ana.sendChat('lobby', 'hello bob')
  t.match(message, { room: 'lobby', seq: 1, name: 'ana', text: 'hello bob', clientMsgId: /^[0-9a-f-]{36}$/ })
  t.same((await received).message, message, 'the push is the acknowledged message')
  t.equal((await received).own, false)
  t.same(anaChats, [{ message, own: true }], 'the sender sees its own message once, from the ack')
  t.equal(ana.rooms.get('lobby')!.lastSeq, 1)
})

t.test('login, join, presence, history, leave and rename resolve with their replies and update state', async (t) => {
  const server = await startServer(t)
  const { client: ana } = await connectAndLogin(t, server, 'ana', [])
  t.equal(ana.rooms.size, 0, 'an empty rooms list joins none')
  t.match(ana.user, { name: 'ana', userId: /^u_/ })
  t.match(ana.session, /^[A-Za-z0-9_-]{16,}$/)

  const joined = nextEvent(ana, 'joined')
  const room = await ana.join('dev')
  t.equal(room.status, 'joined')
  t.match(await joined, { room: 'dev', outcome: { rejoined: false, resumed: false } })
  t.same(
    (await ana.presence('dev')).map((m) => m.name),
    ['ana'],
  )
  await ana.sendChat('dev', 'one')
  await ana.sendChat('dev', 'two')
  const page = await ana.history('dev', { limit: 1 })
  t.match(page, { type: 'history-ok', room: 'dev', hasMore: true, messages: [{ seq: 2, text: 'two' }] })

  const renamed = nextEvent(ana, 'name')
  t.equal(await ana.rename('ana2'), 'ana2')
  t.same(await renamed, { name: 'ana2' })
  t.equal(ana.user!.name, 'ana2')

  const left = nextEvent(ana, 'left')
  await ana.leave('dev')
  t.same(await left, { room: 'dev' })
  t.notOk(ana.rooms.has('dev'))
})

t.test('members, alarms and typing arrive as events and update the room', async (t) => {
  const server = await startServer(t)
  const { client: ana } = await connectAndLogin(t, server, 'ana')
  const joinedAlarm = nextEvent(ana, 'alarm', (a) => a.kind === 'joined')
  const { client: bob } = await connectAndLogin(t, server, 'bob')
  t.match(await joinedAlarm, { kind: 'joined', name: 'bob', room: 'lobby' })
  t.same(
    ana.rooms
      .get('lobby')!
      .members.map((m) => m.name)
      .sort(),
    ['ana', 'bob'],
  )

  const typing = nextEvent(ana, 'typing')
  await bob.typing('lobby', true)
  t.same(
    (await typing).typing.map((m) => m.name),
    ['bob'],
  )
  const stopped = nextEvent(ana, 'typing')
  await bob.sendChat('lobby', 'done typing')
  t.same((await stopped).typing, [], 'a message ends the typing indicator')

  const leftAlarm = nextEvent(ana, 'alarm', (a) => a.kind === 'left')
  await bob.leave('lobby')
  t.match(await leftAlarm, { kind: 'left', name: 'bob' })
  t.same(
    ana.rooms.get('lobby')!.members.map((m) => m.name),
    ['ana'],
  )
})

t.test("a direct message reaches the recipient and the sender's other tab", async (t) => {
  const server = await startServer(t)
  const { client: ana } = await connectAndLogin(t, server, 'ana')
  const { client: bob } = await connectAndLogin(t, server, 'bob')
  const anaTab2 = createTestClient(t, server).client
  await anaTab2.connect()
  await anaTab2.login({ session: ana.session! })
  t.equal(anaTab2.user!.userId, ana.user!.userId, 'the session key continues the same user')

  const atBob = nextEvent(bob, 'dm')
  const atTab2 = nextEvent(anaTab2, 'dm')
  const anaDms = collect(ana, 'dm')
  const message = await ana.sendDm(bob.user!.userId, 'psst')
  t.match(message, { from: ana.user!.userId, to: bob.user!.userId, text: 'psst' })
  t.same(await atBob, { message, own: false, partnerId: ana.user!.userId })
  t.same(await atTab2, { message, own: true, partnerId: bob.user!.userId })
  t.same(anaDms, [{ message, own: true, partnerId: bob.user!.userId }])
})

t.test('failed requests reject with a ChatError carrying the server code', async (t) => {
  const server = await startServer(t)
  const { client: ana } = await connectAndLogin(t, server, 'ana')
  await connectAndLogin(t, server, 'bob')
  await t.rejects(ana.sendChat('nowhere', 'hi'), { name: 'ChatError', code: 'not-in-room', retryable: false })
  await t.rejects(ana.sendDm('u_nobody', 'hi'), { code: 'user-not-found' })
  await t.rejects(ana.rename('bob'), { code: 'name-taken' })
  await t.rejects(ana.join('Not A Room!'), { code: 'bad-frame' })
  t.notOk(ana.rooms.has('Not A Room!'), 'a failed join leaves no room behind')
  await t.rejects(ana.login({ name: 'again' }), { code: 'already-logged-in' })
  t.equal(ana.state, 'open', 'errors leave the connection open')

  const fresh = createTestClient(t, server).client
  await fresh.connect()
  const err = await fresh.login({ session: 'x'.repeat(24) }).catch((e: unknown) => e)
  t.ok(isChatError(err, 'invalid-session'), 'an unknown session key is refused')
})

t.test('a request without reply in time rejects with timeout', async (t) => {
  const server = await startServer(t)
  const { client, clock } = createTestClient(t, server, { requestTimeoutMs: 5_000 })
  await client.connect()
  await client.login({ name: 'ana' })
  // The reply travels over real loopback; the clock jumps before it can arrive.
  const reply = client.presence('lobby')
  clock.advance(5_000)
  await t.rejects(reply, { code: 'timeout', retryable: true })
  t.equal(client.state, 'open')
  t.same(
    (await client.presence('lobby')).map((m) => m.name),
    ['ana'],
    'the late reply is ignored and the next request works',
  )
})

t.test('logout closes the client with reason logout; connect and login start a new session', async (t) => {
  const server = await startServer(t)
  const { client } = await connectAndLogin(t, server, 'ana')
  const first = client.user!.userId
  const left = nextEvent(client, 'left')
  const closed = nextEvent(client, 'state', (s) => s.to === 'closed')
  await client.logout()
  t.equal(client.state, 'closed', 'closed as soon as logout resolves')
  t.match(await closed, { from: 'open', reason: 'logout' })
  t.same(await left, { room: 'lobby' })
  t.equal(client.user, undefined)
  await client.connect()
  const again = await client.login({ name: 'ana' })
  t.not(again.userId, first, 'a new user: the old session was not presented')
  t.equal(client.rooms.get('lobby')?.status, 'joined')
})
