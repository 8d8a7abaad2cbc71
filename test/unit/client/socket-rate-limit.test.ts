// After `rate-limited` with `retryAfterMs` the socket sends nothing until that
// time has passed (PROTOCOL.md §13), then sends what waited, in order. Driven
// by an in-memory WebSocket and a fake clock.
import t from 'tap'
import { ChatSocket, MAX_HOLD_MS } from '../../../client/socket.ts'
import { FakeClock } from '../../helpers/fake-clock.ts'
import { FakeWebSocket, welcomeFrame } from '../../helpers/fake-websocket.ts'

const settle = () => new Promise((resolve) => setImmediate(resolve))

async function open() {
  FakeWebSocket.reset()
  const clock = new FakeClock()
  const socket = new ChatSocket({
    url: 'ws://test/ws',
    WebSocket: FakeWebSocket,
    clock,
    backoff: () => 0,
    requestTimeoutMs: 60_000,
    onFrame: () => {},
    onBadFrame: () => {},
    onState: () => {},
    onRetry: () => {},
    handshake: async () => {},
  })
  socket.connect()
  FakeWebSocket.last.open()
  FakeWebSocket.last.serverSend(welcomeFrame())
  await settle()
  const chats = () => FakeWebSocket.last.sent.filter((f) => f.type === 'chat').map((f) => f.text)
  const refuse = (retryAfterMs: number) => {
    const request = FakeWebSocket.last.sent.at(-1)!
    FakeWebSocket.last.serverSend({ type: 'error', id: request.id, code: 'rate-limited', message: 'slow down', retryable: true, retryAfterMs })
  }
  return { socket, clock, chats, refuse }
}

t.test('a send after rate-limited waits retryAfterMs, then goes out; the refused request fails with the advice', async (t) => {
  const { socket, clock, chats, refuse } = await open()
  const first = socket.request({ type: 'chat', room: 'lobby', text: 'one', clientMsgId: 'cmid-0001' }, { resendable: true })
  refuse(800)
  await t.rejects(first, { code: 'rate-limited', retryable: true, retryAfterMs: 800 })
  void socket.request({ type: 'chat', room: 'lobby', text: 'one', clientMsgId: 'cmid-0001' }, { resendable: true }).catch(() => {})
  void socket.request({ type: 'chat', room: 'lobby', text: 'two', clientMsgId: 'cmid-0002' }, { resendable: true }).catch(() => {})
  t.same(chats(), ['one'], 'nothing more goes out at once')
  t.equal(socket.buffered, 2)
  clock.advance(799)
  t.same(chats(), ['one'])
  clock.advance(1)
  t.same(chats(), ['one', 'one', 'two'], 'after the wait: the re-send, then the next message, in order')
  t.equal(socket.buffered, 0)
})

t.test('a refusal whose wait is longer than MAX_HOLD_MS (slow mode, lockout) holds nothing', async (t) => {
  const { socket, chats, refuse } = await open()
  const first = socket.request({ type: 'chat', room: 'lobby', text: 'one' })
  refuse(MAX_HOLD_MS + 1)
  await t.rejects(first, { code: 'rate-limited' })
  void socket.request({ type: 'chat', room: 'lobby', text: 'two' }).catch(() => {})
  t.same(chats(), ['one', 'two'])
})

t.test('a new connection ends the hold: its rate limit starts afresh', async (t) => {
  const { socket, clock, refuse } = await open()
  void socket.request({ type: 'chat', room: 'lobby', text: 'one' }).catch(() => {})
  refuse(5_000)
  FakeWebSocket.last.serverClose(1006)
  clock.advance(0)
  FakeWebSocket.last.open()
  FakeWebSocket.last.serverSend(welcomeFrame())
  await settle()
  void socket.request({ type: 'chat', room: 'lobby', text: 'two' }).catch(() => {})
  t.same(
    FakeWebSocket.last.sent.filter((f) => f.type === 'chat').map((f) => f.text),
    ['two'],
    'sent at once on the new connection',
  )
})
