// The connection state machine, driven by an in-memory WebSocket and a fake clock.
import t from 'tap'
import { ChatError } from '../../../client/errors.ts'
import { ChatSocket, type RetryInfo, type SocketOptions, type StateChange } from '../../../client/socket.ts'
import { FakeClock } from '../../helpers/fake-clock.ts'
import { FakeWebSocket, welcomeFrame } from '../../helpers/fake-websocket.ts'

function setup(overrides: Partial<SocketOptions> = {}) {
  FakeWebSocket.reset()
  const clock = new FakeClock()
  const changes: StateChange[] = []
  const retries: RetryInfo[] = []
  const backoffCalls: number[] = []
  const socket = new ChatSocket({
    url: 'ws://test/ws',
    WebSocket: FakeWebSocket,
    clock,
    backoff: (attempt) => {
      backoffCalls.push(attempt)
      return 1000 * (attempt + 1)
    },
    pingIntervalMs: 15_000,
    pongTimeoutMs: 5_000,
    connectTimeoutMs: 8_000,
    requestTimeoutMs: 10_000,
    onFrame: () => {},
    onBadFrame: () => {},
    onState: (c) => changes.push(c),
    onRetry: (r) => retries.push(r),
    handshake: async () => {},
    ...overrides,
  })
  /** Opens the newest fake socket, welcomes, and lets the handshake promise settle. */
  const welcome = async () => {
    FakeWebSocket.last.open()
    FakeWebSocket.last.serverSend(welcomeFrame())
    await new Promise((resolve) => setImmediate(resolve))
  }
  const path = () => changes.map((c) => `${c.to}:${c.reason}${c.code !== undefined ? `:${c.code}` : ''}`)
  return { socket, clock, changes, retries, backoffCalls, welcome, path }
}

t.test('connect goes connecting → open once welcomed, offering chat.v1', async (t) => {
  const { socket, welcome, path } = setup()
  t.equal(socket.state, 'closed')
  socket.connect()
  t.equal(socket.state, 'connecting')
  t.same(FakeWebSocket.last.protocols, ['chat.v1'])
  FakeWebSocket.last.open()
  t.equal(socket.state, 'connecting', 'an open transport is not enough: the welcome makes it open')
  await welcome()
  t.same(path(), ['connecting:connect', 'open:ready'])
})

t.test('a drop goes open → reconnecting with the close code, then open again after the backoff delay', async (t) => {
  const { socket, clock, welcome, retries, backoffCalls, path } = setup()
  socket.connect()
  await welcome()
  FakeWebSocket.last.serverClose(1006)
  t.equal(socket.state, 'reconnecting')
  t.same(retries, [{ attempt: 1, delayMs: 1000, reason: 'connection-lost', code: 1006 }])
  t.equal(FakeWebSocket.instances.length, 1, 'no new socket before the delay')
  clock.advance(999)
  t.equal(FakeWebSocket.instances.length, 1)
  clock.advance(1)
  t.equal(FakeWebSocket.instances.length, 2, 'the retry opens a new socket')
  FakeWebSocket.last.serverClose(1006) // the retry fails too
  t.same(retries.at(-1), { attempt: 2, delayMs: 2000, reason: 'connection-lost', code: 1006 })
  clock.advance(2000)
  await welcome()
  t.same(path(), ['connecting:connect', 'open:ready', 'reconnecting:connection-lost:1006', 'open:ready'])
  t.same(backoffCalls, [0, 1])
  FakeWebSocket.last.serverClose(1001)
  t.same(retries.at(-1), { attempt: 1, delayMs: 1000, reason: 'connection-lost', code: 1001 }, 'a successful open resets the attempt count')
})

for (const code of [4001, 4008, 1000, 1009]) {
  t.test(`terminal close ${code} goes to closed and is never retried`, async (t) => {
    const { socket, clock, welcome, backoffCalls, path } = setup()
    socket.connect()
    await welcome()
    FakeWebSocket.last.serverClose(code)
    t.equal(socket.state, 'closed')
    clock.advance(60 * 60_000)
    t.equal(FakeWebSocket.instances.length, 1, 'no reconnect attempt')
    t.same(backoffCalls, [])
    t.same(path(), ['connecting:connect', 'open:ready', `closed:terminal-close:${code}`])
  })
}

t.test('a ping without pong within pongTimeoutMs marks the link dead and reconnects', async (t) => {
  const { socket, clock, welcome, path } = setup()
  socket.connect()
  await welcome()
  const first = FakeWebSocket.last
  clock.advance(15_000)
  const ping = first.lastSent('ping')
  t.match(ping, { type: 'ping', id: /^hb/ })
  first.serverSend({ type: 'pong', id: ping!.id, serverTime: 1 })
  clock.advance(5_000)
  t.equal(socket.state, 'open', 'answered ping: still open')
  clock.advance(10_000) // next ping goes out at 30 s
  t.equal(first.sent.filter((f) => f.type === 'ping').length, 2)
  clock.advance(4_999)
  t.equal(socket.state, 'open')
  clock.advance(1)
  t.equal(socket.state, 'reconnecting')
  t.same(path().at(-1), 'reconnecting:heartbeat-timeout')
  t.ok(first.closedWith, 'the dead socket is closed by the client')
})

t.test('no welcome within connectTimeoutMs counts as a failed connect', async (t) => {
  const { socket, clock, path } = setup()
  socket.connect()
  FakeWebSocket.last.open()
  clock.advance(8_000)
  t.equal(socket.state, 'reconnecting')
  t.same(path(), ['connecting:connect', 'reconnecting:connect-failed'])
})

t.test('maxReconnectAttempts ends in closed with retries-exhausted', async (t) => {
  const { socket, clock, path } = setup({ maxReconnectAttempts: 2 })
  socket.connect()
  FakeWebSocket.last.serverClose(1006)
  clock.advance(1000)
  FakeWebSocket.last.serverClose(1006)
  clock.advance(2000)
  FakeWebSocket.last.serverClose(1006)
  t.equal(socket.state, 'closed')
  t.same(path(), ['connecting:connect', 'reconnecting:connect-failed:1006', 'closed:retries-exhausted:1006'])
})

t.test('disconnect closes and fails waiting requests with "closed"', async (t) => {
  const { socket, welcome, path } = setup()
  socket.connect()
  await welcome()
  const reply = socket.request({ type: 'presence', room: 'lobby' })
  socket.disconnect()
  await t.rejects(reply, { code: 'closed' })
  t.same(path().at(-1), 'closed:disconnect')
  await t.rejects(socket.request({ type: 'presence', room: 'lobby' }), { code: 'closed' }, 'requests after close fail at once')
})

t.test('a drop re-sends resendable requests with the same id and fails the others with connection-lost', async (t) => {
  const { socket, clock, welcome } = setup()
  socket.connect()
  await welcome()
  const chat = socket.request({ type: 'chat', room: 'lobby', text: 'hi', clientMsgId: 'abcdefgh1' }, { resendable: true })
  const presence = socket.request({ type: 'presence', room: 'lobby' })
  const sentChat = FakeWebSocket.last.lastSent('chat')!
  FakeWebSocket.last.serverClose(1006)
  await t.rejects(presence, { code: 'connection-lost', retryable: true })
  clock.advance(1000)
  await welcome()
  const resent = FakeWebSocket.last.lastSent('chat')
  t.same(resent, sentChat, 'same frame, same id, same clientMsgId')
  const message = { msgId: 'm1', room: 'lobby', seq: 1, userId: 'u1', name: 'ana', text: 'hi', ts: 1 }
  FakeWebSocket.last.serverSend({ type: 'chat-ok', id: resent!.id, message, duplicate: true })
  t.same((await chat).message, message)
})

t.test('a handshake refused for good closes with session-rejected; a retryable one reconnects', async (t) => {
  let refuse = new ChatError('timeout', 'slow')
  const { socket, clock, welcome, path } = setup({
    handshake: async () => {
      throw refuse
    },
  })
  socket.connect()
  await welcome()
  t.same(path().at(-1), 'reconnecting:handshake-failed')
  refuse = new ChatError('auth-failed', 'no')
  clock.advance(1000)
  await welcome()
  t.same(path().at(-1), 'closed:session-rejected')
})

t.test('late events of a replaced socket are ignored', async (t) => {
  const { socket, clock, welcome, path } = setup()
  socket.connect()
  await welcome()
  const old = FakeWebSocket.last
  old.serverClose(1006)
  clock.advance(1000)
  await welcome()
  old.serverClose(4008)
  old.serverSend(welcomeFrame())
  t.equal(socket.state, 'open')
  t.same(path(), ['connecting:connect', 'open:ready', 'reconnecting:connection-lost:1006', 'open:ready'])
})
