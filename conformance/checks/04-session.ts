// PROTOCOL.md §4 Session lifecycle: welcome, login (name, session, rooms),
// session keys across tabs, rename, logout, the login deadline and the
// session errors.
import { CloseCodes, ClientFrames, SUBPROTOCOL } from '@wirechat/protocol'
import type { Test } from '../harness.ts'
import { skipLongTimer, type Target, uniqueName, uniqueRoom } from '../target.ts'
import { namespacesSkip } from './15-rooms-namespaces.ts'
import { lifecycleSkip } from './lifecycle-version.ts'

export default async function checks(t: Test, target: Target): Promise<void> {
  const { loginTimeoutMs } = target.welcome

  t.test('§4 the welcome frame comes first and announces the protocol, timers and limits', { clauses: ['SES-1'] }, async (t) => {
    const wire = await target.open(t)
    t.match(wire.welcome, {
      type: 'welcome',
      protocol: SUBPROTOCOL,
      version: /^1\.\d+\.\d+/,
      connectionId: String,
      name: String,
      serverTime: Number,
      heartbeatMs: Number,
      loginTimeoutMs: Number,
      authRequired: Boolean,
    })
    // Every required limit is announced; optional ones (per-type buckets, fragment cap) may be too.
    const required = ['historyPageMax', 'maxFrameBytes', 'maxNameChars', 'maxRooms', 'maxTextChars', 'messageBurst', 'messagesPerSecond', 'typingTtlMs']
    const optional = ['joinBurst', 'joinsPerSecond', 'maxFragments', 'typingBurst', 'typingPerSecond']
    const announced = Object.keys(wire.welcome.limits)
    t.same(
      required.filter((k) => !announced.includes(k)),
      [],
      'every required limit is announced',
    )
    t.same(
      announced.filter((k) => !required.includes(k) && !optional.includes(k)),
      [],
      'and nothing the schema does not define',
    )
    t.notOk('id' in wire.welcome, 'welcome is a push')
  })

  t.test('§4 login without a name keeps the name suggested in welcome', { clauses: ['SES-3', 'SES-13'] }, async (t) => {
    const wire = await target.open(t)
    const ok = await wire.ok('login-ok', { type: 'login', rooms: [] })
    t.equal(ok.name, wire.welcome.name)
    t.match(ok, { userId: String, session: String, rooms: [] })
  })

  t.test('§4 login without rooms joins the default room lobby', { clauses: ['SES-6', 'SES-13', 'SES-22'] }, async (t) => {
    const name = uniqueName('lia')
    const { ok } = await target.login(t, { name })
    t.equal(ok.rooms.length, 1)
    t.match(ok.rooms[0], { room: 'lobby', epoch: String, seq: Number, history: Array })
    t.ok(
      ok.rooms[0]!.members.some((m) => m.userId === ok.userId && m.name === name),
      'the user is among the lobby members',
    )
  })

  t.test('§4 login with an empty rooms list joins no room', { clauses: ['SES-6', 'SES-22'] }, async (t) => {
    const { wire, ok } = await target.login(t, { name: uniqueName('nor'), rooms: [] })
    t.same(ok.rooms, [])
    t.match(await wire.request({ type: 'presence', room: 'lobby' }), { type: 'error', code: 'not-in-room' })
  })

  t.test('§4 login with rooms joins them and describes each in request order', { clauses: ['SES-13', 'ROOM-28'] }, async (t) => {
    const rooms = [uniqueRoom('b'), uniqueRoom('a')]
    const { ok } = await target.login(t, { name: uniqueName('ord'), rooms: rooms.map((room) => ({ room })) })
    t.same(
      ok.rooms.map((r) => r.room),
      rooms,
    )
    for (const state of ok.rooms) t.match(state, { seq: 0, history: [], members: [{ userId: ok.userId }] })
  })

  t.test('§4 login listing a room twice joins it once, at the place of its first mention', { clauses: ['SES-7'] }, async (t) => {
    const [a, b] = [uniqueRoom('dup'), uniqueRoom('other')]
    const { ok } = await target.login(t, { name: uniqueName('dup'), rooms: [{ room: a }, { room: b }, { room: a }] })
    t.same(
      ok.rooms.map((r) => r.room),
      [a, b],
    )
  })

  t.test('§4 a session key lets a second connection (tab) continue the same user', { clauses: ['SES-16', 'SES-17', 'ROOM-34', 'ROOM-35'] }, async (t) => {
    const room = uniqueRoom('tabs')
    const name = uniqueName('ana')
    const { wire: bob } = await target.login(t, { name: uniqueName('bob'), rooms: [{ room }] })
    const { ok: first } = await target.login(t, { name, rooms: [{ room }] })
    t.match(await bob.next('alarm'), { kind: 'joined', userId: first.userId })
    const { ok: second } = await target.login(t, { session: first.session, rooms: [{ room }] })
    t.equal(second.userId, first.userId, 'same user id')
    t.equal(second.name, name, 'same name')
    t.equal(second.session, first.session, 'same session key')
    t.equal(second.rooms[0]!.members.filter((m) => m.userId === first.userId).length, 1, 'listed once in members')
    t.same(await bob.framesBeforePong(), [], 'no second joined alarm for the second tab')
  })

  t.test(
    '§4 a token in login is ignored by a server that announces authRequired: false',
    { clauses: ['SES-12'], skip: target.welcome.authRequired ? 'the server requires tokens' : false },
    async (t) => {
      const name = uniqueName('tok')
      const wire = await target.open(t)
      t.match(await wire.request({ type: 'login', name, token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln', rooms: [] }), { type: 'login-ok', name })
    },
  )

  t.test('§4 an unknown session key is refused with invalid-session; login without it then works', { clauses: ['SES-5'] }, async (t) => {
    const wire = await target.open(t)
    t.match(await wire.request({ type: 'login', session: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', rooms: [] }), { type: 'error', code: 'invalid-session', retryable: false })
    t.equal((await wire.request({ type: 'login', rooms: [] })).type, 'login-ok', 'the connection may still log in')
  })

  t.test('§4 rename answers rename-ok and sends one renamed alarm per room to its members', { clauses: ['SES-23', 'SES-25', 'SES-26', 'ROOM-37'] }, async (t) => {
    const [r1, r2] = [uniqueRoom('one'), uniqueRoom('two')]
    const oldName = uniqueName('ana')
    const newName = uniqueName('anna')
    const { wire: bob } = await target.login(t, { name: uniqueName('bob'), rooms: [{ room: r1 }, { room: r2 }] })
    const { wire: tab1, ok } = await target.login(t, { name: oldName, rooms: [{ room: r1 }] })
    const { wire: tab2 } = await target.login(t, { session: ok.session, rooms: [{ room: r1 }, { room: r2 }] })
    t.match(await bob.next('alarm'), { kind: 'joined', room: r1 })
    t.match(await bob.next('alarm'), { kind: 'joined', room: r2 })

    t.same(await tab1.ok('rename-ok', { type: 'rename', id: 'ren', name: newName }), { type: 'rename-ok', id: 'ren', name: newName })
    const alarms = [await bob.next('alarm'), await bob.next('alarm')].sort((a, b) => a.room.localeCompare(b.room))
    const expected = [r1, r2].sort().map((room) => ({ type: 'alarm', room, kind: 'renamed', userId: ok.userId, name: newName, oldName }))
    t.match(alarms, expected, 'one renamed alarm per room, none twice for two tabs')
    t.same(await bob.framesBeforePong(), [], 'no more alarms')
    t.match(await tab2.takeType('alarm', (a) => a.kind === 'renamed'), { name: newName }, 'the other tab learns the new name too')
    const presence = await bob.ok('presence-ok', { type: 'presence', room: r1 })
    t.same(
      presence.members.find((m) => m.userId === ok.userId),
      { userId: ok.userId, name: newName },
      'presence shows the new name',
    )
    t.same(await tab1.ok('rename-ok', { type: 'rename', id: 'same', name: newName }), { type: 'rename-ok', id: 'same', name: newName }, 'renaming to the current name: rename-ok')
    t.same(await bob.framesBeforePong(), [], 'and no alarm: nothing changed')
  })

  t.test('§4 rename to a name another online user has is refused with name-taken, case-insensitively', { clauses: ['SES-24'] }, async (t) => {
    const taken = uniqueName('kim')
    await target.login(t, { name: taken, rooms: [] })
    const { wire } = await target.login(t, { name: uniqueName('lee'), rooms: [] })
    t.match(await wire.request({ type: 'rename', name: taken.toUpperCase() }), { type: 'error', code: 'name-taken', retryable: false })
  })

  t.test('§4 login with a name another online user has is refused with name-taken, case-insensitively', { clauses: ['SES-4'] }, async (t) => {
    const taken = uniqueName('max')
    await target.login(t, { name: taken, rooms: [] })
    const wire = await target.open(t)
    t.match(await wire.request({ type: 'login', name: taken.toUpperCase(), rooms: [] }), { type: 'error', code: 'name-taken', retryable: false })
    const other = uniqueName('max')
    t.match(await wire.request({ type: 'login', name: other, rooms: [] }), { type: 'login-ok', name: other }, 'a second login attempt may succeed')
  })

  t.test('§4 logout answers logout-ok, closes with 1000, and the others see the user leave', { clauses: ['SES-27', 'SES-28', 'ENV-4', 'ROOM-36', 'CLOSE-1000', 'RECON-4'] }, async (t) => {
    const room = uniqueRoom('bye')
    const name = uniqueName('ana')
    const { wire: bob } = await target.login(t, { name: uniqueName('bob'), rooms: [{ room }] })
    const { wire: ana, ok } = await target.login(t, { name, rooms: [{ room }] })
    await bob.next('alarm')
    ana.send({ type: 'logout', id: 'out' })
    ana.send({ type: 'ping', id: 'after' })
    t.same(await ana.next(), { type: 'logout-ok', id: 'out' }, 'logout-ok')
    t.same(await ana.closed(), { code: 1000, reason: CloseCodes[1000].name }, 'then close 1000')
    t.same(ana.pending(), [], 'nothing after logout-ok: the ping sent after logout got no reply')
    t.match(await bob.next('alarm'), { kind: 'left', room, userId: ok.userId, name })
    await t.resolves(target.login(t, { name, rooms: [] }), 'the name is free again')
  })

  t.test('§4 a second login on a logged-in connection is refused with already-logged-in', { clauses: ['SES-15'] }, async (t) => {
    const { wire } = await target.login(t, { name: uniqueName('twice'), rooms: [] })
    t.match(await wire.request({ type: 'login', rooms: [] }), { type: 'error', code: 'already-logged-in', retryable: false })
  })

  t.test('§4 before login every request except login and ping is refused with not-logged-in', { clauses: ['SES-2'] }, async (t) => {
    const wire = await target.open(t)
    const room = uniqueRoom('pre')
    const frames: Record<string, Record<string, unknown>> = {
      rename: { name: uniqueName('x') },
      logout: {},
      'join-room': { room },
      'leave-room': { room },
      presence: { room },
      typing: { room, typing: true },
      chat: { room, text: 'hi' },
      history: { room },
      dm: { to: 'u_nobody', text: 'hi' },
      register: { password: 'a long password' },
      'change-password': { password: 'a long password', newPassword: 'another password' },
      'delete-account': { password: 'a long password' },
      sessions: {},
      'revoke-session': { sessionId: 'abc123' },
      'find-users': { prefix: 'an' },
      'dm-read': { userId: 'u_nobody', seq: 1 },
    }
    // Request types of 1.2.0, tried against servers that speak it (an older one answers unknown-type).
    const since12: Record<string, Record<string, unknown>> = {
      'room-info': { room },
      'set-room': { room, topic: 'x' },
      'set-role': { room, userId: 'u_nobody', role: 'moderator' },
      invite: { room, userId: 'u_nobody' },
      'list-rooms': {},
    }
    // Request types of 1.3.0 (the life of a message, moderation, blocks, DM typing, DM history), likewise.
    const since13: Record<string, Record<string, unknown>> = {
      edit: { room, seq: 1, text: 'x' },
      delete: { room, seq: 1 },
      react: { room, seq: 1, emoji: '👍' },
      read: { room, seq: 1 },
      search: { query: 'x' },
      kick: { room, userId: 'u_nobody' },
      ban: { room, userId: 'u_nobody' },
      unban: { room, userId: 'u_nobody' },
      mute: { room, userId: 'u_nobody' },
      unmute: { room, userId: 'u_nobody' },
      restrictions: { room },
      block: { userId: 'u_nobody' },
      unblock: { userId: 'u_nobody' },
      'dm-typing': { to: 'u_nobody', typing: true },
      'dm-history': { userId: 'u_nobody' },
    }
    if (!namespacesSkip(target.welcome)) Object.assign(frames, since12)
    if (!lifecycleSkip(target.welcome)) Object.assign(frames, since13)
    const notSpoken = (k: string): boolean => (namespacesSkip(target.welcome) !== false && k in since12) || (lifecycleSkip(target.welcome) !== false && k in since13)
    t.same(
      Object.keys(frames).sort(),
      Object.keys(ClientFrames)
        .filter((k) => k !== 'login' && k !== 'ping' && !notSpoken(k))
        .sort(),
      'every other client frame is tried',
    )
    for (const [type, fields] of Object.entries(frames)) {
      t.match(await wire.request({ type, ...fields }), { type: 'error', code: 'not-logged-in', retryable: false }, type)
    }
    t.equal((await wire.request({ type: 'ping' })).type, 'pong', 'ping is allowed')
  })

  t.test('§4 no successful login within loginTimeoutMs closes with 4001', { clauses: ['SES-30', 'CLOSE-4001'], skip: skipLongTimer('loginTimeoutMs', loginTimeoutMs, target) }, async (t) => {
    const wire = await target.open(t)
    await target.wait(loginTimeoutMs)
    t.same(await wire.closed(loginTimeoutMs + 2_000), { code: 4001, reason: CloseCodes[4001].name })
  })

  t.test('§4 a failed login does not stop the login deadline', { clauses: ['SES-31'], skip: skipLongTimer('loginTimeoutMs', loginTimeoutMs, target) }, async (t) => {
    const wire = await target.open(t)
    t.match(await wire.request({ type: 'login', session: 'BBBBBBBBBBBBBBBBBBBBBBBB', rooms: [] }), { code: 'invalid-session' })
    t.equal((await wire.request({ type: 'ping' })).type, 'pong', 'a ping, which does not extend it either')
    await target.wait(loginTimeoutMs)
    t.equal((await wire.closed(loginTimeoutMs + 2_000)).code, 4001)
  })

  t.test('§4 a logged-in connection outlives the login deadline', { clauses: ['SES-30'], skip: skipLongTimer('loginTimeoutMs', loginTimeoutMs, target) }, async (t) => {
    const { wire } = await target.login(t, { name: uniqueName('stay'), rooms: [] })
    await target.wait(loginTimeoutMs + 300)
    t.equal((await wire.request({ type: 'ping' })).type, 'pong')
    t.notOk(wire.isClosed)
  })
}
