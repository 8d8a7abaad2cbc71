// The client's one rate-limit rule end to end, through ChatClient: after
// `rate-limited`, nothing goes out until `retryAfterMs` has passed (the
// socket's hold, up to MAX_HOLD_MS); a refused chat goes again by itself,
// once, ahead of the chats sent after it (the send pacer), also for a slow
// mode longer than the hold; a wait over MAX_SEND_WAIT_MS fails the send with
// the refusal, and sending goes on at once. A scripted server and a fake clock.
import t, { type Test } from 'tap'
import { ChatClient, MAX_SEND_WAIT_MS } from '../../../client/index.ts'
import { MAX_HOLD_MS } from '../../../client/socket.ts'
import { FakeClock } from '../../helpers/fake-clock.ts'
import { FakeWebSocket, welcomeFrame } from '../../helpers/fake-websocket.ts'

const settle = () => new Promise((resolve) => setImmediate(resolve))
const TS = 1767225600000

async function setup(t: Test) {
  FakeWebSocket.reset()
  const clock = new FakeClock()
  const client = new ChatClient({ url: 'ws://test/ws', WebSocket: FakeWebSocket, clock, backoff: () => 1000, requestTimeoutMs: 600_000, pingIntervalMs: 3_600_000 })
  const connected = client.connect()
  const ws = FakeWebSocket.last
  ws.open()
  // No heartbeat in the minutes the clock jumps: this scripted server answers no ping.
  ws.serverSend({ ...welcomeFrame(), heartbeatMs: 3_600_000 })
  await connected
  const loggedIn = client.login({ name: 'ana', rooms: ['lobby'] })
  ws.serverSend({
    type: 'login-ok',
    id: ws.lastSent('login')!.id,
    userId: 'u_ana',
    name: 'ana',
    session: 'k7Gd0sQz1mXc3VbN8pLr5TyW',
    rooms: [{ room: 'lobby', epoch: 'e1', seq: 0, members: [{ userId: 'u_ana', name: 'ana' }], history: [] }],
    inbox: { epoch: 'e1', seq: 0 },
  })
  await loggedIn
  t.teardown(() => client.disconnect())
  let seq = 0
  /** Chat texts on the wire, in order (a re-send shows twice). */
  const chats = () => ws.sent.filter((f) => f.type === 'chat').map((f) => f.text)
  const chatFrame = (text: string) => ws.sent.filter((f) => f.type === 'chat' && f.text === text).at(-1)!
  const refuse = async (text: string, retryAfterMs: number) => {
    await settle()
    ws.serverSend({ type: 'error', id: chatFrame(text).id, code: 'rate-limited', message: 'Slow down.', retryable: true, retryAfterMs })
    await settle()
  }
  const ack = async (text: string) => {
    await settle()
    const frame = chatFrame(text)
    seq++
    ws.serverSend({ type: 'chat-ok', id: frame.id, message: { msgId: `m${seq}`, room: 'lobby', seq, userId: 'u_ana', name: 'ana', text, ts: TS + seq, clientMsgId: frame.clientMsgId } })
    await settle()
  }
  const advance = async (ms: number) => {
    clock.advance(ms)
    await settle()
  }
  return { client, ws, chats, refuse, ack, advance }
}

t.test('a refused chat waits retryAfterMs, goes again once, then the chats sent meanwhile, in order', async (t) => {
  const { client, ws, chats, refuse, ack, advance } = await setup(t)
  const one = client.sendChat('lobby', 'one')
  await refuse('one', 800)
  const two = client.sendChat('lobby', 'two')
  const presence = client.presence('lobby').catch(() => undefined)
  await settle()
  t.same(chats(), ['one'], 'nothing more goes out during the wait')
  t.notOk(ws.lastSent('presence'), 'not even another request: the connection holds everything')
  await advance(799)
  t.same(chats(), ['one'])
  await advance(1)
  t.same(chats(), ['one', 'one'], 'the refused chat again, once (not by the socket and the pacer both), the next one after its reply')
  t.ok(ws.lastSent('presence'), 'the held request went out')
  t.equal(chatFrame(ws, 0).clientMsgId, chatFrame(ws, 1).clientMsgId, 'with the same clientMsgId')
  await ack('one')
  t.same(chats(), ['one', 'one', 'two'])
  await ack('two')
  t.match(await one, { text: 'one', seq: 1 }, 'the send resolves with the stored message: no error on the way')
  t.match(await two, { text: 'two', seq: 2 })
  void presence
})

t.test('a slow mode longer than the hold: other requests go on, chats wait it out in order', async (t) => {
  const { client, ws, chats, refuse, ack, advance } = await setup(t)
  const wait = MAX_HOLD_MS + 20_000
  const one = client.sendChat('lobby', 'one')
  await refuse('one', wait)
  const two = client.sendChat('lobby', 'two')
  void client.presence('lobby').catch(() => undefined)
  await settle()
  t.ok(ws.lastSent('presence'), 'the connection is not held that long')
  t.same(chats(), ['one'], 'chats wait')
  await advance(wait - 1)
  t.same(chats(), ['one'])
  await advance(1)
  t.same(chats(), ['one', 'one'])
  await ack('one')
  await ack('two')
  t.match(await one, { text: 'one' })
  t.match(await two, { text: 'two' })
})

t.test('a wait over MAX_SEND_WAIT_MS fails the send with the refusal, visibly; the next send goes at once', async (t) => {
  const { client, chats, refuse, ack } = await setup(t)
  const one = t.rejects(client.sendChat('lobby', 'one'), { code: 'rate-limited', retryAfterMs: MAX_SEND_WAIT_MS + 1 })
  await refuse('one', MAX_SEND_WAIT_MS + 1)
  await one
  const two = client.sendChat('lobby', 'two')
  await settle()
  t.same(chats(), ['one', 'two'])
  await ack('two')
  t.match(await two, { text: 'two' })
})

function chatFrame(ws: FakeWebSocket, index: number): Record<string, unknown> {
  return ws.sent.filter((f) => f.type === 'chat')[index]!
}
