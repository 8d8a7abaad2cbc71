// Hostile WebSocket framing, written byte by byte through node:net: every
// violation gets its RFC 6455 close code from the server (never a silent
// 1006), and the server keeps serving afterwards.
import t, { type Test } from 'tap'
import { RawClient } from '../helpers/raw-client.ts'
import { closeFrame, encodeFrame, fragmentedText, Opcode, RawSocket, textFrame } from '../helpers/raw-frames.ts'
import { eventually } from '../helpers/eventually.ts'
import { startServer, type TestServer } from '../helpers/server.ts'

async function welcomed(t: Test, server: TestServer): Promise<RawSocket> {
  const raw = await RawSocket.open(t, server.port)
  await raw.json((f) => f.type === 'welcome')
  return raw
}

/** A ping frame padded with JSON whitespace to exactly `bytes` bytes. */
function pingOfSize(bytes: number, id = 'p1'): string {
  const base = `{"type":"ping","id":"${id}"}`
  return base.slice(0, -1) + ' '.repeat(bytes - base.length) + '}'
}

async function servesFreshClient(t: Test, server: TestServer): Promise<void> {
  const { client } = await RawClient.login(t, server.url)
  const ack = await client.request({ type: 'chat', room: 'lobby', text: 'still here' })
  t.equal(ack.type, 'chat-ok', 'a fresh client still logs in and chats')
}

t.test('a message of exactly maxFrameBytes is served; one byte more closes with 1009', async (t) => {
  const server = await startServer(t, { maxFrameBytes: 4096 })
  const raw = await welcomed(t, server)
  raw.write(textFrame(pingOfSize(4096, 'exact')))
  t.match(await raw.json((f) => f.id === 'exact'), { type: 'pong' })
  raw.write(textFrame(pingOfSize(4097, 'over')))
  t.equal((await raw.closed()).code, 1009)
})

t.test('a 10 MB frame is refused with 1009 after its header, before the payload is read', async (t) => {
  const server = await startServer(t)
  const raw = await welcomed(t, server)
  const total = 10 * 1024 * 1024
  const header = encodeFrame({ opcode: Opcode.text, announcedLength: total }).subarray(0, 14) // 2 + 8 length + 4 mask
  raw.write(header)
  const chunk = Buffer.alloc(64 * 1024, 0x20)
  // Keep writing until the server answers: it must not wait for 10 MB.
  for (let sent = 0; sent < total && raw.closeReceived === undefined && !raw.socket.destroyed; sent += chunk.length) {
    if (!raw.write(chunk))
      await new Promise((resolve) => {
        raw.socket.once('drain', resolve)
        raw.socket.once('close', resolve)
      })
  }
  t.equal((await raw.closed()).code, 1009)
  await servesFreshClient(t, server)
})

t.test('a message in maxFragments frames is served; one more fragment closes with 1008', async (t) => {
  const server = await startServer(t, { maxFragments: 8 })
  t.equal(server.config.maxFragments, 8)
  const raw = await welcomed(t, server)
  raw.write(fragmentedText('{"type":"ping","id":"in-8"}', 8))
  t.match(await raw.json((f) => f.id === 'in-8'), { type: 'pong' })
  raw.write(fragmentedText('{"type":"ping","id":"in-9"}', 9))
  t.equal((await raw.closed()).code, 1008)
})

t.test('a tiny-fragment bomb (100 000 empty continuation frames) closes with 1008 at the default cap', async (t) => {
  const server = await startServer(t)
  const raw = await welcomed(t, server)
  raw.write(encodeFrame({ opcode: Opcode.text, payload: '{', fin: false }))
  const empty = encodeFrame({ opcode: Opcode.continuation, fin: false })
  const batch = Buffer.concat(Array.from({ length: 1000 }, () => empty))
  for (let i = 0; i < 100 && raw.closeReceived === undefined && !raw.socket.destroyed; i++) {
    if (!raw.write(batch))
      await new Promise((resolve) => {
        raw.socket.once('drain', resolve)
        raw.socket.once('close', resolve)
      })
  }
  t.equal((await raw.closed()).code, 1008, 'closed long before 100 000 fragments, at maxFragments')
  t.ok(server.config.maxFragments < 16 * 1024, "the default cap is ours, far below ws's own 16384")
  await servesFreshClient(t, server)
})

t.test('one-byte fragments up to maxFrameBytes cannot build a message either', async (t) => {
  const server = await startServer(t)
  const raw = await welcomed(t, server)
  raw.write(fragmentedText(pingOfSize(1000, 'bytes'), 1000))
  t.equal((await raw.closed()).code, 1008)
})

// Each entry: what the client does wrong, the bytes, the close code RFC 6455 asks for.
const violations: [string, () => Buffer, number][] = [
  ['invalid UTF-8 in a text frame', () => textFrame(Buffer.from([0x7b, 0xff, 0xfe, 0x7d])), 1007],
  ['a truncated UTF-8 sequence at the end of a message', () => textFrame(Buffer.from([0x22, 0xe2, 0x82])), 1007],
  [
    'invalid UTF-8 split across fragments',
    () => Buffer.concat([encodeFrame({ opcode: Opcode.text, payload: Buffer.from([0x22, 0xf0, 0x9f]), fin: false }), encodeFrame({ opcode: Opcode.continuation, payload: Buffer.from([0x41, 0x22]) })]),
    1007,
  ],
  ['an encoded surrogate (CESU-8) in a text frame', () => textFrame(Buffer.from([0x22, 0xed, 0xa0, 0x80, 0x22])), 1007],
  ['reserved data opcode 0x3', () => encodeFrame({ opcode: 0x3, payload: 'x' }), 1002],
  ['reserved control opcode 0xB', () => encodeFrame({ opcode: 0xb }), 1002],
  ['RSV1 set without a negotiated extension', () => textFrame('{"type":"ping"}', { rsv: 4 }), 1002],
  ['RSV2 and RSV3 set', () => textFrame('{"type":"ping"}', { rsv: 3 }), 1002],
  ['an unmasked client frame', () => textFrame('{"type":"ping"}', { mask: false }), 1002],
  ['a ping with a 126-byte payload (control frames are at most 125)', () => encodeFrame({ opcode: Opcode.ping, payload: Buffer.alloc(126) }), 1002],
  ['a fragmented ping', () => encodeFrame({ opcode: Opcode.ping, payload: 'x', fin: false }), 1002],
  ['a continuation frame with no message started', () => encodeFrame({ opcode: Opcode.continuation, payload: 'x' }), 1002],
  ['a new text frame inside a fragmented message', () => Buffer.concat([encodeFrame({ opcode: Opcode.text, payload: '{', fin: false }), textFrame('{}')]), 1002],
  ['a close frame with a one-byte body', () => encodeFrame({ opcode: Opcode.close, payload: Buffer.from([3]) }), 1002],
  ['a close frame with reserved code 1005', () => closeFrame(1005), 1002],
  ['a close frame with code 999', () => closeFrame(999), 1002],
  ['a close frame with a reason that is not UTF-8', () => encodeFrame({ opcode: Opcode.close, payload: Buffer.from([0x03, 0xe8, 0xff, 0xfe]) }), 1007],
  ['a 64-bit length with the top bit set', () => Buffer.from([0x81, 0xff, 0x80, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0]), 1009],
  ['a binary frame (the protocol is JSON text)', () => encodeFrame({ opcode: Opcode.binary, payload: Buffer.from([1, 2, 3]) }), 1003],
]

t.test('protocol violations get their RFC 6455 close code and never crash the server', async (t) => {
  const server = await startServer(t)
  for (const [what, bytes, code] of violations) {
    const raw = await welcomed(t, server)
    raw.write(bytes())
    const closed = await raw.closed()
    t.equal(closed.code, code, `${what} → ${code}`)
    raw.destroy()
  }
  await eventually(() => server.app.websocketServer.clients.size === 0, 'every refused socket is gone')
  t.pass('no half-open socket is left behind')
  await servesFreshClient(t, server)
})

t.test('control frames between fragments are allowed and answered', async (t) => {
  const server = await startServer(t)
  const raw = await welcomed(t, server)
  raw.write(
    Buffer.concat([
      encodeFrame({ opcode: Opcode.text, payload: '{"type":"ping",', fin: false }),
      encodeFrame({ opcode: Opcode.ping, payload: 'hb' }),
      encodeFrame({ opcode: Opcode.continuation, payload: '"id":"mid"}' }),
    ]),
  )
  t.match(await raw.json((f) => f.id === 'mid'), { type: 'pong' })
})
