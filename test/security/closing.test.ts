// A connection that is going away (after logout, or past the abuse limit)
// handles nothing more: frames that follow get no reply and cannot act on the
// user, and nothing throws inside the server.
import t from 'tap'
import { captureLog } from '../helpers/log.ts'
import { RawClient } from '../helpers/raw-client.ts'
import { startServer } from '../helpers/server.ts'

/** A server whose log lines are kept, parsed. */
async function loggedServer(t: Parameters<typeof startServer>[0]) {
  const log = captureLog()
  const server = await startServer(t, { logLevel: 'info' }, { logStream: log.stream })
  return { server, log }
}

// Every client frame type, each of which would act (or be refused) on a live connection.
const AFTER_LOGOUT = [
  { type: 'rename', name: 'mallory' },
  { type: 'chat', room: 'tea', text: 'after logout' },
  { type: 'dm', to: 'u_nobody', text: 'after logout' },
  { type: 'join-room', room: 'other' },
  { type: 'leave-room', room: 'tea' },
  { type: 'presence', room: 'tea' },
  { type: 'typing', room: 'tea', typing: true },
  { type: 'history', room: 'tea' },
  { type: 'login', name: 'again' },
  { type: 'logout' },
  { type: 'ping' },
  'not json',
  { type: 'shout' },
]

t.test('frames sent right after logout get no reply, act on nothing and throw nothing', async (t) => {
  const { server, log } = await loggedServer(t)
  const { client: ana, login } = await RawClient.login(t, server.url, { name: 'ana', rooms: [{ room: 'tea' }] })
  const { client: bob } = await RawClient.login(t, server.url, { name: 'bob', rooms: [{ room: 'tea' }] })
  await ana.next('alarm')
  t.match(await ana.request({ type: 'register', password: 'correct horse' }), { type: 'register-ok' })
  // Pipelined in one go: logout, then every frame type behind it.
  ana.send({ type: 'logout', id: 'out' })
  for (const [i, frame] of AFTER_LOGOUT.entries()) ana.send(typeof frame === 'string' ? frame : { ...frame, id: `after-${i}` })
  t.same(await ana.closed(), { code: 1000, reason: 'normal' })
  t.same(
    ana.received.slice(4).map((f) => f.type),
    ['logout-ok'],
    'after welcome, login-ok, the joined alarm and register-ok, logout-ok is the only reply',
  )

  // bob sees ana leave and nothing else from her; a marker proves nothing is still on its way.
  t.match(await bob.next('alarm'), { kind: 'left', userId: login.userId, name: 'ana' })
  t.equal((await bob.request({ type: 'chat', room: 'tea', text: 'marker' })).type, 'chat-ok')
  t.same(bob.pending(), [], 'no renamed alarm, chat or typing from the logged-out connection')
  t.match(await bob.request({ type: 'presence', room: 'tea' }), { members: [{ name: 'bob' }] })

  // The account keeps the old name (the rename was not applied), and logout revoked the key.
  t.match(await bob.request({ type: 'find-users', prefix: 'ana' }), { type: 'find-users-ok', users: [{ userId: login.userId, name: 'ana', online: false, registered: true }] })
  t.match(await bob.request({ type: 'find-users', prefix: 'mallory' }), { type: 'find-users-ok', users: [] })
  const again = await RawClient.connect(t, server.url)
  t.match(await again.request({ type: 'login', session: login.session, rooms: [] }), { type: 'error', code: 'invalid-session' })

  await new Promise((resolve) => setImmediate(resolve))
  t.same(
    log.lines().filter((l) => (l.level as number) >= 50),
    [],
    'nothing was logged at error level ("request failed")',
  )
})

t.test('frames sent after the abuse limit get no reply', async (t) => {
  const server = await startServer(t, { abuseStrikes: 3 })
  const { client } = await RawClient.login(t, server.url)
  for (let i = 0; i < 3; i++) client.send('not json')
  client.send({ type: 'ping', id: 'late' })
  t.equal((await client.closed()).code, 4008)
  t.same(
    client.received.slice(2).map((f) => f.type),
    ['error', 'error'],
    'two refusals, then nothing',
  )
})

t.test('requests read before the abuse limit are answered, in order, before the close', async (t) => {
  const server = await startServer(t, { abuseStrikes: 2 })
  const { client } = await RawClient.login(t, server.url, { rooms: [{ room: 'tea' }] })
  // Pipelined: the chat waits for its commit, so the ping and the two strikes are read while it
  // is in flight. The ping came before the limit: it must get its pong; the strike that reaches
  // the limit gets none.
  client.send({ type: 'chat', id: 'c1', room: 'tea', text: 'before the limit' })
  client.send({ type: 'ping', id: 'p1' })
  client.send('not json')
  client.send('not json')
  client.send({ type: 'ping', id: 'late' })
  t.equal((await client.closed()).code, 4008)
  t.same(
    client.received.slice(2).map((f) => [f.type, (f as { id?: string }).id]),
    [
      ['chat-ok', 'c1'],
      ['pong', 'p1'],
      ['error', undefined],
    ],
    'chat-ok, pong and the first refusal, in arrival order; nothing for the last strike or after it',
  )
})
