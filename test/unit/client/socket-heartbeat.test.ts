// The application ping follows the server's announced heartbeat: a client
// notices a dead link about as soon as the server would, and one ping waits
// for its pong at a time. Driven by an in-memory WebSocket and a fake clock.
import t from 'tap'
import { ChatSocket, MIN_PONG_WAIT_MS, type StateChange } from '../../../client/socket.ts'
import { FakeClock } from '../../helpers/fake-clock.ts'
import { FakeWebSocket, welcomeFrame } from '../../helpers/fake-websocket.ts'

async function openWith(heartbeatMs: number) {
  FakeWebSocket.reset()
  const clock = new FakeClock()
  const changes: StateChange[] = []
  const socket = new ChatSocket({
    url: 'ws://test/ws',
    WebSocket: FakeWebSocket,
    clock,
    backoff: () => 1_000,
    pingIntervalMs: 15_000,
    pongTimeoutMs: 10_000,
    onFrame: () => {},
    onBadFrame: () => {},
    onState: (c) => changes.push(c),
    onRetry: () => {},
    handshake: async () => {},
  })
  socket.connect()
  FakeWebSocket.last.open()
  FakeWebSocket.last.serverSend({ ...welcomeFrame(), heartbeatMs })
  await new Promise((resolve) => setImmediate(resolve))
  const pings = () => FakeWebSocket.instances[0]!.sent.filter((f) => f.type === 'ping')
  return { socket, clock, changes, pings }
}

t.test('a heartbeat shorter than the ping interval sets the cadence, and twice it the pong deadline', async (t) => {
  const { socket, clock, changes, pings } = await openWith(600)
  clock.advance(599)
  t.equal(pings().length, 0)
  clock.advance(1)
  t.equal(pings().length, 1, 'the first ping goes out after heartbeatMs')
  clock.advance(600)
  t.equal(pings().length, 1, 'no second ping while the first awaits its pong')
  clock.advance(599)
  t.equal(socket.state, 'open')
  clock.advance(1)
  t.equal(socket.state, 'reconnecting', 'no pong within 2 × heartbeatMs: the link is dead')
  t.equal(changes.at(-1)?.reason, 'heartbeat-timeout')
})

t.test('answered pings keep the link; the next one follows the cadence', async (t) => {
  const { socket, clock, pings } = await openWith(400)
  for (let i = 1; i <= 5; i++) {
    clock.advance(400)
    t.equal(pings().length, i)
    FakeWebSocket.instances[0]!.serverSend({ type: 'pong', id: pings().at(-1)!.id, serverTime: 1 })
  }
  clock.advance(399)
  t.equal(socket.state, 'open', 'five answered pings: the link is kept')
})

t.test('a very short heartbeat still leaves the pong MIN_PONG_WAIT_MS', async (t) => {
  const { socket, clock } = await openWith(100)
  clock.advance(100)
  clock.advance(MIN_PONG_WAIT_MS - 1)
  t.equal(socket.state, 'open')
  clock.advance(1)
  t.equal(socket.state, 'reconnecting')
})

t.test('a heartbeat longer than the configured interval leaves the configured cadence and deadline', async (t) => {
  const { socket, clock, pings } = await openWith(60_000)
  clock.advance(14_999)
  t.equal(pings().length, 0)
  clock.advance(1)
  t.equal(pings().length, 1)
  clock.advance(9_999)
  t.equal(socket.state, 'open')
  clock.advance(1)
  t.equal(socket.state, 'reconnecting')
})

t.test('a heartbeat ping refused with rate-limited still proves the link alive (and starts the wait)', async (t) => {
  const { socket, clock, pings } = await openWith(600)
  clock.advance(600)
  FakeWebSocket.instances[0]!.serverSend({ type: 'error', id: pings()[0]!.id, code: 'rate-limited', message: 'slow down', retryable: true, retryAfterMs: 500 })
  clock.advance(1_300) // past the first ping's deadline (600 + 1200)
  t.equal(socket.state, 'open', 'no heartbeat timeout: the server answered')
  t.equal(pings().length, 2, 'the next ping follows the cadence')
})
