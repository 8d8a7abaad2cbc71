// Compatibility of frame schemas across protocol versions. Two readings of
// "compatible", one per direction:
// - client frames are *accepted* by the server: the new schema must accept
//   everything the old one did (no removed frame or property, no newly
//   required property, no narrower type, enum, bounds or pattern);
// - server frames are *produced* for old clients: the new schema must not
//   produce what old clients could not read (no removed frame or property,
//   no required property made optional, no wider type, bounds or pattern).
//   Additions that PROTOCOL.md §1 tells clients to ignore (new optional
//   properties, new push types, new enum values) are allowed.
// Comparisons are structural and conservative: a changed pattern counts as
// breaking because regex inclusion cannot be decided here.

import { LOCAL_ROOM_PATTERN, MAX_NAME_CHARS, MAX_ROOM_CHARS, ROOM_PATTERN } from '../primitives.ts'

/** A plain JSON Schema object. */
export type Schema = { [key: string]: unknown }

/** How a schema is used by the other side. */
export type Mode = 'accept' | 'produce'

export interface Change {
  /** Where: frame type and JSON pointer-like path. */
  path: string
  breaking: boolean
  message: string
}

const isSchema = (v: unknown): v is Schema => v !== null && typeof v === 'object' && !Array.isArray(v)

function typesOf(s: Schema): Set<string> | undefined {
  if (typeof s.type === 'string') return new Set([s.type])
  if (Array.isArray(s.type)) return new Set(s.type as string[])
  return undefined
}

/** Literal values when the schema is a const, an enum or an anyOf of consts. */
function literals(s: Schema): unknown[] | undefined {
  if ('const' in s) return [s.const]
  if (Array.isArray(s.enum)) return s.enum
  if (Array.isArray(s.anyOf) && s.anyOf.length > 0 && s.anyOf.every((b) => isSchema(b) && 'const' in b)) return s.anyOf.map((b) => (b as Schema).const)
  return undefined
}

const key = (v: unknown): string => JSON.stringify(v)

/** True when every value of type `t` is also of one of `types` (integer ⊂ number). */
const covered = (t: string, types: Set<string>): boolean => types.has(t) || (t === 'integer' && types.has('number'))

const LOWER = ['minLength', 'minimum', 'minItems', 'exclusiveMinimum'] as const
const UPPER = ['maxLength', 'maximum', 'maxItems', 'exclusiveMaximum'] as const

/** Compares one schema (and its children) in the given mode. */
export function compareSchema(before: Schema, after: Schema, mode: Mode, path = ''): Change[] {
  const changes: Change[] = []
  const add = (breaking: boolean, message: string, at = path) => changes.push({ path: at || '/', breaking, message })
  // In accept mode the new schema must be wider; in produce mode narrower.
  const widening = (what: string) => add(mode === 'produce', `${what} widened`)
  const narrowing = (what: string) => add(mode === 'accept', `${what} narrowed`)

  const tb = typesOf(before)
  const ta = typesOf(after)
  if (tb && ta) {
    if ([...tb].some((t) => !covered(t, ta))) narrowing(`type ${[...tb].join('|')} → ${[...ta].join('|')}`)
    if ([...ta].some((t) => !covered(t, tb))) widening(`type ${[...tb].join('|')} → ${[...ta].join('|')}`)
  } else if (tb && !ta) widening('type constraint removed:')
  else if (!tb && ta) narrowing('type constraint added:')

  const lb = literals(before)
  const la = literals(after)
  if (lb && la) {
    const removed = lb.filter((v) => !la.some((w) => key(w) === key(v)))
    const added = la.filter((v) => !lb.some((w) => key(w) === key(v)))
    if (removed.length > 0) add(mode === 'accept' || 'const' in before, `values removed: ${removed.map(key).join(', ')}`)
    // New enum values are fine for old clients (§1); a changed const is not.
    if (added.length > 0) add('const' in before && mode === 'produce', `values added: ${added.map(key).join(', ')}`)
  } else if (lb && !la) widening('value list removed:')
  else if (!lb && la) narrowing('value list added:')

  for (const k of LOWER) {
    const b = before[k] as number | undefined
    const a = after[k] as number | undefined
    if (b === a) continue
    if (a !== undefined && (b === undefined || a > b)) narrowing(`${k} ${b ?? 'none'} → ${a}`)
    else widening(`${k} ${b} → ${a ?? 'none'}`)
  }
  for (const k of UPPER) {
    const b = before[k] as number | undefined
    const a = after[k] as number | undefined
    if (b === a) continue
    if (a !== undefined && (b === undefined || a < b)) narrowing(`${k} ${b ?? 'none'} → ${a}`)
    else widening(`${k} ${b} → ${a ?? 'none'}`)
  }
  if (before.pattern !== after.pattern) {
    if (after.pattern === undefined) widening('pattern removed:')
    else add(true, `pattern changed: ${key(before.pattern)} → ${key(after.pattern)}`)
  }

  const pb = isSchema(before.properties) ? before.properties : {}
  const pa = isSchema(after.properties) ? after.properties : {}
  const rb = new Set(Array.isArray(before.required) ? (before.required as string[]) : [])
  const ra = new Set(Array.isArray(after.required) ? (after.required as string[]) : [])
  for (const name of Object.keys(pb)) {
    const at = `${path}/${name}`
    if (!(name in pa)) {
      add(true, 'property removed', at)
      continue
    }
    if (!rb.has(name) && ra.has(name)) add(mode === 'accept', 'property became required', at)
    if (rb.has(name) && !ra.has(name)) add(mode === 'produce', 'property became optional', at)
    if (isSchema(pb[name]) && isSchema(pa[name])) changes.push(...compareSchema(pb[name], pa[name], mode, at))
  }
  for (const name of Object.keys(pa)) {
    if (name in pb) continue
    // A new required property breaks old senders; a new optional one breaks no one.
    add(mode === 'accept' && ra.has(name), `property added${ra.has(name) ? ' (required)' : ''}`, `${path}/${name}`)
  }
  if (before.additionalProperties !== false && after.additionalProperties === false) narrowing('object closed:')
  if (before.additionalProperties === false && after.additionalProperties !== false) widening('object opened:')

  if (isSchema(before.items) && isSchema(after.items)) changes.push(...compareSchema(before.items, after.items, mode, `${path}/[]`))

  // Unions that are not literal lists: compare branch by branch.
  if (!lb && !la && Array.isArray(before.anyOf) && Array.isArray(after.anyOf)) {
    if (before.anyOf.length !== after.anyOf.length) add(true, `union of ${before.anyOf.length} → ${after.anyOf.length} branches`)
    else
      before.anyOf.forEach((b, i) => {
        const a = (after.anyOf as unknown[])[i]
        if (isSchema(b) && isSchema(a)) changes.push(...compareSchema(b, a, mode, `${path}/anyOf/${i}`))
      })
  }
  return changes
}

/**
 * Changes the structural comparison calls breaking that are not, because the
 * new values are gated by version (PROTOCOL.md §1, versions in a session):
 * - room names with a namespace (1.2.0): every 1.0.0 name matches the new
 *   pattern (test/protocol/compat.test.ts checks samples), so servers accept
 *   more; the server sends a prefixed name only to clients that announced
 *   1.2.0, or that joined such a room by name themselves.
 * Each entry names the property (last path segment) and the exact messages.
 */
export const GATED_CHANGES: readonly { since: string; property: string; messages: readonly string[] }[] = [
  {
    since: '1.2.0',
    property: 'room',
    messages: [`pattern changed: ${key(LOCAL_ROOM_PATTERN)} → ${key(ROOM_PATTERN)}`, `maxLength ${MAX_NAME_CHARS} → ${MAX_ROOM_CHARS} widened`],
  },
]

function gated(change: Change): Change {
  const gate = change.breaking && GATED_CHANGES.find((g) => change.path.endsWith(`/${g.property}`) && g.messages.includes(change.message))
  return gate ? { ...change, breaking: false, message: `${change.message} (gated: sent only to clients of ${gate.since} or later)` } : change
}

/** Compares two sets of frame schemas (type → schema) of one direction. */
export function compareFrames(before: Record<string, Schema>, after: Record<string, Schema>, direction: 'client' | 'server'): Change[] {
  const mode: Mode = direction === 'client' ? 'accept' : 'produce'
  const changes: Change[] = []
  for (const [type, schema] of Object.entries(before)) {
    const next = after[type]
    if (next === undefined) changes.push({ path: `${direction}/${type}`, breaking: true, message: 'frame removed' })
    else changes.push(...compareSchema(schema, next, mode, `${direction}/${type}`).map(gated))
  }
  for (const type of Object.keys(after)) {
    if (!(type in before)) changes.push({ path: `${direction}/${type}`, breaking: false, message: 'frame added' })
  }
  return changes
}

/** The major number of a semantic version. */
export const majorOf = (version: string): number => Number(version.split('.')[0])
