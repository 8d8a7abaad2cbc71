import t from 'tap'
import type { ServerFrameOf } from '../../protocol/index.ts'
import { RawClient } from '../helpers/raw-client.ts'
import { startServer } from '../helpers/server.ts'

t.test("DMs are stored in each participant's inbox and replayed to a returning user", async (t) => {
  const server = await startServer(t, { messagesPerSecond: 1000, messageBurst: 1000 })
  const { client: ana, login: anaLogin } = await RawClient.login(t, server.url, { name: 'ana', rooms: [] })
  const { client: bob, login: bobLogin } = await RawClient.login(t, server.url, { name: 'bob', rooms: [] })
  t.same(bobLogin.inbox, { epoch: bobLogin.inbox.epoch, seq: 0 }, 'an empty inbox')

  const first = await ana.request({ type: 'dm', to: bobLogin.userId, text: 'hi bob', clientMsgId: 'dm-000001' })
  t.match(first, { type: 'dm-ok', message: { from: anaLogin.userId, to: bobLogin.userId, seq: 1, text: 'hi bob' } })
  const got = await bob.next('dm')
  t.match(got.message, { from: anaLogin.userId, fromName: 'ana', seq: 1, text: 'hi bob' }, "live delivery in bob's inbox order")

  bob.terminate()
  const missed = []
  for (let i = 0; i < 5; i++) missed.push(await ana.request({ type: 'dm', to: bobLogin.userId, text: `while away ${i}` }))
  t.same(
    missed.map((r) => (r as ServerFrameOf<'dm-ok'>).message.seq),
    [2, 3, 4, 5, 6],
    "the sender's inbox counts its sent DMs",
  )

  const back = await RawClient.connect(t, server.url)
  const login = await back.request({ type: 'login', session: bobLogin.session, rooms: [], inbox: { epoch: bobLogin.inbox.epoch, seq: 1 } })
  t.match(login, { type: 'login-ok', userId: bobLogin.userId, inbox: { seq: 6, resume: { resumed: true, missed: 5 } } })
  const replayed = []
  for (let i = 0; i < 5; i++) replayed.push((await back.next('dm')).message)
  t.same(
    replayed.map((m) => m.text),
    [0, 1, 2, 3, 4].map((i) => `while away ${i}`),
  )
  t.same(
    replayed.map((m) => m.seq),
    [2, 3, 4, 5, 6],
  )

  const again = await ana.request({ type: 'dm', to: bobLogin.userId, text: 'hi bob', clientMsgId: 'dm-000001' })
  t.match(again, { type: 'dm-ok', duplicate: true, message: { seq: 1 } }, 'a re-send is deduplicated')
  t.same(await back.framesBeforePong(), [], 'and not delivered again')
})

t.test("a DM reaches every connection of the recipient and the sender's other tabs", async (t) => {
  const server = await startServer(t)
  const { client: ana1, login: ana } = await RawClient.login(t, server.url, { name: 'ana', rooms: [] })
  const { client: ana2 } = await RawClient.login(t, server.url, { session: ana.session, rooms: [] })
  const { client: bob1, login: bob } = await RawClient.login(t, server.url, { name: 'bob', rooms: [] })
  const { client: bob2 } = await RawClient.login(t, server.url, { session: bob.session, rooms: [] })

  const ack = await ana1.request({ type: 'dm', to: bob.userId, text: 'to both tabs' })
  t.equal(ack.type, 'dm-ok')
  for (const c of [bob1, bob2, ana2]) t.match((await c.next('dm')).message, { text: 'to both tabs', from: ana.userId, to: bob.userId })
  t.same(await ana1.framesBeforePong(), [], 'the sending tab gets only its ack')
})

t.test('a DM to an unknown user is refused and stores nothing', async (t) => {
  const server = await startServer(t)
  const { client, login } = await RawClient.login(t, server.url, { name: 'ana', rooms: [] })
  t.match(await client.request({ type: 'dm', to: 'u_nobody', text: 'hello?' }), { type: 'error', code: 'user-not-found', retryable: false })
  const self = await client.request({ type: 'dm', to: login.userId, text: 'note to self' })
  t.match(self, { type: 'dm-ok', message: { seq: 1 } }, 'a DM to oneself is one inbox entry')
})
