// A skipped seq in a room's live stream is filled with history before the
// later messages are shown (PROTOCOL.md §6): chat events come once per seq, in
// order. The server is played by hand over an in-memory WebSocket.
import t, { type Test } from 'tap'
import { ChatClient } from '../../../client/index.ts'
import type { WebSocketConstructor } from '../../../client/socket.ts'
import { FakeClock } from '../../helpers/fake-clock.ts'
import { FakeWebSocket, welcomeFrame } from '../../helpers/fake-websocket.ts'

const settle = () => new Promise((resolve) => setImmediate(resolve))
const EPOCH = 'e1'
const message = (seq: number) => ({ msgId: `m${seq}`, room: 'lobby', seq, userId: 'u-bob', name: 'bob', text: `message ${seq}`, ts: 1_700_000_000_000 + seq })

async function loggedIn(t: Test) {
  FakeWebSocket.reset()
  const clock = new FakeClock()
  const client = new ChatClient({ url: 'ws://test/ws', WebSocket: FakeWebSocket as unknown as WebSocketConstructor, clock, backoff: () => 0 })
  t.teardown(() => client.disconnect())
  const shown: number[] = []
  client.on('chat', ({ message }) => shown.push(message.seq))
  const connected = client.connect()
  FakeWebSocket.last.open()
  FakeWebSocket.last.serverSend(welcomeFrame())
  await connected
  const login = client.login({ name: 'ana', rooms: ['lobby'] })
  const request = FakeWebSocket.last.lastSent('login')!
  FakeWebSocket.last.serverSend({
    type: 'login-ok',
    id: request.id,
    userId: 'u-ana',
    name: 'ana',
    session: 'session-key-0123456789',
    rooms: [{ room: 'lobby', epoch: EPOCH, seq: 0, members: [], history: [] }],
    inbox: { epoch: 'i1', seq: 0 },
  })
  await login
  const push = (...seqs: number[]) => {
    for (const seq of seqs) FakeWebSocket.last.serverSend({ type: 'chat', message: message(seq) })
  }
  const historyRequests = () => FakeWebSocket.last.sent.filter((f) => f.type === 'history')
  return { client, clock, shown, push, historyRequests }
}

t.test('a skipped seq is filled with history after the last seq shown, before the later messages', async (t) => {
  const { shown, push, historyRequests } = await loggedIn(t)
  push(1, 2, 5, 6)
  t.same(shown, [1, 2], '5 and 6 wait')
  t.match(historyRequests(), [{ type: 'history', room: 'lobby', after: 2 }])
  t.notOk('before' in historyRequests()[0]!)
  FakeWebSocket.last.serverSend({ type: 'history-ok', id: historyRequests()[0]!.id, room: 'lobby', epoch: EPOCH, messages: [3, 4, 5, 6].map(message), hasMore: false })
  await settle()
  t.same(shown, [1, 2, 3, 4, 5, 6], 'once each, in order')
  push(6, 7)
  t.same(shown, [1, 2, 3, 4, 5, 6, 7], 'the stream goes on; a repeat is dropped')
})

t.test('pushes that arrive while the history is on its way wait their turn', async (t) => {
  const { shown, push, historyRequests } = await loggedIn(t)
  push(1, 4)
  push(5)
  t.same(shown, [1])
  FakeWebSocket.last.serverSend({ type: 'history-ok', id: historyRequests()[0]!.id, room: 'lobby', epoch: EPOCH, messages: [2, 3].map(message), hasMore: true })
  await settle()
  t.same(shown, [1, 2, 3, 4, 5])
  t.equal(historyRequests().length, 1, 'no second request: the held messages closed the gap')
})

t.test('when history cannot fill the gap the held messages are shown anyway, in order', async (t) => {
  const { shown, push, historyRequests } = await loggedIn(t)
  push(1, 3, 4)
  FakeWebSocket.last.serverSend({ type: 'error', id: historyRequests()[0]!.id, code: 'unavailable', message: 'store down', retryable: true })
  await settle()
  t.same(shown, [1, 3, 4])
})

t.test('a page without the missing messages ends the fill (nothing more is stored)', async (t) => {
  const { shown, push, historyRequests } = await loggedIn(t)
  push(1, 3)
  FakeWebSocket.last.serverSend({ type: 'history-ok', id: historyRequests()[0]!.id, room: 'lobby', epoch: EPOCH, messages: [], hasMore: false })
  await settle()
  t.same(shown, [1, 3])
})

t.test('a drop during the fill abandons it: the resume starts after the last seq shown', async (t) => {
  const { client, clock, shown, push } = await loggedIn(t)
  push(1, 2, 5)
  FakeWebSocket.last.serverClose(1006)
  await settle()
  t.equal(client.state, 'reconnecting')
  clock.advance(0)
  FakeWebSocket.last.open()
  FakeWebSocket.last.serverSend(welcomeFrame())
  await settle()
  const relogin = FakeWebSocket.last.lastSent('login')!
  t.same(relogin.rooms, [{ room: 'lobby', since: { epoch: EPOCH, seq: 2 } }])
  FakeWebSocket.last.serverSend({
    type: 'login-ok',
    id: relogin.id,
    userId: 'u-ana',
    name: 'ana',
    session: 'session-key-0123456789',
    rooms: [{ room: 'lobby', epoch: EPOCH, seq: 5, members: [], history: [], resume: { resumed: true, missed: 3 } }],
    inbox: { epoch: 'i1', seq: 0 },
  })
  push(3, 4, 5)
  await settle()
  t.same(shown, [1, 2, 3, 4, 5], 'the replay brings the rest, once')
})
