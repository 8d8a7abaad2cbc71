// The admin HTTP API against a real server: off without ADMIN_TOKEN (404),
// 401 without the right token, disconnect (4013) and server-wide ban (4014,
// every way of logging in refused, lifted by unban), system posts that nobody
// can impersonate, room deletion (the room is gone: record, roles and
// invitations too, and a later join follows the namespace's creation rules),
// and input validation with the error shape.
import { SignJWT } from 'jose'
import t, { type Test } from 'tap'
import type { ServerFrameOf } from '../../protocol/index.ts'
import type { Config } from '../../server/config.ts'
import { captureLog } from '../helpers/log.ts'
import { namespace, namespacesFile } from '../helpers/namespaces.ts'
import { RawClient } from '../helpers/raw-client.ts'
import { startServer, type TestServer } from '../helpers/server.ts'

const TOKEN = 'test-admin-token-0123456789abcdefghijkl'
const PASSWORD = 'correct horse battery'
const base: Partial<Config> = { store: 'memory', adminToken: TOKEN }

async function admin(server: TestServer, method: string, path: string, body?: unknown, token: string | null = TOKEN) {
  const headers: Record<string, string> = {}
  if (token !== null) headers.authorization = `Bearer ${token}`
  if (body !== undefined) headers['content-type'] = 'application/json'
  const res = await fetch(`${server.httpUrl}/admin${path}`, { method, headers, ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }) })
  const text = await res.text()
  return { status: res.status, body: text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>) }
}

async function registered(t: Test, url: string, name: string) {
  const { client, login } = await RawClient.login(t, url, { name, version: '1.2.0', rooms: [] })
  t.match(await client.request({ type: 'register', password: PASSWORD }), { type: 'register-ok' })
  return { client, login }
}

t.test('without ADMIN_TOKEN the API does not exist; with it, a wrong or missing token is 401', async (t) => {
  const off = await startServer(t, { store: 'memory' })
  t.equal((await admin(off, 'GET', '/users/u_x/connections')).status, 404)
  t.equal((await admin(off, 'GET', '/openapi.json')).status, 404)

  const server = await startServer(t, base)
  for (const token of [null, 'wrong', `${TOKEN}x`, TOKEN.slice(0, -1)]) {
    const res = await admin(server, 'POST', '/users/u_x/disconnect', {}, token)
    t.same(res, { status: 401, body: { error: 'unauthorized', message: res.body?.message } }, `token ${token === null ? 'missing' : 'wrong'}`)
  }
  const raw = await fetch(`${server.httpUrl}/admin/users/u_x/connections`, { headers: { authorization: TOKEN } })
  t.equal(raw.status, 401, 'the token without the Bearer scheme')
  t.equal((await admin(server, 'GET', '/users/u_x/connections')).status, 200)
})

t.test('ADMIN_TOKEN is checked at start: short values stop the server', async (t) => {
  await t.rejects(startServer(t, { store: 'memory', adminToken: 'short' }), /ADMIN_TOKEN/)
})

t.test('connections lists the user here; disconnect closes each with 4013, and the client can come back unless banned', async (t) => {
  const server = await startServer(t, base)
  const { client: laptop, login } = await registered(t, server.url, 'ana')
  const phone = await RawClient.connect(t, server.url)
  t.match(await phone.request({ type: 'login', version: '1.2.0', name: 'ana', password: PASSWORD, device: 'Phone' }), { type: 'login-ok', userId: login.userId })
  const { client: bob } = await RawClient.login(t, server.url, { name: 'bob', rooms: [] })

  const listed = await admin(server, 'GET', `/users/${login.userId}/connections`)
  t.equal(listed.status, 200)
  const connections = listed.body!.connections as { sessionId: string; device?: string }[]
  t.equal(connections.length, 2)
  t.ok(connections.some((c) => c.device === 'Phone' && typeof c.sessionId === 'string'))

  t.same(await admin(server, 'POST', `/users/${login.userId}/disconnect`, { reason: 'flooding' }), { status: 200, body: { userId: login.userId, closedHere: 2 } })
  t.same(await laptop.closed(), { code: 4013, reason: 'disconnected' })
  t.same(await phone.closed(), { code: 4013, reason: 'disconnected' })
  t.equal((await bob.request({ type: 'ping' })).type, 'pong', 'other users stay')
  t.same((await admin(server, 'GET', `/users/${login.userId}/connections`)).body!.connections, [])

  const back = await RawClient.connect(t, server.url)
  t.match(await back.request({ type: 'login', version: '1.2.0', session: login.session }), { type: 'login-ok' }, 'a disconnect is not a ban')
})

t.test('a ban closes with 4014 and refuses login by password, session key and token until lifted', async (t) => {
  const log = captureLog()
  const server = await startServer(t, { ...base, logLevel: 'info' }, { logStream: log.stream })
  const { client, login } = await registered(t, server.url, 'ana')
  const until = Date.now() + 3_600_000
  t.same(await admin(server, 'POST', `/users/${login.userId}/ban`, { until, reason: 'spam' }), { status: 200, body: { userId: login.userId, until, closedHere: 1 } })
  t.same(await client.closed(), { code: 4014, reason: 'banned' })

  const byKey = await RawClient.connect(t, server.url)
  const refused = await byKey.request({ type: 'login', version: '1.2.0', session: login.session })
  t.match(refused, { type: 'error', code: 'banned', retryable: false, details: [`until:${until}`] })
  t.match((refused as ServerFrameOf<'error'>).message, new Date(until).toISOString())
  const byPassword = await RawClient.connect(t, server.url)
  t.match(await byPassword.request({ type: 'login', version: '1.2.0', name: 'ana', password: PASSWORD }), { type: 'error', code: 'banned' })

  t.same(await admin(server, 'POST', `/users/${login.userId}/ban`, { until: null }), { status: 200, body: { userId: login.userId, until: null, closedHere: 0 } }, 'banning again replaces')
  t.match(await byKey.request({ type: 'login', version: '1.2.0', session: login.session }), { type: 'error', code: 'banned', details: ['until:never'] })

  t.same(await admin(server, 'DELETE', `/users/${login.userId}/ban`), { status: 200, body: { userId: login.userId, lifted: true } })
  t.same(await admin(server, 'DELETE', `/users/${login.userId}/ban`), { status: 200, body: { userId: login.userId, lifted: false } }, 'idempotent')
  t.match(await byKey.request({ type: 'login', version: '1.2.0', session: login.session }), { type: 'login-ok', userId: login.userId }, 'unban restores')

  const line = log.lines().find((l) => l.action === 'ban')
  t.ok(line, 'the ban is logged')
  t.match(line, { actor: 'admin', action: 'ban', target: login.userId, reason: 'spam' })
  t.notOk(log.text().includes(TOKEN), 'the token is never logged')
})

t.test('a ban set while a login is reading the store closes that connection too (4014), on the login path', async (t) => {
  const server = await startServer(t, base)
  const { client: first, login } = await registered(t, server.url, 'ana')
  first.close()
  await first.closed()
  // The login's ban check runs before the ban is stored; the ban's broadcast then
  // finds no connection of ana's. The login must not end with her connected.
  const store = server.app.hub.store
  const findBan = store.findBan.bind(store)
  let banned: Promise<unknown> | undefined
  store.findBan = async (userId, now) => {
    const found = await findBan(userId, now)
    if (userId === login.userId && banned === undefined) banned = admin(server, 'POST', `/users/${login.userId}/ban`, {})
    await banned
    return found
  }
  t.teardown(() => {
    store.findBan = findBan
  })
  const late = await RawClient.connect(t, server.url)
  late.send({ type: 'login', id: 'l1', version: '1.2.0', name: 'ana', password: PASSWORD })
  t.same(await late.closed(), { code: 4014, reason: 'banned' })
  t.match(await banned, { status: 200, body: { closedHere: 0 } }, 'the broadcast found nobody to close')
})

t.test('a ban refuses a token subject too; the reserved id "system" is refused as a subject', async (t) => {
  const secret = 'a-test-secret-that-is-long-enough-for-hs256'
  const server = await startServer(t, { ...base, jwtSecret: secret })
  const sign = (sub: string) => new SignJWT({ sub }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1h').sign(new TextEncoder().encode(secret))
  t.equal((await admin(server, 'POST', '/users/subject-1/ban', {})).status, 200, 'a user never seen can be banned')
  const client = await RawClient.connect(t, server.url)
  t.match(await client.request({ type: 'login', token: await sign('subject-1') }), { type: 'error', code: 'banned' })
  t.match(await client.request({ type: 'login', token: await sign('system') }), { type: 'error', code: 'auth-failed' })
  t.match(await client.request({ type: 'login', token: await sign('subject-2') }), { type: 'login-ok', userId: 'subject-2' })
})

t.test('system posts get a seq and reach the room; nobody can be named system', async (t) => {
  const server = await startServer(t, base)
  const { client: ana } = await RawClient.login(t, server.url, { name: 'ana', rooms: [{ room: 'news' }] })
  t.match(await ana.request({ type: 'chat', room: 'news', text: 'first' }), { type: 'chat-ok', message: { seq: 1 } })
  const posted = await admin(server, 'POST', '/rooms/news/messages', { text: 'Release 2.0 is out' })
  t.match(posted, { status: 200, body: { message: { room: 'news', seq: 2, userId: 'system', name: 'system', text: 'Release 2.0 is out' } } })
  t.match(await ana.take((f) => f.type === 'chat' && f.message.seq === 2), { type: 'chat', message: { userId: 'system', name: 'system' } })

  for (const name of ['system', 'System', 'SYSTEM', 'ѕуѕtеm']) {
    const other = await RawClient.connect(t, server.url)
    t.match(await other.request({ type: 'login', name }), { type: 'error', code: 'bad-frame' }, `login as ${name}`)
    t.match(await ana.request({ type: 'rename', name }), { type: 'error', code: 'bad-frame' }, `rename to ${name}`)
  }
})

t.test('deleting a room removes its members and history; 1.2.0 clients get room-deleted, 1.0.0 clients nothing', async (t) => {
  const server = await startServer(t, base)
  const { client: ana, login } = await RawClient.login(t, server.url, { name: 'ana', version: '1.2.0', rooms: [{ room: 'doomed' }, { room: 'kept' }] })
  const { client: old } = await RawClient.login(t, server.url, { name: 'old', rooms: [{ room: 'doomed' }] })
  t.match(await ana.request({ type: 'chat', room: 'doomed', text: 'one' }), { type: 'chat-ok' })
  t.match(await ana.request({ type: 'chat', room: 'doomed', text: 'two' }), { type: 'chat-ok' })

  t.same(await admin(server, 'DELETE', '/rooms/doomed'), { status: 200, body: { room: 'doomed', deletedMessages: 2 } })
  t.match(await ana.take((f) => f.type === 'alarm' && f.kind === 'room-deleted'), { room: 'doomed', userId: 'system', name: 'system' })
  t.match(await ana.request({ type: 'chat', room: 'doomed', text: 'three' }), { type: 'error', code: 'not-in-room' })
  t.match(await ana.request({ type: 'chat', room: 'kept', text: 'still here' }), { type: 'chat-ok' })
  const oldFrames = await old.framesBeforePong()
  t.notOk(
    oldFrames.some((f) => f.type === 'alarm' && (f.kind as string) === 'room-deleted'),
    'a 1.0.0 client gets no alarm kind it does not know',
  )
  t.match(await old.request({ type: 'chat', room: 'doomed', text: 'x' }), { type: 'error', code: 'not-in-room' })

  const again = await RawClient.connect(t, server.url)
  const back = (await again.request({ type: 'login', version: '1.2.0', session: login.session })) as ServerFrameOf<'login-ok'>
  t.same(
    back.rooms.map((r) => r.room),
    ['kept'],
    'the membership is gone',
  )
  const rejoined = (await again.request({ type: 'join-room', room: 'doomed' })) as ServerFrameOf<'join-room-ok'>
  t.match(rejoined.state, { seq: 2, history: [] }, 'no history; the numbering goes on')
  t.same(await admin(server, 'DELETE', '/rooms/doomed'), { status: 200, body: { room: 'doomed', deletedMessages: 0 } }, 'idempotent')
})

t.test('a deleted room is gone: not listed, not owned, not invited; its name is created again by the namespace rules', async (t) => {
  const namespaces = [namespace('chat'), namespace('club', { visibility: 'private' }), namespace('fixed', { create: 'nobody' })]
  const server = await startServer(t, { ...base, namespacesFile: namespacesFile(t, { namespaces }) })
  const V = '1.2.0'
  const { client: ana, login: a } = await RawClient.login(t, server.url, { name: 'ana', version: V, rooms: [{ room: 'chat:tea' }, { room: 'club:x' }] })
  const { client: bob, login: b } = await RawClient.login(t, server.url, { name: 'bob', version: V, rooms: [] })
  t.match(await ana.request({ type: 'chat', room: 'chat:tea', text: 'one' }), { type: 'chat-ok', message: { seq: 1 } })
  t.match(await ana.request({ type: 'room-info', room: 'chat:tea' }), { type: 'room-info-ok', owners: [a.userId] })
  t.match(await ana.request({ type: 'invite', room: 'club:x', userId: b.userId }), { type: 'invite-ok' })
  t.match(await ana.request({ type: 'list-rooms', namespace: 'chat' }), { type: 'list-rooms-ok', rooms: [{ room: 'chat:tea', members: 1 }] })

  t.same(await admin(server, 'DELETE', '/rooms/chat:tea'), { status: 200, body: { room: 'chat:tea', deletedMessages: 1 } })
  t.same(await admin(server, 'DELETE', '/rooms/club:x'), { status: 200, body: { room: 'club:x', deletedMessages: 0 } })
  t.match(await ana.take((f) => f.type === 'alarm' && f.kind === 'room-deleted' && f.room === 'club:x'), { room: 'club:x' })
  const listed = (await ana.request({ type: 'list-rooms', namespace: 'chat' })) as ServerFrameOf<'list-rooms-ok'>
  t.same(listed.rooms, [], 'gone from the directory')
  t.match(await ana.request({ type: 'room-info', room: 'chat:tea' }), { type: 'error', code: 'not-found' }, 'no such room, not even for its old owner')
  t.match(await bob.request({ type: 'room-info', room: 'club:x' }), { type: 'error', code: 'not-found' }, 'the invitation went with the room')

  const rejoined = await bob.request({ type: 'join-room', room: 'chat:tea' })
  t.match(rejoined, { type: 'join-room-ok', state: { seq: 1, history: [] } }, 'a new room whose numbering follows the deleted one')
  t.match(
    await bob.request({ type: 'room-info', room: 'chat:tea' }),
    { type: 'room-info-ok', owners: [b.userId], moderators: [], members: 1, yourRole: 'owner' },
    'the creator of the new room owns it, alone',
  )
  t.match(await ana.request({ type: 'room-info', room: 'chat:tea' }), { type: 'room-info-ok', yourRole: 'none' }, 'the old owner is nobody in it')
  t.match(await bob.request({ type: 'chat', room: 'chat:tea', text: 'two' }), { type: 'chat-ok', message: { seq: 2 } })
  t.match(await ana.request({ type: 'list-rooms', namespace: 'chat' }), { rooms: [{ room: 'chat:tea', members: 1 }] }, 'listed again once created again')

  // A room of a namespace where nobody creates rooms exists by its history (a system post here).
  t.equal((await admin(server, 'POST', '/rooms/fixed:hall/messages', { text: 'welcome' })).status, 200)
  t.match(await bob.request({ type: 'join-room', room: 'fixed:hall' }), { type: 'join-room-ok', state: { seq: 1 } }, 'a room with history is joined')
  t.same(await admin(server, 'DELETE', '/rooms/fixed:hall'), { status: 200, body: { room: 'fixed:hall', deletedMessages: 1 } })
  t.match(await bob.take((f) => f.type === 'alarm' && f.kind === 'room-deleted' && f.room === 'fixed:hall'), { room: 'fixed:hall' })
  t.match(await ana.request({ type: 'join-room', room: 'fixed:hall' }), { type: 'error', code: 'forbidden' }, 'refused as a new room would be')
  t.match(await bob.request({ type: 'join-room', room: 'fixed:hall' }), { type: 'error', code: 'forbidden' }, 'for its old members too')
})

t.test('the operator gives a room of a create:nobody namespace its owner and publishers; posting there makes the room, without an owner', async (t) => {
  const namespaces = [namespace('news', { create: 'nobody', post: 'moderators' })]
  const server = await startServer(t, { ...base, namespacesFile: namespacesFile(t, { namespaces }) })
  const V = '1.2.0'
  const { client: ana, login: a } = await RawClient.login(t, server.url, { name: 'ana', version: V, rooms: [] })
  const { client: bob, login: b } = await RawClient.login(t, server.url, { name: 'bob', version: V, rooms: [] })
  t.match(await ana.request({ type: 'join-room', room: 'news:releases' }), { type: 'error', code: 'forbidden' }, 'nobody creates rooms here')

  t.same(await admin(server, 'PUT', `/rooms/news:releases/roles/${a.userId}`, { role: 'owner', reason: 'release manager' }), {
    status: 200,
    body: { room: 'news:releases', userId: a.userId, role: 'owner' },
  })
  t.match(await ana.request({ type: 'join-room', room: 'news:releases' }), { type: 'join-room-ok' }, 'the room exists now')
  t.match(await ana.request({ type: 'room-info', room: 'news:releases' }), { type: 'room-info-ok', owners: [a.userId], moderators: [], yourRole: 'owner' })
  t.match(await ana.request({ type: 'chat', room: 'news:releases', text: '2.0 is out' }), { type: 'chat-ok' }, 'its owner publishes')
  t.match(await bob.request({ type: 'join-room', room: 'news:releases' }), { type: 'join-room-ok' })
  t.match(await bob.request({ type: 'chat', room: 'news:releases', text: 'me too' }), { type: 'error', code: 'forbidden' }, 'a member reads')
  t.same((await admin(server, 'PUT', `/rooms/news:releases/roles/${b.userId}`, { role: 'moderator' })).status, 200)
  t.match(await bob.take((f) => f.type === 'alarm' && f.kind === 'role'), { room: 'news:releases', userId: b.userId, name: 'bob', role: 'moderator' }, 'the room is told')
  t.match(await bob.request({ type: 'chat', room: 'news:releases', text: 'now I publish' }), { type: 'chat-ok' })
  t.same((await admin(server, 'PUT', `/rooms/news:releases/roles/${b.userId}`, { role: 'moderator' })).status, 200, 'idempotent')
  t.same((await admin(server, 'PUT', `/rooms/news:releases/roles/${b.userId}`, { role: 'member' })).body, { room: 'news:releases', userId: b.userId, role: 'member' })
  t.match(await bob.request({ type: 'chat', room: 'news:releases', text: 'again' }), { type: 'error', code: 'forbidden' }, 'a role taken back')

  t.match(await admin(server, 'PUT', '/rooms/news:x/roles/u_nobody', { role: 'owner' }), { status: 404, body: { error: 'not-found', message: 'No user "u_nobody" is known.' } })
  t.match(await admin(server, 'PUT', `/rooms/nope:x/roles/${a.userId}`, { role: 'owner' }), { status: 404, body: { error: 'not-found', message: 'No namespace "nope".' } })
  t.match(await admin(server, 'PUT', `/rooms/news:x/roles/${a.userId}`, { role: 'admin' }), { status: 400, body: { error: 'bad-request' } })
  t.match(await admin(server, 'POST', '/rooms/nope:x/messages', { text: 'hi' }), { status: 404, body: { error: 'not-found' } }, 'no post to a namespace that does not exist')

  // A post to a name that is no room yet makes it, owned by nobody: its first joiner does not become its owner.
  t.equal((await admin(server, 'POST', '/rooms/open/messages', { text: 'welcome' })).status, 200)
  t.match(await bob.request({ type: 'join-room', room: 'open' }), { type: 'join-room-ok', state: { seq: 1 } })
  t.match(await bob.request({ type: 'room-info', room: 'open' }), { type: 'room-info-ok', owners: [], yourRole: 'member' })
})

t.test('every input is validated: bad ids, huge reasons, extra fields, bad JSON → 400 with the error shape', async (t) => {
  const server = await startServer(t, base)
  const cases: [string, string, unknown][] = [
    ['POST', `/users/${'u'.repeat(65)}/disconnect`, {}],
    ['POST', '/users/%20bad/disconnect', {}],
    ['POST', '/users/u_1/disconnect', { reason: 'r'.repeat(513) }],
    ['POST', '/users/u_1/disconnect', { reason: 'line\nbreak' }],
    ['POST', '/users/u_1/disconnect', { reason: 'ok', extra: true }],
    ['POST', '/users/u_1/disconnect', '{"reason":'],
    ['POST', '/users/u_1/disconnect', undefined],
    ['POST', '/users/u_1/ban', { until: 'tomorrow' }],
    ['POST', '/users/u_1/ban', { until: Date.now() - 1 }],
    ['POST', '/users/u_1/ban', { forever: true }],
    ['DELETE', '/rooms/Not-A-Room', undefined],
    ['POST', '/rooms/news/messages', { text: '' }],
    ['POST', '/rooms/news/messages', { text: 'x'.repeat(2001) }],
    ['POST', '/rooms/news/messages', { text: 'hi', userId: 'u_spoof' }],
    ['POST', '/rooms/news/messages', { text: 'bidi \u202E' }],
  ]
  for (const [method, path, body] of cases) {
    const res = await admin(server, method, path, body)
    t.equal(res.status, 400, `${method} ${path} ${JSON.stringify(body)?.slice(0, 40)}`)
    t.same(Object.keys(res.body ?? {}).sort(), ['error', 'message'])
    t.equal(res.body?.error, 'bad-request')
  }
  t.equal((await admin(server, 'GET', '/users/u_1/connections')).status, 200, 'the server keeps working')
})
