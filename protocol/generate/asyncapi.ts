// asyncapi.json: an AsyncAPI 3.0 description of the reference server. One
// channel (`/ws`, subprotocol chat.v1 in the ws binding); client frames are
// `receive` operations of the server (requests, with their `reply`), server
// pushes are `send` operations. Payloads are the frame schemas without `$id`
// (AsyncAPI Schema is a JSON Schema superset); examples come from examples.ts.
import { ErrorCodes } from '../codes.ts'
import { PROTOCOL_VERSION, SUBPROTOCOL } from '../primitives.ts'
import type { Json } from './canonical-json.ts'
import { clientExamples, serverExamples, type Example } from './examples.ts'
import { frameEntries, plainSchema, type Direction, type FrameEntry } from './json-schema.ts'

const CHANNEL = 'chat'

/** The component name of a frame's message: unique across directions. */
export const messageName = (direction: Direction, type: string): string => `${direction}.${type}`

function examplesOf(entry: FrameEntry): Example<unknown>[] {
  const table = (entry.direction === 'client' ? clientExamples : serverExamples) as Record<string, Example<unknown>[]>
  return table[entry.type] ?? []
}

function message(entry: FrameEntry): Json {
  const { title: _title, description, ...payload } = plainSchema(entry.schema)
  const summary = entry.direction === 'client' ? `Client ${entry.kind} \`${entry.type}\`` : `Server ${entry.kind} \`${entry.type}\``
  const out: Record<string, Json> = {
    name: entry.type,
    title: `${entry.type} (${entry.direction === 'client' ? 'client → server' : 'server → client'})`,
    summary,
    description: description ?? '',
    contentType: 'application/json',
    payload: { ...payload, description: description ?? '' },
    examples: examplesOf(entry).map((e) => ({ name: e.name, summary: e.summary, payload: e.payload as Json })),
  }
  if (entry.kind !== 'push') out.correlationId = { description: 'The request `id`, echoed by its reply.', location: '$message.payload#/id' }
  return out
}

const ref = (path: string): Json => ({ $ref: path })
const channelMessage = (direction: Direction, type: string): Json => ref(`#/channels/${CHANNEL}/messages/${messageName(direction, type)}`)

function operationId(entry: FrameEntry): string {
  const camel = entry.type.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())
  return `${entry.direction === 'client' ? 'receive' : 'send'}${camel[0]!.toUpperCase()}${camel.slice(1)}${entry.direction === 'client' ? '' : 'Frame'}`
}

function operation(entry: FrameEntry): Json {
  const op: Record<string, Json> = {
    action: entry.direction === 'client' ? 'receive' : 'send',
    channel: ref(`#/channels/${CHANNEL}`),
    summary: entry.direction === 'client' ? `The server receives \`${entry.type}\`; it answers \`${entry.reply}\` or \`error\`.` : `The server sends \`${entry.type}\` (${entry.kind}).`,
    messages: [channelMessage(entry.direction, entry.type)],
  }
  if (entry.reply !== undefined) {
    op.reply = { channel: ref(`#/channels/${CHANNEL}`), messages: [channelMessage('server', entry.reply), channelMessage('server', 'error')] }
  }
  return op
}

/** The AsyncAPI document as plain JSON. */
export function asyncApiDocument(): Json {
  const entries = frameEntries()
  const messages: Record<string, Json> = {}
  const channelMessages: Record<string, Json> = {}
  for (const e of entries) {
    messages[messageName(e.direction, e.type)] = message(e)
    channelMessages[messageName(e.direction, e.type)] = ref(`#/components/messages/${messageName(e.direction, e.type)}`)
  }
  const operations: Record<string, Json> = {}
  // Replies are sent as part of their request's operation; only pushes get send operations of their own.
  for (const e of entries) if (e.direction === 'client' || e.kind === 'push') operations[operationId(e)] = operation(e)
  // `error` is also sent without a request (a frame whose id could not be read), so it gets a send operation too.
  operations.sendErrorFrame = operation(entries.find((e) => e.direction === 'server' && e.type === 'error')!)
  return {
    asyncapi: '3.0.0',
    id: 'urn:wirechat:protocol:chat.v1',
    info: {
      title: 'wirechat',
      version: PROTOCOL_VERSION,
      description: `Real-time chat over one WebSocket. JSON text frames, each a closed object discriminated by \`type\`. Requests carry an optional client-chosen \`id\`; every request gets exactly one reply (its \`*-ok\` frame or \`error\`, ${Object.keys(ErrorCodes).length} stable codes) echoing it, in request order. Pushes carry no \`id\`. See PROTOCOL.md for the narrative, close codes and guarantees.`,
      license: { name: 'MIT' },
    },
    defaultContentType: 'application/json',
    servers: {
      local: {
        host: 'localhost:3000',
        protocol: 'ws',
        description: `The reference server with its defaults (HOST=127.0.0.1, PORT=3000). Use wss in production. Offer the \`${SUBPROTOCOL}\` subprotocol.`,
      },
    },
    channels: {
      [CHANNEL]: {
        address: '/ws',
        title: 'Chat socket',
        description: `The one WebSocket endpoint. The handshake offers \`Sec-WebSocket-Protocol: ${SUBPROTOCOL}\` (or no subprotocol at all); offering only others is refused with HTTP 400 before the upgrade.`,
        servers: [ref('#/servers/local')],
        messages: channelMessages,
        bindings: {
          ws: {
            method: 'GET',
            headers: {
              type: 'object',
              properties: {
                'Sec-WebSocket-Protocol': { type: 'string', const: SUBPROTOCOL, description: 'The subprotocol; when omitted the server still speaks chat.v1.' },
                Origin: { type: 'string', description: 'Checked against the allowlist (HTTP 403 when not allowed). Non-browser clients may omit it.' },
              },
            },
            bindingVersion: '0.1.0',
          },
        },
      },
    },
    operations,
    components: { messages },
  }
}
