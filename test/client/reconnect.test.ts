// Reconnect against the real server: drops, restarts, replay of what was
// missed, terminal close codes, the bounded send buffer and the heartbeat.
// Time is a fake clock and the backoff is 0 ms: a test retries by advancing 0.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { collect, connectAndLogin, createTestClient, nextEvent, serverSocketOf } from '../helpers/chat-client.ts'
import { startServer } from '../helpers/server.ts'

t.test('after the server drops the connection the client logs in again and gets the messages it missed, once', async (t) => {
  const server = await startServer(t)
  const ana = await connectAndLogin(t, server, 'ana')
  const { client: bob } = await connectAndLogin(t, server, 'bob')
  await bob.sendChat('lobby', 'before the drop')
  const userId = ana.client.user!.userId

  const reconnecting = nextEvent(ana.client, 'state', (s) => s.to === 'reconnecting')
  serverSocketOf(server, ana.sockets[0]!).terminate()
  t.match(await reconnecting, { from: 'open', to: 'reconnecting', reason: 'connection-lost', code: 1006 })

  // Sent while ana is away (her retry waits for the clock).
  const missed = [await bob.sendChat('lobby', 'missed one'), await bob.sendChat('lobby', 'missed two')]
  const chats = collect(ana.client, 'chat')
  const rejoined = nextEvent(ana.client, 'joined')
  const open = nextEvent(ana.client, 'state', (s) => s.to === 'open')
  const session = nextEvent(ana.client, 'session')
  ana.clock.advance(0)
  t.match(await open, { from: 'reconnecting', to: 'open', reason: 'ready' })
  t.match(await session, { userId, name: 'ana', restored: true }, 'the saved session key continues the same user')
  t.match(await rejoined, { room: 'lobby', outcome: { rejoined: true, resumed: true, missed: 2 }, history: [] })

  const liveAtAna = nextEvent(ana.client, 'chat', (c) => c.message.text === 'live again')
  const live = await bob.sendChat('lobby', 'live again')
  await liveAtAna
  t.same(
    chats.map((c) => c.message),
    [...missed, live],
    'missed messages replayed in order, then live ones, no duplicates',
  )
  t.equal(ana.client.rooms.get('lobby')!.lastSeq, live.seq)
})

t.test('after a server restart on the same port and data the client resumes and chats again', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'wirechat-client-'))
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }))
  const first = await startServer(t, { dataDir })
  const ana = await connectAndLogin(t, first, 'ana', ['lobby', 'dev'])
  await ana.client.sendChat('dev', 'before restart')

  const reconnecting = nextEvent(ana.client, 'state', (s) => s.to === 'reconnecting')
  await first.app.close()
  t.match(await reconnecting, { reason: 'connection-lost', code: 1001 }, 'shutdown says going-away: retry')

  const second = await startServer(t, { dataDir, port: first.port })
  const { client: bob } = await connectAndLogin(t, second, 'bob', ['dev'])
  const missed = await bob.sendChat('dev', 'while you were away')
  const chats = collect(ana.client, 'chat')
  const open = nextEvent(ana.client, 'state', (s) => s.to === 'open')
  ana.clock.advance(0)
  await open
  t.same([...ana.client.rooms.keys()].sort(), ['dev', 'lobby'], 'both rooms rejoined')
  const reply = await ana.client.sendChat('dev', 'back')
  t.same(
    chats.map((c) => c.message.text),
    ['while you were away', 'back'],
  )
  t.equal(reply.seq, missed.seq + 1)
})

t.test('a terminal close code (4001 login timeout) closes the client without any retry', async (t) => {
  const server = await startServer(t, { loginTimeoutMs: 50 })
  const { client, clock, backoffCalls } = createTestClient(t, server)
  const closed = nextEvent(client, 'state', (s) => s.to === 'closed')
  await client.connect() // and never log in
  t.match(await closed, { from: 'open', to: 'closed', reason: 'terminal-close', code: 4001 })
  clock.advance(60 * 60_000)
  t.equal(client.state, 'closed')
  t.same(backoffCalls, [], 'the backoff was never consulted')
  await t.rejects(client.presence('lobby'), { code: 'closed' })
})

t.test('abuse (4008) is not retried either', async (t) => {
  const server = await startServer(t, { abuseStrikes: 2 })
  const { client, clock, backoffCalls } = await connectAndLogin(t, server, 'ana')
  const closed = nextEvent(client, 'state', (s) => s.to === 'closed')
  // Two refused requests (bad room names) within a minute are abuse with abuseStrikes 2.
  await client.join('Bad!').catch(() => {})
  void client.join('Worse!').catch(() => {})
  t.match(await closed, { reason: 'terminal-close', code: 4008 })
  clock.advance(60 * 60_000)
  t.same(backoffCalls, [])
})

t.test('sends while reconnecting wait in a bounded buffer and go out once the session is back', async (t) => {
  const server = await startServer(t)
  const ana = await connectAndLogin(t, server, 'ana', ['lobby'], { maxBufferedRequests: 2 })
  const { client: bob } = await connectAndLogin(t, server, 'bob')
  const reconnecting = nextEvent(ana.client, 'state', (s) => s.to === 'reconnecting')
  serverSocketOf(server, ana.sockets[0]!).terminate()
  await reconnecting

  const first = ana.client.sendChat('lobby', 'queued 1')
  const second = ana.client.sendChat('lobby', 'queued 2')
  t.equal(ana.client.buffered, 2)
  await t.rejects(ana.client.sendChat('lobby', 'one too many'), { code: 'buffer-full', retryable: true })

  const atBob = collect(bob, 'chat')
  const lastAtBob = nextEvent(bob, 'chat', (c) => c.message.text === 'queued 2')
  ana.clock.advance(0)
  const sent = await Promise.all([first, second])
  t.same(
    sent.map((m) => m.text),
    ['queued 1', 'queued 2'],
    'buffered sends resolve after the reconnect, in order',
  )
  await lastAtBob
  t.same(
    atBob.map((c) => c.message.text),
    ['queued 1', 'queued 2'],
    'the overflow was never sent',
  )
  t.equal(ana.client.buffered, 0)
})

t.test('a buffered request that times out is dropped, not sent later', async (t) => {
  const server = await startServer(t)
  const ana = await connectAndLogin(t, server, 'ana', ['lobby'], { requestTimeoutMs: 5_000 })
  const { client: bob } = await connectAndLogin(t, server, 'bob')
  const reconnecting = nextEvent(ana.client, 'state', (s) => s.to === 'reconnecting')
  serverSocketOf(server, ana.sockets[0]!).terminate()
  await reconnecting
  // Advancing fires the 0 ms retry first (its socket cannot open before this
  // test yields to I/O), then the deadline while the request is still buffered.
  const stale = ana.client.sendChat('lobby', 'too late')
  const rejected = t.rejects(stale, { code: 'timeout' })
  ana.clock.advance(5_000)
  await rejected
  t.equal(ana.client.buffered, 0)

  await nextEvent(ana.client, 'state', (s) => s.to === 'open')
  const seen = nextEvent(bob, 'chat', (c) => c.message.text === 'marker' || c.message.text === 'too late')
  const marker = await ana.client.sendChat('lobby', 'marker')
  t.equal((await seen).message.seq, marker.seq, 'the first message bob sees from ana is the marker')
})

t.test('a silent link is detected by the application ping and replaced', async (t) => {
  const server = await startServer(t)
  const ana = await connectAndLogin(t, server, 'ana', ['lobby'], { pingIntervalMs: 10_000, pongTimeoutMs: 5_000 })
  // The server stops reading this connection: pings go unanswered, the TCP link stays up.
  const serverSide = serverSocketOf(server, ana.sockets[0]!) as unknown as { _socket: { pause(): void } }
  serverSide._socket.pause()
  ana.clock.advance(10_000)
  const reconnecting = nextEvent(ana.client, 'state', (s) => s.to === 'reconnecting')
  ana.clock.advance(5_000)
  t.match(await reconnecting, { reason: 'heartbeat-timeout' })
  const open = nextEvent(ana.client, 'state', (s) => s.to === 'open')
  ana.clock.advance(0)
  await open
  t.equal(ana.sockets.length, 2, 'a new socket replaced the silent one')
  t.match(await ana.client.sendChat('lobby', 'still here'), { text: 'still here' })
})

t.test('direct messages sent while away are replayed after the reconnect, once, from the inbox position', async (t) => {
  const server = await startServer(t)
  const ana = await connectAndLogin(t, server, 'ana')
  const { client: bob } = await connectAndLogin(t, server, 'bob')
  const before = nextEvent(ana.client, 'dm')
  await bob.sendDm(ana.client.user!.userId, 'before')
  await before
  const reconnecting = nextEvent(ana.client, 'state', (s) => s.to === 'reconnecting')
  serverSocketOf(server, ana.sockets[0]!).terminate()
  await reconnecting
  const missed = [await bob.sendDm(ana.client.user!.userId, 'while away 1'), await bob.sendDm(ana.client.user!.userId, 'while away 2')]

  const dms = collect(ana.client, 'dm')
  const inbox = nextEvent(ana.client, 'inbox')
  const open = nextEvent(ana.client, 'state', (s) => s.to === 'open')
  ana.clock.advance(0)
  await open
  t.match(await inbox, { resumed: true, missed: 2, lost: false })
  const live = nextEvent(ana.client, 'dm', (d) => d.message.text === 'live')
  await bob.sendDm(ana.client.user!.userId, 'live')
  await live
  t.same(
    dms.map((d) => d.message.text),
    ['while away 1', 'while away 2', 'live'],
    'replayed in order, then live, nothing twice',
  )
  t.same(
    dms.map((d) => d.partnerId),
    [bob.user!.userId, bob.user!.userId, bob.user!.userId],
  )
  t.same(
    dms.map((d) => d.message.seq),
    [2, 3, 4],
    'ana\'s inbox positions, gapless after "before" (1)',
  )
  t.same(
    missed.map((m) => m.text),
    ['while away 1', 'while away 2'],
  )
  t.equal(ana.client.inboxPosition!.seq, 4)
})

t.test('a new login with a saved inbox position gets the DMs that came since', async (t) => {
  const server = await startServer(t)
  const ana = await connectAndLogin(t, server, 'ana')
  const { client: bob } = await connectAndLogin(t, server, 'bob')
  const got = nextEvent(ana.client, 'dm')
  await bob.sendDm(ana.client.user!.userId, 'seen')
  await got
  const position = ana.client.inboxPosition!
  const session = ana.client.session!
  ana.client.disconnect()
  await bob.sendDm(ana.client.user!.userId, 'unseen')

  const tab = createTestClient(t, server).client
  await tab.connect()
  const dms = collect(tab, 'dm')
  const arrived = nextEvent(tab, 'dm')
  await tab.login({ session, rooms: [], inbox: position })
  await arrived
  t.same(
    dms.map((d) => d.message.text),
    ['unseen'],
  )
})
