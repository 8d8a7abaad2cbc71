// PROTOCOL.md §16 promises a client in plain browser JavaScript using only
// `new WebSocket(...)`. This runs that exact code block against the real
// server (with the `ws` package standing in for the browser's WebSocket).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import WebSocket from 'ws'
import { REPO_ROOT } from '../../protocol/generate/index.ts'
import { RawClient } from '../helpers/raw-client.ts'
import { startServer } from '../helpers/server.ts'

function minimalClientCode(): string {
  const md = readFileSync(join(REPO_ROOT, 'PROTOCOL.md'), 'utf8')
  const section = md.slice(md.indexOf('## 16 '), md.indexOf('## 17 '))
  const m = /```js\n([\s\S]*?)```/.exec(section)
  if (!m) throw new Error('no js block in PROTOCOL.md §16')
  return m[1]!
}

t.test('the §16 client is about 20 lines', async (t) => {
  const lines = minimalClientCode().trim().split('\n').length
  t.ok(lines >= 10 && lines <= 25, `${lines} lines`)
})

t.test('the §16 client logs in, joins dev, sends a line and prints pushes', async (t) => {
  const server = await startServer(t)
  const { client: bob } = await RawClient.login(t, server.url, { name: 'bob', rooms: [{ room: 'dev' }] })

  const logs: string[] = []
  let socket: WebSocket | undefined
  // The browser's WebSocket, as far as the snippet uses it.
  class BrowserWebSocket extends WebSocket {
    constructor(url: string, protocol: string) {
      super(url, protocol)
      socket = this
    }
  }
  const fakeConsole = { log: (...a: unknown[]) => logs.push(a.join(' ')), warn: (...a: unknown[]) => logs.push(`WARN ${a.join(' ')}`) }
  t.teardown(() => socket?.terminate())
  new Function('WebSocket', 'location', 'console', minimalClientCode())(BrowserWebSocket, { host: `127.0.0.1:${server.port}` }, fakeConsole)

  t.match(await bob.next('alarm'), { room: 'dev', kind: 'joined', name: 'ana' })
  const push = await bob.next('chat')
  t.match(push.message, { room: 'dev', seq: 1, name: 'ana', text: 'hello from a plain WebSocket' })
  await bob.request({ type: 'chat', room: 'dev', text: 'hi ana' })
  for (let i = 0; i < 100 && !logs.some((l) => l.includes('bob: hi ana')); i++) await new Promise((r) => setTimeout(r, 20))
  t.ok(logs.includes('sent as #1 in dev'), 'the acknowledgement is printed')
  t.ok(logs.includes('[dev #2] bob: hi ana'), 'a push is printed')
  t.notOk(logs.some((l) => l.startsWith('WARN')), `no error: ${logs.join(' | ')}`)
})
