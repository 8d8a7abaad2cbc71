// PROTOCOL.md §8 Direct messages: a dm to a userId reaches every connection
// of the recipient and the sender's other connections; dm-ok to the sender.
import type { DirectMessage } from '@wirechat/protocol'
import type { Test } from '../harness.ts'
import { type Target, uniqueName } from '../target.ts'

export default async function checks(t: Test, target: Target): Promise<void> {
  /** A DM without its seq, which is a position in the inbox of whoever receives the frame. */
  const withoutSeq = ({ seq: _seq, ...rest }: DirectMessage): Omit<DirectMessage, 'seq'> => rest

  t.test("§8 a dm reaches all of the recipient's connections and the sender's other ones; the sender gets dm-ok", { clauses: ['DM-1', 'DM-2', 'DM-6'] }, async (t) => {
    const anaName = uniqueName('ana')
    const { wire: ana1, ok: ana } = await target.login(t, { name: anaName, rooms: [] })
    const { wire: ana2 } = await target.login(t, { session: ana.session, rooms: [] })
    const { wire: bob1, ok: bob } = await target.login(t, { name: uniqueName('bob'), rooms: [] })
    const { wire: bob2 } = await target.login(t, { session: bob.session, rooms: [] })
    const { wire: carol } = await target.login(t, { name: uniqueName('carol'), rooms: [] })

    const ack = await ana1.ok('dm-ok', { type: 'dm', id: 'd1', to: bob.userId, text: 'psst, bob', clientMsgId: 'dm-000001' })
    t.match(ack, { type: 'dm-ok', id: 'd1', message: { msgId: String, from: ana.userId, fromName: anaName, to: bob.userId, text: 'psst, bob', ts: Number, clientMsgId: 'dm-000001' } })
    t.not(ack.duplicate, true)
    const { seq: _senderSeq, ...content } = ack.message
    const atBob1 = await bob1.next('dm')
    t.same(withoutSeq(atBob1.message), content, 'recipient, first tab: the same message')
    t.same(await bob2.next('dm'), atBob1, 'recipient, second tab: the same frame')
    t.same(await ana2.next('dm'), { type: 'dm', message: ack.message }, "the sender's other tab sees the conversation, with the sender's inbox seq")
    t.same(await ana1.framesBeforePong(), [], 'the sending connection gets dm-ok only')
    t.same(await carol.framesBeforePong(), [], 'nobody else gets it')
  })

  t.test('§8 re-sending a dm clientMsgId returns the original with duplicate:true and delivers nothing', { clauses: ['DM-5', 'DM-10'] }, async (t) => {
    const { wire: ana } = await target.login(t, { name: uniqueName('ana'), rooms: [] })
    const { wire: bob, ok: bobOk } = await target.login(t, { name: uniqueName('bob'), rooms: [] })
    const first = await ana.ok('dm-ok', { type: 'dm', to: bobOk.userId, text: 'once', clientMsgId: 'dm-retry-01' })
    t.same(withoutSeq((await bob.next('dm')).message), withoutSeq(first.message))
    const again = await ana.ok('dm-ok', { type: 'dm', id: 'again', to: bobOk.userId, text: 'once', clientMsgId: 'dm-retry-01' })
    t.same(again, { type: 'dm-ok', id: 'again', message: first.message, duplicate: true })
    const next = await ana.ok('dm-ok', { type: 'dm', to: bobOk.userId, text: 'twice', clientMsgId: 'dm-retry-02' })
    const pushed = await bob.next('dm')
    t.same(withoutSeq(pushed.message), withoutSeq(next.message), 'the next dm is the new one: the duplicate was not delivered')
    t.equal(pushed.message.seq, 2, "and the recipient's inbox has no gap")
  })

  t.test('§8 a dm to an unknown user id is refused with user-not-found', { clauses: ['DM-1'] }, async (t) => {
    const { wire } = await target.login(t, { name: uniqueName('ana'), rooms: [] })
    t.match(await wire.request({ type: 'dm', id: 'who', to: 'no-such-user-9f8e7d', text: 'hello?' }), { type: 'error', id: 'who', code: 'user-not-found', retryable: false })
  })

  t.test('§8 a dm to a known user who is offline is accepted', { clauses: ['DM-1', 'DM-3'] }, async (t) => {
    const { wire: bob, ok: bobOk } = await target.login(t, { name: uniqueName('bob'), rooms: [] })
    await bob.ok('logout-ok', { type: 'logout' })
    await bob.closed()
    const { wire: ana } = await target.login(t, { name: uniqueName('ana'), rooms: [] })
    t.match(await ana.request({ type: 'dm', to: bobOk.userId, text: 'for later' }), { type: 'dm-ok', message: { to: bobOk.userId } })
  })

  t.test("§8 each user's inbox is one gapless seq across all their conversations, sent and received", { clauses: ['DM-5', 'DM-6', 'DM-7'] }, async (t) => {
    const { wire: ana, ok: anaOk } = await target.login(t, { name: uniqueName('ana'), rooms: [] })
    const { wire: bob, ok: bobOk } = await target.login(t, { name: uniqueName('bob'), rooms: [] })
    const { wire: carol } = await target.login(t, { name: uniqueName('carol'), rooms: [] })
    t.match(
      [anaOk.inbox, bobOk.inbox],
      [
        { epoch: String, seq: 0 },
        { epoch: String, seq: 0 },
      ],
      'login-ok names each empty inbox',
    )
    t.equal((await ana.ok('dm-ok', { type: 'dm', to: bobOk.userId, text: 'a→b' })).message.seq, 1, 'ana: 1')
    t.equal((await bob.next('dm')).message.seq, 1, 'bob: 1')
    t.equal((await carol.ok('dm-ok', { type: 'dm', to: bobOk.userId, text: 'c→b' })).message.seq, 1, 'carol: 1')
    t.equal((await bob.next('dm')).message.seq, 2, 'bob: 2, another conversation in the same inbox')
    t.equal((await bob.ok('dm-ok', { type: 'dm', to: anaOk.userId, text: 'b→a' })).message.seq, 3, 'bob: 3, a sent DM counts too')
    t.equal((await ana.next('dm')).message.seq, 2, 'ana: 2')
  })

  t.test('§8 login with an inbox position replays the missed DMs right after login-ok', { clauses: ['SES-14', 'DM-9'] }, async (t) => {
    const { wire: ana } = await target.login(t, { name: uniqueName('ana'), rooms: [] })
    const { wire: bob, ok: bobOk } = await target.login(t, { name: uniqueName('bob'), rooms: [] })
    await ana.ok('dm-ok', { type: 'dm', to: bobOk.userId, text: 'seen' })
    const seen = (await bob.next('dm')).message
    bob.terminate()
    const missed = []
    for (const text of ['missed 1', 'missed 2']) missed.push((await ana.ok('dm-ok', { type: 'dm', to: bobOk.userId, text })).message)

    const again = await target.open(t)
    again.send({ type: 'login', id: 'back', session: bobOk.session, rooms: [], inbox: { epoch: bobOk.inbox.epoch, seq: seen.seq } })
    t.match(await again.next('login-ok'), { id: 'back', userId: bobOk.userId, inbox: { epoch: bobOk.inbox.epoch, seq: 3, resume: { resumed: true, missed: 2 } } })
    for (const message of missed) {
      const replayed = await again.next('dm')
      t.same(withoutSeq(replayed.message), withoutSeq(message))
    }
    t.same(await again.framesBeforePong(), [], 'exactly the missed DMs')
  })

  t.test('§8 an inbox position from another epoch is not resumed: reason epoch-changed', { clauses: ['DM-9'] }, async (t) => {
    const { ok } = await target.login(t, { name: uniqueName('ana'), rooms: [] })
    const again = await target.open(t)
    const login = await again.ok('login-ok', { type: 'login', session: ok.session, rooms: [], inbox: { epoch: 'some-other-epoch', seq: 0 } })
    t.same(login.inbox.resume, { resumed: false, missed: 0, reason: 'epoch-changed' })
  })
}
