// Rooms with owners (protocol 1.2.0) against a real server over sockets:
// creation and posting rules (forbidden), room-info, set-room and set-role
// with their alarms, private rooms by invitation (not-found for everyone
// else, the same answer as for a room that does not exist), and the
// directory of public rooms.
import t, { type Test } from 'tap'
import type { ServerFrame } from '../../protocol/index.ts'
import { namespace, namespacesFile } from '../helpers/namespaces.ts'
import { RawClient } from '../helpers/raw-client.ts'
import { startServer } from '../helpers/server.ts'

const V = '1.2.0'

async function server(t: Test) {
  const namespaces = [
    namespace('chat'),
    namespace('news', { create: 'registered', post: 'moderators' }),
    namespace('support', { create: 'registered', visibility: 'private' }),
    namespace('fixed', { create: 'nobody' }),
  ]
  return startServer(t, { store: 'memory', namespacesFile: namespacesFile(t, { namespaces }) })
}

const login = (t: Test, url: string, name: string, rooms: string[] = []) => RawClient.login(t, url, { name, version: V, rooms: rooms.map((room) => ({ room })) })

/** Logs in and registers the name: a user who may create rooms where `create` is `registered`. */
async function registered(t: Test, url: string, name: string, rooms: string[] = []) {
  const user = await login(t, url, name)
  t.match(await user.client.request({ type: 'register', password: 'password of ' + name }), { type: 'register-ok' })
  for (const room of rooms) t.match(await user.client.request({ type: 'join-room', room }), { type: 'join-room-ok' })
  return user
}

const errorCode = (frame: ServerFrame) => (frame.type === 'error' ? frame.code : frame.type)

t.test('creation rules: anyone, registered, nobody; the creator owns the room', async (t) => {
  const { url } = await server(t)
  const { client: guest, login: g } = await login(t, url, 'guest')
  t.match(await guest.request({ type: 'join-room', room: 'chat:tea' }), { type: 'join-room-ok' }, 'anyone creates in chat')
  t.match(await guest.request({ type: 'room-info', room: 'chat:tea' }), {
    type: 'room-info-ok',
    namespace: 'chat',
    topic: '',
    public: true,
    owners: [g.userId],
    moderators: [],
    members: 1,
    yourRole: 'owner',
  })
  t.match(await guest.request({ type: 'join-room', room: 'news:releases' }), { type: 'error', code: 'forbidden', retryable: false }, 'a guest cannot create in news')
  t.match(await guest.request({ type: 'join-room', room: 'fixed:x' }), { type: 'error', code: 'forbidden' }, 'nobody creates in fixed')
  const other = await RawClient.connect(t, url)
  t.match(await other.request({ type: 'login', version: V, rooms: [{ room: 'news:other' }] }), { type: 'error', code: 'forbidden' }, 'login rooms follow the same rules')
  const { client: editor } = await registered(t, url, 'editor')
  t.match(await editor.request({ type: 'join-room', room: 'news:releases' }), { type: 'join-room-ok' }, 'a registered user creates in news')
  t.match(await guest.request({ type: 'join-room', room: 'news:releases' }), { type: 'join-room-ok' }, 'and then a guest may join it')
  t.match(await guest.request({ type: 'ping' }), { type: 'pong' }, 'the connection keeps working')
})

t.test('posting: a news room refuses a member’s post with forbidden; owners and moderators post', async (t) => {
  const { url } = await server(t)
  const { client: editor } = await registered(t, url, 'editor', ['news:releases'])
  const { client: reader, login: r } = await login(t, url, 'reader', ['news:releases'])
  t.match(await reader.request({ type: 'chat', room: 'news:releases', text: 'first!' }), { type: 'error', code: 'forbidden', retryable: false })
  t.same(
    (await editor.framesBeforePong()).filter((f) => f.type === 'chat'),
    [],
    'nothing reached the room',
  )
  t.match(await editor.request({ type: 'chat', room: 'news:releases', text: 'Version 2 is out' }), { type: 'chat-ok' }, 'the owner posts')
  t.match(await editor.request({ type: 'set-role', room: 'news:releases', userId: r.userId, role: 'moderator' }), { type: 'set-role-ok', role: 'moderator' })
  t.match(await reader.request({ type: 'chat', room: 'news:releases', text: 'now I can' }), { type: 'chat-ok' }, 'a moderator posts')
  const { client: chat } = await login(t, url, 'chatter', ['chat:tea'])
  const { client: member } = await login(t, url, 'member', ['chat:tea'])
  t.match(await member.request({ type: 'chat', room: 'chat:tea', text: 'hello' }), { type: 'chat-ok' }, 'members post where post is members')
  t.ok(chat)
})

t.test('set-role: owners appoint and remove moderators; nobody raises their own role; the last owner stays', async (t) => {
  const { url } = await server(t)
  const { client: owner, login: o } = await login(t, url, 'owner', ['chat:dev'])
  const { client: mod, login: m } = await login(t, url, 'mod', ['chat:dev'])
  const { client: member, login: b } = await login(t, url, 'member', ['chat:dev'])
  const { login: outsider } = await login(t, url, 'outsider')

  t.match(await member.request({ type: 'set-role', room: 'chat:dev', userId: b.userId, role: 'moderator' }), { type: 'error', code: 'forbidden' }, 'a member cannot raise their own role')
  t.match(await member.request({ type: 'set-role', room: 'chat:dev', userId: m.userId, role: 'moderator' }), { type: 'error', code: 'forbidden' }, "a non-owner's set-role is refused")
  t.match(await owner.request({ type: 'set-role', room: 'chat:dev', userId: m.userId, role: 'moderator' }), { type: 'set-role-ok', userId: m.userId, role: 'moderator' })
  t.match(await member.take((f) => f.type === 'alarm' && f.kind === 'role'), { room: 'chat:dev', kind: 'role', userId: m.userId, name: 'mod', role: 'moderator' }, 'members get a role alarm')
  t.match(await mod.request({ type: 'set-role', room: 'chat:dev', userId: m.userId, role: 'owner' }), { type: 'error', code: 'forbidden' }, 'a moderator cannot make itself owner')
  t.match(await mod.request({ type: 'set-role', room: 'chat:dev', userId: b.userId, role: 'moderator' }), { type: 'error', code: 'forbidden' }, 'a moderator cannot appoint')
  t.match(await mod.request({ type: 'set-role', room: 'chat:dev', userId: o.userId, role: 'member' }), { type: 'error', code: 'forbidden' }, 'a moderator cannot demote an owner')
  t.match(await owner.request({ type: 'set-role', room: 'chat:dev', userId: outsider.userId, role: 'moderator' }), { type: 'error', code: 'user-not-found' }, 'only members get roles')
  t.match(await owner.request({ type: 'set-role', room: 'chat:dev', userId: o.userId, role: 'member' }), { type: 'error', code: 'forbidden' }, 'the last owner cannot step down')
  t.match(await owner.request({ type: 'set-role', room: 'chat:dev', userId: b.userId, role: 'owner' }), { type: 'set-role-ok', role: 'owner' }, 'ownership is given')
  t.match(await owner.request({ type: 'set-role', room: 'chat:dev', userId: o.userId, role: 'member' }), { type: 'set-role-ok', role: 'member' }, 'then the first owner steps down')
  t.match(await mod.request({ type: 'set-role', room: 'chat:dev', userId: m.userId, role: 'member' }), { type: 'set-role-ok', role: 'member' }, 'a moderator steps down')
  t.match(await member.request({ type: 'room-info', room: 'chat:dev' }), { type: 'room-info-ok', owners: [b.userId], moderators: [], members: 3, yourRole: 'owner' })
})

t.test('set-room: topic by owners and moderators, visibility by owners; alarms to the room', async (t) => {
  const { url } = await server(t)
  const { client: owner } = await login(t, url, 'owner', ['chat:dev'])
  const { client: member, login: b } = await login(t, url, 'member', ['chat:dev'])
  t.match(await member.request({ type: 'set-room', room: 'chat:dev', topic: 'mine' }), { type: 'error', code: 'forbidden' })
  t.match(await owner.request({ type: 'set-role', room: 'chat:dev', userId: b.userId, role: 'moderator' }), { type: 'set-role-ok' })
  t.match(await member.request({ type: 'set-room', room: 'chat:dev', topic: 'Builds and releases' }), { type: 'set-room-ok', topic: 'Builds and releases', public: true }, 'a moderator sets the topic')
  t.match(await owner.take((f) => f.type === 'alarm' && f.kind === 'topic'), { kind: 'topic', userId: b.userId, topic: 'Builds and releases' })
  t.match(await member.request({ type: 'set-room', room: 'chat:dev', public: false }), { type: 'error', code: 'forbidden' }, 'a moderator cannot change visibility')
  t.match(await owner.request({ type: 'set-room', room: 'chat:dev', public: false }), { type: 'set-room-ok', public: false, topic: 'Builds and releases' })
  t.match(await member.take((f) => f.type === 'alarm' && f.kind === 'visibility'), { kind: 'visibility', public: false })
  const { client: outsider } = await login(t, url, 'outsider')
  t.match(await outsider.request({ type: 'set-room', room: 'chat:dev', topic: 'x' }), { type: 'error', code: 'not-found' }, 'a private room is not-found to an outsider')
  t.match(await outsider.request({ type: 'join-room', room: 'chat:dev' }), { type: 'error', code: 'not-found' }, 'a room made private is closed to outsiders')
})

t.test('private rooms: not-found without an invitation, like a room that does not exist; invite and the invited push', async (t) => {
  const { url } = await server(t)
  const { client: agent } = await registered(t, url, 'agent', ['support:ticket-1'])
  const { client: guest, login: g } = await login(t, url, 'guest')
  const secret = await guest.request({ type: 'join-room', room: 'support:ticket-1' })
  t.match(secret, { type: 'error', code: 'not-found', retryable: false })
  const agentSees = await agent.request({ type: 'room-info', room: 'support:ticket-1' })
  t.match(agentSees, { type: 'room-info-ok', public: false, yourRole: 'owner' })
  for (const request of [
    { type: 'room-info', room: 'support:ticket-1' },
    { type: 'set-room', room: 'support:ticket-1', topic: 'x' },
    { type: 'invite', room: 'support:ticket-1', userId: g.userId },
    { type: 'set-role', room: 'support:ticket-1', userId: g.userId, role: 'moderator' },
  ]) {
    const hidden = await guest.request(request)
    const missing = await guest.request({ ...request, room: 'support:ticket-none' })
    t.equal(errorCode(hidden), 'not-found', `${request.type} of a private room: not-found`)
    t.same({ ...hidden, id: 'x', message: '' }, { ...missing, id: 'x', message: '' }, `${request.type}: the same answer as for no room`)
    t.equal((hidden as { message: string }).message.replace('ticket-1', 'ticket-none'), (missing as { message: string }).message, 'even the message')
  }
  // History needs the room joined, so a non-member gets not-in-room, for any room name alike.
  const history = await guest.request({ type: 'history', room: 'support:ticket-1' })
  t.match(history, { type: 'error', code: 'not-in-room' }, 'history of a private room: nothing')
  t.match(await guest.request({ type: 'history', room: 'support:ticket-none' }), { ...history, id: String, message: String }, 'the same answer as for no room')
  t.match(await guest.request({ type: 'list-rooms', namespace: 'support' }), { type: 'list-rooms-ok', rooms: [] }, 'not in the directory')

  const { client: member } = await login(t, url, 'member')
  t.match(await member.request({ type: 'invite', room: 'support:ticket-1', userId: g.userId }), { type: 'error', code: 'not-found' }, 'an outsider cannot invite')
  t.match(await agent.request({ type: 'invite', room: 'support:ticket-1', userId: 'u_nobody' }), { type: 'error', code: 'user-not-found' })
  t.match(await agent.request({ type: 'invite', room: 'support:ticket-1', userId: g.userId }), { type: 'invite-ok', userId: g.userId })
  t.match(await guest.take((f) => f.type === 'invited'), { type: 'invited', room: 'support:ticket-1', byName: 'agent' }, 'the invitee hears of it')
  t.match(await agent.request({ type: 'invite', room: 'support:ticket-1', userId: g.userId }), { type: 'invite-ok' }, 'inviting again is fine')
  t.match(await guest.request({ type: 'join-room', room: 'support:ticket-1' }), { type: 'join-room-ok' }, 'the invited user joins')
  t.match(await guest.request({ type: 'history', room: 'support:ticket-1' }), { type: 'history-ok' }, 'and reads its history')
  t.match(await guest.request({ type: 'invite', room: 'support:ticket-1', userId: 'u_other' }), { type: 'error', code: 'forbidden' }, 'a member cannot invite')
})

t.test('list-rooms: public rooms by name, namespace and prefix, cursor pages, member counts', async (t) => {
  const { url } = await server(t)
  const names = ['chat:a', 'chat:b', 'chat:c', 'chat:d', 'chat:tea', 'lobby']
  const { client: ana } = await login(t, url, 'ana', names)
  await login(t, url, 'bob', ['chat:tea'])
  t.match(await ana.request({ type: 'set-room', room: 'chat:d', public: false }), { type: 'set-room-ok' })
  const page1 = await ana.request({ type: 'list-rooms', namespace: 'chat', limit: 2 })
  t.match(page1, { type: 'list-rooms-ok', rooms: [{ room: 'chat:a', topic: '', members: 1 }, { room: 'chat:b' }] })
  const next = (page1 as { next?: string }).next
  t.type(next, 'string', 'a cursor to the next page')
  const page2 = await ana.request({ type: 'list-rooms', namespace: 'chat', limit: 2, cursor: next })
  t.same(
    (page2 as { rooms: { room: string }[] }).rooms.map((r) => r.room),
    ['chat:c', 'chat:tea'],
    'the private room is left out',
  )
  t.notOk('next' in page2, 'the last page has no cursor')
  t.match(await ana.request({ type: 'list-rooms', namespace: 'chat', prefix: 'te' }), { rooms: [{ room: 'chat:tea', members: 2 }] }, 'prefix within the namespace, member counts')
  t.match(await ana.request({ type: 'list-rooms', namespace: '' }), { rooms: [{ room: 'lobby' }] }, 'the default namespace')
  t.match(await ana.request({ type: 'list-rooms', namespace: 'nope' }), { type: 'error', code: 'not-found' })
  t.match(await ana.request({ type: 'list-rooms', cursor: '%%%' }), { type: 'error', code: 'bad-frame' }, 'a forged cursor is refused')
  t.match(await ana.request({ type: 'list-rooms', limit: 51 }), { type: 'error', code: 'bad-frame' })
  t.match(await ana.request({ type: 'ping' }), { type: 'pong' })
})

t.test('a server without a namespaces file: today’s rooms get owners too, and a 1.0.0 client sees none of it', async (t) => {
  const { url } = await startServer(t, { store: 'memory' })
  const { client: old, login: o } = await RawClient.login(t, url, { name: 'old', rooms: [{ room: 'tea' }] })
  t.match(await old.request({ type: 'chat', room: 'tea', text: 'hi' }), { type: 'chat-ok' })
  const { client: now } = await login(t, url, 'now', ['tea'])
  t.match(await now.request({ type: 'room-info', room: 'tea' }), { type: 'room-info-ok', namespace: '', owners: [o.userId], members: 2, yourRole: 'member' })
  t.match(await now.request({ type: 'set-role', room: 'tea', userId: o.userId, role: 'member' }), { type: 'error', code: 'forbidden' })
  t.same(
    (await old.framesBeforePong()).filter((f) => f.type === 'alarm' && f.kind !== 'joined'),
    [],
    'no new alarm kinds reached the 1.0.0 client',
  )
})
