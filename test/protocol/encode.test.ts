// The server's one encoder: a stored message is encoded once and spliced into
// its push and its sender's reply; the bytes must be those of JSON.stringify
// of each whole frame, whatever the message holds.
import t from 'tap'
import { decodeServerFrame, encodeMessage, encodeMessagePush, encodeReply, encodeServerFrame, type ChatMessage, type DirectMessage, type ServerFrame } from '../../protocol/index.ts'

const chat: ChatMessage = { msgId: 'm-1', room: 'tea', seq: 7, userId: 'u_a', name: 'Åna', text: 'a "quoted" \\ line\n😀 \u2028 end', ts: 1_700_000_000_000, clientMsgId: 'c-12345678' }
const dm: DirectMessage = { msgId: 'm-2', from: 'u_a', fromName: 'ana', to: 'u_b', seq: 3, text: 'psst </script>', ts: 1_700_000_000_001 }

t.test('a chat message encodes to the bytes of JSON.stringify of its push and its chat-ok', async (t) => {
  for (const id of [undefined, 'r1', 'a"b\\c']) {
    const encoded = encodeMessage('chat', chat, id)
    t.equal(encoded.push, JSON.stringify({ type: 'chat', message: chat }), `push, id ${id}`)
    const reply: ServerFrame = id === undefined ? { type: 'chat-ok', message: chat } : { type: 'chat-ok', id, message: chat }
    t.equal(encoded.reply, JSON.stringify(reply), `reply, id ${id}`)
    t.equal(encoded.replyType, 'chat-ok')
    t.match(decodeServerFrame(encoded.reply), { ok: true, frame: reply }, 'the reply is a valid chat-ok')
    t.match(decodeServerFrame(encoded.push), { ok: true }, 'the push is a valid chat push')
  }
})

t.test('a direct message encodes to the bytes of JSON.stringify of its push and its dm-ok', async (t) => {
  const encoded = encodeMessage('dm', dm, 'r9')
  t.equal(encoded.push, JSON.stringify({ type: 'dm', message: dm }))
  t.equal(encoded.reply, JSON.stringify({ type: 'dm-ok', id: 'r9', message: dm }))
  t.equal(encoded.replyType, 'dm-ok')
  t.equal(encodeMessagePush('dm', dm), encoded.push, 'a push alone is the same bytes')
  t.equal(encodeMessagePush('chat', chat), JSON.stringify({ type: 'chat', message: chat }))
})

t.test('a reply carries the request id right after its type', async (t) => {
  t.equal(encodeReply('r1', { type: 'pong', serverTime: 5 }), '{"type":"pong","id":"r1","serverTime":5}')
  t.equal(encodeReply(undefined, { type: 'pong', serverTime: 5 }), '{"type":"pong","serverTime":5}')
  t.equal(encodeServerFrame({ type: 'logout-ok' }), '{"type":"logout-ok"}')
})
