// The persistent outbox against the real server: sends survive a server outage,
// a lost ack and a "page reload" (a new client on the same storage and session
// key), and each message is stored exactly once. Memory storage stands in for
// localStorage; time is a fake clock and the backoff is 0 ms (advance 0 to retry).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import WebSocket from 'ws'
import { createMemoryStorage, outboxKey, type ChatClient, type OutboxEntry, type OutboxStorage } from '../../client/index.ts'
import type { WebSocketConstructor } from '../../client/socket.ts'
import { collect, connectAndLogin, createTestClient, nextEvent, serverSocketOf, type TestClient } from '../helpers/chat-client.ts'
import { eventually } from '../helpers/eventually.ts'
import { FakeClock } from '../helpers/fake-clock.ts'
import { startServer, type TestServer } from '../helpers/server.ts'

const DAY_MS = 24 * 60 * 60_000

/** Stored copies of a text in a room, read with a history request by any member. */
async function copies(reader: ChatClient, room: string, text: string) {
  const page = await reader.history(room)
  return page.messages.filter((m) => m.text === text)
}

/** A `ws` WebSocket that silently drops the server frames `drop` picks: an ack lost on the way. */
function lossyWebSocket(drop: (frame: { type: string }) => boolean): WebSocketConstructor {
  const accessor = Object.getOwnPropertyDescriptor(WebSocket.prototype, 'onmessage')!
  class Lossy extends WebSocket {
    constructor(url: string, protocols: string[]) {
      super(url, protocols)
      this.on('error', () => {})
      Object.defineProperty(this, 'onmessage', {
        configurable: true,
        get: () => accessor.get!.call(this),
        set: (fn: ((event: { data: unknown }) => void) | null) =>
          accessor.set!.call(
            this,
            fn === null
              ? null
              : (event: { data: unknown }) => {
                  if (!drop(JSON.parse(String(event.data)) as { type: string })) fn(event)
                },
          ),
      })
    }
  }
  return Lossy as unknown as WebSocketConstructor
}

/** Drops the link from the server side and waits until the client notices (its retry then waits for the clock). */
async function dropLink(server: TestServer, tc: TestClient): Promise<void> {
  const reconnecting = nextEvent(tc.client, 'state', (s) => s.to === 'reconnecting')
  serverSocketOf(server, tc.sockets.at(-1)!).terminate()
  await reconnecting
}

/** "Reloads the page": a new client on the same storage logs in with the saved session key. */
async function reload(t: Test, server: TestServer, storage: OutboxStorage, session: string, options: { clock?: FakeClock } = {}) {
  const tc = createTestClient(t, server, { outbox: storage, ...(options.clock && { clock: options.clock }) })
  const changes = collect(tc.client, 'outbox')
  await tc.client.connect()
  return { ...tc, changes, login: tc.client.login({ session }) }
}

t.test('a message sent while the server is down is stored once and acknowledged after the client reconnects', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'wirechat-outbox-'))
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }))
  const first = await startServer(t, { dataDir })
  const storage = createMemoryStorage()
  const ana = await connectAndLogin(t, first, 'ana', ['lobby'], { outbox: storage })
  const changes = collect(ana.client, 'outbox')

  const reconnecting = nextEvent(ana.client, 'state', (s) => s.to === 'reconnecting')
  await first.app.close()
  await reconnecting
  const sent = ana.client.sendChat('lobby', 'typed while the server was down')
  t.match(ana.client.pendingSends, [{ kind: 'chat', to: 'lobby', text: 'typed while the server was down' }], 'written to the outbox before anything was sent')
  t.equal(storage.keys.length, 1, 'and it is in storage, not only in memory')

  const second = await startServer(t, { dataDir, port: first.port })
  const { client: bob } = await connectAndLogin(t, second, 'bob')
  const atBob = collect(bob, 'chat')
  const seenByBob = nextEvent(bob, 'chat', (c) => c.message.text === 'typed while the server was down')
  const acked = nextEvent(ana.client, 'outbox', (c) => c.type === 'acked')
  ana.clock.advance(0)
  const message = await sent
  t.match(await acked, { type: 'acked', duplicate: false, message: { msgId: message.msgId } })
  t.same(ana.client.pendingSends, [], 'the ack took it out of the outbox')
  t.same(storage.keys, [])
  await seenByBob
  t.same(
    (await copies(bob, 'lobby', 'typed while the server was down')).map((m) => m.msgId),
    [message.msgId],
    'stored exactly once',
  )
  const marker = nextEvent(bob, 'chat', (c) => c.message.text === 'marker')
  await ana.client.sendChat('lobby', 'marker')
  await marker
  t.same(
    atBob.map((c) => c.message.text),
    ['typed while the server was down', 'marker'],
    'bob got it once',
  )
  t.same(
    changes.map((c) => c.type),
    ['acked', 'acked'],
    'the reconnect re-sent it with the socket, not a second time from the outbox',
  )
})

t.test('a reload after the ack was lost re-sends the entry; the server answers duplicate and history holds one copy', async (t) => {
  const server = await startServer(t)
  const storage = createMemoryStorage()
  // ana's chat-ok frames never reach her client: the message is stored, the page does not know.
  const ana = await connectAndLogin(t, server, 'ana', ['lobby'], { outbox: storage, WebSocket: lossyWebSocket((f) => f.type === 'chat-ok') })
  const { client: bob } = await connectAndLogin(t, server, 'bob')
  const atBob = collect(bob, 'chat')
  const session = ana.client.session!
  const stored = nextEvent(bob, 'chat', (c) => c.message.text === 'ack lost')
  const sent = ana.client.sendChat('lobby', 'ack lost')
  const original = (await stored).message
  t.equal(ana.client.pendingSends.length, 1, 'no ack, so the entry stays')
  ana.client.disconnect() // the page goes away
  await t.rejects(sent, { code: 'closed' })
  t.equal(ana.client.pendingSends.length, 1, 'closing the client does not drop the entry')

  const again = await reload(t, server, storage, session)
  const acked = nextEvent(again.client, 'outbox', (c) => c.type === 'acked')
  const chats = collect(again.client, 'chat')
  await again.login
  t.match(again.changes[0], { type: 'restored', entries: [{ clientMsgId: original.clientMsgId, text: 'ack lost' }] })
  t.match(await acked, { type: 'acked', duplicate: true, message: { msgId: original.msgId, seq: original.seq } }, 'the server recognised the re-send')
  t.same(again.client.pendingSends, [])
  t.same(
    (await copies(bob, 'lobby', 'ack lost')).map((m) => m.msgId),
    [original.msgId],
    'one copy in history',
  )
  const after = nextEvent(bob, 'chat', (c) => c.message.text === 'after')
  await again.client.sendChat('lobby', 'after')
  await after
  t.same(
    atBob.map((c) => c.message.text),
    ['ack lost', 'after'],
    'bob got it once',
  )
  t.same(
    chats.map((c) => c.message.text),
    ['after'],
    'the duplicate ack is not a new message for the reloaded client either (the join snapshot had it)',
  )
})

t.test('a reload before the first attempt reached the server sends it once, and another user of the same storage does not', async (t) => {
  const server = await startServer(t)
  const storage = createMemoryStorage()
  const ana = await connectAndLogin(t, server, 'ana', ['lobby'], { outbox: storage })
  const session = ana.client.session!
  await dropLink(server, ana)
  const sent = ana.client.sendChat('lobby', 'never left the page')
  ana.client.disconnect()
  await t.rejects(sent, { code: 'closed' })

  // Another user logs in on the same "browser": ana's entry is not theirs to send.
  const cara = createTestClient(t, server, { outbox: storage })
  const caraChanges = collect(cara.client, 'outbox')
  await cara.client.connect()
  await cara.client.login({ name: 'cara' })
  t.same(cara.client.pendingSends, [])
  t.same(caraChanges, [], 'nothing restored for cara')

  const again = await reload(t, server, storage, session)
  const acked = nextEvent(again.client, 'outbox', (c) => c.type === 'acked')
  const own = nextEvent(again.client, 'chat', (c) => c.message.text === 'never left the page')
  await again.login
  t.match(await acked, { type: 'acked', duplicate: false })
  t.match(await own, { own: true }, "the ack is the client's one copy of it")
  t.equal((await copies(cara.client, 'lobby', 'never left the page')).length, 1)
  t.same(storage.keys, [])
})

t.test('after login the entries are re-sent in their original order with their original ids; expired ones are dropped and reported', async (t) => {
  const server = await startServer(t)
  const storage = createMemoryStorage()
  const ana = await connectAndLogin(t, server, 'ana', ['lobby'])
  const { session } = ana.client
  const userId = ana.client.user!.userId
  ana.client.disconnect()
  const clock = new FakeClock()
  const now = clock.now()
  const entries: OutboxEntry[] = [
    { clientMsgId: 'order-00000001', kind: 'chat', to: 'lobby', text: 'one', createdAt: now - 3 * 60_000 },
    { clientMsgId: 'order-00000000', kind: 'chat', to: 'lobby', text: 'too old', createdAt: now - DAY_MS - 1 },
    { clientMsgId: 'order-00000002', kind: 'chat', to: 'lobby', text: 'two', createdAt: now - 2 * 60_000 },
    { clientMsgId: 'order-00000003', kind: 'chat', to: 'lobby', text: 'three', createdAt: now - 60_000 },
  ]
  storage.set(outboxKey(server.url, userId), entries)
  const { client: bob } = await connectAndLogin(t, server, 'bob')
  const atBob = collect(bob, 'chat')
  const last = nextEvent(bob, 'chat', (c) => c.message.text === 'three')

  const again = await reload(t, server, storage, session!, { clock })
  await again.login
  await last
  t.same(
    atBob.map((c) => [c.message.text, c.message.clientMsgId]),
    [
      ['one', 'order-00000001'],
      ['two', 'order-00000002'],
      ['three', 'order-00000003'],
    ],
  )
  t.match(again.changes.slice(0, 2), [
    { type: 'expired', entry: { text: 'too old' } },
    { type: 'restored', entries: [{ text: 'one' }, { text: 'two' }, { text: 'three' }] },
  ])
  await eventually(() => again.changes.filter((c) => c.type === 'acked').length === 3, 'the three re-sends were acknowledged')
  t.same(again.client.pendingSends, [])
  t.equal((await copies(bob, 'lobby', 'too old')).length, 0, 'the expired entry was never sent')
})

t.test('an entry the server refuses for good leaves the outbox and is reported; a retryable failure keeps it', async (t) => {
  const server = await startServer(t)
  const ana = await connectAndLogin(t, server, 'ana', ['lobby'], { outbox: createMemoryStorage(), requestTimeoutMs: 1_000 })
  const rejected = nextEvent(ana.client, 'outbox', (c) => c.type === 'rejected')
  await t.rejects(ana.client.sendChat('nowhere', 'to a room I am not in'), { code: 'not-in-room' })
  t.match(await rejected, { type: 'rejected', entry: { to: 'nowhere' }, error: { code: 'not-in-room' } })
  t.same(ana.client.pendingSends, [])

  // A timeout is not final: the entry stays, to be re-sent at the next login.
  await dropLink(server, ana)
  const late = ana.client.sendChat('lobby', 'timed out while away')
  const timedOut = t.rejects(late, { code: 'timeout' })
  ana.clock.advance(1_000)
  await timedOut
  t.match(ana.client.pendingSends, [{ text: 'timed out while away' }])
  const acked = nextEvent(ana.client, 'outbox', (c) => c.type === 'acked')
  ana.clock.advance(0) // reconnect: the login re-sends what the outbox still holds
  t.match(await acked, { type: 'acked', entry: { text: 'timed out while away' }, duplicate: false })
})

t.test('beyond its bound the outbox refuses a send locally and nothing of it reaches the server', async (t) => {
  const server = await startServer(t)
  const ana = await connectAndLogin(t, server, 'ana', ['lobby'], { outbox: createMemoryStorage(), outboxLimits: { maxEntries: 2 } })
  const { client: bob } = await connectAndLogin(t, server, 'bob')
  await dropLink(server, ana)
  const queued = [ana.client.sendChat('lobby', 'queued 1'), ana.client.sendChat('lobby', 'queued 2')]
  await t.rejects(ana.client.sendChat('lobby', 'one too many'), { code: 'outbox-full', retryable: true })
  t.equal(ana.client.buffered, 2, 'the refused send was not buffered either')
  const atBob = collect(bob, 'chat')
  const last = nextEvent(bob, 'chat', (c) => c.message.text === 'queued 2')
  ana.clock.advance(0)
  await Promise.all(queued)
  await last
  t.same(
    atBob.map((c) => c.message.text),
    ['queued 1', 'queued 2'],
  )
  t.match(await ana.client.sendChat('lobby', 'room again'), { text: 'room again' }, 'the acks made room')
})

t.test('direct messages go through the outbox too, and a send before any login is refused', async (t) => {
  const server = await startServer(t)
  const storage = createMemoryStorage()
  const early = createTestClient(t, server, { outbox: storage })
  await early.client.connect()
  await t.rejects(early.client.sendChat('lobby', 'who am I?'), { code: 'not-logged-in' })
  t.same(storage.keys, [])

  const ana = await connectAndLogin(t, server, 'ana', [], { outbox: storage })
  const { client: bob } = await connectAndLogin(t, server, 'bob', [])
  const session = ana.client.session!
  await dropLink(server, ana)
  const sent = ana.client.sendDm(bob.user!.userId, 'dm through the outbox')
  ana.client.disconnect()
  await t.rejects(sent, { code: 'closed' })

  const atBob = collect(bob, 'dm')
  const arrived = nextEvent(bob, 'dm')
  const again = await reload(t, server, storage, session)
  const acked = nextEvent(again.client, 'outbox', (c) => c.type === 'acked')
  await again.login
  t.match(await acked, { entry: { kind: 'dm', to: bob.user!.userId }, duplicate: false })
  await arrived
  t.same(
    atBob.map((d) => d.message.text),
    ['dm through the outbox'],
  )
})
