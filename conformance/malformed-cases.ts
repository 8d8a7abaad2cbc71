// Bad frames for the malformed-input checks: hand-written tables plus frames
// built from fast-check samples drawn with a fixed seed (stored in
// malformed-samples.ts, so the kit needs no fast-check at run time), each
// with the error it must get. Expectations are written by construction (a
// missing field is bad-frame, …); a check also compares them with the
// protocol package's own schemas, so a generator mistake cannot pass as a
// server bug.
import { ClientFrames, type ClientFrameType, type ErrorCode } from '@wirechat/protocol'
import { SAMPLES } from './malformed-samples.ts'

/** Where a frame is sent: before login, or on a logged-in connection in the watched room. */
export type Phase = 'pre' | 'post' | 'any'

export interface BadFrame {
  /** Category, shown in the test name. */
  kind: string
  /** Exact text sent. */
  text: string
  code: ErrorCode
  /** The id the error must echo; undefined: the error must carry none. */
  id: string | undefined
  phase: Phase
}

export interface CaseContext {
  /** The room the logged-in lanes and the bystander are in. */
  room: string
  /** A userId that exists (the attacker's own). */
  knownUser: string
  maxTextChars: number
  maxNameChars: number
}

/** The stored samples of one draw (see malformed-samples.ts). */
const sample = <T>(salt: number): T[] => SAMPLES[salt] as T[]

/** An id the server can read and must echo: 1–64 printable ASCII characters. */
const READABLE = /^[\x21-\x7E]{1,64}$/

let counter = 0
const nextId = (): string => `m${(counter++).toString(36)}`

/** A valid example of each client frame (the starting point of mutations). */
export const valid: Record<ClientFrameType, Record<string, unknown>> = {
  login: { name: 'valid-name', rooms: [{ room: 'lobby', since: { epoch: 'e1', seq: 0 } }] },
  rename: { name: 'valid-name' },
  logout: {},
  ping: {},
  'join-room': { room: 'some-room', since: { epoch: 'e1', seq: 1 } },
  'leave-room': { room: 'some-room' },
  presence: { room: 'some-room' },
  typing: { room: 'some-room', typing: true },
  chat: { room: 'some-room', text: 'hello', clientMsgId: 'abcdefgh1' },
  history: { room: 'some-room', before: 5, limit: 10 },
  dm: { to: 'u_someone', text: 'hi', clientMsgId: 'abcdefgh2' },
  register: { password: 'a valid password' },
  'change-password': { password: 'a valid password', newPassword: 'another password' },
  'delete-account': { password: 'a valid password' },
  sessions: {},
  'revoke-session': { sessionId: 'abc123' },
  'find-users': { prefix: 'an', limit: 5 },
  'dm-read': { userId: 'u_someone', seq: 1 },
  'dm-typing': { to: 'u_someone', typing: true },
  'dm-history': { userId: 'u_someone', before: 5, limit: 10 },
  'room-info': { room: 'some-room' },
  'set-room': { room: 'some-room', topic: 'a topic', public: true },
  'set-role': { room: 'some-room', userId: 'u_someone', role: 'moderator' },
  invite: { room: 'some-room', userId: 'u_someone' },
  'list-rooms': { namespace: 'chat', prefix: 'a', cursor: 'abc', limit: 10 },
  edit: { room: 'some-room', seq: 3, text: 'hello, fixed' },
  delete: { room: 'some-room', seq: 3 },
  react: { room: 'some-room', seq: 3, emoji: '👍', on: true },
  read: { room: 'some-room', seq: 3 },
  search: { query: 'release notes', room: 'some-room', cursor: 'abc', limit: 10 },
  kick: { room: 'some-room', userId: 'u_someone', reason: 'spam' },
  ban: { room: 'some-room', userId: 'u_someone', durationMs: 60000, reason: 'spam' },
  unban: { room: 'some-room', userId: 'u_someone' },
  mute: { room: 'some-room', userId: 'u_someone', durationMs: 60000, reason: 'flood' },
  unmute: { room: 'some-room', userId: 'u_someone' },
  restrictions: { room: 'some-room' },
  block: { userId: 'u_someone' },
  unblock: { userId: 'u_someone' },
}

type Kind = 'string' | 'integer' | 'boolean' | 'object' | 'array'
/** The kind of every field of every client frame (id included). */
const fieldKinds: Record<ClientFrameType, Record<string, Kind>> = {
  login: { id: 'string', name: 'string', session: 'string', token: 'string', rooms: 'array', inbox: 'object', password: 'string', device: 'string' },
  rename: { id: 'string', name: 'string' },
  logout: { id: 'string' },
  ping: { id: 'string' },
  'join-room': { id: 'string', room: 'string', since: 'object' },
  'leave-room': { id: 'string', room: 'string' },
  presence: { id: 'string', room: 'string' },
  typing: { id: 'string', room: 'string', typing: 'boolean' },
  chat: { id: 'string', room: 'string', text: 'string', clientMsgId: 'string' },
  history: { id: 'string', room: 'string', before: 'integer', after: 'integer', limit: 'integer' },
  dm: { id: 'string', to: 'string', text: 'string', clientMsgId: 'string' },
  register: { id: 'string', password: 'string' },
  'change-password': { id: 'string', password: 'string', newPassword: 'string' },
  'delete-account': { id: 'string', password: 'string' },
  sessions: { id: 'string' },
  'revoke-session': { id: 'string', sessionId: 'string' },
  'find-users': { id: 'string', prefix: 'string', limit: 'integer' },
  'dm-read': { id: 'string', userId: 'string', seq: 'integer' },
  'dm-typing': { id: 'string', to: 'string', typing: 'boolean' },
  'dm-history': { id: 'string', userId: 'string', before: 'integer', limit: 'integer' },
  'room-info': { id: 'string', room: 'string' },
  'set-room': { id: 'string', room: 'string', topic: 'string', public: 'boolean' },
  'set-role': { id: 'string', room: 'string', userId: 'string', role: 'string' },
  invite: { id: 'string', room: 'string', userId: 'string' },
  'list-rooms': { id: 'string', namespace: 'string', prefix: 'string', cursor: 'string', limit: 'integer' },
  edit: { id: 'string', room: 'string', seq: 'integer', text: 'string' },
  delete: { id: 'string', room: 'string', seq: 'integer' },
  react: { id: 'string', room: 'string', seq: 'integer', emoji: 'string', on: 'boolean' },
  read: { id: 'string', room: 'string', seq: 'integer' },
  search: { id: 'string', query: 'string', room: 'string', cursor: 'string', limit: 'integer' },
  kick: { id: 'string', room: 'string', userId: 'string', reason: 'string' },
  ban: { id: 'string', room: 'string', userId: 'string', durationMs: 'integer', reason: 'string' },
  unban: { id: 'string', room: 'string', userId: 'string' },
  mute: { id: 'string', room: 'string', userId: 'string', durationMs: 'integer', reason: 'string' },
  unmute: { id: 'string', room: 'string', userId: 'string' },
  restrictions: { id: 'string', room: 'string' },
  block: { id: 'string', userId: 'string' },
  unblock: { id: 'string', userId: 'string' },
}
const required: Record<ClientFrameType, string[]> = {
  login: [],
  rename: ['name'],
  logout: [],
  ping: [],
  'join-room': ['room'],
  'leave-room': ['room'],
  presence: ['room'],
  typing: ['room', 'typing'],
  chat: ['room', 'text'],
  history: ['room'],
  dm: ['to', 'text'],
  register: ['password'],
  'change-password': ['password', 'newPassword'],
  'delete-account': ['password'],
  sessions: [],
  'revoke-session': ['sessionId'],
  'find-users': ['prefix'],
  'dm-read': ['userId', 'seq'],
  'dm-typing': ['to', 'typing'],
  'dm-history': ['userId'],
  'room-info': ['room'],
  'set-room': ['room'],
  'set-role': ['room', 'userId', 'role'],
  invite: ['room', 'userId'],
  'list-rooms': [],
  edit: ['room', 'seq', 'text'],
  delete: ['room', 'seq'],
  react: ['room', 'seq', 'emoji'],
  read: ['room', 'seq'],
  search: ['query'],
  kick: ['room', 'userId'],
  ban: ['room', 'userId'],
  unban: ['room', 'userId'],
  mute: ['room', 'userId'],
  unmute: ['room', 'userId'],
  restrictions: ['room'],
  block: ['userId'],
  unblock: ['userId'],
}
const wrongValues: Record<Kind, unknown[]> = {
  string: [null, 0, 1.5, true, [], {}, ['x']],
  integer: [null, '3', 1.5, true, [], {}, -1],
  boolean: [null, 0, 1, 'true', [], {}],
  object: [null, 1, 'x', [], true],
  array: [null, {}, 'lobby', 1, true],
}

export const TYPES = Object.keys(ClientFrames) as ClientFrameType[]

/** Each valid example as the text of a frame with id "cut": truncated, they are invalid JSON. */
export const validTexts = TYPES.map((type) => JSON.stringify({ type, id: 'cut', ...valid[type] }))

/** Characters chat and DM text may not hold. */
export const textForbidden = [
  '\u0000',
  '\u0007',
  '\u0008',
  '\u000b',
  '\u000c',
  '\u000d',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u009f',
  '\u202a',
  '\u202b',
  '\u202c',
  '\u202d',
  '\u202e',
  '\u2066',
  '\u2067',
  '\u2068',
  '\u2069',
]
/** Characters names may not hold, on top of those. */
export const nameForbidden = [...textForbidden, '\n', '\t', '\u200b', '\u200e', '\u200f', '\ufeff', '@', '#', '<', '>', '/', '"', '😀', '\u00a0']

/** Passed as the id: the frame has no `id` member. */
const NO_ID = Symbol('no id')

/** A frame object as text, with an id (any JSON value, or NO_ID) and optional raw members appended. */
function frameText(type: unknown, fields: Record<string, unknown>, id: unknown = nextId(), raw: string[] = []): { text: string; id: string | undefined } {
  const frame: Record<string, unknown> = { type, ...fields }
  if (id !== NO_ID) frame.id = id
  let text = JSON.stringify(frame)
  if (raw.length > 0) text = `${text.slice(0, -1)},${raw.join(',')}}`
  const readable = typeof frame.id === 'string' && READABLE.test(frame.id) ? frame.id : undefined
  return { text, id: readable }
}

function add(out: BadFrame[], kind: string, code: ErrorCode, phase: Phase, built: { text: string; id: string | undefined }): void {
  out.push({ kind, code, phase, ...built })
}

/** Every bad frame of the test, in a fixed order. */
export function buildCases(ctx: CaseContext): BadFrame[] {
  counter = 0
  const out: BadFrame[] = []

  // ---- invalid JSON: bad-json, never an id ---------------------------------
  const notJson = [
    '',
    ' ',
    '{',
    '}',
    '{"type":"ping"',
    '{"type":"ping",}',
    "{'type':'ping'}",
    '{type:"ping"}',
    'ping',
    'undefined',
    'NaN',
    '[1,2',
    '{"id":"x1" "type":"ping"}',
    '\u0000',
    '{"type":"ping"}garbage',
    '{"a":1}{"b":2}',
    '"unterminated',
    '{"type":"ping","id":"x",}',
    '\uFEFF{"type":"ping"}',
    '{"type":"ping","id":"a\\q"}',
    '{"type":"ping","id":"\\ud800"',
    '--',
    '{"type":"ping"}\u0000',
  ]
  for (const text of notJson) out.push({ kind: 'invalid JSON', text, code: 'bad-json', id: undefined, phase: 'any' })
  const truncated = sample<[string, number]>(1).map(([text, n]) => text.slice(0, 1 + (n % (text.length - 1))))
  const randomText = sample<string>(2)
  for (const text of [...truncated, ...randomText]) {
    if (isJson(text)) continue
    out.push({ kind: 'invalid JSON', text, code: 'bad-json', id: undefined, phase: 'any' })
  }

  // ---- JSON that is not an object: bad-json -------------------------------
  const nonObjects = ['null', 'true', 'false', '0', '-1.5e3', '"ping"', '[]', '[{"type":"ping","id":"arr"}]', '[null]', '""']
  for (const text of nonObjects) out.push({ kind: 'non-object JSON', text, code: 'bad-json', id: undefined, phase: 'any' })
  const nonObjectValues = sample<unknown>(3)
  for (const value of nonObjectValues) out.push({ kind: 'non-object JSON', text: JSON.stringify(value), code: 'bad-json', id: undefined, phase: 'any' })

  // ---- unknown or missing type: unknown-type ------------------------------
  const badTypes: unknown[] = [
    'PING',
    'Ping',
    ' ping',
    'ping ',
    'welcome',
    'pong',
    'login-ok',
    'chat-ok',
    'error',
    'alarm',
    'join',
    'message',
    '',
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    'hasOwnProperty',
    'valueOf',
    'login\u0000',
    'chat\u202e',
    1,
    0,
    null,
    true,
    {},
    [],
    ['ping'],
    { type: 'ping' },
  ]
  for (const type of badTypes) add(out, 'unknown type', 'unknown-type', 'any', frameText(type, {}))
  add(out, 'unknown type', 'unknown-type', 'any', frameText(undefined, { room: 'lobby' }))
  add(out, 'unknown type', 'unknown-type', 'any', { text: '{}', id: undefined })
  add(out, 'unknown type', 'unknown-type', 'any', { text: '{"id":"no-type"}', id: 'no-type' })
  const genTypes = sample<string>(4)
  const genIds = sample<string>(5)
  genTypes.forEach((type, i) => add(out, 'unknown type', 'unknown-type', 'any', frameText(type, {}, genIds[i])))

  // ---- missing required fields: bad-frame ---------------------------------
  for (const type of TYPES) {
    for (const field of required[type]) {
      const fields = { ...valid[type] }
      delete fields[field]
      add(out, 'missing field', 'bad-frame', 'any', frameText(type, fields))
    }
  }
  add(out, 'missing field', 'bad-frame', 'any', frameText('login', { rooms: [{ since: { epoch: 'e', seq: 1 } }] }))
  add(out, 'missing field', 'bad-frame', 'any', frameText('login', { rooms: [{}] }))
  add(out, 'missing field', 'bad-frame', 'any', frameText('join-room', { room: 'x', since: { epoch: 'e' } }))
  add(out, 'missing field', 'bad-frame', 'any', frameText('join-room', { room: 'x', since: { seq: 1 } }))
  add(out, 'missing field', 'bad-frame', 'any', frameText('join-room', { room: 'x', since: {} }))
  add(out, 'missing field', 'bad-frame', 'any', frameText('login', { inbox: { epoch: 'e' } }))
  add(out, 'missing field', 'bad-frame', 'any', frameText('login', { inbox: { seq: 0 } }))

  // ---- extra fields, prototype keys included: bad-frame -------------------
  const extraKeys = ['extra', 'userId', 'from', 'seq', 'msgId', 'ts', 'duplicate', 'ID', 'Type', 'members', 'retryable', 'code']
  for (const type of TYPES) {
    for (const key of extraKeys) if (!Object.hasOwn(fieldKinds[type], key)) add(out, 'extra field', 'bad-frame', 'any', frameText(type, { ...valid[type], [key]: 'x' }))
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      add(out, 'prototype key', 'bad-frame', 'any', frameText(type, valid[type], nextId(), [`${JSON.stringify(key)}:{"isAdmin":true,"type":"login"}`]))
    }
  }
  for (const key of ['__proto__', 'constructor', 'prototype']) {
    add(out, 'prototype key', 'bad-frame', 'any', frameText('login', {}, nextId(), [`"rooms":[{"room":"lobby",${JSON.stringify(key)}:{"polluted":1}}]`]))
    add(out, 'prototype key', 'bad-frame', 'any', frameText('join-room', { room: 'x' }, nextId(), [`"since":{"epoch":"e","seq":1,${JSON.stringify(key)}:null}`]))
    add(out, 'prototype key', 'bad-frame', 'any', frameText('chat', { room: 'x', text: 'x' }, nextId(), [`${JSON.stringify(key)}:null`]))
    add(out, 'prototype key', 'bad-frame', 'any', frameText('login', {}, nextId(), [`"inbox":{"epoch":"e","seq":0,${JSON.stringify(key)}:{}}`]))
  }
  const genExtraKeys = sample<string>(6)
  genExtraKeys.forEach((key, i) => {
    const type = TYPES[i % TYPES.length]!
    if (Object.hasOwn(fieldKinds[type], key) || key === 'type') return
    add(out, 'extra field', 'bad-frame', 'any', frameText(type, { ...valid[type], [key]: i }))
  })

  // ---- wrong-typed fields: bad-frame (id echoed only when readable) -------
  for (const type of TYPES) {
    for (const [field, kind] of Object.entries(fieldKinds[type])) {
      for (const value of wrongValues[kind]) {
        if (field === 'id') add(out, 'wrong type', 'bad-frame', 'any', frameText(type, valid[type], value))
        else add(out, 'wrong type', 'bad-frame', 'any', frameText(type, { ...valid[type], [field]: value }))
      }
    }
  }
  for (const rooms of [['lobby'], [null], [1], [[]], [{ room: 1 }], [{ room: 'lobby', since: 5 }], [{ room: 'lobby', since: { epoch: 1, seq: 1 } }]]) {
    add(out, 'wrong type', 'bad-frame', 'any', frameText('login', { rooms }))
  }
  const ranges: Array<[ClientFrameType, Record<string, unknown>]> = [
    ['history', { room: 'x', limit: 0 }],
    ['history', { room: 'x', limit: 1001 }],
    ['history', { room: 'x', limit: -5 }],
    ['history', { room: 'x', before: 0 }],
    ['history', { room: 'x', after: -1 }],
    ['history', { room: 'x', before: 2.5 }],
    ['join-room', { room: 'x', since: { epoch: 'e', seq: -1 } }],
    ['join-room', { room: 'x', since: { epoch: 'e', seq: 0.5 } }],
    ['join-room', { room: 'x', since: { epoch: 'e', seq: 2 ** 53 } }],
    ['join-room', { room: 'x', since: { epoch: '', seq: 1 } }],
    ['edit', { room: 'x', seq: 0, text: 'x' }],
    ['delete', { room: 'x', seq: -3 }],
    ['react', { room: 'x', seq: 1.5, emoji: '👍' }],
    ['read', { room: 'x', seq: 2 ** 53 }],
    ['search', { query: 'x', limit: 0 }],
    ['search', { query: 'x', limit: 51 }],
    ['ban', { room: 'x', userId: 'u1', durationMs: 999 }],
    ['mute', { room: 'x', userId: 'u1', durationMs: 366 * 24 * 3600 * 1000 + 1 }],
  ]
  for (const [type, fields] of ranges) add(out, 'out-of-range number', 'bad-frame', 'any', frameText(type, fields))
  // ids that cannot be echoed: the error carries none.
  for (const id of ['', 'has space', 'é', 'x'.repeat(65), 'tab\there', 'nul\u0000', '\u202eevil']) add(out, 'unreadable id', 'bad-frame', 'any', frameText('ping', {}, id))

  // ---- oversized strings and arrays: bad-frame ----------------------------
  const over = (n: number, c = 'a') => c.repeat(n + 1)
  const oversized: Array<[ClientFrameType, Record<string, unknown>]> = [
    ['login', { name: over(ctx.maxNameChars) }],
    ['rename', { name: over(ctx.maxNameChars) }],
    ['rename', { name: `${'a'.repeat(ctx.maxNameChars - 1)}é`.padEnd(ctx.maxNameChars + 1, 'é') }],
    ['join-room', { room: over(ctx.maxNameChars) }],
    ['chat', { room: over(ctx.maxNameChars), text: 'x' }],
    ['chat', { room: 'x', text: over(ctx.maxTextChars) }],
    ['dm', { to: 'u1', text: over(ctx.maxTextChars) }],
    // Not '😀' × 1001: 2002 UTF-16 units as Limits documents, but 1001 code points, which is what the schema's maxLength counts (reported).
    ['chat', { room: 'x', text: over(ctx.maxTextChars, 'é') }],
    ['chat', { room: 'x', text: 'x', clientMsgId: over(64) }],
    ['chat', { room: 'x', text: 'x', clientMsgId: 'short' }],
    ['dm', { to: over(64), text: 'x' }],
    ['dm', { to: '', text: 'x' }],
    ['chat', { room: 'x', text: '' }],
    ['rename', { name: '' }],
    ['login', { session: over(128) }],
    ['login', { session: 'a'.repeat(15) }],
    ['login', { token: over(4096) }],
    ['login', { token: '' }],
    ['join-room', { room: 'x', since: { epoch: over(64), seq: 1 } }],
    ['login', { rooms: Array.from({ length: 65 }, (_, i) => ({ room: `r${i}` })) }],
    ['edit', { room: 'x', seq: 1, text: over(ctx.maxTextChars) }],
    ['edit', { room: 'x', seq: 1, text: '' }],
    ['search', { query: over(200) }],
    ['search', { query: '' }],
    ['search', { query: 'x', cursor: over(128) }],
    ['kick', { room: 'x', userId: 'u1', reason: over(200) }],
    ['react', { room: 'x', seq: 1, emoji: '' }],
    ['react', { room: 'x', seq: 1, emoji: '👍'.repeat(33) }],
  ]
  for (const [type, fields] of oversized) add(out, 'oversized or empty string', 'bad-frame', 'any', frameText(type, fields))

  // ---- control, bidi and other forbidden characters: bad-frame ------------
  for (const c of textForbidden) {
    add(out, 'forbidden character in text', 'bad-frame', 'any', frameText('chat', { room: 'x', text: `hello ${c} world` }))
    add(out, 'forbidden character in text', 'bad-frame', 'any', frameText('dm', { to: 'u1', text: `${c}dm` }))
  }
  for (const c of nameForbidden) {
    add(out, 'forbidden character in name', 'bad-frame', 'any', frameText('login', { name: `ana${c}bob` }))
    add(out, 'forbidden character in name', 'bad-frame', 'any', frameText('rename', { name: `${c}ana` }))
    add(out, 'forbidden character in room name', 'bad-frame', 'any', frameText('join-room', { room: `dev${c}ops` }))
  }
  for (const name of [' ana', 'ana ', '-ana', '.ana', 'ana\u0301'.slice(3)]) add(out, 'forbidden character in name', 'bad-frame', 'any', frameText('login', { name }))
  for (const room of ['Dev', 'dev room', 'dev.', '.dev', '-dev', 'DEV', 'dév'.toUpperCase()]) add(out, 'forbidden character in room name', 'bad-frame', 'any', frameText('join-room', { room }))
  for (const c of textForbidden) add(out, 'forbidden character in text', 'bad-frame', 'any', frameText('edit', { room: 'x', seq: 1, text: `fixed ${c}` }))
  // A lone UTF-16 surrogate: valid JSON (the escape "\ud800"), not well-formed Unicode, in a value or a member name.
  for (const lone of ['\ud800', '\udfff', 'a\udc00b', '\ud83d']) {
    add(out, 'lone surrogate', 'bad-frame', 'any', frameText('chat', { room: 'x', text: `half ${lone} pair` }))
    add(out, 'lone surrogate', 'bad-frame', 'any', frameText('login', { name: `ana${lone}` }))
  }
  add(out, 'lone surrogate', 'bad-frame', 'any', frameText('ping', {}, nextId(), ['"\\ud800":1']))
  for (const reason of ['two\nlines', 'tab\there', '\u202eevil']) add(out, 'forbidden character in text', 'bad-frame', 'any', frameText('ban', { room: 'x', userId: 'u1', reason }))
  // A reaction is exactly one emoji (RGI, fully qualified): the codec checks it after the schema.
  for (const emoji of ['a', ':)', '+1', '<3', '👍👍', '👍 ', ' 👍', '\u2764', '🇰', '\u200d', '<script>', '👍\u202e']) {
    add(out, 'not one emoji', 'bad-frame', 'any', frameText('react', { room: 'x', seq: 1, emoji }))
  }
  const forbiddenText = sample<[string, string, number]>(7)
  for (const [base, c, at] of forbiddenText) {
    const i = at % (base.length + 1)
    add(out, 'forbidden character in text', 'bad-frame', 'any', frameText('chat', { room: 'x', text: base.slice(0, i) + c + base.slice(i) }))
  }
  const forbiddenName = sample<[string, string]>(8)
  for (const [base, c] of forbiddenName) add(out, 'forbidden character in name', 'bad-frame', 'any', frameText('rename', { name: `${base}${c}x` }))

  // ---- valid frames before login: not-logged-in ---------------------------
  const preLogin = sample<{ type: string } & Record<string, unknown>>(9)
  for (const { type, ...fields } of preLogin) add(out, 'frame before login', 'not-logged-in', 'pre', frameText(type, fields))
  for (const room of ['__proto__', 'constructor', 'prototype', 'hasownproperty', 'tostring']) {
    add(out, 'frame before login', 'not-logged-in', 'pre', frameText('join-room', { room }))
    add(out, 'frame before login', 'not-logged-in', 'pre', frameText('chat', { room, text: 'x' }))
  }

  // ---- requests a logged-in connection may not make -----------------------
  const notJoined = sample<string>(10).filter((r) => r !== ctx.room)
  notJoined.forEach((room, i) => {
    const frames: Array<Record<string, unknown>> = [
      { type: 'chat', room, text: `to ${room}` },
      { type: 'history', room },
      { type: 'presence', room },
      { type: 'typing', room, typing: true },
      { type: 'leave-room', room },
    ]
    const { type, ...fields } = frames[i % frames.length]!
    add(out, 'request for a room not joined', 'not-in-room', 'post', frameText(type, fields))
  })
  for (const room of ['__proto__', 'constructor', 'prototype', 'hasownproperty', 'tostring', 'valueof']) {
    add(out, 'request for a room not joined', 'not-in-room', 'post', frameText('chat', { room, text: 'x' }))
    add(out, 'request for a room not joined', 'not-in-room', 'post', frameText('presence', { room }))
    add(out, 'request for a room not joined', 'not-in-room', 'post', frameText('typing', { room, typing: true }))
  }
  // Since 1.3.0: the requests about a room's messages need the room joined, like chat.
  for (const room of ['__proto__', 'not-joined-here']) {
    add(out, 'request for a room not joined', 'not-in-room', 'post', frameText('edit', { room, seq: 1, text: 'x' }))
    add(out, 'request for a room not joined', 'not-in-room', 'post', frameText('delete', { room, seq: 1 }))
    add(out, 'request for a room not joined', 'not-in-room', 'post', frameText('react', { room, seq: 1, emoji: '👍' }))
    add(out, 'request for a room not joined', 'not-in-room', 'post', frameText('read', { room, seq: 1 }))
  }
  add(out, 'request in the wrong state', 'already-in-room', 'post', frameText('join-room', { room: ctx.room }))
  add(out, 'request in the wrong state', 'already-logged-in', 'post', frameText('login', { rooms: [] }))
  add(out, 'request in the wrong state', 'bad-frame', 'post', frameText('history', { room: ctx.room, before: 3, after: 1 }))
  for (const to of ['__proto__', 'constructor', 'nobody-at-all-123']) add(out, 'dm to an unknown user', 'user-not-found', 'post', frameText('dm', { to, text: 'x' }))

  return out
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}
