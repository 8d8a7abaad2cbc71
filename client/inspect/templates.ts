// Schema-driven completion for the composer: a template per client frame type,
// with required fields filled by placeholders that pass the schema where a
// generic value can (so a template sent as-is is a valid frame), and the
// optional fields listed with their descriptions for the user to add.
import { type FrameSchema, frameSchemas } from './validate.ts'

/** One field of a frame, for the composer's field list. */
export interface FieldInfo {
  name: string
  required: boolean
  description: string
}

/** A client frame type with its purpose, for the type list. */
export interface TypeInfo {
  type: string
  description: string
}

/** Every client frame type, in the registry's order. */
export function clientTypes(): TypeInfo[] {
  return [...frameSchemas('out')].map(([type, schema]) => ({ type, description: schema.description ?? '' }))
}

/** The fields of a client frame type (without `type`), required first; empty for an unknown type. */
export function fieldsOf(type: string): FieldInfo[] {
  const schema = frameSchemas('out').get(type)
  if (schema?.properties === undefined) return []
  const required = new Set(schema.required ?? [])
  const fields = Object.entries(schema.properties)
    .filter(([name]) => name !== 'type')
    .map(([name, prop]) => ({ name, required: required.has(name), description: prop.description ?? '' }))
  return [...fields.filter((f) => f.required), ...fields.filter((f) => !f.required)]
}

/** A value that stands for the field `name` and satisfies `schema` where a generic one can. */
export function placeholder(name: string, schema: FrameSchema): unknown {
  if (schema.const !== undefined) return schema.const
  if (schema.anyOf !== undefined && schema.anyOf.length > 0) return placeholder(name, schema.anyOf[0]!)
  switch (schema.type) {
    case 'string': {
      // The field's name is a readable placeholder and fits most patterns (room, name, text, user id);
      // padded to the minimum length, which is all a secret such as `session` asks of its shape.
      let text = name.replace(/[^A-Za-z0-9_-]/g, '') || 'x'
      if (schema.minLength !== undefined && text.length < schema.minLength) text = text.padEnd(schema.minLength, 'x')
      if (schema.maxLength !== undefined) text = text.slice(0, schema.maxLength)
      return text
    }
    case 'integer':
    case 'number':
      return schema.minimum ?? 0
    case 'boolean':
      return false
    case 'array':
      return schema.items !== undefined && (schema.minItems ?? 0) > 0 ? Array.from({ length: schema.minItems! }, () => placeholder(name, schema.items!)) : []
    case 'object': {
      const out: Record<string, unknown> = {}
      for (const key of schema.required ?? []) {
        const prop = schema.properties?.[key]
        if (prop !== undefined) out[key] = placeholder(key, prop)
      }
      return out
    }
    default:
      return null
  }
}

/** The value to insert for one field of a frame type (undefined when the type or field is unknown). */
export function fieldPlaceholder(type: string, field: string): unknown {
  const prop = frameSchemas('out').get(type)?.properties?.[field]
  return prop === undefined ? undefined : placeholder(field, prop)
}

/**
 * A frame of `type` with `type`, the request `id` (so the reply can be matched)
 * and every required field; undefined for a type that is not a client frame.
 */
export function template(type: string, id: string): Record<string, unknown> | undefined {
  const schema = frameSchemas('out').get(type)
  if (schema === undefined) return undefined
  const frame: Record<string, unknown> = { type, id }
  for (const key of schema.required ?? []) {
    const prop = schema.properties?.[key]
    if (key !== 'type' && prop !== undefined) frame[key] = placeholder(key, prop)
  }
  return frame
}
