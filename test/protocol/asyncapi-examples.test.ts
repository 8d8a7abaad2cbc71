// Every example in asyncapi.json (and so in PROTOCOL.md §14) is a valid frame
// by the TypeBox schemas the server uses, and every frame has one. Also: the
// generated, self-contained union schemas accept every example as plain
// JSON Schema (compiled from the files, not from TypeBox objects).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { Compile } from 'typebox/compile'
import { decodeClientFrame, decodeServerFrame } from '../../protocol/codec.ts'
import { ClientFrames, ServerFrames } from '../../protocol/frames.ts'
import { REPO_ROOT } from '../../protocol/generate/index.ts'

interface Message {
  name: string
  examples?: { name: string; payload: unknown }[]
}
const doc = JSON.parse(readFileSync(join(REPO_ROOT, 'asyncapi.json'), 'utf8')) as { components: { messages: Record<string, Message> } }
const messages = Object.entries(doc.components.messages)
const schemaFile = (name: string) => JSON.parse(readFileSync(join(REPO_ROOT, 'schema', name), 'utf8')) as object

t.test('every message has at least one example', async (t) => {
  for (const [id, message] of messages) t.ok((message.examples ?? []).length > 0, `${id} has an example`)
})

t.test('every example validates against its TypeBox schema', async (t) => {
  for (const [id, message] of messages) {
    const [direction, type] = id.split('.') as ['client' | 'server', string]
    const registry = direction === 'client' ? ClientFrames : ServerFrames
    const schema = (registry as Record<string, { schema: object }>)[type]?.schema
    t.ok(schema, `${id} is in the registry`)
    if (!schema) continue
    const check = Compile(schema as never)
    for (const example of message.examples ?? []) {
      t.ok(check.Check(example.payload), `${id} example "${example.name}" matches its schema`)
      const decoded = (direction === 'client' ? decodeClientFrame : decodeServerFrame)(JSON.stringify(example.payload))
      t.equal(decoded.ok, true, `${id} example "${example.name}" decodes`)
      t.equal((example.payload as { type: string }).type, type, `${id} example "${example.name}" has type ${type}`)
    }
  }
})

t.test('the generated union schema files accept every example of their direction', async (t) => {
  const client = Compile(schemaFile('client-frame.json') as never)
  const server = Compile(schemaFile('server-frame.json') as never)
  for (const [id, message] of messages) {
    const check = id.startsWith('client.') ? client : server
    for (const example of message.examples ?? []) t.ok(check.Check(example.payload), `${id} "${example.name}" passes the ${id.split('.')[0]}-frame.json union`)
  }
})

t.test('the generated union schema files reject a frame of the other direction', async (t) => {
  const client = Compile(schemaFile('client-frame.json') as never)
  t.notOk(client.Check({ type: 'chat-ok', id: '1', message: {} }), 'client-frame.json rejects a server reply')
  t.notOk(client.Check({ type: 'chat', room: 'lobby', text: 'hi', extra: 1 }), 'client-frame.json rejects an extra field')
})
