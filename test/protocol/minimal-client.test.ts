// PROTOCOL.md §16 promises a client in plain JavaScript, using only the
// global `WebSocket`, that runs unchanged in a browser console and under
// Node.js. This runs that exact code block, extracted from PROTOCOL.md, in a
// plain `node` process (no loader, Node's own global WebSocket) against the
// real server.
import { spawn } from 'node:child_process'
import t from 'tap'
import { minimalClientCode } from '../helpers/minimal-client.ts'
import { RawClient } from '../helpers/raw-client.ts'
import { startServer } from '../helpers/server.ts'

t.test('the §16 client is about 20 lines', async (t) => {
  const lines = minimalClientCode().trim().split('\n').length
  t.ok(lines >= 10 && lines <= 25, `${lines} lines`)
})

t.test('the §16 client, run by plain node, logs in, joins dev, sends a line and prints pushes', async (t) => {
  const server = await startServer(t)
  const { client: bob } = await RawClient.login(t, server.url, { name: 'bob', rooms: [{ room: 'dev' }] })

  // Node's own WebSocket, no tsx: what a reader gets with `node client.js`.
  const child = spawn(process.execPath, ['-e', minimalClientCode()], {
    env: { PATH: process.env.PATH, CHAT_URL: server.url },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  child.stdout.setEncoding('utf8').on('data', (s: string) => (out += s))
  child.stderr.setEncoding('utf8').on('data', (s: string) => (err += s))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  t.teardown(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill()
    await exited
  })

  t.match(await bob.next('alarm'), { room: 'dev', kind: 'joined', name: 'ana' })
  const push = await bob.next('chat')
  t.match(push.message, { room: 'dev', seq: 1, name: 'ana', text: 'hello from a plain WebSocket' })
  await bob.request({ type: 'chat', room: 'dev', text: 'hi ana' })
  // Bounded wait for the child's output: the push to ana is already on its way.
  for (let i = 0; i < 250 && !out.includes('bob: hi ana') && child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 20))
  const lines = out.split('\n')
  t.ok(lines.includes('sent as #1 in dev'), `the acknowledgement is printed: ${out}`)
  t.ok(lines.includes('[dev #2] bob: hi ana'), 'a push is printed')
  t.equal(err, '', 'nothing on stderr (no error frame, no exception)')
})
