// PROTOCOL.md §4 Accounts and sessions, §8 DM conversations (protocol 1.1.0):
// register, reserved names, password login, the session list, revoking
// (close 4011), change-password, delete-account, logout revoking its key,
// memberships, find-users and dm-read — and a 1.0.0 login still working.
// Skipped against a server that announces 1.0.0 or token authentication
// (accounts then come from the token).
import type { ServerFrameOf } from '@wirechat/protocol'
import type { Test } from '../harness.ts'
import { type Target, uniqueName, uniqueRoom } from '../target.ts'
import type { Teardown } from '../wire.ts'

/** The checks speak 1.1.0; the last one logs in as a 1.0.0 client. */
const V = '1.1.0'
const PASSWORD = 'kit password 1'
const NEW_PASSWORD = 'kit password 2'

/** Why the account checks cannot run against this server, or false when they can. */
export function accountsSkip(welcome: ServerFrameOf<'welcome'>): string | false {
  const [major, minor] = welcome.version.split('.').map(Number) as [number, number]
  if (major === 1 && minor < 1) return `the server speaks ${welcome.version}; accounts are 1.1.0`
  if (welcome.authRequired) return 'the server requires tokens: accounts come from the token'
  return false
}

export default async function checks(t: Test, target: Target): Promise<void> {
  const skip = accountsSkip(target.welcome)

  /** A logged-in, registered user. */
  const registered = async (tt: Teardown, base = 'acct', rooms: string[] = []) => {
    const name = uniqueName(base)
    const { wire, ok } = await target.login(tt, { name, rooms: rooms.map((room) => ({ room })), device: 'Kit first', version: V })
    await wire.ok('register-ok', { type: 'register', password: PASSWORD })
    return { wire, ok, name }
  }
  const passwordLogin = (tt: Teardown, name: string, password = PASSWORD) => target.login(tt, { name, password, rooms: [], device: 'Kit second', version: V })

  t.test('§4 register: the name becomes an account with the same user id; register twice is already-registered', { clauses: ['ACC-1', 'ACC-2', 'SES-18'], skip }, async (t) => {
    const name = uniqueName('reg')
    const { wire, ok } = await target.login(t, { name, rooms: [], version: V })
    t.equal(ok.registered, false, 'a guest logs in unregistered')
    t.type(ok.sessionId, 'string', 'login-ok carries the sessionId')
    t.same(await wire.ok('register-ok', { type: 'register', id: 'reg1', password: PASSWORD }), { type: 'register-ok', id: 'reg1', userId: ok.userId, name })
    t.match(await wire.request({ type: 'register', id: 'reg2', password: PASSWORD }), { type: 'error', id: 'reg2', code: 'already-registered', retryable: false })
  })

  t.test('§4 a registered name is reserved, online and offline: name-reserved for login and rename', { clauses: ['ACC-1', 'SES-24'], skip }, async (t) => {
    const { wire, name } = await registered(t, 'owned')
    const other = await target.open(t)
    t.match(await other.request({ type: 'login', name: name.toUpperCase(), rooms: [] }), { type: 'error', code: 'name-reserved' }, 'online, another case')
    wire.send({ type: 'logout' })
    await wire.closed()
    t.match(await other.request({ type: 'login', name, rooms: [] }), { type: 'error', code: 'name-reserved' }, 'offline')
    const { wire: guest } = await target.login(t, { name: uniqueName('guest'), rooms: [], version: V })
    t.match(await guest.request({ type: 'rename', name }), { type: 'error', code: 'name-reserved' }, 'rename')
  })

  t.test('§4 password login: same user id, a new session; wrong password and unknown name are the same auth-failed', { clauses: ['ACC-4', 'ACC-5', 'ACC-6'], skip }, async (t) => {
    const { ok, name } = await registered(t, 'device')
    const { ok: second } = await passwordLogin(t, name)
    t.match(second, { userId: ok.userId, name, registered: true })
    t.not(second.session, ok.session, 'a new session key')
    t.not(second.sessionId, ok.sessionId, 'a new sessionId')
    const wrong = await (await target.open(t)).request({ type: 'login', name, password: 'not the password', rooms: [] })
    const unknown = await (await target.open(t)).request({ type: 'login', name: uniqueName('nobody'), password: 'not the password', rooms: [] })
    t.match(wrong, { type: 'error', code: 'auth-failed', retryable: false })
    t.match(unknown, { type: 'error', code: 'auth-failed' })
    t.equal((unknown as ServerFrameOf<'error'>).message, (wrong as ServerFrameOf<'error'>).message, 'the same message: neither tells whether the name exists')
    const bad = await target.open(t)
    t.match(await bad.request({ type: 'login', password: PASSWORD, rooms: [] }), { type: 'error', code: 'bad-frame' }, 'a password without a name')
    t.match(await bad.request({ type: 'login', name, password: PASSWORD, session: ok.session, rooms: [] }), { type: 'error', code: 'bad-frame' }, 'a password with a session')
  })

  t.test(
    '§4 sessions lists the devices; revoke-session closes the revoked connection with 4011, is idempotent, and the key stops working',
    { clauses: ['ACC-11', 'ACC-12', 'SES-20'], skip },
    async (t) => {
      const { wire, ok, name } = await registered(t, 'revoke')
      const { wire: second, ok: secondOk } = await passwordLogin(t, name)
      const list = await wire.ok('sessions-ok', { type: 'sessions' })
      const mine = list.sessions.find((s) => s.sessionId === ok.sessionId)
      const theirs = list.sessions.find((s) => s.sessionId === secondOk.sessionId)
      t.match(mine, { current: true, device: 'Kit first' })
      t.match(theirs, { current: false, device: 'Kit second' })
      const { wire: stranger } = await target.login(t, { name: uniqueName('stranger'), rooms: [], version: V })
      t.match(await stranger.request({ type: 'revoke-session', sessionId: secondOk.sessionId }), { type: 'error', code: 'session-not-found' }, "another user's sessionId")
      t.same(await wire.ok('revoke-session-ok', { type: 'revoke-session', id: 'rv1', sessionId: secondOk.sessionId }), { type: 'revoke-session-ok', id: 'rv1', sessionId: secondOk.sessionId })
      t.same(await second.closed(), { code: 4011, reason: 'session-revoked' })
      await wire.ok('revoke-session-ok', { type: 'revoke-session', sessionId: secondOk.sessionId })
      t.match(await (await target.open(t)).request({ type: 'login', session: secondOk.session, rooms: [] }), { type: 'error', code: 'invalid-session' })
    },
  )

  t.test('§4 change-password: a guest gets not-registered, a wrong password auth-failed; success closes the other sessions with 4011', { clauses: ['ACC-8', 'ACC-9', 'ACC-12'], skip }, async (t) => {
    const { wire: guest } = await target.login(t, { name: uniqueName('guest'), rooms: [], version: V })
    t.match(await guest.request({ type: 'change-password', password: PASSWORD, newPassword: NEW_PASSWORD }), { type: 'error', code: 'not-registered' })
    const { wire, name } = await registered(t, 'change')
    const { wire: second } = await passwordLogin(t, name)
    t.match(await wire.request({ type: 'change-password', password: 'not the password', newPassword: NEW_PASSWORD }), { type: 'error', code: 'auth-failed' })
    await wire.ok('change-password-ok', { type: 'change-password', password: PASSWORD, newPassword: NEW_PASSWORD })
    t.same(await second.closed(), { code: 4011, reason: 'session-revoked' })
    t.equal((await wire.request({ type: 'ping' })).type, 'pong', 'this connection stays')
    await passwordLogin(t, name, NEW_PASSWORD)
  })

  t.test('§4 delete-account: delete-account-ok, then close 1000; the name is free again', { clauses: ['ACC-8', 'ACC-10'], skip }, async (t) => {
    const { wire, name } = await registered(t, 'delete')
    t.match(await wire.request({ type: 'delete-account', password: 'not the password' }), { type: 'error', code: 'auth-failed' })
    await wire.ok('delete-account-ok', { type: 'delete-account', password: PASSWORD })
    t.same(await wire.closed(), { code: 1000, reason: 'normal' })
    const { ok } = await target.login(t, { name, rooms: [], version: V })
    t.equal(ok.registered, false, 'a guest may take the name')
  })

  t.test('§4 logout revokes the key it used', { clauses: ['SES-20'], skip }, async (t) => {
    const { wire, ok } = await target.login(t, { name: uniqueName('leaver'), rooms: [], version: V })
    await wire.ok('logout-ok', { type: 'logout' })
    t.match(await (await target.open(t)).request({ type: 'login', session: ok.session, rooms: [] }), { type: 'error', code: 'invalid-session' })
  })

  t.test("§4 logout closes the other connections of its key with 4011; the user's other sessions stay", { clauses: ['SES-29'], skip }, async (t) => {
    const { wire, ok, name } = await registered(t, 'tabs')
    const { wire: tab } = await target.login(t, { session: ok.session, rooms: [], version: V })
    const { wire: other } = await passwordLogin(t, name)
    await wire.ok('logout-ok', { type: 'logout' })
    t.same(await tab.closed(), { code: 4011, reason: 'session-revoked' }, 'the tab sharing the key')
    t.equal((await other.request({ type: 'ping' })).type, 'pong', 'another session of the user stays')
  })

  t.test('§4 memberships: a login without rooms rejoins the rooms joined before, not the ones left', { clauses: ['SES-21', 'SES-22', 'ACC-4'], skip }, async (t) => {
    const [kept, left] = [uniqueRoom('kept'), uniqueRoom('left')]
    const { wire, name } = await registered(t, 'member', [kept, left])
    await wire.ok('leave-room-ok', { type: 'leave-room', room: left })
    const { ok } = await target.login(t, { name, password: PASSWORD, version: V })
    t.same(
      ok.rooms.map((r) => r.room),
      [kept],
    )
  })

  t.test('§8 dm-read: the marker in force comes back, the other connections get a dm-read push; login-ok lists the conversation', { clauses: ['DM-11', 'DM-12', 'DM-13'], skip }, async (t) => {
    const { wire, ok, name } = await registered(t, 'reader')
    const { wire: other } = await passwordLogin(t, name)
    const { wire: bob, ok: bobOk } = await target.login(t, { name: uniqueName('bob'), rooms: [], version: V })
    await bob.ok('dm-ok', { type: 'dm', to: ok.userId, text: 'one' })
    const pushed = await wire.takeType('dm')
    await other.takeType('dm')
    const { ok: third } = await passwordLogin(t, name)
    t.match(third.dms, [{ userId: bobOk.userId, last: { text: 'one' }, unread: 1 }], 'the conversation with one unread DM')
    t.same(await wire.ok('dm-read-ok', { type: 'dm-read', id: 'mr1', userId: bobOk.userId, seq: pushed.message.seq }), { type: 'dm-read-ok', id: 'mr1', userId: bobOk.userId, seq: pushed.message.seq })
    t.same(await other.takeType('dm-read'), { type: 'dm-read', userId: bobOk.userId, seq: pushed.message.seq })
    t.match(await wire.request({ type: 'dm-read', userId: bobOk.userId, seq: 0 }), { type: 'dm-read-ok', seq: pushed.message.seq }, 'never moves back')
    t.match(await wire.request({ type: 'dm-read', userId: 'no-such-user-4d5e6f', seq: 1 }), { type: 'error', code: 'user-not-found' })
  })

  t.test('§4 find-users finds registered names by prefix, compared like names', { clauses: ['ACC-14'], skip }, async (t) => {
    const { ok, name } = await registered(t, 'findme')
    const { wire } = await target.login(t, { name: uniqueName('finder'), rooms: [], version: V })
    const found = await wire.ok('find-users-ok', { type: 'find-users', prefix: name.toUpperCase(), limit: 5 })
    t.match(found.users, [{ userId: ok.userId, name, registered: true, online: true }])
  })

  t.test('§4 a 1.0.0 login (no password, device or new fields) still works, and so does its session key', { clauses: ['OVR-6', 'SES-16'], skip }, async (t) => {
    const name = uniqueName('old')
    const { wire, ok } = await target.login(t, { name, rooms: [{ room: 'lobby' }] })
    t.match(ok, { type: 'login-ok', name, session: String, userId: String })
    t.same([ok.sessionId, ok.registered, ok.dms], [undefined, undefined, undefined], 'its login-ok has no 1.1.0 field')
    wire.close()
    await wire.closed()
    const { ok: again } = await target.login(t, { session: ok.session, rooms: [] })
    t.equal(again.userId, ok.userId)
  })
}
