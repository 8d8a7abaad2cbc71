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

t.test('dm-history: a second device pages back through one conversation, with its own inbox seqs', async (t) => {
  const server = await startServer(t, { messagesPerSecond: 1000, messageBurst: 1000 })
  const { client: ana, login: anaLogin } = await RawClient.login(t, server.url, { name: 'ana', rooms: [] })
  const { client: bob, login: bobLogin } = await RawClient.login(t, server.url, { name: 'bob', rooms: [] })
  const { login: cyLogin } = await RawClient.login(t, server.url, { name: 'cy', rooms: [] })
  // 30 DMs between ana and bob, with DMs to cy and to herself in between: ana's inbox seqs of the 30.
  const anaSeqs: number[] = []
  for (let i = 1; i <= 30; i++) {
    const [from, to] = i % 3 === 0 ? [bob, anaLogin.userId] : [ana, bobLogin.userId]
    const ok = (await from.request({ type: 'dm', to, text: `dm ${i}` })) as ServerFrameOf<'dm-ok'>
    if (from === ana) anaSeqs.push(ok.message.seq)
    else anaSeqs.push((await ana.next('dm')).message.seq)
    if (i % 7 === 0) t.match(await ana.request({ type: 'dm', to: cyLogin.userId, text: `to cy ${i}` }), { type: 'dm-ok' })
    if (i % 10 === 0) t.match(await ana.request({ type: 'dm', to: anaLogin.userId, text: `note ${i}` }), { type: 'dm-ok' })
  }

  // A new device: the session key, no inbox position, nothing seen.
  const { client: phone } = await RawClient.login(t, server.url, { session: anaLogin.session, rooms: [] })
  const newest = (await phone.request({ type: 'dm-history', userId: bobLogin.userId, limit: 12 })) as ServerFrameOf<'dm-history-ok'>
  t.match(newest, { type: 'dm-history-ok', userId: bobLogin.userId, hasMore: true })
  t.same(
    newest.messages.map((m) => m.text),
    Array.from({ length: 12 }, (_, i) => `dm ${19 + i}`),
    'the newest 12, oldest first',
  )
  const texts = newest.messages.map((m) => m.text)
  const seqs = newest.messages.map((m) => m.seq)
  let before = newest.messages[0]!.seq
  for (;;) {
    const page = (await phone.request({ type: 'dm-history', userId: bobLogin.userId, before, limit: 12 })) as ServerFrameOf<'dm-history-ok'>
    t.equal(page.type, 'dm-history-ok')
    texts.unshift(...page.messages.map((m) => m.text))
    seqs.unshift(...page.messages.map((m) => m.seq))
    if (!page.hasMore) break
    before = page.messages[0]!.seq
  }
  t.same(
    texts,
    Array.from({ length: 30 }, (_, i) => `dm ${i + 1}`),
    'the whole conversation, nothing else',
  )
  t.same(seqs, anaSeqs, "seqs are ana's inbox positions")
  const whole = (await phone.request({ type: 'dm-history', userId: bobLogin.userId })) as ServerFrameOf<'dm-history-ok'>
  t.equal(whole.messages.length, 30, 'a default page of 50 holds it all')
  t.equal(whole.hasMore, false)

  const bobView = (await bob.request({ type: 'dm-history', userId: anaLogin.userId, limit: 3 })) as ServerFrameOf<'dm-history-ok'>
  t.same(
    bobView.messages.map((m) => m.seq),
    [28, 29, 30],
    "bob's view: the same DMs at his inbox seqs (his inbox holds only this conversation)",
  )
  const notes = (await phone.request({ type: 'dm-history', userId: anaLogin.userId })) as ServerFrameOf<'dm-history-ok'>
  t.same(
    notes.messages.map((m) => m.text),
    ['note 10', 'note 20', 'note 30'],
    'the DMs to oneself',
  )
})

t.test('dm-history: pages are capped at historyPageMax; unknown users and bad frames are refused', async (t) => {
  const server = await startServer(t, { messagesPerSecond: 1000, messageBurst: 1000, historyPageMax: 4 })
  const { client: ana } = await RawClient.login(t, server.url, { name: 'ana', rooms: [] })
  const { client: bob, login: bobLogin } = await RawClient.login(t, server.url, { name: 'bob', rooms: [] })
  t.match(
    await ana.request({ type: 'dm-history', userId: bobLogin.userId }),
    { type: 'dm-history-ok', userId: bobLogin.userId, messages: [], hasMore: false },
    'a user never written to: an empty page',
  )
  for (let i = 1; i <= 6; i++) t.match(await ana.request({ type: 'dm', to: bobLogin.userId, text: `dm ${i}` }), { type: 'dm-ok' })
  const capped = (await ana.request({ type: 'dm-history', userId: bobLogin.userId, limit: 100 })) as ServerFrameOf<'dm-history-ok'>
  t.same(
    capped.messages.map((m) => m.text),
    ['dm 3', 'dm 4', 'dm 5', 'dm 6'],
  )
  t.equal(capped.hasMore, true)
  t.match(await ana.request({ type: 'dm-history', userId: 'u_nobody' }), { type: 'error', code: 'user-not-found', retryable: false })
  t.match(await ana.request({ type: 'dm-history', userId: bobLogin.userId, limit: 101 }), { type: 'error', code: 'bad-frame' })
  t.match(await ana.request({ type: 'dm-history', userId: bobLogin.userId, before: 0 }), { type: 'error', code: 'bad-frame' })
  t.match(await bob.request({ type: 'dm-history', userId: bobLogin.userId }), { type: 'dm-history-ok', messages: [], hasMore: false }, 'no notes to oneself yet')
})

t.test('dm-history: the conversation with a deleted account stays readable', async (t) => {
  const server = await startServer(t, { store: 'memory' })
  const { client: ana, login: anaLogin } = await RawClient.login(t, server.url, { name: 'ana', rooms: [] })
  const { client: bob, login: bobLogin } = await RawClient.login(t, server.url, { name: 'bob', rooms: [] })
  t.match(await bob.request({ type: 'register', password: 'correct horse battery' }), { type: 'register-ok' })
  t.match(await bob.request({ type: 'dm', to: anaLogin.userId, text: 'bye' }), { type: 'dm-ok' })
  t.match(await bob.request({ type: 'delete-account', password: 'correct horse battery' }), { type: 'delete-account-ok' })
  await bob.closed()
  t.match(await ana.request({ type: 'dm-history', userId: bobLogin.userId }), { type: 'dm-history-ok', messages: [{ text: 'bye', from: bobLogin.userId }] })
})
