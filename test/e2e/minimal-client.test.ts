// PROTOCOL.md §16 promises that its client runs unchanged in a browser console.
// This pastes that exact code into the console of a page served by our server
// (the DevTools console's own evaluation: CDP Runtime.evaluate in REPL mode,
// which the page's CSP does not govern, as for a developer typing it) and reads
// what it prints. The Node half is test/protocol/minimal-client.test.ts.
import t from 'tap'
import { chromiumMissing, launchChromium } from '../helpers/browser.ts'
import { minimalClientCode } from '../helpers/minimal-client.ts'
import { RawClient } from '../helpers/raw-client.ts'
import { startServer } from '../helpers/server.ts'

const skip = chromiumMissing(t)

t.test('the §16 client, pasted into a browser console, logs in, joins dev, sends a line and prints pushes', { skip }, async (t) => {
  const server = await startServer(t)
  const { client: bob } = await RawClient.login(t, server.url, { name: 'bob', rooms: [{ room: 'dev' }] })
  const browser = await launchChromium(t)
  const page = await browser.newPage()
  const logs: string[] = []
  const exceptions: string[] = []
  page.on('console', (msg) => logs.push(`${msg.type()}: ${msg.text()}`))
  page.on('pageerror', (err) => exceptions.push(err.message))
  // Any page of the server's origin will do; /healthz loads no bundle that a concurrent build could be rewriting.
  await page.goto(`${server.httpUrl}/healthz`)

  const cdp = await page.context().newCDPSession(page)
  const result = (await cdp.send('Runtime.evaluate', { expression: minimalClientCode(), replMode: true })) as { exceptionDetails?: unknown }
  t.equal(result.exceptionDetails, undefined, 'the code runs without an exception')

  t.match(await bob.next('alarm'), { room: 'dev', kind: 'joined', name: 'ana' })
  t.match((await bob.next('chat')).message, { room: 'dev', seq: 1, name: 'ana', text: 'hello from a plain WebSocket' })
  await bob.request({ type: 'chat', room: 'dev', text: 'hi ana' })
  await page.waitForEvent('console', { predicate: (msg) => msg.text() === '[dev #2] bob: hi ana', timeout: 5_000 }).catch(() => undefined)
  t.ok(logs.includes('log: sent as #1 in dev'), `the acknowledgement is printed: ${logs.join(' | ')}`)
  t.ok(logs.includes('log: [dev #2] bob: hi ana'), 'a push is printed')
  // The client prints error frames with console.warn; the browser's own resource errors (a
  // favicon) are not the client's.
  t.same(
    logs.filter((l) => l.startsWith('warning:')),
    [],
    'no error frame',
  )
  t.same(exceptions, [], 'no exception')
})
