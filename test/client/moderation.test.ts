// Rooms with owners and moderation through the library, against the real
// server: the directory and room-info; a kick or ban of this user emits
// `removed` and forgets the room (a reconnect does not rejoin it), and the
// actor gets the event entry from its reply; the block list comes with login
// and follows block/unblock.
import t from 'tap'
import { collect, connectAndLogin, createTestClient, nextEvent, serverSocketOf } from '../helpers/chat-client.ts'
import { startServer } from '../helpers/server.ts'

t.test('the directory, room-info and set-room', async (t) => {
  const server = await startServer(t)
  const { client: ana } = await connectAndLogin(t, server, 'ana', ['town', 'hidden'])
  await ana.setRoom('town', { topic: 'Local news' })
  await ana.setRoom('hidden', { public: false })
  t.match(await ana.roomInfo('town'), { room: 'town', namespace: '', topic: 'Local news', public: true, owners: [ana.user!.userId], moderators: [], members: 1, yourRole: 'owner' })
  const { client: bob } = await connectAndLogin(t, server, 'bob', [])
  t.same(await bob.listRooms(), { rooms: [{ room: 'town', topic: 'Local news', members: 1 }] }, 'private rooms are not listed')
  t.same(await bob.listRooms({ prefix: 'x' }), { rooms: [] })
  t.match(await bob.roomInfo('town'), { yourRole: 'none' })
  t.ok(
    bob.namespaces.some((ns) => ns.name === ''),
    'the namespaces come with login-ok',
  )
})

t.test('a kicked or banned user is told, forgets the room and does not rejoin it on reconnect', async (t) => {
  const server = await startServer(t)
  const { client: mod } = await connectAndLogin(t, server, 'mod', ['town'])
  const { client: spammer, sockets, clock } = await connectAndLogin(t, server, 'spammer', ['town', 'lobby'])
  const spammerId = spammer.user!.userId

  const own = nextEvent(mod, 'chat', ({ message }) => message.event?.kind === 'kick')
  const removed = nextEvent(spammer, 'removed')
  const left = nextEvent(spammer, 'left')
  await mod.kick('town', spammerId, 'spam')
  t.match((await own).message, { userId: mod.user!.userId, event: { kind: 'kick', userId: spammerId, reason: 'spam' } }, "the actor's copy comes with kick-ok")
  t.same(await removed, { room: 'town', kind: 'kick', by: { userId: mod.user!.userId, name: 'mod' }, reason: 'spam' })
  t.same(await left, { room: 'town', removed: 'kick' })
  t.same([...spammer.rooms.keys()], ['lobby'])

  await spammer.join('town')
  const banned = nextEvent(spammer, 'removed')
  await mod.ban('town', spammerId, { durationMs: 3_600_000 })
  t.match(await banned, { room: 'town', kind: 'ban', until: Number })
  t.same([...spammer.rooms.keys()], ['lobby'])

  // A reconnect restores the session and rooms: not the room it was banned from.
  const seen = collect(spammer, 'joined')
  const reconnecting = nextEvent(spammer, 'state', (s) => s.to === 'reconnecting')
  serverSocketOf(server, sockets.at(-1)!).terminate()
  await reconnecting
  const restored = nextEvent(spammer, 'session', (s) => s.restored)
  clock.advance(0)
  await restored
  t.same(
    seen.map((j) => j.room),
    ['lobby'],
  )
  await t.rejects(spammer.join('town'), { code: 'banned' })
})

t.test('the block list comes with login and follows block and unblock', async (t) => {
  const server = await startServer(t)
  const { client: ana } = await connectAndLogin(t, server, 'ana', [])
  const { client: bob } = await connectAndLogin(t, server, 'bob', [])
  const changes = collect(ana, 'blocked')
  await ana.block(bob.user!.userId)
  t.same([...ana.blocked], [bob.user!.userId])
  await t.rejects(bob.sendDm(ana.user!.userId, 'hi'), { code: 'blocked' })
  await ana.unblock(bob.user!.userId)
  t.same([...ana.blocked], [])
  t.equal(changes.length, 2)
  await ana.block(bob.user!.userId)
  const { client: tab } = await connectAndLogin(t, server, 'carol', [])
  t.same([...tab.blocked], [], 'a new guest blocks nobody')
  tab.disconnect()
  const { client: second } = createTestClient(t, server)
  await second.connect()
  await second.login({ session: ana.session! })
  t.same([...second.blocked], [bob.user!.userId], 'a second tab of the same session gets the list from login-ok')
})
