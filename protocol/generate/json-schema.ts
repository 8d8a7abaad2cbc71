// JSON Schema (2020-12) files for every frame, the two direction unions and
// the code list, built from the registry in frames.ts. Paths are relative to
// the `schema/` folder; each file's `$id` is its path there, which keeps the
// ids unique although client and server both have a `chat`, `typing` and `dm`.
import type { TSchema } from 'typebox'
import { ClientFrames, ServerFrames } from '../frames.ts'
import { PROTOCOL_VERSION, SUBPROTOCOL } from '../primitives.ts'
import { canonicalSchema, JSON_SCHEMA_DIALECT, type Json } from './canonical-json.ts'
import { codesSchema } from './codes-schema.ts'

export type Direction = 'client' | 'server'

/** One frame of the registry, as the generators see it. */
export interface FrameEntry {
  direction: Direction
  type: string
  kind: 'request' | 'reply' | 'push'
  /** Success reply of a request. */
  reply?: string
  schema: TSchema
}

/** Every frame, client frames first, each group in registry order. */
export function frameEntries(): FrameEntry[] {
  const client = Object.entries(ClientFrames).map(([type, f]): FrameEntry => ({ direction: 'client', type, kind: 'request', reply: f.reply, schema: f.schema }))
  const server = Object.entries(ServerFrames).map(([type, f]): FrameEntry => ({ direction: 'server', type, kind: f.kind, schema: f.schema }))
  return [...client, ...server]
}

/** Plain JSON Schema of a TypeBox schema, canonical key order, without its own `$id`. */
export function plainSchema(schema: TSchema): { [key: string]: Json } {
  const json = canonicalSchema(schema) as { [key: string]: Json }
  delete json.$id
  return json
}

/** The file path of a frame's schema inside `schema/`. */
export const frameSchemaPath = (direction: Direction, type: string): string => `${direction}/${type}.json`

function frameFile(entry: FrameEntry): Json {
  const { title, description, ...rest } = plainSchema(entry.schema)
  return canonicalSchema({ $schema: JSON_SCHEMA_DIALECT, $id: frameSchemaPath(entry.direction, entry.type), title, description, ...rest })
}

function unionFile(direction: Direction, entries: FrameEntry[]): Json {
  const who = direction === 'client' ? 'a client sends' : 'the server sends'
  return canonicalSchema({
    $schema: JSON_SCHEMA_DIALECT,
    $id: `${direction}-frame.json`,
    title: direction === 'client' ? 'ClientFrame' : 'ServerFrame',
    description: `Any frame ${who} on the ${SUBPROTOCOL} subprotocol (protocol ${PROTOCOL_VERSION}), discriminated by \`type\`. Self-contained: every frame schema is inlined.`,
    anyOf: entries.filter((e) => e.direction === direction).map((e) => plainSchema(e.schema)),
  })
}

/** Every file of `schema/`, keyed by its path relative to that folder, in a stable order. */
export function schemaFiles(): Map<string, Json> {
  const entries = frameEntries()
  const files = new Map<string, Json>()
  for (const entry of entries) files.set(frameSchemaPath(entry.direction, entry.type), frameFile(entry))
  files.set('client-frame.json', unionFile('client', entries))
  files.set('server-frame.json', unionFile('server', entries))
  files.set('codes.json', codesSchema())
  return files
}
