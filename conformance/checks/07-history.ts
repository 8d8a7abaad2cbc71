// PROTOCOL.md §7 History and resume: history pages (before / after / limit /
// hasMore) and `since` on join or login: the replay of missed messages right
// after the reply, or resumed:false with its reason.
import type { ChatMessage } from '@wirechat/protocol'
import type { Test } from '../harness.ts'
import { type Target, uniqueName, uniqueRoom } from '../target.ts'
import type { Wire } from '../wire.ts'

export default async function checks(t: Test, target: Target): Promise<void> {
  const { historyPageMax } = target.limits
  const maxReplay = target.maxReplay

  const post = async (wire: Wire, room: string, count: number, prefix = 'm'): Promise<ChatMessage[]> => {
    const out: ChatMessage[] = []
    for (let i = 0; i < count; i++) out.push((await wire.ok('chat-ok', { type: 'chat', room, text: `${prefix}${i}` })).message)
    return out
  }
  const seqs = (messages: ChatMessage[]): number[] => messages.map((m) => m.seq)
  const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i)

  t.test('§7 history pages backwards with before/limit and forwards with after/limit, oldest first, with hasMore', { clauses: ['HIST-1', 'HIST-2', 'HIST-3', 'HIST-4', 'HIST-7'] }, async (t) => {
    const room = uniqueRoom('pages')
    const { wire, ok } = await target.login(t, { name: uniqueName('ana'), rooms: [{ room }] })
    const epoch = ok.rooms[0]!.epoch
    const sent = await post(wire, room, 7)
    const page = async (q: Record<string, unknown>) => wire.ok('history-ok', { type: 'history', room, ...q })

    const newest = await page({ id: 'h1', limit: 3 })
    t.same(newest, { type: 'history-ok', id: 'h1', room, epoch, messages: sent.slice(4), hasMore: true }, 'newest page: the stored copies, oldest first')
    t.match(await page({ before: 5, limit: 3 }), { messages: sent.slice(1, 4), hasMore: true })
    const oldest = await page({ before: 2, limit: 3 })
    t.same([seqs(oldest.messages), oldest.hasMore], [[1], false], 'nothing older than seq 1')
    const forward = await page({ after: 0, limit: 3 })
    t.same([seqs(forward.messages), forward.hasMore], [[1, 2, 3], true])
    const last = await page({ after: 6, limit: 3 })
    t.same([seqs(last.messages), last.hasMore], [[7], false])
    const none = await page({ after: 7 })
    t.same([none.messages, none.hasMore], [[], false], 'nothing after the newest')
  })

  t.test(
    '§7 a history page holds at most limits.historyPageMax messages',
    { clauses: ['HIST-6', 'HIST-7'], skip: historyPageMax > 50 ? `historyPageMax ${historyPageMax} > 50: too many messages to post` : false },
    async (t) => {
      const room = uniqueRoom('cap')
      const { wire } = await target.login(t, { name: uniqueName('ana'), rooms: [{ room }] })
      await post(wire, room, historyPageMax + 1)
      const page = await wire.ok('history-ok', { type: 'history', room, limit: 1000 })
      t.same(seqs(page.messages), range(2, historyPageMax + 1), 'the newest historyPageMax messages')
      t.equal(page.hasMore, true)
      const unbounded = await wire.ok('history-ok', { type: 'history', room })
      t.equal(unbounded.messages.length, historyPageMax, 'the default page is capped too')
    },
  )

  t.test('§7 history with both before and after is refused with bad-frame', { clauses: ['HIST-5'] }, async (t) => {
    const room = uniqueRoom('both')
    const { wire } = await target.login(t, { name: uniqueName('ana'), rooms: [{ room }] })
    t.match(await wire.request({ type: 'history', id: 'both', room, before: 5, after: 1 }), { type: 'error', id: 'both', code: 'bad-frame', retryable: false })
  })

  t.test('§7 history of a room not joined is refused with not-in-room', { clauses: ['HIST-1', 'ROOM-24'] }, async (t) => {
    const { wire } = await target.login(t, { name: uniqueName('ana'), rooms: [] })
    t.match(await wire.request({ type: 'history', room: uniqueRoom('other') }), { type: 'error', code: 'not-in-room' })
  })

  t.test('§7 join with since replays exactly the missed messages right after join-room-ok, then live ones', { clauses: ['ROOM-28', 'HIST-10', 'HIST-11', 'HIST-15', 'HIST-16'] }, async (t) => {
    const room = uniqueRoom('resume')
    const { wire: bob } = await target.login(t, { name: uniqueName('bob'), rooms: [{ room }] })
    await post(bob, room, 3)
    const { wire: ana, ok } = await target.login(t, { name: uniqueName('ana'), rooms: [{ room }] })
    const { epoch, seq } = ok.rooms[0]!
    t.equal(seq, 3, 'the join state names the newest seq')
    await ana.ok('leave-room-ok', { type: 'leave-room', room })
    const missed = await post(bob, room, 2, 'missed')

    ana.send({ type: 'join-room', id: 'back', room, since: { epoch, seq } })
    const reply = await ana.next('join-room-ok')
    t.match(reply, { id: 'back', state: { room, epoch, seq: 5, history: [], resume: { resumed: true, missed: 2 } } })
    t.notOk('reason' in reply.state.resume!, 'no reason when resumed')
    t.same(await ana.next('chat'), { type: 'chat', message: missed[0] }, 'first missed message')
    t.same(await ana.next('chat'), { type: 'chat', message: missed[1] }, 'second missed message')
    const live = (await post(bob, room, 1, 'live'))[0]!
    t.same(await ana.next('chat'), { type: 'chat', message: live }, 'then live messages, no gap, no duplicate')
  })

  t.test('§7 join with since at the newest seq resumes with nothing missed', { clauses: ['HIST-11'] }, async (t) => {
    const room = uniqueRoom('uptodate')
    const { wire, ok } = await target.login(t, { name: uniqueName('ana'), rooms: [{ room }] })
    await post(wire, room, 2)
    await wire.ok('leave-room-ok', { type: 'leave-room', room })
    const reply = await wire.ok('join-room-ok', { type: 'join-room', room, since: { epoch: ok.rooms[0]!.epoch, seq: 2 } })
    t.match(reply.state, { seq: 2, history: [], resume: { resumed: true, missed: 0 } })
    t.same(await wire.framesBeforePong(), [], 'no replay')
  })

  t.test('§7 since from another epoch is not resumed: reason epoch-changed, with the newest history instead', { clauses: ['HIST-12', 'HIST-17'] }, async (t) => {
    const room = uniqueRoom('epoch')
    const { wire } = await target.login(t, { name: uniqueName('ana'), rooms: [{ room }] })
    const sent = await post(wire, room, 2)
    await wire.ok('leave-room-ok', { type: 'leave-room', room })
    const reply = await wire.ok('join-room-ok', { type: 'join-room', room, since: { epoch: 'some-other-epoch', seq: 1 } })
    t.same(reply.state.resume, { resumed: false, missed: 0, reason: 'epoch-changed' })
    t.same(reply.state.history, sent, 'the newest history to reload from')
    t.same(await wire.framesBeforePong(), [], 'no replay')
  })

  t.test('§7 since beyond the newest seq is not resumed: reason ahead-of-server', { clauses: ['HIST-14', 'HIST-17'] }, async (t) => {
    const room = uniqueRoom('ahead')
    const { wire, ok } = await target.login(t, { name: uniqueName('ana'), rooms: [{ room }] })
    await post(wire, room, 1)
    await wire.ok('leave-room-ok', { type: 'leave-room', room })
    const reply = await wire.ok('join-room-ok', { type: 'join-room', room, since: { epoch: ok.rooms[0]!.epoch, seq: 50 } })
    t.same(reply.state.resume, { resumed: false, missed: 0, reason: 'ahead-of-server' })
    t.equal(reply.state.seq, 1)
  })

  t.test(
    '§7 since further behind than the server replays is not resumed: reason too-far-behind',
    {
      clauses: ['HIST-13', 'HIST-15', 'HIST-17'],
      skip:
        maxReplay === undefined
          ? "the replay bound is not announced: pass the server's bound with --max-replay (runKit: maxReplay) to run this check"
          : maxReplay > 100
            ? `replay bound ${maxReplay} > 100: too many messages to post`
            : false,
    },
    async (t) => {
      const room = uniqueRoom('behind')
      const { wire, ok } = await target.login(t, { name: uniqueName('ana'), rooms: [{ room }] })
      const sent = await post(wire, room, maxReplay! + 1)
      await wire.ok('leave-room-ok', { type: 'leave-room', room })
      const reply = await wire.ok('join-room-ok', { type: 'join-room', room, since: { epoch: ok.rooms[0]!.epoch, seq: 0 } })
      t.same(reply.state.resume, { resumed: false, missed: 0, reason: 'too-far-behind' })
      t.same(reply.state.history, sent.slice(-Math.min(historyPageMax, sent.length)), 'the newest history to reload from')
      t.same(await wire.framesBeforePong(), [], 'no replay')
    },
  )

  t.test('§7 after a dropped connection, login with session and since replays the missed messages after login-ok', { clauses: ['SES-14', 'SES-16', 'HIST-10', 'HIST-11', 'ROOM-35'] }, async (t) => {
    const room = uniqueRoom('drop')
    const { wire: bob, ok: bobOk } = await target.login(t, { name: uniqueName('bob'), rooms: [{ room }] })
    const { wire: ana, ok } = await target.login(t, { name: uniqueName('ana'), rooms: [{ room }] })
    await bob.next('alarm')
    const seen = (await post(bob, room, 1))[0]!
    t.same((await ana.next('chat')).message, seen)
    ana.terminate()
    t.match(await bob.next('alarm'), { kind: 'left', userId: ok.userId })
    const missed = await post(bob, room, 3, 'while-away')

    const again = await target.open(t)
    again.send({ type: 'login', id: 'back', session: ok.session, rooms: [{ room, since: { epoch: ok.rooms[0]!.epoch, seq: seen.seq } }] })
    const login = await again.next('login-ok')
    t.match(login, { id: 'back', userId: ok.userId, name: ok.name, rooms: [{ room, seq: 4, history: [], resume: { resumed: true, missed: 3 } }] })
    t.ok(login.rooms[0]!.members.some((m) => m.userId === bobOk.userId))
    for (const message of missed) t.same(await again.next('chat'), { type: 'chat', message })
    t.match(await bob.next('alarm'), { kind: 'joined', userId: ok.userId }, 'the others see the user come back')
    t.same(await again.framesBeforePong(), [], 'exactly the missed messages')
  })
}
