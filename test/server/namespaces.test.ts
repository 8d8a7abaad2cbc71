// Namespaces (protocol 1.2.0) against a real server: the file is validated at
// start (a bad one stops it, naming the file and the field), login-ok
// announces the namespaces to 1.2.0 clients only, room names carry their
// namespace, an unknown namespace is not-found, and a 1.0.0 client is not
// rejoined to prefixed rooms it could not read.
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { loadNamespaces } from '../../server/namespaces.ts'
import { namespace, namespacesFile } from '../helpers/namespaces.ts'
import { RawClient } from '../helpers/raw-client.ts'
import { startServer } from '../helpers/server.ts'

const EXAMPLE = join(import.meta.dirname, '..', '..', 'docs', 'namespaces.example.json')

t.test('the example file loads; without a file there is the default namespace only', async (t) => {
  t.same(
    loadNamespaces(EXAMPLE).list.map((n) => n.name),
    ['', 'chat', 'news', 'support'],
  )
  t.same(
    loadNamespaces('').list.map((n) => n.name),
    [''],
  )
  t.same(
    loadNamespaces(namespacesFile(t, { namespaces: [namespace('chat')] })).list.map((n) => n.name),
    ['', 'chat'],
    'a file without "" gets the default namespace',
  )
})

t.test('a bad namespaces file stops the server, naming the file and the field', async (t) => {
  const bad = namespacesFile(t, { namespaces: [namespace('chat', { create: 'everyone' as 'anyone' })] })
  await t.rejects(startServer(t, { store: 'memory', namespacesFile: bad }), { message: new RegExp(`NAMESPACES_FILE ${bad}: /namespaces/0/create`) })
  t.throws(() => loadNamespaces(namespacesFile(t, { namespaces: [namespace('Chat')] })), /\/namespaces\/0\/name/)
  t.throws(() => loadNamespaces(namespacesFile(t, { namespaces: [namespace('chat'), namespace('chat')] })), /two namespaces have the same name/)
  t.throws(() => loadNamespaces(namespacesFile(t, '{"namespaces": [')), /Invalid NAMESPACES_FILE .*JSON/)
  t.throws(() => loadNamespaces(join(tmpdir(), 'no-such-dir-wirechat', 'ns.json')), /Invalid NAMESPACES_FILE .*ENOENT/)
  t.throws(() => loadNamespaces(namespacesFile(t, { namespaces: [namespace('chat')], extra: 1 })), /Invalid NAMESPACES_FILE/)
})

t.test('login-ok announces the namespaces to 1.2.0 clients; prefixed rooms join; unknown namespaces are not-found', async (t) => {
  const server = await startServer(t, { store: 'memory', namespacesFile: EXAMPLE })
  const { client, login } = await RawClient.login(t, server.url, { name: 'ana', version: '1.2.0', rooms: [{ room: 'chat:general' }] })
  t.same(
    login.namespaces?.map((n) => n.name),
    ['', 'chat', 'news', 'support'],
  )
  t.match(login.namespaces?.[2], { name: 'news', post: 'moderators', historyDays: 365 })
  t.equal(login.rooms[0]?.room, 'chat:general')
  t.match(await client.request({ type: 'join-room', room: 'nope:general' }), { type: 'error', code: 'not-found', retryable: false })
  t.match(await client.request({ type: 'join-room', room: 'Chat:general' }), { type: 'error', code: 'bad-frame' }, 'a namespace is lower case')
  t.match(await client.request({ type: 'ping' }), { type: 'pong' }, 'the connection keeps working')
  const other = await RawClient.connect(t, server.url)
  t.match(await other.request({ type: 'login', version: '1.2.0', rooms: [{ room: 'lobby' }, { room: 'nope:x' }] }), { type: 'error', code: 'not-found' })

  const { login: old } = await RawClient.login(t, server.url, { name: 'old' })
  t.notOk('namespaces' in old, 'a 1.0.0 client gets the 1.0.0 login-ok')
})

t.test('a returning 1.0.0 client rejoins only its rooms without a namespace; a 1.2.0 client all of them', async (t) => {
  const server = await startServer(t, { store: 'memory', namespacesFile: EXAMPLE })
  const { client, login } = await RawClient.login(t, server.url, { name: 'ana', version: '1.2.0', rooms: [{ room: 'tea' }, { room: 'chat:general' }] })
  client.close()
  await client.closed()
  const { login: old } = await RawClient.login(t, server.url, { session: login.session })
  t.same(
    old.rooms.map((r) => r.room),
    ['tea'],
  )
  const { login: current } = await RawClient.login(t, server.url, { session: login.session, version: '1.2.0' })
  t.same(
    current.rooms.map((r) => r.room),
    ['tea', 'chat:general'],
  )
})

t.test("a namespace's limits: maxTextChars refuses longer texts, slowModeMs refuses a second message of a user in a room with retryAfterMs", async (t) => {
  const file = namespacesFile(t, { namespaces: [namespace('slow', { limits: { slowModeMs: 60_000, maxTextChars: 5 } })] })
  const server = await startServer(t, { store: 'memory', namespacesFile: file })
  const rooms = [{ room: 'slow:a' }, { room: 'slow:b' }, { room: 'lobby' }]
  const { client: ana } = await RawClient.login(t, server.url, { name: 'ana', version: '1.2.0', rooms })
  const { client: bob } = await RawClient.login(t, server.url, { name: 'bob', version: '1.2.0', rooms })

  t.match(await ana.request({ type: 'chat', room: 'slow:a', text: 'too long' }), { type: 'error', code: 'bad-frame', details: ['/text: longer than 5 code points'] })
  t.match(await ana.request({ type: 'chat', room: 'slow:a', text: 'héllo' }), { type: 'chat-ok' }, '5 code points pass')
  const refused = await ana.request({ type: 'chat', room: 'slow:a', text: 'again' })
  t.match(refused, { type: 'error', code: 'rate-limited', retryable: true })
  const wait = (refused as { retryAfterMs?: number }).retryAfterMs
  t.ok(wait !== undefined && wait > 0 && wait <= 60_000, `retryAfterMs ${wait} within the slow mode`)
  t.match(await ana.request({ type: 'chat', room: 'slow:b', text: 'other' }), { type: 'chat-ok' }, 'another room is not slowed')
  t.match(await bob.request({ type: 'chat', room: 'slow:a', text: 'bob' }), { type: 'chat-ok' }, 'another user is not slowed')
  t.match(await ana.request({ type: 'chat', room: 'lobby', text: 'a longer text in the default namespace' }), { type: 'chat-ok' }, 'the default namespace has no such limits')
  t.match(await ana.request({ type: 'chat', room: 'lobby', text: 'and again' }), { type: 'chat-ok' })
})
