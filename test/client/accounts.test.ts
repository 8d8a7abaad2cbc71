// Accounts and sessions through the library, against the real server: login
// announces 1.1.0 and exposes sessionId/registered/dms, the account methods
// resolve with their replies, and a revoked session ends for good (4011).
import { SignJWT } from 'jose'
import t from 'tap'
import { isChatError, PROTOCOL_VERSION } from '../../client/index.ts'
import { PROTOCOL_VERSION as SPEC_VERSION } from '../../protocol/index.ts'
import { collect, connectAndLogin, createTestClient, nextEvent } from '../helpers/chat-client.ts'
import { startServer } from '../helpers/server.ts'

const PASSWORD = 'correct horse'

t.test('the client announces the protocol version it implements', async (t) => {
  t.equal(PROTOCOL_VERSION, SPEC_VERSION, 'the bundled constant follows protocol/primitives.ts')
  const server = await startServer(t)
  const { client } = createTestClient(t, server)
  const sent = collect(client, 'frame')
  await client.connect()
  const info = await client.login({ name: 'ana' })
  t.match(info, { name: 'ana', registered: false, sessionId: /^[A-Za-z0-9_-]+$/, dms: [] }, 'login-ok carries the 1.1.0 fields')
  t.equal(client.sessionId, info.sessionId)
  t.ok(sent.some((f) => f.type === 'login-ok' && f.sessionId !== undefined))
})

t.test('register, sign in on a second device with the same rooms and DMs, mark read, find users', async (t) => {
  const server = await startServer(t)
  const { client: ana } = await connectAndLogin(t, server, 'ana', ['lobby'])
  const { client: bob } = await connectAndLogin(t, server, 'bob', [])
  const registered = nextEvent(ana, 'registered')
  t.same(await ana.register(PASSWORD), { userId: ana.user!.userId, name: 'ana' })
  t.same(await registered, { userId: ana.user!.userId, name: 'ana' })
  t.equal(ana.registered, true)
  await ana.join('design')
  const dm = await bob.sendDm(ana.user!.userId, 'hi ana')

  const { client: ana2 } = createTestClient(t, server)
  await ana2.connect()
  const info = await ana2.login({ name: 'ANA', password: PASSWORD, device: 'Test device' })
  t.equal(info.userId, ana.user!.userId, 'same user id on the second device')
  t.equal(info.registered, true)
  t.not(info.sessionId, ana.sessionId, 'a new session')
  t.same([...ana2.rooms.keys()], ['lobby', 'design'], 'memberships are rejoined without rooms')
  t.match(info.dms, [{ userId: bob.user!.userId, name: 'bob', unread: 1, last: { seq: dm.seq, text: 'hi ana' } }])

  const list = await ana2.sessions()
  t.equal(list.length, 2)
  t.match(
    list.find((s) => s.current),
    { sessionId: info.sessionId, device: 'Test device' },
  )

  const pushed = nextEvent(ana, 'dm-read')
  const own = nextEvent(ana2, 'dm-read')
  t.equal(await ana2.markDmRead(bob.user!.userId, dm.seq), dm.seq)
  t.same(await pushed, { userId: bob.user!.userId, seq: dm.seq }, 'the other device hears of it')
  t.same(await own, { userId: bob.user!.userId, seq: dm.seq })

  t.match(await bob.findUsers('an'), [{ userId: ana.user!.userId, name: 'ana', online: true, registered: true }])
  t.same(await bob.findUsers('zz', 5), [])

  await t.rejects(ana.register(PASSWORD), { code: 'already-registered' })
  await t.rejects(ana.changePassword('wrong password', 'another one'), { code: 'auth-failed' })
})

t.test('dmHistory pages back through a DM conversation on a second device', async (t) => {
  const server = await startServer(t, { messagesPerSecond: 1000, messageBurst: 1000 })
  const { client: ana } = await connectAndLogin(t, server, 'ana', [])
  const { client: bob } = await connectAndLogin(t, server, 'bob', [])
  const sent = []
  for (let i = 1; i <= 7; i++) sent.push(await (i % 2 ? ana : bob).sendDm((i % 2 ? bob : ana).user!.userId, `dm ${i}`))
  const { client: ana2 } = createTestClient(t, server)
  await ana2.connect()
  await ana2.login({ session: ana.session!, rooms: [] })
  const newest = await ana2.dmHistory(bob.user!.userId, { limit: 4 })
  t.same(
    newest.messages.map((m) => m.text),
    ['dm 4', 'dm 5', 'dm 6', 'dm 7'],
  )
  t.equal(newest.hasMore, true)
  const older = await ana2.dmHistory(bob.user!.userId, { before: newest.messages[0]!.seq })
  t.same(
    older.messages.map((m) => m.text),
    ['dm 1', 'dm 2', 'dm 3'],
  )
  t.equal(older.hasMore, false)
  t.equal(older.messages[0]!.seq, sent[0]!.seq, "seqs are the user's inbox positions, as in dm events")
  await t.rejects(ana2.dmHistory('u_nobody'), { code: 'user-not-found' })
})

t.test('a wrong password is auth-failed and a reserved name is name-reserved', async (t) => {
  const server = await startServer(t)
  const { client: ana } = await connectAndLogin(t, server, 'ana', [])
  await ana.register(PASSWORD)
  const { client: other } = createTestClient(t, server)
  await other.connect()
  await t.rejects(other.login({ name: 'ana', password: 'not the password' }), { code: 'auth-failed' })
  await t.rejects(other.login({ name: 'ana' }), { code: 'name-reserved' })
})

t.test('revoking a session closes it with 4011: signed-out, no reconnect, session forgotten', async (t) => {
  const server = await startServer(t)
  const { client: ana } = await connectAndLogin(t, server, 'ana', [])
  await ana.register(PASSWORD)
  const { client: ana2, sockets, clock } = createTestClient(t, server)
  await ana2.connect()
  await ana2.login({ name: 'ana', password: PASSWORD, device: 'phone' })
  const signedOut = nextEvent(ana2, 'signed-out')
  const closed = nextEvent(ana2, 'state', (c) => c.to === 'closed')
  await ana.revokeSession(ana2.sessionId!)
  t.same(await signedOut, { code: 4011, reason: 'session-revoked' })
  t.match(await closed, { reason: 'terminal-close', code: 4011 })
  clock.advance(60_000)
  t.equal(sockets.length, 1, 'no reconnect attempt')
  t.equal(ana2.session, undefined, 'the dead key is forgotten')
  t.equal(ana2.user, undefined)
  t.equal(ana2.rooms.size, 0)
  t.same(
    (await ana.sessions()).map((s) => s.current),
    [true],
  )
  await t.rejects(ana.revokeSession('no-such-session'), { code: 'session-not-found' })
})

t.test('change-password revokes the other sessions; delete-account ends this one and frees the name', async (t) => {
  const server = await startServer(t)
  const { client: ana } = await connectAndLogin(t, server, 'ana', [])
  await ana.register(PASSWORD)
  const { client: ana2 } = createTestClient(t, server)
  await ana2.connect()
  await ana2.login({ name: 'ana', password: PASSWORD })
  const signedOut = nextEvent(ana2, 'signed-out')
  await ana.changePassword(PASSWORD, 'new password!')
  t.equal((await signedOut).code, 4011)

  await t.rejects(ana.deleteAccount(PASSWORD), { code: 'auth-failed' }, 'the old password no longer works')
  t.equal(ana.state, 'open', 'a refused delete leaves the connection as it was')
  const closed = nextEvent(ana, 'state', (c) => c.to === 'closed')
  await ana.deleteAccount('new password!')
  t.match(await closed, { reason: 'logout' })
  t.equal(ana.user, undefined)

  const { client: bob } = createTestClient(t, server)
  await bob.connect()
  t.match(await bob.login({ name: 'ana' }), { name: 'ana', registered: false }, 'the name is free again')
  const err = await bob.register('short').catch((e: unknown) => e)
  t.ok(isChatError(err, 'bad-frame'), 'a too-short password is refused by the schema')
})

t.test('a token that expires while connected ends the session with 4012: signed-out, no reconnect', async (t) => {
  const secret = 'a-test-secret-that-is-long-enough-for-hs256'
  const server = await startServer(t, { jwtSecret: secret, store: 'memory' })
  // exp is in whole seconds: 2 s ahead expires 1–2 s after login.
  const token = await new SignJWT({ sub: 'short-lived' })
    .setProtectedHeader({ alg: 'HS256' })
    .setExpirationTime(Math.floor(Date.now() / 1000) + 2)
    .sign(new TextEncoder().encode(secret))
  const { client, sockets, clock } = createTestClient(t, server)
  await client.connect()
  t.match(await client.login({ token }), { userId: 'short-lived' })
  t.same(await nextEvent(client, 'signed-out', () => true, 6_000), { code: 4012, reason: 'session-expired' })
  clock.advance(60_000)
  t.equal(sockets.length, 1, 'no reconnect with the expired token')
  t.equal(client.session, undefined)
})
