// Validates wire text against the generated JSON Schemas (schema/*.json), the
// documents other implementations read, rather than the TypeBox values they are
// generated from: the inspector checks what the protocol publishes.
//
// typebox/schema's Check and Errors interpret the schema. Its Compile would try
// `new Function` first (acceleration), which the page's CSP (`script-src 'self'`,
// no 'unsafe-eval') refuses with a console violation even though TypeBox falls
// back: so nothing here compiles, and the inspector never imports the codec
// (which compiles at module load).
import { Check, Errors } from 'typebox/schema'
import clientFrameSchema from '../../schema/client-frame.json' with { type: 'json' }
import serverFrameSchema from '../../schema/server-frame.json' with { type: 'json' }

/** Who sent a frame: `out` is the inspector (a client), `in` is the server. */
export type Direction = 'out' | 'in'

/** A JSON Schema object as the generator writes it (only what the inspector reads). */
export interface FrameSchema {
  title: string
  description?: string
  type?: string
  const?: unknown
  required?: string[]
  properties?: Record<string, FrameSchema>
  items?: FrameSchema
  anyOf?: FrameSchema[]
  minLength?: number
  maxLength?: number
  minimum?: number
  minItems?: number
  pattern?: string
}

/** One reason a frame is not valid: a JSON Pointer into the frame and what is wrong there. */
export interface Violation {
  path: string
  message: string
}

/** The outcome of reading one frame's text. */
export type FrameCheck =
  | { kind: 'valid'; frame: Record<string, unknown>; type: string }
  /** Not JSON, or JSON but not an object: nothing to correlate. */
  | { kind: 'bad-json'; message: string }
  /** An object, but not a frame of this direction as the schema defines it. */
  | { kind: 'invalid'; frame: Record<string, unknown>; type: string | undefined; violations: Violation[] }

const MAX_VIOLATIONS = 20

function byType(union: { anyOf: unknown[] }): Map<string, FrameSchema> {
  const map = new Map<string, FrameSchema>()
  for (const branch of union.anyOf as FrameSchema[]) map.set(branch.title, branch)
  return map
}

const schemas: Record<Direction, Map<string, FrameSchema>> = { out: byType(clientFrameSchema), in: byType(serverFrameSchema) }

/** The frame schemas of one direction, keyed by `type`, in the registry's order. */
export function frameSchemas(direction: Direction): ReadonlyMap<string, FrameSchema> {
  return schemas[direction]
}

interface RawError {
  keyword: string
  schemaPath: string
  instancePath: string
  params: Record<string, unknown>
  message: string
}

// TypeBox reports a closed object's extra key twice (the `false` subschema and
// `additionalProperties`) and quotes whole Unicode patterns: one readable line each instead.
function readable(errors: RawError[]): Violation[] {
  const out: Violation[] = []
  for (const e of errors) {
    if (e.keyword === 'boolean' && e.schemaPath.endsWith('/additionalProperties')) continue
    if (e.keyword === 'additionalProperties') {
      for (const key of (e.params.additionalProperties as string[] | undefined) ?? []) out.push({ path: `${e.instancePath}/${key}`, message: 'is not a field of this frame' })
    } else if (e.keyword === 'required') {
      for (const key of (e.params.requiredProperties as string[] | undefined) ?? []) out.push({ path: `${e.instancePath}/${key}`, message: 'is required' })
    } else if (e.keyword === 'pattern') {
      out.push({ path: e.instancePath || '/', message: 'has characters or a shape the schema does not allow' })
    } else {
      out.push({ path: e.instancePath || '/', message: e.message })
    }
  }
  return out.slice(0, MAX_VIOLATIONS)
}

/** Checks a parsed value as a frame of `direction`. */
export function checkValue(direction: Direction, value: unknown): FrameCheck {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { kind: 'bad-json', message: 'A frame must be a JSON object.' }
  const frame = value as Record<string, unknown>
  const type = typeof frame.type === 'string' ? frame.type : undefined
  const schema = type === undefined ? undefined : schemas[direction].get(type)
  if (schema === undefined) {
    const who = direction === 'out' ? 'client' : 'server'
    const message = type === undefined ? 'is required: a string naming the frame' : `"${type.slice(0, 40)}" is not a ${who} frame type`
    return { kind: 'invalid', frame, type, violations: [{ path: '/type', message }] }
  }
  if (Check(schema, frame)) return { kind: 'valid', frame, type: type! }
  const [, errors] = Errors(schema, frame) as [boolean, RawError[]]
  return { kind: 'invalid', frame, type, violations: readable(errors) }
}

/** Parses and checks one frame's text as sent in `direction`. */
export function checkText(direction: Direction, text: string): FrameCheck {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    return { kind: 'bad-json', message: `Not JSON: ${(err as Error).message}` }
  }
  return checkValue(direction, value)
}
