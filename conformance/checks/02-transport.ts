// PROTOCOL.md §2 Transport: URL, subprotocol negotiation, Origin check, text
// frames only, size limit. (Every test of the kit also checks that each server
// message is a JSON text frame matching its schema: see wire.ts.)
import type { Socket } from 'node:net'
import { SUBPROTOCOL } from '@wirechat/protocol'
import type { Test } from '../harness.ts'
import type { Target } from '../target.ts'
import { handshake, Wire } from '../wire.ts'

export default async function checks(t: Test, target: Target): Promise<void> {
  /** A ping frame padded with JSON whitespace to exactly `bytes` bytes. */
  const pingOfBytes = (bytes: number): string => {
    const head = '{"type":"ping","id":"big"'
    return head + ' '.repeat(bytes - head.length - 1) + '}'
  }

  t.test('§2 a client offering chat.v1 gets chat.v1 and the welcome frame first', { clauses: ['TRAN-2', 'SES-1'] }, async (t) => {
    const wire = await target.open(t, { welcome: false })
    t.equal(wire.ws.protocol, SUBPROTOCOL, 'the handshake selects chat.v1')
    const first = await wire.next()
    t.equal(first.type, 'welcome', 'the first frame is welcome')
    t.match(first, { protocol: SUBPROTOCOL })
  })

  t.test('§2 a client offering several subprotocols including chat.v1 gets chat.v1', { clauses: ['TRAN-2'] }, async (t) => {
    const wire = await target.open(t, { protocols: ['chat.v0', SUBPROTOCOL, 'graphql-ws'] })
    t.equal(wire.ws.protocol, SUBPROTOCOL)
  })

  t.test('§2 a client offering only other subprotocols is refused with HTTP 400 unsupported-subprotocol', { clauses: ['TRAN-4', 'TRAN-6'] }, async (t) => {
    const res = await handshake(target.url, { 'sec-websocket-protocol': 'chat.v0, mqtt' })
    t.equal(res.status, 400, 'no upgrade: HTTP 400')
    t.match(res.body, { error: 'unsupported-subprotocol', message: String }, 'a JSON body names the error')
    t.equal(res.headers.connection, 'close', 'Connection: close')
    await t.rejects(Wire.open(t, target.url, { protocols: ['chat.v2'] }), Object.assign(new Error('HTTP 400'), { statusCode: 400 }), 'a WebSocket client sees the refusal too')
  })

  t.test('§2 a credential in the query string is refused with HTTP 400 token-in-url, before the subprotocol is looked at', { clauses: ['TRAN-4', 'TRAN-5'] }, async (t) => {
    const url = new URL(target.url)
    for (const key of ['token', 'Access_Token', 'JWT']) {
      url.search = `?${key}=abc.def.ghi`
      const res = await handshake(url.href, { 'sec-websocket-protocol': 'chat.v0' })
      t.equal(res.status, 400, `?${key}=…: HTTP 400`)
      t.match(res.body, { error: 'token-in-url', message: String }, 'the JSON body names token-in-url, not the unsupported subprotocol checked after it')
      t.equal(res.headers.connection, 'close', 'Connection: close')
    }
  })

  t.test('§2 compression is not negotiated: an offer of permessage-deflate is answered without it', { clauses: ['TRAN-17'] }, async (t) => {
    const res = await handshake(target.url, { 'sec-websocket-protocol': SUBPROTOCOL, 'sec-websocket-extensions': 'permessage-deflate; client_max_window_bits' })
    t.equal(res.status, 101)
    t.equal(res.headers['sec-websocket-extensions'], undefined, 'no extension accepted')
  })

  t.test('§2 a client offering no subprotocol is served chat.v1', { clauses: ['TRAN-3'] }, async (t) => {
    const wire = await target.open(t, { protocols: [] })
    t.match(wire.welcome, { type: 'welcome', protocol: SUBPROTOCOL })
    t.equal((await wire.request({ type: 'ping' })).type, 'pong')
  })

  t.test('§2 a client without an Origin header (not a browser) is served', { clauses: ['TRAN-7'] }, async (t) => {
    const res = await handshake(target.url, { 'sec-websocket-protocol': SUBPROTOCOL })
    t.equal(res.status, 101)
    t.equal(res.headers['sec-websocket-protocol'], SUBPROTOCOL)
  })

  t.test('§2 a disallowed Origin is refused with HTTP 403', { clauses: ['TRAN-7'] }, async (t) => {
    const res = await handshake(target.url, { 'sec-websocket-protocol': SUBPROTOCOL, origin: target.badOrigin })
    t.equal(res.status, 403, `Origin ${target.badOrigin} gets HTTP 403`)
    await t.rejects(Wire.open(t, target.url, { origin: target.badOrigin }), Object.assign(new Error('HTTP 403'), { statusCode: 403 }))
  })

  t.test(
    "§2 an Origin on the server's allowlist is served, and one that only extends it is refused",
    { clauses: ['TRAN-10'], skip: target.allowedOrigin === undefined ? "needs an Origin on the server's allowlist: --allowed-origin" : false },
    async (t) => {
      const allowed = target.allowedOrigin!
      const res = await handshake(target.url, { 'sec-websocket-protocol': SUBPROTOCOL, origin: allowed })
      t.equal(res.status, 101, `Origin ${allowed} gets 101`)
      // An entry is an origin, not a prefix: the same name with more after it is another origin.
      const lookalike = `${allowed.replace(/\/+$/, '')}.conformance.invalid`
      t.equal((await handshake(target.url, { 'sec-websocket-protocol': SUBPROTOCOL, origin: lookalike })).status, 403, `Origin ${lookalike} gets 403`)
    },
  )

  t.test('§2 a binary frame closes the connection with 1003', { clauses: ['TRAN-14', 'TRAN-16', 'CLOSE-1003'] }, async (t) => {
    const { wire } = await target.login(t, { rooms: [] })
    wire.sendNow(Buffer.from(JSON.stringify({ type: 'ping', id: 'bin' })), { binary: true })
    const { code } = await wire.closed()
    t.equal(code, 1003)
    t.same(
      wire.pending().filter((f) => f.type === 'pong' || f.type === 'error'),
      [],
      'the binary frame was not answered, nor an error sent before the close',
    )
  })

  t.test('§2 a binary frame before login closes with 1003 too', { clauses: ['TRAN-14', 'CLOSE-1003'] }, async (t) => {
    const wire = await target.open(t)
    wire.sendNow(Buffer.from([1, 2, 3]), { binary: true })
    t.equal((await wire.closed()).code, 1003)
  })

  t.test('§2 a message larger than limits.maxFrameBytes closes the connection with 1009', { clauses: ['TRAN-15', 'TRAN-16', 'CLOSE-1009'] }, async (t) => {
    const wire = await target.open(t)
    wire.sendNow(pingOfBytes(target.limits.maxFrameBytes + 1))
    t.equal((await wire.closed()).code, 1009)
    t.same(wire.pending(), [], 'no error frame before the close')
  })

  t.test('§2 a message assembled from fragments larger than limits.maxFrameBytes closes with 1009', { clauses: ['TRAN-15', 'CLOSE-1009'] }, async (t) => {
    const wire = await target.open(t)
    const text = pingOfBytes(target.limits.maxFrameBytes + 2)
    const half = Math.floor(text.length / 2)
    wire.ws.send(text.slice(0, half), { fin: false, binary: false })
    wire.ws.send(text.slice(half), { fin: true, binary: false })
    t.equal((await wire.closed()).code, 1009)
  })

  t.test('§2 a text frame that is not UTF-8 closes with 1007', { clauses: ['TRAN-15', 'TRAN-16', 'CLOSE-1007'] }, async (t) => {
    const wire = await target.open(t)
    wire.sendNow(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false })
    t.equal((await wire.closed()).code, 1007)
    t.same(wire.pending(), [], 'no error frame before the close')
  })

  t.test('§2 a WebSocket protocol violation (an unmasked client frame) closes with 1002', { clauses: ['CLOSE-1002'] }, async (t) => {
    const wire = await target.open(t)
    // RFC 6455 §5.1: a server must close on an unmasked client frame. Written past ws's framing.
    const socket = (wire.ws as unknown as { _socket: Socket })._socket
    const payload = Buffer.from('{"type":"ping"}')
    socket.write(Buffer.concat([Buffer.from([0x81, payload.length]), payload]))
    t.equal((await wire.closed()).code, 1002)
  })
}
