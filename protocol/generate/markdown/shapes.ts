// Shared types and object shapes for PROTOCOL.md. A bounded primitive or a
// shared object (Name, RoomName, ChatMessage, RoomState …) is defined once in
// §14 and referred to by name everywhere else, so each rule is written once
// instead of once per frame that carries the field. A field is recognised as a
// shared type when its plain JSON Schema equals that type's, description
// included: a field that narrows or re-describes a type keeps its own note.
import type { TSchema } from 'typebox'
import { DeviceLabel, DmConversation, FoundUser, Password, SessionId, SessionInfo } from '../../frames/account.ts'
import { ErrorCodeSchema } from '../../frames/error.ts'
import { SearchCursor, SearchHit } from '../../frames/message-life.ts'
import { Restriction } from '../../frames/moderation.ts'
import { Namespace, NamespaceLimits, NamespaceName } from '../../frames/namespace.ts'
import { ResumeOutcome, RoomState } from '../../frames/room.ts'
import { DirectoryCursor, DirectoryEntry, RoomRole, Topic } from '../../frames/room-admin.ts'
import { InboxState, JoinSpec, Limits } from '../../frames/session.ts'
import {
  ChatMessage,
  ClientMessageId,
  ConnectionId,
  DirectMessage,
  Emoji,
  Epoch,
  Member,
  MessageId,
  Name,
  Position,
  Reaction,
  Reason,
  ReplyRef,
  RequestId,
  RoomEvent,
  RoomName,
  Seq,
  SessionKey,
  TargetSeq,
  Text,
  Timestamp,
  Token,
  Until,
  UserId,
} from '../../primitives.ts'
import type { Json } from '../canonical-json.ts'
import { plainSchema } from '../json-schema.ts'

export type Schema = { [key: string]: Json }

/** A named type of §14 (or §13 for `Limits`). */
export interface SharedType {
  name: string
  schema: TSchema
  /** Section whose generated region defines it. */
  section: '13' | '14'
}

/** Every shared type, in the order §14 lists them: primitives, then objects. */
export const SHARED_TYPES: readonly SharedType[] = [
  ...Object.entries({
    RequestId,
    Name,
    RoomName,
    Text,
    UserId,
    ConnectionId,
    MessageId,
    ClientMessageId,
    Seq,
    Epoch,
    Timestamp,
    SessionKey,
    Token,
    ErrorCode: ErrorCodeSchema,
    Password,
    SessionId,
    DeviceLabel,
    NamespaceName,
    RoomRole,
    Topic,
    DirectoryCursor,
    TargetSeq,
    Emoji,
    Reason,
    Until,
    SearchCursor,
  }).map(([name, schema]) => ({ name, schema, section: '14' as const })),
  ...Object.entries({
    Position,
    JoinSpec,
    Member,
    ChatMessage,
    DirectMessage,
    ResumeOutcome,
    RoomState,
    InboxState,
    SessionInfo,
    DmConversation,
    FoundUser,
    Namespace,
    NamespaceLimits,
    DirectoryEntry,
    RoomEvent,
    ReplyRef,
    Reaction,
    Restriction,
    SearchHit,
  }).map(([name, schema]) => ({
    name,
    schema,
    section: '14' as const,
  })),
  { name: 'Limits', schema: Limits, section: '13' },
]

/** The HTML anchor of a shared type. */
export const typeAnchor = (name: string): string => `type-${name.toLowerCase()}`

const isSchema = (v: Json | undefined): v is Schema => v !== null && typeof v === 'object' && !Array.isArray(v)

let byJson: Map<string, string> | undefined
/** The shared type a schema is, if any. */
export function sharedName(schema: Schema): string | undefined {
  byJson ??= new Map(SHARED_TYPES.map((t) => [JSON.stringify(plainSchema(t.schema)), t.name]))
  return byJson.get(JSON.stringify(schema))
}

/** Literal values of a schema that is a `const`, an `enum`, or an `anyOf` of consts. */
export function literalValues(schema: Schema): Json[] | undefined {
  if ('const' in schema) return [schema.const!]
  if (Array.isArray(schema.enum)) return schema.enum
  if (Array.isArray(schema.anyOf) && schema.anyOf.every((s) => isSchema(s) && 'const' in s)) return schema.anyOf.map((s) => (s as Schema).const!)
  return undefined
}

const code = (s: string): string => `\`${s}\``

function range(min: Json | undefined, max: Json | undefined, unit: string): string | undefined {
  if (typeof min === 'number' && typeof max === 'number') return min === max ? `exactly ${max}${unit}` : `${min}–${max}${unit}`
  if (typeof min === 'number') return `≥ ${min}${unit}`
  if (typeof max === 'number') return `≤ ${max}${unit}`
  return undefined
}

/** The validation rules of a schema as short phrases (literals left to the type expression unless asked). */
export function rulesOf(schema: Schema, withLiterals = true): string[] {
  const rules: string[] = []
  const literals = literalValues(schema)
  if (withLiterals && literals !== undefined) {
    rules.push(literals.length === 1 ? `always ${code(JSON.stringify(literals[0]))}` : `one of ${literals.map((v) => code(JSON.stringify(v))).join(', ')}`)
  }
  const length = range(schema.minLength, schema.maxLength, ' characters')
  if (length) rules.push(length)
  if (typeof schema.pattern === 'string') rules.push(`pattern ${code(schema.pattern)}`)
  const bounds = range(schema.minimum, schema.maximum, '')
  if (bounds) rules.push(bounds)
  const items = range(schema.minItems, schema.maxItems, ' items')
  if (items) rules.push(items)
  return rules
}

/** JSON type name of a schema without literals. */
function jsonType(schema: Schema): string {
  if (typeof schema.type === 'string') return schema.type
  if (Array.isArray(schema.type)) return schema.type.join(' | ')
  return 'any'
}

/**
 * The type of a field as written in a shape: a shared type's name, literal
 * values, `T[]` for arrays, else the JSON type. An inline object that is not
 * a shared type is refused: give it a name in SHARED_TYPES so it is described once.
 */
export function typeExpr(schema: Schema, where: string): string {
  const shared = sharedName(schema)
  if (shared !== undefined) return shared
  const literals = literalValues(schema)
  if (literals !== undefined) return literals.map((v) => JSON.stringify(v)).join(' | ')
  if (schema.type === 'array') return `${isSchema(schema.items) ? typeExpr(schema.items, `${where}[]`) : 'any'}[]`
  if (schema.type === 'object') throw new Error(`${where}: inline object; add it to SHARED_TYPES`)
  return jsonType(schema)
}

/** One note on a field that is not fully described by its type expression, or undefined. */
function fieldNote(name: string, schema: Schema): string | undefined {
  if (sharedName(schema) !== undefined) return undefined
  const parts = rulesOf(schema, false)
  if (schema.type === 'array' && isSchema(schema.items) && sharedName(schema.items) === undefined) {
    const itemRules = rulesOf(schema.items, false)
    if (itemRules.length > 0) parts.push(`each item ${itemRules.join(', ')}`)
  }
  const text = [parts.join(', '), typeof schema.description === 'string' ? schema.description : ''].filter(Boolean).join('. ')
  return text === '' ? undefined : `- ${code(name)}: ${text.replace(/\n/g, ' ')}`
}

/** An object schema as one line of fields (`name?: Type`) and notes on the fields a type name does not cover. */
export function renderShape(schema: Schema, where: string): string {
  const properties = isSchema(schema.properties) ? schema.properties : {}
  const required = new Set(Array.isArray(schema.required) ? schema.required : [])
  const fields: string[] = []
  const notes: string[] = []
  for (const [name, child] of Object.entries(properties)) {
    if (!isSchema(child)) continue
    fields.push(`${name}${required.has(name) ? '' : '?'}: ${typeExpr(child, `${where}.${name}`)}`)
    const note = fieldNote(name, child)
    if (note !== undefined) notes.push(note)
  }
  const shape = fields.length === 0 ? '`{}`' : `\`{ ${fields.join(', ')} }\``
  return [shape, ...(notes.length > 0 ? ['', ...notes] : [])].join('\n')
}

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ')

/** The branches of a union whose every branch is an object (RoomEvent, SearchHit), or undefined. */
function objectBranches(schema: Schema): Schema[] | undefined {
  const branches = schema.anyOf
  if (!Array.isArray(branches) || branches.length === 0) return undefined
  return branches.every((b) => isSchema(b) && b.type === 'object') ? (branches as Schema[]) : undefined
}

/** One shared object type: anchor, name, description and shape (for a union, each branch's). */
export function renderObjectType(t: SharedType): string {
  const schema = plainSchema(t.schema)
  const description = typeof schema.description === 'string' ? ` — ${schema.description}` : ''
  const heading = `<a id="${typeAnchor(t.name)}"></a>**${code(t.name)}**${description}`
  const branches = objectBranches(schema)
  if (branches === undefined) return [heading, '', renderShape(schema, t.name)].join('\n')
  const items = branches.map((branch, i) => {
    const [shape, ...notes] = renderShape(branch, `${t.name}|${i}`).split('\n')
    const about = typeof branch.description === 'string' ? ` — ${branch.description}` : ''
    return [`- ${shape}${about}`, ...notes.filter((n) => n !== '').map((n) => `  ${n}`)].join('\n')
  })
  return [heading, '', 'One of:', '', ...items].join('\n')
}

/** §14: the primitives as one table, then each shared object type. */
export function renderSharedTypes(): string {
  const own = SHARED_TYPES.filter((t) => t.section === '14')
  const isObject = (t: SharedType) => plainSchema(t.schema).type === 'object' || objectBranches(plainSchema(t.schema)) !== undefined
  const primitives = own.filter((t) => !isObject(t))
  const objects = own.filter(isObject)
  const rows = primitives.map((t) => {
    const schema = plainSchema(t.schema)
    const literals = literalValues(schema)
    const type = literals !== undefined ? [...new Set(literals.map((v) => typeof v))].join(' | ') : jsonType(schema)
    const description = typeof schema.description === 'string' ? schema.description : ''
    return `| <a id="${typeAnchor(t.name)}"></a>${code(t.name)} | ${type} | ${cell(rulesOf(schema).join('; '))} | ${cell(description)} |`
  })
  return ['| Type | JSON | Rules | Meaning |', '| --- | --- | --- | --- |', ...rows, '', ...objects.flatMap((t) => [renderObjectType(t), ''])].join('\n').trimEnd()
}
