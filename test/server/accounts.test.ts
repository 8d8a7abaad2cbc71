// Accounts and sessions (protocol 1.1.0) against a real server: register,
// reserved names, password login from a second device (same id, rooms, DM
// conversations), dm-read, change-password, delete-account, logout revoking,
// the session list and revoke-session, sliding expiry, the log, brute force.
// The memory store until the SQL stores implement the account methods.
import t, { type Test } from 'tap'
import type { ServerFrameOf } from '../../protocol/index.ts'
import type { Config } from '../../server/config.ts'
import { captureLog } from '../helpers/log.ts'
import { RawClient } from '../helpers/raw-client.ts'
import { startServer } from '../helpers/server.ts'

const PASSWORD = 'correct horse battery'
const base: Partial<Config> = { store: 'memory' }

async function registered(t: Test, url: string, name: string, login: Record<string, unknown> = {}) {
  const { client, login: ok } = await RawClient.login(t, url, { name, version: '1.1.0', ...login })
  t.match(await client.request({ type: 'register', password: PASSWORD }), { type: 'register-ok', userId: ok.userId, name })
  return { client, login: ok }
}

async function passwordLogin(t: Test, url: string, name: string, extra: Record<string, unknown> = {}, password = PASSWORD) {
  const client = await RawClient.connect(t, url)
  return { client, reply: await client.request({ type: 'login', version: '1.1.0', name, password, ...extra }) }
}

t.test('register: the name is owned online and offline; register twice is refused', async (t) => {
  const server = await startServer(t, base)
  const { client: ana, login } = await registered(t, server.url, 'Ana')
  t.match(await ana.request({ type: 'register', password: PASSWORD }), { type: 'error', code: 'already-registered' })

  // Online: name-reserved (not name-taken) for look-alikes too.
  const other = await RawClient.connect(t, server.url)
  t.match(await other.request({ type: 'login', version: '1.1.0', name: 'ana' }), { type: 'error', code: 'name-reserved' })
  const { client: guest } = await RawClient.login(t, server.url, { version: '1.1.0', name: 'guesty' })
  t.match(await guest.request({ type: 'rename', name: 'ANA' }), { type: 'error', code: 'name-reserved' })

  // Offline: still reserved.
  ana.close()
  await ana.closed()
  t.match(await other.request({ type: 'login', version: '1.1.0', name: 'Ana' }), { type: 'error', code: 'name-reserved' })
  t.match(await guest.request({ type: 'rename', name: 'ana' }), { type: 'error', code: 'name-reserved' })

  // The owner's own key still logs in with the name; login-ok says registered.
  const again = await RawClient.connect(t, server.url)
  t.match(await again.request({ type: 'login', version: '1.1.0', session: login.session }), { type: 'login-ok', userId: login.userId, name: 'Ana', registered: true })
  t.match(await guest.request({ type: 'register', password: 'short' }), { type: 'error', code: 'bad-frame' }, 'a password under 8 characters')
})

t.test('a second device logs in with the password: same id, its rooms and DM conversations with unread counts', async (t) => {
  const server = await startServer(t, base)
  const { client: ana, login } = await registered(t, server.url, 'ana', { rooms: [{ room: 'tea' }], device: 'Laptop' })
  t.match(await ana.request({ type: 'join-room', room: 'garden' }), { type: 'join-room-ok' })
  t.match(await ana.request({ type: 'join-room', room: 'scratch' }), { type: 'join-room-ok' })
  t.match(await ana.request({ type: 'leave-room', room: 'scratch' }), { type: 'leave-room-ok' })
  const { client: bob, login: bobLogin } = await RawClient.login(t, server.url, { version: '1.1.0', name: 'bob', rooms: [] })
  t.match(await bob.request({ type: 'dm', to: login.userId, text: 'one' }), { type: 'dm-ok' })
  t.match(await bob.request({ type: 'dm', to: login.userId, text: 'two' }), { type: 'dm-ok' })
  t.match(await ana.request({ type: 'dm', to: bobLogin.userId, text: 'hi bob' }), { type: 'dm-ok' })
  t.match(await bob.request({ type: 'dm', to: login.userId, text: 'three' }), { type: 'dm-ok' })

  const { client: phone, reply } = await passwordLogin(t, server.url, 'ANA', { device: 'Phone' })
  const ok = reply as ServerFrameOf<'login-ok'>
  t.match(ok, { type: 'login-ok', userId: login.userId, name: 'ana', registered: true })
  t.not(ok.session, login.session, 'a new session key')
  t.not(ok.sessionId, login.sessionId, 'a new session')
  t.same(
    ok.rooms.map((r) => r.room),
    ['tea', 'garden'],
    'the memberships in join order, without the room left',
  )
  t.match(ok.dms, [{ userId: bobLogin.userId, name: 'bob', last: { text: 'three', from: bobLogin.userId }, unread: 3 }])

  // dm-read on the phone clears the badge on the laptop too.
  const lastSeq = ok.dms![0]!.last.seq
  t.match(await phone.request({ type: 'dm-read', userId: bobLogin.userId, seq: lastSeq }), { type: 'dm-read-ok', userId: bobLogin.userId, seq: lastSeq })
  t.same(await ana.take((f) => f.type === 'dm-read'), { type: 'dm-read', userId: bobLogin.userId, seq: lastSeq })
  t.same(
    (await phone.framesBeforePong()).filter((f) => f.type === 'dm-read'),
    [],
    'the connection that marked gets the reply only',
  )
  t.match(await phone.request({ type: 'dm-read', userId: bobLogin.userId, seq: 1 }), { type: 'dm-read-ok', seq: lastSeq }, 'markers never move back')
  t.match(await phone.request({ type: 'dm-read', userId: 'u_nobody', seq: 1 }), { type: 'error', code: 'user-not-found' })
  const { reply: third } = await passwordLogin(t, server.url, 'ana', { rooms: [] })
  t.match(third, { type: 'login-ok', rooms: [], dms: [{ userId: bobLogin.userId, unread: 0 }] }, 'rooms: [] still joins none; unread is 0 everywhere now')

  // Unknown name and wrong password: the same error and message.
  const { reply: wrong } = await passwordLogin(t, server.url, 'ana', {}, 'not the password')
  const { reply: unknown } = await passwordLogin(t, server.url, 'nobody-here', {}, 'not the password')
  t.match(wrong, { type: 'error', code: 'auth-failed', message: 'The name or password is wrong.' })
  t.same({ ...unknown, id: undefined }, { ...wrong, id: undefined }, 'unknown name and wrong password look the same')
  const bad = await RawClient.connect(t, server.url)
  t.match(await bad.request({ type: 'login', version: '1.1.0', password: PASSWORD }), { type: 'error', code: 'bad-frame' }, 'a password without a name')
  t.match(await bad.request({ type: 'login', version: '1.1.0', name: 'ana', password: PASSWORD, session: login.session }), { type: 'error', code: 'bad-frame' }, 'a password with a session')
})

t.test('a new user joins lobby; a returning guest rejoins its memberships', async (t) => {
  const server = await startServer(t, base)
  const { client, login } = await RawClient.login(t, server.url, { version: '1.1.0' })
  t.same(
    login.rooms.map((r) => r.room),
    ['lobby'],
  )
  t.equal(login.registered, false)
  t.same(login.dms, [])
  t.match(await client.request({ type: 'join-room', room: 'tea' }), { type: 'join-room-ok' })
  t.match(await client.request({ type: 'leave-room', room: 'lobby' }), { type: 'leave-room-ok' })
  client.close()
  await client.closed()
  const { login: back } = await RawClient.login(t, server.url, { version: '1.1.0', session: login.session })
  t.same(
    back.rooms.map((r) => r.room),
    ['tea'],
  )
  t.equal(back.sessionId, login.sessionId, 'the same session')
})

t.test('change-password revokes the other sessions (4011) and keeps this one; the old password stops working', async (t) => {
  const server = await startServer(t, base)
  const { client: laptop } = await registered(t, server.url, 'ana')
  const { client: phone } = await passwordLogin(t, server.url, 'ana')
  t.match(await laptop.request({ type: 'change-password', password: 'wrong password', newPassword: 'new password!' }), { type: 'error', code: 'auth-failed' })
  t.match(await laptop.request({ type: 'change-password', password: PASSWORD, newPassword: 'new password!' }), { type: 'change-password-ok' })
  t.same(await phone.closed(), { code: 4011, reason: 'session-revoked' })
  t.equal((await laptop.request({ type: 'ping' })).type, 'pong', 'the changing connection stays')
  t.match((await passwordLogin(t, server.url, 'ana')).reply, { type: 'error', code: 'auth-failed' })
  t.match((await passwordLogin(t, server.url, 'ana', {}, 'new password!')).reply, { type: 'login-ok' })

  const { client: guest } = await RawClient.login(t, server.url, { version: '1.1.0', name: 'guesty' })
  t.match(await guest.request({ type: 'change-password', password: PASSWORD, newPassword: 'new password!' }), { type: 'error', code: 'not-registered' })
  t.match(await guest.request({ type: 'delete-account', password: PASSWORD }), { type: 'error', code: 'not-registered' })
})

t.test('delete-account frees the name, closes this connection with 1000 and the others with 4011', async (t) => {
  const server = await startServer(t, base)
  const { client: laptop, login } = await registered(t, server.url, 'ana')
  const { client: phone } = await passwordLogin(t, server.url, 'ana')
  t.match(await laptop.request({ type: 'delete-account', password: 'wrong password' }), { type: 'error', code: 'auth-failed' })
  t.match(await laptop.request({ type: 'delete-account', password: PASSWORD }), { type: 'delete-account-ok' })
  t.same(await laptop.closed(), { code: 1000, reason: 'normal' })
  t.same(await phone.closed(), { code: 4011, reason: 'session-revoked' })
  t.match((await passwordLogin(t, server.url, 'ana')).reply, { type: 'error', code: 'auth-failed' })
  const again = await RawClient.connect(t, server.url)
  t.match(await again.request({ type: 'login', version: '1.1.0', session: login.session }), { type: 'error', code: 'invalid-session' })
  const { login: newAna } = await RawClient.login(t, server.url, { version: '1.1.0', name: 'ana' })
  t.not(newAna.userId, login.userId, 'the name is free; the user id is not reused')
})

t.test('logout revokes its key; sessions and revoke-session', async (t) => {
  const server = await startServer(t, base)
  const { client: laptop, login } = await registered(t, server.url, 'ana', { device: 'Laptop' })
  const { client: phone, reply } = await passwordLogin(t, server.url, 'ana', { device: 'Phone' })
  const phoneLogin = reply as ServerFrameOf<'login-ok'>
  const tab = await RawClient.connect(t, server.url)
  t.match(await tab.request({ type: 'login', version: '1.1.0', session: phoneLogin.session, rooms: [] }), { type: 'login-ok' }, 'a second tab with the phone key')

  const list = (await laptop.request({ type: 'sessions' })) as ServerFrameOf<'sessions-ok'>
  t.equal(list.type, 'sessions-ok')
  t.same(
    list.sessions.map((s) => [s.sessionId, s.device, s.current]).sort(),
    [
      [login.sessionId, 'Laptop', true],
      [phoneLogin.sessionId, 'Phone', false],
    ].sort(),
  )

  // Another user's session id is not found, like an unknown one.
  const { client: bob } = await RawClient.login(t, server.url, { version: '1.1.0', name: 'bob' })
  t.match(await bob.request({ type: 'revoke-session', sessionId: login.sessionId! }), { type: 'error', code: 'session-not-found' })
  t.match(await laptop.request({ type: 'revoke-session', sessionId: 'no-such-session' }), { type: 'error', code: 'session-not-found' })

  t.match(await laptop.request({ type: 'revoke-session', sessionId: phoneLogin.sessionId! }), { type: 'revoke-session-ok', sessionId: phoneLogin.sessionId })
  t.same(await phone.closed(), { code: 4011, reason: 'session-revoked' })
  t.same(await tab.closed(), { code: 4011, reason: 'session-revoked' }, 'every connection of the session')
  t.match(await laptop.request({ type: 'revoke-session', sessionId: phoneLogin.sessionId! }), { type: 'revoke-session-ok' }, 'idempotent')
  const late = await RawClient.connect(t, server.url)
  t.match(await late.request({ type: 'login', version: '1.1.0', session: phoneLogin.session }), { type: 'error', code: 'invalid-session' })

  // Logout: the key no longer logs in.
  t.match(await laptop.request({ type: 'logout' }), { type: 'logout-ok' })
  t.same(await laptop.closed(), { code: 1000, reason: 'normal' })
  const afterLogout = await RawClient.connect(t, server.url)
  t.match(await afterLogout.request({ type: 'login', version: '1.1.0', session: login.session }), { type: 'error', code: 'invalid-session' })

  // Revoking the current session: the reply, then 4011.
  const { client: self, reply: selfReply } = await passwordLogin(t, server.url, 'ana')
  const sessionId = (selfReply as ServerFrameOf<'login-ok'>).sessionId!
  t.match(await self.request({ type: 'revoke-session', sessionId }), { type: 'revoke-session-ok', sessionId })
  t.same(await self.closed(), { code: 4011, reason: 'session-revoked' })
})

t.test('sliding expiry: a key used within the TTL keeps working, an unused one expires', async (t) => {
  const ttl = 1_500
  const server = await startServer(t, { ...base, sessionTtlMs: ttl })
  const { client, login } = await RawClient.login(t, server.url, { version: '1.1.0', rooms: [] })
  client.close()
  await client.closed()
  const tryKey = async () => {
    const c = await RawClient.connect(t, server.url)
    const reply = await c.request({ type: 'login', version: '1.1.0', session: login.session, rooms: [] })
    c.close()
    return reply
  }
  // Used again and again, past the first expiry time: each use moves it.
  const firstExpiry = Date.now() + ttl
  while (Date.now() < firstExpiry + ttl / 2) {
    t.match(await tryKey(), { type: 'login-ok' }, 'still valid while used')
    await new Promise((resolve) => setTimeout(resolve, ttl / 5))
  }
  // Then left alone for longer than the TTL after its last use (any login with it would move the expiry): it expired.
  await new Promise((resolve) => setTimeout(resolve, ttl + 300))
  t.match(await tryKey(), { type: 'error', code: 'invalid-session' })
})

t.test('brute force: past the per-account limit, rate-limited with retryAfterMs and no KDF; per address too [ACC-7]', async (t) => {
  const server = await startServer(t, { ...base, loginFailuresPerAccount: 3, loginFailuresPerAddress: 5, loginFailureWindowMs: 60_000 })
  await registered(t, server.url, 'ana')
  await registered(t, server.url, 'bob')
  const client = await RawClient.connect(t, server.url)
  for (let i = 0; i < 3; i++) t.match(await client.request({ type: 'login', version: '1.1.0', name: 'ana', password: `guess number ${i}` }), { type: 'error', code: 'auth-failed' })
  const limited = await client.request({ type: 'login', version: '1.1.0', name: 'ana', password: PASSWORD })
  t.match(limited, { type: 'error', code: 'rate-limited', retryable: true }, 'even the right password, without checking it')
  t.ok((limited as { retryAfterMs?: number }).retryAfterMs! > 0 && (limited as { retryAfterMs?: number }).retryAfterMs! <= 60_000, 'retryAfterMs within the window')
  // Another account from the same address: two more failures reach the address limit.
  for (let i = 0; i < 2; i++) t.match(await client.request({ type: 'login', version: '1.1.0', name: 'bob', password: `guess number ${i}` }), { type: 'error', code: 'auth-failed' })
  t.match(await client.request({ type: 'login', version: '1.1.0', name: 'bob', password: PASSWORD }), { type: 'error', code: 'rate-limited' }, 'the address limit')
  t.match(await client.request({ type: 'login', version: '1.1.0', name: 'nobody', password: PASSWORD }), { type: 'error', code: 'rate-limited' }, 'unknown names count the same')
  // Another address is not limited for bob.
  const elsewhere = await RawClient.connect(t, server.url, { localAddress: '127.0.0.2' })
  t.match(await elsewhere.request({ type: 'login', version: '1.1.0', name: 'bob', password: PASSWORD }), { type: 'login-ok' })
})

t.test('passwords never reach the log', async (t) => {
  const captured = captureLog()
  const server = await startServer(t, { ...base, logLevel: 'trace' }, { logStream: captured.stream })
  const secret = 'pass-word-in-the-log?'
  const newSecret = 'new-pass-word-in-the-log?'
  const { client } = await RawClient.login(t, server.url, { version: '1.1.0', name: 'ana' })
  t.match(await client.request({ type: 'register', password: secret }), { type: 'register-ok' })
  t.match((await passwordLogin(t, server.url, 'ana', {}, 'wrong-pass-word-in-the-log')).reply, { type: 'error' })
  t.match((await passwordLogin(t, server.url, 'ana', {}, secret)).reply, { type: 'login-ok' })
  t.match(await client.request({ type: 'change-password', password: secret, newPassword: newSecret }), { type: 'change-password-ok' })
  t.match(await client.request({ type: 'delete-account', password: newSecret }), { type: 'delete-account-ok' })
  await client.closed()
  await new Promise((resolve) => setImmediate(resolve))
  const log = captured.text()
  t.ok(log.length > 0, 'something was logged')
  for (const word of [secret, newSecret, 'wrong-pass-word-in-the-log', 'scrypt$']) t.notOk(log.includes(word), `"${word}" is not in the log`)
})

t.test('find-users: online users first, then registered names, the asker excluded', async (t) => {
  const server = await startServer(t, base)
  const { client: ana } = await registered(t, server.url, 'ana')
  const { client: anabel } = await registered(t, server.url, 'anabel')
  anabel.close()
  await anabel.closed()
  await RawClient.login(t, server.url, { version: '1.1.0', name: 'anna', rooms: [] })
  await RawClient.login(t, server.url, { version: '1.1.0', name: 'bob', rooms: [] })
  const found = (await ana.request({ type: 'find-users', prefix: 'AN' })) as ServerFrameOf<'find-users-ok'>
  t.same(
    found.users.map((u) => [u.name, u.online, u.registered]),
    [
      ['anna', true, false],
      ['anabel', false, true],
    ],
  )
  t.match(await ana.request({ type: 'find-users', prefix: 'an', limit: 1 }), { users: [{ name: 'anna' }] })
})
