// PROTOCOL.md §8 Direct messages: a dm to a userId reaches every connection
// of the recipient and the sender's other connections; dm-ok to the sender.
import t from 'tap'
import { getTarget, uniqueName } from './target.ts'

const target = await getTarget(t)

t.test('§8 a dm reaches all of the recipient\'s connections and the sender\'s other ones; the sender gets dm-ok', async (t) => {
  const anaName = uniqueName('ana')
  const { wire: ana1, ok: ana } = await target.login(t, { name: anaName, rooms: [] })
  const { wire: ana2 } = await target.login(t, { session: ana.session, rooms: [] })
  const { wire: bob1, ok: bob } = await target.login(t, { name: uniqueName('bob'), rooms: [] })
  const { wire: bob2 } = await target.login(t, { session: bob.session, rooms: [] })
  const { wire: carol } = await target.login(t, { name: uniqueName('carol'), rooms: [] })

  const ack = await ana1.ok('dm-ok', { type: 'dm', id: 'd1', to: bob.userId, text: 'psst, bob', clientMsgId: 'dm-000001' })
  t.match(ack, { type: 'dm-ok', id: 'd1', message: { msgId: String, from: ana.userId, fromName: anaName, to: bob.userId, text: 'psst, bob', ts: Number, clientMsgId: 'dm-000001' } })
  t.not(ack.duplicate, true)
  const push = { type: 'dm', message: ack.message }
  t.same(await bob1.next('dm'), push, 'recipient, first tab')
  t.same(await bob2.next('dm'), push, 'recipient, second tab')
  t.same(await ana2.next('dm'), push, 'the sender\'s other tab sees the conversation')
  t.same(await ana1.framesBeforePong(), [], 'the sending connection gets dm-ok only')
  t.same(await carol.framesBeforePong(), [], 'nobody else gets it')
})

t.test('§8 re-sending a dm clientMsgId returns the original with duplicate:true and delivers nothing', async (t) => {
  const { wire: ana } = await target.login(t, { name: uniqueName('ana'), rooms: [] })
  const { wire: bob, ok: bobOk } = await target.login(t, { name: uniqueName('bob'), rooms: [] })
  const first = await ana.ok('dm-ok', { type: 'dm', to: bobOk.userId, text: 'once', clientMsgId: 'dm-retry-01' })
  t.same(await bob.next('dm'), { type: 'dm', message: first.message })
  const again = await ana.ok('dm-ok', { type: 'dm', id: 'again', to: bobOk.userId, text: 'once', clientMsgId: 'dm-retry-01' })
  t.same(again, { type: 'dm-ok', id: 'again', message: first.message, duplicate: true })
  const next = await ana.ok('dm-ok', { type: 'dm', to: bobOk.userId, text: 'twice', clientMsgId: 'dm-retry-02' })
  t.same(await bob.next('dm'), { type: 'dm', message: next.message }, 'the next dm is the new one: the duplicate was not delivered')
})

t.test('§8 a dm to an unknown user id is refused with user-not-found', async (t) => {
  const { wire } = await target.login(t, { name: uniqueName('ana'), rooms: [] })
  t.match(await wire.request({ type: 'dm', id: 'who', to: 'no-such-user-9f8e7d', text: 'hello?' }), { type: 'error', id: 'who', code: 'user-not-found', retryable: false })
})

t.test('§8 a dm to a known user who is offline is accepted', async (t) => {
  const { wire: bob, ok: bobOk } = await target.login(t, { name: uniqueName('bob'), rooms: [] })
  await bob.ok('logout-ok', { type: 'logout' })
  await bob.closed()
  const { wire: ana } = await target.login(t, { name: uniqueName('ana'), rooms: [] })
  t.match(await ana.request({ type: 'dm', to: bobOk.userId, text: 'for later' }), { type: 'dm-ok', message: { to: bobOk.userId } })
})
