// asyncapi.json is a valid AsyncAPI 3.0 document by the official parser, and
// it describes every frame of the registry in the right direction.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Parser } from '@asyncapi/parser'
import t from 'tap'
import { ClientFrames, ServerFrames } from '../../protocol/frames.ts'
import { REPO_ROOT } from '../../protocol/generate/index.ts'

// Spectral severities: 0 error, 1 warning, 2 information, 3 hint.
const ERROR = 0

const text = readFileSync(join(REPO_ROOT, 'asyncapi.json'), 'utf8')
// Parsing takes seconds: once for all tests.
const parsed = new Parser().parse(text)

t.test('the official parser reports no errors', async (t) => {
  const { document, diagnostics } = await parsed
  const errors = diagnostics.filter((d) => d.severity === ERROR).map((d) => `${d.code} at ${d.path.join('.')}: ${d.message}`)
  t.same(errors, [])
  t.ok(document, 'the document parsed')
  if (!document) return
  t.equal(document.version(), '3.0.0')
  t.equal(document.channels().length, 1)
  t.equal(document.channels().all()[0]!.address(), '/ws')
})

t.test('every frame is a message, client frames received and server pushes sent', async (t) => {
  const { document } = await parsed
  if (!document) return t.fail('no document')
  const names = document
    .messages()
    .all()
    .map((m) => m.id())
    .sort()
  const expected = [...Object.keys(ClientFrames).map((k) => `client.${k}`), ...Object.keys(ServerFrames).map((k) => `server.${k}`)].sort()
  t.same(names, expected)
  for (const op of document.operations().all()) {
    for (const m of op.messages().all()) {
      if (op.action() === 'receive') t.match(m.id(), /^client\./, `${op.id()} receives a client frame`)
      else t.match(m.id(), /^server\./, `${op.id()} sends a server frame`)
    }
  }
  const received = document
    .operations()
    .all()
    .filter((o) => o.action() === 'receive').length
  t.equal(received, Object.keys(ClientFrames).length, 'one receive operation per client frame')
})

t.test('the channel binding names the chat.v1 subprotocol', async (t) => {
  const doc = JSON.parse(text) as { channels: { chat: { bindings: { ws: { headers: { properties: Record<string, { const?: string }> } } } } } }
  t.equal(doc.channels.chat.bindings.ws.headers.properties['Sec-WebSocket-Protocol']?.const, 'chat.v1')
})
