// The client library's protocol 1.3.0 surface, against a scripted server (an
// in-memory WebSocket): each method sends its frame and resolves with its
// reply; stream events update the room's timeline and emit message-changed;
// read markers, unread counts, blocks and a kick or ban of this user. The
// real server's handlers are tested in test/server and by the kit.
import t, { type Test } from 'tap'
import type { ChatMessage, RoomEvent } from '../../../protocol/primitives.ts'
import { ChatClient, PROTOCOL_VERSION } from '../../../client/index.ts'
import type { ChatEvents } from '../../../client/events.ts'
import { FakeClock } from '../../helpers/fake-clock.ts'
import { FakeWebSocket, welcomeFrame } from '../../helpers/fake-websocket.ts'

const ANA = 'u_ana'
const BOB = 'u_bob'
const TS = 1767225600000
const msg = (seq: number, fields: Partial<ChatMessage> = {}): ChatMessage => ({ msgId: `m${seq}`, room: 'lobby', seq, userId: BOB, name: 'bob', text: `line ${seq}`, ts: TS + seq, ...fields })
const ev = (seq: number, event: RoomEvent, fields: Partial<ChatMessage> = {}): ChatMessage => msg(seq, { text: `event ${seq}`, event, ...fields })
const settle = () => new Promise((resolve) => setImmediate(resolve))

/** A client logged in as ana in the lobby, whose history is `history`; the test plays the server. */
async function setup(t: Test, state: Record<string, unknown> = {}, loginFields: Record<string, unknown> = {}) {
  FakeWebSocket.reset()
  const client = new ChatClient({ url: 'ws://test/ws', WebSocket: FakeWebSocket, clock: new FakeClock(), backoff: () => 1000 })
  const events: Array<[keyof ChatEvents, unknown]> = []
  for (const name of ['chat', 'message-changed', 'read', 'blocked', 'left', 'joined'] as const) client.on(name, (payload) => events.push([name, payload]))
  const connected = client.connect()
  const ws = FakeWebSocket.last
  ws.open()
  ws.serverSend({ ...welcomeFrame(), version: '1.3.0' })
  await connected
  const loggedIn = client.login({ name: 'ana', rooms: ['lobby'] })
  const login = ws.lastSent('login')!
  ws.serverSend({
    type: 'login-ok',
    id: login.id,
    userId: ANA,
    name: 'ana',
    session: 'k7Gd0sQz1mXc3VbN8pLr5TyW',
    rooms: [{ room: 'lobby', epoch: 'e1', seq: 2, members: [{ userId: ANA, name: 'ana' }], history: [msg(1, { userId: ANA, name: 'ana' }), msg(2)], ...state }],
    inbox: { epoch: 'e1', seq: 0 },
    ...loginFields,
  })
  await loggedIn
  t.teardown(() => client.disconnect())
  /** Answers the newest request of `type` with `reply` (its id added). */
  const answer = async (type: string, reply: Record<string, unknown>) => {
    await settle()
    const request = ws.lastSent(type)
    if (request === undefined) throw new Error(`no ${type} request was sent`)
    ws.serverSend({ ...reply, id: request.id })
    return request
  }
  const of = <K extends keyof ChatEvents>(name: K) => events.filter(([n]) => n === name).map(([, p]) => p as ChatEvents[K])
  return { client, ws, login, answer, events, of, lobby: () => client.rooms.get('lobby')! }
}

t.test('login announces the protocol version the library implements (1.3.0)', async (t) => {
  const { login } = await setup(t)
  t.equal(PROTOCOL_VERSION, '1.3.0')
  t.equal(login.version, PROTOCOL_VERSION)
})

t.test('edit sends its frame, resolves with the appended entry and updates the held message', async (t) => {
  const { client, answer, of, lobby } = await setup(t)
  const entry = ev(3, { kind: 'edit', target: 1 }, { userId: ANA, name: 'ana', text: 'line 1, fixed' })
  const edited = client.edit('lobby', 1, 'line 1, fixed')
  const request = await answer('edit', { type: 'edit-ok', room: 'lobby', message: entry })
  t.match(request, { type: 'edit', room: 'lobby', seq: 1, text: 'line 1, fixed' })
  t.same(await edited, entry)
  t.match(lobby().timeline.get(1), { text: 'line 1, fixed', edited: TS + 3, rev: 3 })
  t.same(
    of('message-changed').map((c) => [c.message.seq, c.message.text, c.cause.seq]),
    [[1, 'line 1, fixed', 3]],
  )
  t.same(
    of('chat').map((c) => [c.message.seq, c.own]),
    [[3, true]],
    'the entry is a chat event once, as its own',
  )
  t.equal(lobby().lastSeq, 3, 'events count in the resume position')
})

t.test('an edit that changed nothing resolves undefined and changes nothing', async (t) => {
  const { client, answer, of } = await setup(t)
  const edited = client.edit('lobby', 1, 'line 1')
  await answer('edit', { type: 'edit-ok', room: 'lobby' })
  t.equal(await edited, undefined)
  t.same(of('message-changed'), [])
})

t.test('pushed events from others: a reaction, then a delete that also drops the excerpt of a reply', async (t) => {
  const { ws, of, lobby } = await setup(t)
  ws.serverSend({ type: 'chat', message: msg(3, { replyTo: { msgId: 'm2', seq: 2, userId: BOB, name: 'bob', excerpt: 'line 2' } }) })
  ws.serverSend({ type: 'chat', message: ev(4, { kind: 'react', target: 2, emoji: '👍', on: true }, { userId: ANA, name: 'ana' }) })
  t.same(lobby().timeline.get(2)!.reactions, [{ emoji: '👍', count: 1, users: [ANA] }])
  ws.serverSend({ type: 'chat', message: ev(5, { kind: 'delete', target: 2 }) })
  t.match(lobby().timeline.get(2), { text: '(deleted)', deleted: true, rev: 5 })
  t.notOk('excerpt' in lobby().timeline.get(3)!.replyTo!)
  t.same(
    of('message-changed').map((c) => [c.message.seq, c.cause.seq]),
    [
      [2, 4],
      [2, 5],
      [3, 5],
    ],
  )
  t.same(
    lobby()
      .lines()
      .map((m) => m.seq),
    [1, 2, 3],
    'events are not lines',
  )
})

t.test('deleteMessage, react, markRead and search send their frames and resolve with their replies', async (t) => {
  const { client, answer } = await setup(t)
  const deleted = client.deleteMessage('lobby', 2)
  t.match(await answer('delete', { type: 'delete-ok', room: 'lobby' }), { type: 'delete', room: 'lobby', seq: 2 })
  t.equal(await deleted, undefined)
  const reacted = client.react('lobby', 2, '❤️', false)
  t.match(await answer('react', { type: 'react-ok', room: 'lobby' }), { type: 'react', room: 'lobby', seq: 2, emoji: '❤️', on: false })
  await reacted
  const read = client.markRead('lobby', 2)
  t.match(await answer('read', { type: 'read-ok', room: 'lobby', seq: 2 }), { type: 'read', room: 'lobby', seq: 2 })
  t.equal(await read, 2)
  const found = client.search('"회의 자료" tonight', { room: 'lobby', limit: 10 })
  const hit = { message: msg(1) }
  t.match(await answer('search', { type: 'search-ok', hits: [hit], next: 'abc' }), { type: 'search', query: '"회의 자료" tonight', room: 'lobby', limit: 10 })
  t.same(await found, { hits: [hit], next: 'abc' })
})

t.test('read markers and unread counts: from the join, new messages, mentions, deletes, and other devices', async (t) => {
  const { ws, of, lobby, events } = await setup(t, { readSeq: 1, unread: 1, mentions: 0 })
  const joined = events.find(([n]) => n === 'joined')![1] as ChatEvents['joined']
  t.match(joined, { room: 'lobby', readSeq: 1, unread: 1, mentions: 0 })
  ws.serverSend({ type: 'chat', message: msg(3, { text: '@ana look', mentions: [ANA] }) })
  ws.serverSend({ type: 'chat', message: msg(4) })
  ws.serverSend({ type: 'chat', message: msg(5, { userId: ANA, name: 'ana' }) })
  t.same([lobby().unread, lobby().mentions], [3, 1], 'two more from bob, one mentioning ana; her own not counted')
  ws.serverSend({ type: 'chat', message: ev(6, { kind: 'delete', target: 4 }) })
  t.same([lobby().unread, lobby().mentions], [2, 1], 'a deleted message is not unread')
  ws.serverSend({ type: 'read', room: 'lobby', seq: 3 })
  t.same(of('read'), [{ room: 'lobby', seq: 3, unread: 0, mentions: 0 }], 'another device read up to 3')
  ws.serverSend({ type: 'read', room: 'lobby', seq: 2 })
  t.equal(of('read').length, 1, 'a marker never moves down')
})

t.test('moderation requests send their frames; the actor applies its own event entry', async (t) => {
  const { client, answer, of } = await setup(t)
  const kick = ev(3, { kind: 'kick', userId: BOB, name: 'bob', reason: 'spam' }, { userId: ANA, name: 'ana', text: 'kicked bob: spam' })
  const kicked = client.kick('lobby', BOB, 'spam')
  t.match(await answer('kick', { type: 'kick-ok', room: 'lobby', userId: BOB, message: kick }), { type: 'kick', room: 'lobby', userId: BOB, reason: 'spam' })
  t.same(await kicked, kick)
  t.same(
    of('chat').map((c) => c.message.event?.kind),
    ['kick'],
  )
  const banned = client.ban('lobby', BOB, { durationMs: 86_400_000, reason: 'again' })
  t.match(await answer('ban', { type: 'ban-ok', room: 'lobby', userId: BOB }), { type: 'ban', room: 'lobby', userId: BOB, durationMs: 86_400_000, reason: 'again' })
  await banned
  const muted = client.mute('lobby', BOB, { durationMs: 600_000 })
  t.match(await answer('mute', { type: 'mute-ok', room: 'lobby', userId: BOB }), { type: 'mute', durationMs: 600_000 })
  await muted
  for (const [method, type] of [
    ['unban', 'unban'],
    ['unmute', 'unmute'],
  ] as const) {
    const done = client[method]('lobby', BOB)
    t.match(await answer(type, { type: `${type}-ok`, room: 'lobby', userId: BOB }), { type, room: 'lobby', userId: BOB })
    t.equal(await done, undefined)
  }
  const listed = client.restrictions('lobby')
  const ban = { userId: BOB, name: 'bob', by: ANA, since: TS, until: TS + 1000 }
  await answer('restrictions', { type: 'restrictions-ok', room: 'lobby', bans: [ban], mutes: [] })
  t.same(await listed, { bans: [ban], mutes: [] })
})

t.test('blocks: the list from login-ok, block and unblock keep it and say when it changed', async (t) => {
  const { client, answer, of } = await setup(t, {}, { blocked: ['u_carol'] })
  t.same([...client.blocked], ['u_carol'])
  const blocked = client.block(BOB)
  t.match(await answer('block', { type: 'block-ok', userId: BOB }), { type: 'block', userId: BOB })
  await blocked
  const again = client.block(BOB)
  await answer('block', { type: 'block-ok', userId: BOB })
  await again
  const unblocked = client.unblock('u_carol')
  await answer('unblock', { type: 'unblock-ok', userId: 'u_carol' })
  await unblocked
  t.same(
    of('blocked').map((b) => b.blocked),
    [['u_carol', BOB], [BOB]],
    'one event per change, none for a repeat',
  )
})

t.test('a kick or ban of this user forgets the room, so a reconnect does not rejoin it', async (t) => {
  const { client, ws, of } = await setup(t)
  ws.serverSend({ type: 'chat', message: ev(3, { kind: 'ban', userId: ANA, name: 'ana', until: TS + 60_000 }, { text: 'banned ana' }) })
  t.notOk(client.rooms.has('lobby'))
  t.same(of('left'), [{ room: 'lobby', removed: 'ban' }])
  t.same(
    of('chat').map((c) => c.message.seq),
    [3],
    'the ban itself was shown first',
  )
})

t.test('history: an event that came before its target is applied when the page brings it', async (t) => {
  const { client, ws, answer, of } = await setup(t, { seq: 6, history: [msg(5), msg(6)] })
  ws.serverSend({ type: 'chat', message: ev(7, { kind: 'react', target: 3, emoji: '👍', on: true }) })
  t.same(of('message-changed'), [], 'message 3 is not held yet: the reaction waits')
  const page = client.history('lobby', { before: 5 })
  await answer('history', { type: 'history-ok', room: 'lobby', epoch: 'e1', hasMore: true, messages: [msg(3), msg(4)] })
  const { messages } = await page
  t.same(messages[0]!.reactions, [{ emoji: '👍', count: 1, users: [BOB] }], 'the page as it is now')
  t.same(
    client.rooms
      .get('lobby')!
      .lines()
      .map((m) => m.seq),
    [3, 4, 5, 6],
  )
})

t.test('sendChat with replyTo sends it (and keeps it in the outbox entry)', async (t) => {
  const { client, answer } = await setup(t)
  const sent = client.sendChat('lobby', 'yes!', { replyTo: 2 })
  const request = await answer('chat', { type: 'chat-ok', message: msg(3, { userId: ANA, name: 'ana', text: 'yes!', replyTo: { msgId: 'm2', seq: 2, userId: BOB, name: 'bob', excerpt: 'line 2' } }) })
  t.match(request, { type: 'chat', room: 'lobby', text: 'yes!', replyTo: 2 })
  t.match(await sent, { seq: 3, replyTo: { seq: 2, excerpt: 'line 2' } })
})
