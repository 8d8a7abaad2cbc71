// PROTOCOL.md §5 Rooms: join-room, leave-room, presence, and the joined /
// left / renamed alarms, sent once per user however many tabs it has.
import { DEFAULT_TIMEOUT_MS, type Test } from '../harness.ts'
import { joinPacingMs, MAX_PACING_MS, type Target, uniqueName, uniqueRoom } from '../target.ts'

export default async function checks(t: Test, target: Target): Promise<void> {
  const { maxRooms, historyPageMax } = target.limits

  t.test('§5 join-room answers join-room-ok with members and the newest history, oldest first', { clauses: ['ROOM-2', 'ROOM-28'] }, async (t) => {
    const room = uniqueRoom('state')
    const { wire: bob, ok: bobOk } = await target.login(t, { name: uniqueName('bob'), rooms: [{ room }] })
    const sent = []
    for (const text of ['first', 'second']) sent.push((await bob.ok('chat-ok', { type: 'chat', room, text })).message)
    const { wire: ana, ok: anaOk } = await target.login(t, { name: uniqueName('ana'), rooms: [] })
    const reply = await ana.ok('join-room-ok', { type: 'join-room', id: 'j1', room })
    t.equal(reply.id, 'j1')
    t.match(reply.state, { room, epoch: String, seq: 2 })
    t.same(reply.state.history, sent, 'history is the stored server copies, oldest first')
    t.same(
      [...reply.state.members].sort((a, b) => a.userId.localeCompare(b.userId)),
      [
        { userId: anaOk.userId, name: anaOk.name },
        { userId: bobOk.userId, name: bobOk.name },
      ].sort((a, b) => a.userId.localeCompare(b.userId)),
      'members: each user once, the joiner included',
    )
    t.notOk('resume' in reply.state, 'no resume without since')
  })

  t.test(
    '§5 the join snapshot holds at most historyPageMax messages',
    { clauses: ['ROOM-28'], skip: historyPageMax > 50 ? `historyPageMax ${historyPageMax} > 50: too many messages to post` : false },
    async (t) => {
      const room = uniqueRoom('snap')
      const { wire: bob } = await target.login(t, { name: uniqueName('bob'), rooms: [{ room }] })
      for (let i = 1; i <= historyPageMax + 2; i++) await bob.ok('chat-ok', { type: 'chat', room, text: `m${i}` })
      const { ok } = await target.login(t, { name: uniqueName('ana'), rooms: [{ room }] })
      const state = ok.rooms[0]!
      t.equal(state.seq, historyPageMax + 2)
      t.same(
        state.history.map((m) => m.seq),
        Array.from({ length: historyPageMax }, (_, i) => i + 3),
        'the newest page, oldest first',
      )
    },
  )

  t.test('§5 a joined alarm reaches the other members once per user, however many tabs join', { clauses: ['ROOM-30', 'ROOM-34', 'ROOM-35'] }, async (t) => {
    const room = uniqueRoom('tabs')
    const { wire: bob } = await target.login(t, { name: uniqueName('bob'), rooms: [{ room }] })
    const name = uniqueName('ana')
    const { wire: tab1, ok } = await target.login(t, { name, rooms: [] })
    const { wire: tab2 } = await target.login(t, { session: ok.session, rooms: [] })

    await tab1.ok('join-room-ok', { type: 'join-room', room })
    const alarm = await bob.next('alarm')
    t.match(alarm, { type: 'alarm', room, kind: 'joined', userId: ok.userId, name, text: String, ts: Number })
    t.notOk('oldName' in alarm)
    t.same(await tab1.framesBeforePong(), [], 'the joiner gets no alarm about itself')

    const second = await tab2.ok('join-room-ok', { type: 'join-room', room })
    t.equal(second.state.members.filter((m) => m.userId === ok.userId).length, 1, 'the user is listed once')
    t.same(await bob.framesBeforePong(), [], 'no alarm for the second tab')
    t.same(await tab1.framesBeforePong(), [], 'nor to the first tab')
  })

  t.test("§5 a left alarm reaches the other members once, when the user's last tab leaves", { clauses: ['ROOM-31', 'ROOM-34', 'ROOM-36'] }, async (t) => {
    const room = uniqueRoom('leave')
    const { wire: bob } = await target.login(t, { name: uniqueName('bob'), rooms: [{ room }] })
    const name = uniqueName('ana')
    const { wire: tab1, ok } = await target.login(t, { name, rooms: [{ room }] })
    const { wire: tab2 } = await target.login(t, { session: ok.session, rooms: [{ room }] })
    t.match(await bob.next('alarm'), { kind: 'joined' })

    t.same(await tab1.ok('leave-room-ok', { type: 'leave-room', id: 'l1', room }), { type: 'leave-room-ok', id: 'l1', room })
    t.same(await bob.framesBeforePong(), [], 'the user is still there through the other tab')
    await tab2.ok('leave-room-ok', { type: 'leave-room', room })
    t.match(await bob.next('alarm'), { type: 'alarm', room, kind: 'left', userId: ok.userId, name })
    t.same(await bob.framesBeforePong(), [], 'exactly one left alarm')
  })

  t.test('§5 closing the last connection of a user sends the left alarm', { clauses: ['ROOM-32', 'ROOM-36'] }, async (t) => {
    const room = uniqueRoom('drop')
    const { wire: bob } = await target.login(t, { name: uniqueName('bob'), rooms: [{ room }] })
    const { wire: ana, ok } = await target.login(t, { name: uniqueName('ana'), rooms: [{ room }] })
    await bob.next('alarm')
    ana.terminate()
    t.match(await bob.next('alarm'), { room, kind: 'left', userId: ok.userId })
  })

  t.test('§5 presence lists each member once, with two tabs', { clauses: ['ROOM-33'] }, async (t) => {
    const room = uniqueRoom('who')
    const { wire: bob, ok: bobOk } = await target.login(t, { name: uniqueName('bob'), rooms: [{ room }] })
    const { ok } = await target.login(t, { name: uniqueName('ana'), rooms: [{ room }] })
    await target.login(t, { session: ok.session, rooms: [{ room }] })
    const presence = await bob.ok('presence-ok', { type: 'presence', id: 'pr', room })
    t.equal(presence.room, room)
    t.same(
      [...presence.members].sort((a, b) => a.userId.localeCompare(b.userId)),
      [
        { userId: ok.userId, name: ok.name },
        { userId: bobOk.userId, name: bobOk.name },
      ].sort((a, b) => a.userId.localeCompare(b.userId)),
    )
  })

  t.test("§5 after leave-room the connection gets none of the room's pushes and may not chat there", { clauses: ['ROOM-31', 'CHAT-1'] }, async (t) => {
    const room = uniqueRoom('gone')
    const { wire: bob } = await target.login(t, { name: uniqueName('bob'), rooms: [{ room }] })
    const { wire: ana } = await target.login(t, { name: uniqueName('ana'), rooms: [{ room }] })
    await bob.next('alarm')
    await ana.ok('leave-room-ok', { type: 'leave-room', room })
    await bob.ok('chat-ok', { type: 'chat', room, text: 'anyone?' })
    t.same(await ana.framesBeforePong(), [], 'no chat push after leaving')
    t.match(await ana.request({ type: 'chat', room, text: 'hi' }), { type: 'error', code: 'not-in-room', retryable: false })
  })

  t.test('§5 joining a room twice is refused with already-in-room', { clauses: ['ROOM-29'] }, async (t) => {
    const room = uniqueRoom('twice')
    const { wire } = await target.login(t, { name: uniqueName('ann'), rooms: [{ room }] })
    t.match(await wire.request({ type: 'join-room', id: 'again', room }), { type: 'error', id: 'again', code: 'already-in-room', retryable: false })
  })

  t.test('§5 leave-room and presence for a room not joined are refused with not-in-room', { clauses: ['ROOM-31', 'ROOM-33'] }, async (t) => {
    const { wire } = await target.login(t, { name: uniqueName('nim'), rooms: [] })
    const room = uniqueRoom('never')
    t.match(await wire.request({ type: 'leave-room', room }), { type: 'error', code: 'not-in-room' })
    t.match(await wire.request({ type: 'presence', room }), { type: 'error', code: 'not-in-room' })
  })

  const joinsMs = joinPacingMs(target.limits, maxRooms + 2)
  t.test(
    '§5 joining more than limits.maxRooms rooms is refused with too-many-rooms',
    {
      clauses: ['ROOM-29'],
      skip: maxRooms > 100 ? `maxRooms ${maxRooms} > 100: too many joins` : joinsMs > MAX_PACING_MS ? `${maxRooms + 2} joins at the announced join rate take ${Math.round(joinsMs / 1000)} s` : false,
      timeout: DEFAULT_TIMEOUT_MS + joinsMs,
    },
    async (t) => {
      const { wire } = await target.login(t, { name: uniqueName('many'), rooms: [] })
      const rooms = Array.from({ length: maxRooms }, () => uniqueRoom('r'))
      for (const room of rooms) await wire.ok('join-room-ok', { type: 'join-room', room })
      t.match(await wire.request({ type: 'join-room', room: uniqueRoom('over') }), { type: 'error', code: 'too-many-rooms', retryable: false })
      await wire.ok('leave-room-ok', { type: 'leave-room', room: rooms[0] })
      await t.resolves(wire.ok('join-room-ok', { type: 'join-room', room: uniqueRoom('fits') }), 'after leaving one, a join fits again')
    },
  )

  t.test(
    '§5 a login listing more than limits.maxRooms rooms is refused with too-many-rooms',
    { clauses: ['SES-8'], skip: maxRooms >= 64 ? `maxRooms ${maxRooms} ≥ 64, the most a login may list` : false },
    async (t) => {
      const wire = await target.open(t)
      const rooms = Array.from({ length: maxRooms + 1 }, () => ({ room: uniqueRoom('r') }))
      t.match(await wire.request({ type: 'login', name: uniqueName('greedy'), rooms }), { type: 'error', code: 'too-many-rooms' })
      t.equal((await wire.request({ type: 'login', rooms: [] })).type, 'login-ok', 'the connection may still log in')
    },
  )
}
