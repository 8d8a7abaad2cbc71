// Refusals before the upgrade: hostile origins, credentials in the URL and
// connection caps get a plain HTTP status, never a 101.
import t from 'tap'
import { RawClient } from '../helpers/raw-client.ts'
import { RawSocket } from '../helpers/raw-frames.ts'
import { eventually } from '../helpers/eventually.ts'
import { startServer } from '../helpers/server.ts'

async function status(port: number, options: Parameters<typeof RawSocket.handshake>[1] = {}) {
  const { status, head, socket } = await RawSocket.handshake(port, options)
  socket.destroy()
  return { status, head }
}

t.test('hostile origins get 403 and never 101', async (t) => {
  const server = await startServer(t)
  const hostile = ['https://evil.example', 'null', `http://127.0.0.1:${server.port}.evil.example`, `http://evil.example/?http://127.0.0.1:${server.port}`, 'http://127.0.0.1:1', 'not a url']
  for (const origin of hostile) {
    const { status: code, head } = await status(server.port, { headers: { origin } })
    t.equal(code, 403, `Origin: ${origin}`)
    t.notMatch(head, /upgrade: websocket/i, 'no upgrade headers')
  }
  t.equal(server.app.websocketServer.clients.size, 0, 'no socket was opened')
})

t.test("the server's own origin and clients without Origin connect [TRAN-11]", async (t) => {
  const server = await startServer(t)
  t.equal((await status(server.port, { headers: { origin: server.httpUrl } })).status, 101)
  t.equal((await status(server.port)).status, 101, 'no Origin header (non-browser client)')
})

// The default rule compares the whole origin (scheme, host and port) with the
// server's own: a page's origin is http(s), whatever scheme the socket uses.
t.test('with the default rule an Origin differing only in scheme is refused [TRAN-11]', async (t) => {
  const server = await startServer(t)
  const own = `127.0.0.1:${server.port}`
  t.equal((await status(server.port, { headers: { origin: `http://${own}` } })).status, 101, 'http, the scheme of this plain-HTTP server')
  for (const origin of [`https://${own}`, `ws://${own}`, `wss://${own}`, `ftp://${own}`, `http://localhost:${server.port}`, `http://${own}:80`]) {
    t.equal((await status(server.port, { headers: { origin } })).status, 403, `Origin: ${origin}`)
  }
  t.equal((await status(server.port, { headers: { origin: `HTTP://${own}/` } })).status, 101, 'compared as origins (case, trailing slash), not as strings')
})

t.test('X-Forwarded-Proto and X-Forwarded-Host are ignored unless TRUST_PROXY is on [TRAN-12]', async (t) => {
  const server = await startServer(t)
  const own = `127.0.0.1:${server.port}`
  const forwarded = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'chat.example' }
  t.equal((await status(server.port, { headers: { ...forwarded, origin: `https://${own}` } })).status, 403, 'the scheme is not taken from the header')
  t.equal((await status(server.port, { headers: { ...forwarded, origin: 'https://chat.example' } })).status, 403, 'nor the host')
  t.equal((await status(server.port, { headers: { ...forwarded, origin: `http://${own}` } })).status, 101, 'the real own origin still connects')
})

t.test('with TRUST_PROXY the own origin is the one the proxy forwards [TRAN-12]', async (t) => {
  const server = await startServer(t, { trustProxy: true })
  const own = `127.0.0.1:${server.port}`
  const https = { 'x-forwarded-proto': 'https' }
  t.equal((await status(server.port, { headers: { ...https, origin: `https://${own}` } })).status, 101, 'https page behind a TLS-terminating proxy')
  t.equal((await status(server.port, { headers: { ...https, origin: `http://${own}` } })).status, 403, 'the plain-http origin is now the foreign one')
  const host = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'chat.example' }
  t.equal((await status(server.port, { headers: { ...host, origin: 'https://chat.example' } })).status, 101, 'public host from X-Forwarded-Host')
  t.equal((await status(server.port, { headers: { ...host, origin: `https://${own}` } })).status, 403, 'the internal host is not the public origin')
  t.equal((await status(server.port, { headers: { ...host, origin: 'https://chat.example:8443' } })).status, 403, 'the port counts')
  t.equal((await status(server.port, { headers: { origin: `http://${own}` } })).status, 101, 'without forwarded headers, the connection itself decides')
})

t.test('with ALLOWED_ORIGINS only the listed origins connect [TRAN-10]', async (t) => {
  const server = await startServer(t, { allowedOrigins: ['https://chat.example'] })
  t.equal((await status(server.port, { headers: { origin: 'https://chat.example' } })).status, 101)
  t.equal((await status(server.port, { headers: { origin: server.httpUrl } })).status, 403, 'the own origin is no longer implied')
  t.equal((await status(server.port, { headers: { origin: 'https://chat.example.evil' } })).status, 403)
})

t.test('credentials in the URL are refused with 400 before the upgrade', async (t) => {
  const server = await startServer(t)
  for (const path of ['/ws?token=abc.def.ghi', '/ws?access_token=abc', '/ws?a=1&TOKEN=x', '/ws?jwt=x']) {
    t.equal((await status(server.port, { path })).status, 400, path)
  }
  t.equal((await status(server.port, { path: '/ws?lang=en' })).status, 101, 'other query parameters are fine')
})

t.test('an unsupported subprotocol is refused with 400', async (t) => {
  const server = await startServer(t)
  t.equal((await status(server.port, { headers: { 'sec-websocket-protocol': 'graphql-ws' } })).status, 400)
})

t.test('hundreds of connections from one address hit the per-address cap (429); other addresses are fine [TRAN-9]', async (t) => {
  const cap = 200
  const server = await startServer(t, { maxConnectionsPerIp: cap })
  const clients = await Promise.all(Array.from({ length: cap }, () => RawClient.connect(t, server.url)))
  t.equal(clients.length, cap, `${cap} connections from 127.0.0.1 are served`)
  for (let i = 0; i < 3; i++) t.equal((await status(server.port)).status, 429, 'one more from 127.0.0.1 is refused')

  const { client: other } = await RawClient.login(t, server.url, {}, { localAddress: '127.0.0.2' })
  t.equal((await other.request({ type: 'chat', room: 'lobby', text: 'from elsewhere' })).type, 'chat-ok', 'another address connects and chats')

  clients[0]!.close()
  await clients[0]!.closed()
  await eventually(() => server.app.websocketServer.clients.size === cap, 'the server saw the close')
  t.equal((await status(server.port)).status, 101, 'a closed connection frees its slot')
})

t.test('the total cap answers 503 [TRAN-8]', async (t) => {
  const server = await startServer(t, { maxConnections: 5 })
  await Promise.all(Array.from({ length: 5 }, () => RawClient.connect(t, server.url)))
  t.equal((await status(server.port)).status, 503)
  t.equal((await status(server.port, { localAddress: '127.0.0.3' })).status, 503, 'from any address')
})
