// Deterministic JSON text for generated files: schema keywords in one fixed
// order, 2-space indent, trailing newline. Running the generator twice must
// give byte-identical files, so nothing here depends on insertion order of
// keywords (property names keep their declared order: `type` first, then `id`).

/** Schema keywords in the order a reader expects them; others follow, sorted. */
const KEYWORD_ORDER = [
  '$schema',
  '$id',
  'title',
  'description',
  'type',
  'const',
  'enum',
  'format',
  'minLength',
  'maxLength',
  'pattern',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minItems',
  'maxItems',
  'items',
  'required',
  'properties',
  'additionalProperties',
  'anyOf',
  'oneOf',
  'allOf',
  'not',
  '$defs',
  'examples',
]
const RANK = new Map(KEYWORD_ORDER.map((k, i) => [k, i]))

/** Containers whose keys are names chosen by the author (kept in declared order). */
const NAMED_MAPS = new Set(['properties', '$defs'])

/** The JSON Schema dialect of every generated schema file. */
export const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema'

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

function compareKeys(a: string, b: string): number {
  const ra = RANK.get(a) ?? KEYWORD_ORDER.length
  const rb = RANK.get(b) ?? KEYWORD_ORDER.length
  return ra !== rb ? ra - rb : a < b ? -1 : a > b ? 1 : 0
}

/**
 * A plain-JSON copy of a schema (TypeBox's symbol keys dropped) with keywords
 * in canonical order. Members of `properties`/`$defs` keep their order.
 */
export function canonicalSchema(value: unknown, keepOrder = false): Json {
  if (value === null || typeof value !== 'object') return value as Json
  if (Array.isArray(value)) return value.map((v) => canonicalSchema(v))
  const source = value as Record<string, unknown>
  const keys = Object.keys(source).filter((k) => source[k] !== undefined)
  if (!keepOrder) keys.sort(compareKeys)
  const out: { [key: string]: Json } = {}
  for (const key of keys) out[key] = canonicalSchema(source[key], !keepOrder && NAMED_MAPS.has(key))
  return out
}

/** JSON text as written to disk: 2-space indent and a trailing newline. */
export function toJsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`
}
