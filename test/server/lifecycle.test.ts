import t from 'tap'
import WebSocket from 'ws'
import { SUBPROTOCOL } from '../../protocol/index.ts'
import { RawClient } from '../helpers/raw-client.ts'
import { startServer } from '../helpers/server.ts'

t.test('graceful shutdown closes every client with 1001 going-away', async (t) => {
  const server = await startServer(t)
  const { client: a } = await RawClient.login(t, server.url, { name: 'ana' })
  const b = await RawClient.connect(t, server.url) // not logged in yet
  await server.app.close()
  t.same(await a.closed(), { code: 1001, reason: 'going-away' })
  t.same(await b.closed(), { code: 1001, reason: 'going-away' })
})

t.test('a peer that stops answering WebSocket pings is dropped; one that answers stays', async (t) => {
  const server = await startServer(t, { heartbeatMs: 50 })
  const silent = new WebSocket(server.url, SUBPROTOCOL, { autoPong: false })
  t.teardown(() => silent.terminate())
  const closed = new Promise<number>((resolve) => silent.on('close', (code) => resolve(code)))
  let pings = 0
  silent.on('ping', () => pings++)
  const { client: healthy } = await RawClient.login(t, server.url, { name: 'ana' })
  const code = await Promise.race([closed, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('silent peer never dropped')), 5000))])
  t.equal(code, 1006, 'terminated without a close frame: the peer is presumed dead')
  t.ok(pings >= 1, 'it was pinged first')
  t.match(await healthy.request({ type: 'ping' }), { type: 'pong' }, 'a peer answering pings is still served')
})

t.test('the server pings with WebSocket pings at the announced interval', async (t) => {
  const server = await startServer(t, { heartbeatMs: 50 })
  const client = await RawClient.connect(t, server.url)
  t.equal(client.welcome.heartbeatMs, 50)
  await new Promise<void>((resolve) => client.ws.once('ping', () => resolve()))
  t.pass('ping received')
})
