// Session rules that limit what a connection can do: the login deadline,
// nothing before login, one login, the room cap and the schema's text rules.
import t from 'tap'
import { RawClient } from '../helpers/raw-client.ts'
import { startServer } from '../helpers/server.ts'

t.test('no login before the deadline closes with 4001', async (t) => {
  const server = await startServer(t, { loginTimeoutMs: 100 })
  const client = await RawClient.connect(t, server.url)
  t.equal(client.welcome.loginTimeoutMs, 100)
  t.same(await client.closed(), { code: 4001, reason: 'login-timeout' })
})

t.test('a ping does not count as a login for the deadline', async (t) => {
  const server = await startServer(t, { loginTimeoutMs: 150 })
  const client = await RawClient.connect(t, server.url)
  t.equal((await client.request({ type: 'ping' })).type, 'pong')
  t.equal((await client.closed()).code, 4001)
})

t.test('nothing but login and ping before login', async (t) => {
  const server = await startServer(t)
  const client = await RawClient.connect(t, server.url)
  for (const frame of [
    { type: 'chat', room: 'lobby', text: 'hi' },
    { type: 'join-room', room: 'lobby' },
    { type: 'dm', to: 'u_x', text: 'hi' },
    { type: 'typing', room: 'lobby', typing: true },
    { type: 'history', room: 'lobby' },
    { type: 'rename', name: 'x' },
    { type: 'logout' },
  ])
    t.match(await client.request(frame), { type: 'error', code: 'not-logged-in' }, frame.type)
  t.equal((await client.request({ type: 'login' })).type, 'login-ok', 'login still works afterwards')
})

t.test('a second login on the same connection is refused', async (t) => {
  const server = await startServer(t)
  const { client, login } = await RawClient.login(t, server.url, { name: 'ana' })
  t.match(await client.request({ type: 'login', name: 'other', session: login.session }), { type: 'error', code: 'already-logged-in' })
})

t.test('MAX_ROOMS caps the rooms of a connection, at login and on join', async (t) => {
  const server = await startServer(t, { maxRooms: 2 })
  const first = await RawClient.connect(t, server.url)
  t.match(await first.request({ type: 'login', rooms: [{ room: 'a' }, { room: 'b' }, { room: 'c' }] }), { code: 'too-many-rooms' })
  const { client } = await RawClient.login(t, server.url, { rooms: [{ room: 'a' }, { room: 'b' }] })
  t.match(await client.request({ type: 'join-room', room: 'c' }), { code: 'too-many-rooms' })
  t.equal((await client.request({ type: 'leave-room', room: 'a' })).type, 'leave-room-ok')
  t.equal((await client.request({ type: 'join-room', room: 'c' })).type, 'join-room-ok', 'leaving frees a slot')
})

t.test('chat text with control or bidi characters, or too long, is a bad frame', async (t) => {
  const server = await startServer(t)
  const { client } = await RawClient.login(t, server.url)
  const cases: [string, string][] = [
    ['a\u0000b', 'NUL'],
    ['a\u001bb', 'escape'],
    ['a\u202Eb', 'right-to-left override'],
    ['a\u2067b', 'bidi isolate'],
    ['a\u0085b', 'C1 control'],
    ['x'.repeat(2001), '2001 characters'],
    ['', 'empty'],
  ]
  for (const [text, what] of cases) t.match(await client.request({ type: 'chat', room: 'lobby', text }), { code: 'bad-frame' }, what)
  t.equal((await client.request({ type: 'chat', room: 'lobby', text: 'line 1\nline\t2' })).type, 'chat-ok', 'newline and tab are fine')
})
