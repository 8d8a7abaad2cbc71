// The two comparisons the checks make: deep equality (`same`) and a
// tap-like pattern (`match`). Both return undefined when the values agree,
// else where and how they differ, so a failure report can say which field
// of which frame was wrong. Both are stricter than tap's: `same` compares
// primitives with ===, and in `match` a string pattern must equal the string
// (not occur in it) and an array pattern must have as many items as the value.

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object'

/** A short printable form of a value for difference messages. */
export function show(value: unknown, max = 200): string {
  if (value === undefined) return 'undefined'
  if (typeof value === 'function') return value.name || 'function'
  if (value instanceof RegExp) return String(value)
  if (value instanceof Error) return `${value.name}: ${value.message}`
  let text: string
  try {
    text = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)) ?? String(value)
  } catch {
    text = String(value)
  }
  return text.length > max ? `${text.slice(0, max)}…` : text
}

const at = (path: string): string => path || '/'

/** Deep equality of JSON-like values (plus Buffers, Dates, Maps and Sets by content). */
export function difference(actual: unknown, expected: unknown, path = ''): string | undefined {
  if (actual === expected || (Number.isNaN(actual) && Number.isNaN(expected))) return undefined
  if (!isObject(actual) || !isObject(expected)) return `${at(path)}: expected ${show(expected)}, got ${show(actual)}`
  if (Array.isArray(expected) !== Array.isArray(actual)) return `${at(path)}: expected ${show(expected)}, got ${show(actual)}`
  if (Buffer.isBuffer(expected) || Buffer.isBuffer(actual)) {
    return Buffer.isBuffer(expected) && Buffer.isBuffer(actual) && expected.equals(actual) ? undefined : `${at(path)}: expected ${show(expected)}, got ${show(actual)}`
  }
  if (expected instanceof Date || actual instanceof Date) {
    return expected instanceof Date && actual instanceof Date && expected.getTime() === actual.getTime() ? undefined : `${at(path)}: expected ${show(expected)}, got ${show(actual)}`
  }
  if (expected instanceof Map || expected instanceof Set) {
    return difference(actual instanceof Map || actual instanceof Set ? [...actual] : actual, [...expected], path)
  }
  if (Array.isArray(expected) && Array.isArray(actual)) {
    if (expected.length !== actual.length) return `${at(path)}: expected ${expected.length} items, got ${actual.length}: ${show(actual)}`
    for (let i = 0; i < expected.length; i++) {
      const problem = difference(actual[i], expected[i], `${path}/${i}`)
      if (problem !== undefined) return problem
    }
    return undefined
  }
  const expectedKeys = Object.keys(expected).filter((k) => expected[k] !== undefined)
  const actualKeys = Object.keys(actual).filter((k) => actual[k] !== undefined)
  const missing = expectedKeys.filter((k) => !actualKeys.includes(k))
  if (missing.length > 0) return `${at(path)}: missing key(s) ${missing.join(', ')} in ${show(actual)}`
  const extra = actualKeys.filter((k) => !expectedKeys.includes(k))
  if (extra.length > 0) return `${at(path)}: unexpected key(s) ${extra.join(', ')} in ${show(actual)}`
  for (const key of expectedKeys) {
    const problem = difference(actual[key], expected[key], `${path}/${key}`)
    if (problem !== undefined) return problem
  }
  return undefined
}

/** Scalar constructors stand for "any value of this type", as in tap. */
const TYPE_PATTERNS = new Map<unknown, (v: unknown) => boolean>([
  [String, (v) => typeof v === 'string'],
  [Number, (v) => typeof v === 'number' && Number.isFinite(v)],
  [Boolean, (v) => typeof v === 'boolean'],
  [BigInt, (v) => typeof v === 'bigint'],
  [Symbol, (v) => typeof v === 'symbol'],
  [Function, (v) => typeof v === 'function'],
  [Array, (v) => Array.isArray(v)],
  [Object, (v) => isObject(v)],
])

/**
 * Matches `actual` against `pattern`: a RegExp tests the string form, a
 * constructor tests the type, an object needs at least its keys (each
 * matching), an array exactly its items (each matching), an Error its
 * message and listed properties; anything else must be equal.
 */
export function mismatch(actual: unknown, pattern: unknown, path = ''): string | undefined {
  if (actual === pattern || (Number.isNaN(actual) && Number.isNaN(pattern))) return undefined
  if (pattern instanceof RegExp) {
    return typeof actual !== 'object' && pattern.test(String(actual)) ? undefined : `${at(path)}: expected a match for ${String(pattern)}, got ${show(actual)}`
  }
  const typeCheck = TYPE_PATTERNS.get(pattern)
  if (typeCheck !== undefined) return typeCheck(actual) ? undefined : `${at(path)}: expected any ${(pattern as { name: string }).name}, got ${show(actual)}`
  if (typeof pattern === 'function') {
    return actual instanceof (pattern as new () => unknown) ? undefined : `${at(path)}: expected an instance of ${pattern.name}, got ${show(actual)}`
  }
  if (!isObject(pattern)) return `${at(path)}: expected ${show(pattern)}, got ${show(actual)}`
  if (!isObject(actual)) return `${at(path)}: expected ${show(pattern)}, got ${show(actual)}`
  if (pattern instanceof Error) {
    if (!(actual instanceof Error)) return `${at(path)}: expected an error ${show(pattern)}, got ${show(actual)}`
    if (actual.message !== pattern.message) return `${at(path)}: expected the error message ${show(pattern.message)}, got ${show(actual.message)}`
  }
  if (Array.isArray(pattern)) {
    if (!Array.isArray(actual)) return `${at(path)}: expected an array, got ${show(actual)}`
    if (actual.length !== pattern.length) return `${at(path)}: expected ${pattern.length} items, got ${actual.length}: ${show(actual)}`
    for (let i = 0; i < pattern.length; i++) {
      const problem = mismatch(actual[i], pattern[i], `${path}/${i}`)
      if (problem !== undefined) return problem
    }
    return undefined
  }
  for (const key of Object.keys(pattern)) {
    const wanted = pattern[key]
    if (wanted === undefined) {
      if (actual[key] !== undefined) return `${path}/${key}: expected no value, got ${show(actual[key])}`
      continue
    }
    if (!(key in actual)) return `${at(path)}: missing key ${key} in ${show(actual)}`
    const problem = mismatch(actual[key], wanted, `${path}/${key}`)
    if (problem !== undefined) return problem
  }
  return undefined
}
