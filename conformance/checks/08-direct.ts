// PROTOCOL.md §8 Direct messages: a dm to a userId reaches every connection
// of the recipient and the sender's other connections; dm-ok to the sender.
// Since 1.3.0 dm-history pages back through one conversation (skipped
// against an older server).
import type { DirectMessage, ServerFrameOf } from '@wirechat/protocol'
import type { Test } from '../harness.ts'
import { type Target, uniqueName } from '../target.ts'
import type { Wire } from '../wire.ts'
import { lifecycleSkip, V } from './lifecycle-version.ts'

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

  // ---- dm-history (since 1.3.0) ------------------------------------------------

  const historySkip = lifecycleSkip(target.welcome) && `the server speaks ${target.welcome.version}; dm-history is 1.3.0`
  const dmHistory = (wire: Wire, userId: string, extra: { before?: number; limit?: number; id?: string } = {}) => wire.ok('dm-history-ok', { type: 'dm-history', userId, ...extra })
  /** Every page of a conversation, newest first, as one list oldest first; and how many pages it took. */
  async function wholeConversation(wire: Wire, userId: string, limit: number): Promise<{ messages: DirectMessage[]; pages: number }> {
    const messages: DirectMessage[] = []
    let before: number | undefined
    for (let pages = 1; ; pages++) {
      const page: ServerFrameOf<'dm-history-ok'> = await dmHistory(wire, userId, before === undefined ? { limit } : { before, limit })
      messages.unshift(...page.messages)
      if (!page.hasMore || page.messages.length === 0) return { messages, pages }
      before = page.messages[0]!.seq
    }
  }

  t.test("§8 dm-history pages one conversation backwards, oldest first, with the requesting user's inbox seqs", { clauses: ['DM-14'], skip: historySkip }, async (t) => {
    const { wire: ana, ok: anaOk } = await target.login(t, { name: uniqueName('ana'), rooms: [], version: V })
    const { wire: bob, ok: bobOk } = await target.login(t, { name: uniqueName('bob'), rooms: [], version: V })
    const { wire: carol } = await target.login(t, { name: uniqueName('carol'), rooms: [], version: V })
    // ana's view of each DM between her and bob; other conversations in between.
    const anaView: DirectMessage[] = []
    const bobView: DirectMessage[] = []
    for (let i = 1; i <= 5; i++) {
      if (i % 2) {
        const { message } = await ana.ok('dm-ok', { type: 'dm', to: bobOk.userId, text: `ana ${i}` })
        anaView.push(message)
        bobView.push((await bob.next('dm')).message)
      } else {
        const { message } = await bob.ok('dm-ok', { type: 'dm', to: anaOk.userId, text: `bob ${i}` })
        bobView.push(message)
        anaView.push((await ana.next('dm')).message)
      }
      await carol.ok('dm-ok', { type: 'dm', to: anaOk.userId, text: `carol ${i}` })
      await ana.next('dm')
    }
    await ana.ok('dm-ok', { type: 'dm', to: anaOk.userId, text: 'a note to self' })

    const { wire: phone } = await target.login(t, { session: anaOk.session, rooms: [], version: V })
    const newest = await dmHistory(phone, bobOk.userId, { id: 'dh1', limit: 2 })
    t.same(newest, { type: 'dm-history-ok', id: 'dh1', userId: bobOk.userId, messages: anaView.slice(3), hasMore: true }, 'the newest two, oldest first, exactly as delivered to ana')
    const next = await dmHistory(phone, bobOk.userId, { before: newest.messages[0]!.seq, limit: 2 })
    t.same(next.messages, anaView.slice(1, 3), 'before: the page before it')
    t.equal(next.hasMore, true)
    const last = await dmHistory(phone, bobOk.userId, { before: next.messages[0]!.seq, limit: 2 })
    t.same(last.messages, anaView.slice(0, 1))
    t.equal(last.hasMore, false, 'hasMore false at the first DM')
    t.same(await wholeConversation(phone, bobOk.userId, 100), { messages: anaView, pages: 1 }, 'one page holds all five: nothing of carol or of the notes to self')
    t.same((await wholeConversation(bob, anaOk.userId, 2)).messages, bobView, "bob's view: the same DMs with bob's inbox seqs")
  })

  t.test(
    '§8 dm-history: the DMs to oneself are a conversation; a user never written to gives an empty page; an unknown user is user-not-found',
    { clauses: ['DM-14', 'DM-16', 'ERR-user-not-found'], skip: historySkip },
    async (t) => {
      const { wire: ana, ok: anaOk } = await target.login(t, { name: uniqueName('ana'), rooms: [], version: V })
      const { ok: bobOk } = await target.login(t, { name: uniqueName('bob'), rooms: [], version: V })
      const note = (await ana.ok('dm-ok', { type: 'dm', to: anaOk.userId, text: 'remember the milk' })).message
      const { id: _notes, ...notes } = await dmHistory(ana, anaOk.userId)
      t.same(notes, { type: 'dm-history-ok', userId: anaOk.userId, messages: [note], hasMore: false })
      const { id: _none, ...none } = await dmHistory(ana, bobOk.userId)
      t.same(none, { type: 'dm-history-ok', userId: bobOk.userId, messages: [], hasMore: false })
      t.match(await ana.request({ type: 'dm-history', id: 'who', userId: 'no-such-user-9f8e7d' }), { type: 'error', id: 'who', code: 'user-not-found', retryable: false })
    },
  )

  t.test('§8 a dm-history page holds at most 50 DMs by default, and at most limits.historyPageMax', { clauses: ['DM-15'], skip: historySkip }, async (t) => {
    const { historyPageMax } = target.limits
    const { wire: ana, ok: anaOk } = await target.login(t, { name: uniqueName('ana'), rooms: [], version: V })
    const sent = Math.min(historyPageMax, 50) + 1
    for (let i = 1; i <= sent; i++) await ana.ok('dm-ok', { type: 'dm', to: anaOk.userId, text: `note ${i}` })
    const byDefault = await dmHistory(ana, anaOk.userId)
    t.equal(byDefault.messages.length, Math.min(50, historyPageMax), 'the default page')
    t.equal(byDefault.hasMore, true)
    t.equal(byDefault.messages.at(-1)!.text, `note ${sent}`, 'the newest')
    const asked = await dmHistory(ana, anaOk.userId, { limit: 100 })
    t.equal(asked.messages.length, Math.min(sent, historyPageMax), 'limit 100, capped')
  })
}
