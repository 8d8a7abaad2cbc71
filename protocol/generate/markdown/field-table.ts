// The field table of a frame, read from its plain JSON Schema: one row per
// field, nested objects and array items flattened to dotted paths
// (`rooms[].since.seq`), so a reader in any language sees every rule.
import type { Json } from '../canonical-json.ts'

type Schema = { [key: string]: Json }

/** One row of a field table. */
export interface FieldRow {
  path: string
  type: string
  required: boolean
  rules: string[]
  description: string
}

const isSchema = (v: Json | undefined): v is Schema => v !== null && typeof v === 'object' && !Array.isArray(v)

/** Literal values of a schema that is a `const`, an `enum`, or an `anyOf` of consts. */
export function literalValues(schema: Schema): Json[] | undefined {
  if ('const' in schema) return [schema.const!]
  if (Array.isArray(schema.enum)) return schema.enum
  if (Array.isArray(schema.anyOf) && schema.anyOf.every((s) => isSchema(s) && 'const' in s)) return schema.anyOf.map((s) => (s as Schema).const!)
  return undefined
}

function typeName(schema: Schema): string {
  const literals = literalValues(schema)
  if (literals !== undefined) {
    const kinds = [...new Set(literals.map((v) => (Number.isInteger(v) ? 'integer' : typeof v)))]
    return kinds.join(' | ')
  }
  if (schema.type === 'array') {
    const items = schema.items
    return `array of ${isSchema(items) ? typeName(items) : 'any'}`
  }
  if (typeof schema.type === 'string') return schema.type
  if (Array.isArray(schema.type)) return schema.type.join(' | ')
  return 'any'
}

const code = (s: string): string => `\`${s}\``

function range(min: Json | undefined, max: Json | undefined, unit: string): string | undefined {
  if (typeof min === 'number' && typeof max === 'number') return min === max ? `exactly ${max}${unit}` : `${min}–${max}${unit}`
  if (typeof min === 'number') return `≥ ${min}${unit}`
  if (typeof max === 'number') return `≤ ${max}${unit}`
  return undefined
}

/** The validation rules of a schema, as short phrases. */
export function rulesOf(schema: Schema): string[] {
  const rules: string[] = []
  const literals = literalValues(schema)
  if (literals !== undefined) rules.push(literals.length === 1 ? `always ${code(JSON.stringify(literals[0]))}` : `one of ${literals.map((v) => code(JSON.stringify(v))).join(', ')}`)
  const length = range(schema.minLength, schema.maxLength, ' characters')
  if (length) rules.push(length)
  if (typeof schema.pattern === 'string') rules.push(`pattern ${code(schema.pattern)}`)
  const bounds = range(schema.minimum, schema.maximum, '')
  if (bounds) rules.push(bounds)
  const items = range(schema.minItems, schema.maxItems, ' items')
  if (items) rules.push(items)
  return rules
}

function walk(schema: Schema, prefix: string, rows: FieldRow[]): void {
  const properties = isSchema(schema.properties) ? schema.properties : {}
  const required = new Set(Array.isArray(schema.required) ? schema.required : [])
  for (const [name, child] of Object.entries(properties)) {
    if (!isSchema(child)) continue
    const path = `${prefix}${name}`
    const description = typeof child.description === 'string' ? child.description : path === 'type' ? 'Frame type.' : ''
    rows.push({ path, type: typeName(child), required: required.has(name), rules: rulesOf(child), description })
    if (child.type === 'object') walk(child, `${path}.`, rows)
    if (child.type === 'array' && isSchema(child.items)) {
      const items = child.items
      if (items.type === 'object') walk(items, `${path}[].`, rows)
      else {
        const itemRules = rulesOf(items)
        if (itemRules.length > 0) rows.push({ path: `${path}[]`, type: typeName(items), required: false, rules: itemRules, description: typeof items.description === 'string' ? items.description : 'Each item.' })
      }
    }
  }
}

/** Rows for every field of an object schema, depth first, in declared order. */
export function fieldRows(schema: Schema): FieldRow[] {
  const rows: FieldRow[] = []
  walk(schema, '', rows)
  return rows
}

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ')

/** A Markdown table of the fields of an object schema. */
export function fieldTable(schema: Schema): string {
  const rows = fieldRows(schema)
  if (rows.length === 0) return '_No fields._'
  const lines = ['| Field | Type | Required | Rules | Description |', '| --- | --- | --- | --- | --- |']
  for (const r of rows) lines.push(`| ${code(r.path)} | ${cell(r.type)} | ${r.required ? 'yes' : 'no'} | ${cell(r.rules.join('; '))} | ${cell(r.description)} |`)
  return lines.join('\n')
}
