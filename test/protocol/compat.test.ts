// Breaking-change detection: unit tests of the comparison on small synthetic
// schemas, then the real check of the current schemas against the newest
// release in protocol/released/ (allowed only with a new major version).
import t from 'tap'
import { LOCAL_ROOM_PATTERN, MAX_NAME_CHARS, MAX_ROOM_CHARS, PROTOCOL_VERSION, ROOM_PATTERN } from '../../protocol/primitives.ts'
import { compareFrames, compareSchema, majorOf, type Change, type Schema } from '../../protocol/generate/compat.ts'
import { frameEntries, plainSchema } from '../../protocol/generate/json-schema.ts'
import { REPO_ROOT } from '../../protocol/generate/index.ts'
import { latestRelease } from '../../protocol/generate/released.ts'

const breaking = (changes: Change[]) => changes.filter((c) => c.breaking).map((c) => `${c.path}: ${c.message}`)

const chat: Schema = {
  type: 'object',
  required: ['type', 'room', 'text'],
  properties: {
    type: { type: 'string', const: 'chat' },
    id: { type: 'string', maxLength: 64 },
    room: { type: 'string', minLength: 1, maxLength: 32 },
    text: { type: 'string', minLength: 1, maxLength: 2000 },
    tags: { type: 'array', maxItems: 5, items: { type: 'string' } },
    mood: { enum: ['happy', 'sad'] },
  },
  additionalProperties: false,
}
const edit = (f: (s: Schema & { properties: Record<string, Schema>; required: string[] }) => void): Schema => {
  const copy = structuredClone(chat) as Schema & { properties: Record<string, Schema>; required: string[] }
  f(copy)
  return copy
}

t.test('identical schemas have no changes', async (t) => {
  t.same(compareSchema(chat, structuredClone(chat), 'accept'), [])
  t.same(compareSchema(chat, structuredClone(chat), 'produce'), [])
})

t.test('a removed property is breaking in both directions', async (t) => {
  const after = edit((s) => {
    delete s.properties.tags
  })
  t.same(breaking(compareSchema(chat, after, 'accept')), ['/tags: property removed'])
  t.same(breaking(compareSchema(chat, after, 'produce')), ['/tags: property removed'])
})

t.test('a new optional property is not breaking', async (t) => {
  const after = edit((s) => {
    s.properties.color = { type: 'string' }
  })
  t.same(breaking(compareSchema(chat, after, 'accept')), [])
  t.same(breaking(compareSchema(chat, after, 'produce')), [])
  t.equal(compareSchema(chat, after, 'accept').length, 1, 'the addition is still reported')
})

t.test('a property that becomes required breaks senders', async (t) => {
  const after = edit((s) => {
    s.required.push('id')
  })
  t.same(breaking(compareSchema(chat, after, 'accept')), ['/id: property became required'])
  t.same(breaking(compareSchema(chat, after, 'produce')), [], 'a server sending more than before breaks no reader')
})

t.test('a property that becomes optional breaks readers of server frames', async (t) => {
  const after = edit((s) => {
    s.required = ['type', 'room']
  })
  t.same(breaking(compareSchema(chat, after, 'produce')), ['/text: property became optional'])
  t.same(breaking(compareSchema(chat, after, 'accept')), [])
})

t.test('narrowed bounds break accepted frames, widened bounds break produced ones', async (t) => {
  const narrower = edit((s) => {
    s.properties.text!.maxLength = 1000
    s.properties.room!.minLength = 2
    s.properties.tags!.maxItems = 3
  })
  t.same(breaking(compareSchema(chat, narrower, 'accept')).sort(), ['/room: minLength 1 → 2 narrowed', '/tags: maxItems 5 → 3 narrowed', '/text: maxLength 2000 → 1000 narrowed'])
  t.same(breaking(compareSchema(chat, narrower, 'produce')), [])
  const wider = edit((s) => {
    s.properties.text!.maxLength = 4000
  })
  t.same(breaking(compareSchema(chat, wider, 'accept')), [])
  t.same(breaking(compareSchema(chat, wider, 'produce')), ['/text: maxLength 2000 → 4000 widened'])
})

t.test('a narrowed type or enum is breaking for accepted frames', async (t) => {
  const after = edit((s) => {
    s.properties.mood = { enum: ['happy'] }
    s.properties.id = { type: 'integer' }
  })
  t.same(breaking(compareSchema(chat, after, 'accept')).sort(), ['/id: type string → integer narrowed', '/mood: values removed: "sad"'])
})

t.test('a new enum value is fine for produced frames, integer → number is not', async (t) => {
  const before: Schema = { type: 'object', properties: { code: { enum: ['a'] }, n: { type: 'integer' } }, required: ['code', 'n'] }
  const after: Schema = { type: 'object', properties: { code: { enum: ['a', 'b'] }, n: { type: 'number' } }, required: ['code', 'n'] }
  t.same(breaking(compareSchema(before, after, 'produce')), ['/n: type integer → number widened'])
  t.same(breaking(compareSchema(before, after, 'accept')), [])
})

t.test('a changed pattern or const is always breaking', async (t) => {
  const after = edit((s) => {
    s.properties.room!.pattern = '^[a-z]+$'
    s.properties.type!.const = 'say'
  })
  t.same(breaking(compareSchema(chat, after, 'produce')).sort(), ['/room: pattern changed: undefined → "^[a-z]+$"', '/type: values added: "say"', '/type: values removed: "chat"'])
})

t.test('changes inside array items and nested objects are found', async (t) => {
  const after = edit((s) => {
    s.properties.tags!.items = { type: 'string', maxLength: 10 }
  })
  t.same(breaking(compareSchema(chat, after, 'accept')), ['/tags/[]: maxLength none → 10 narrowed'])
})

t.test('a removed frame is breaking, an added one is not', async (t) => {
  t.same(breaking(compareFrames({ chat, ping: { type: 'object' } }, { chat }, 'client')), ['client/ping: frame removed'])
  t.same(breaking(compareFrames({ chat }, { chat, ping: { type: 'object' } }, 'server')), [])
})

t.test('the current schemas are compatible with the newest release, or the major version changed', async (t) => {
  const release = latestRelease(REPO_ROOT)
  t.ok(release, 'a release baseline is committed under protocol/released/')
  if (!release) return
  const current = { client: {} as Record<string, Schema>, server: {} as Record<string, Schema> }
  for (const e of frameEntries()) current[e.direction][e.type] = plainSchema(e.schema) as Schema
  const changes = [...compareFrames(release.client, current.client, 'client'), ...compareFrames(release.server, current.server, 'server')]
  const problems = breaking(changes)
  if (majorOf(PROTOCOL_VERSION) > majorOf(release.version)) {
    t.pass(`major version ${release.version} → ${PROTOCOL_VERSION}: breaking changes allowed (${problems.length})`)
  } else {
    t.same(problems, [], `no breaking change since ${release.version} without a major version bump`)
  }
  t.ok(Object.keys(release.client).length > 0 && Object.keys(release.server).length > 0, 'the baseline has frames in both directions')
})

t.test('gated room-name widening: every 1.0.0 room name is still a room name; nothing else is excused', async (t) => {
  const fc = (await import('fast-check')).default
  const newPattern = new RegExp(ROOM_PATTERN, 'u')
  fc.assert(
    fc.property(fc.stringMatching(new RegExp(LOCAL_ROOM_PATTERN, 'u')), (name) => [...name].length > MAX_NAME_CHARS || newPattern.test(name)),
    { numRuns: 500 },
  )
  t.ok(newPattern.test('news:releases') && !newPattern.test('News:releases') && !newPattern.test(':x') && !newPattern.test('a:b:c'), 'the prefix is a namespace name')
  const before: Schema = { type: 'object', properties: { room: { type: 'string', maxLength: MAX_NAME_CHARS, pattern: LOCAL_ROOM_PATTERN }, other: { type: 'string', pattern: LOCAL_ROOM_PATTERN } } }
  const after: Schema = { type: 'object', properties: { room: { type: 'string', maxLength: MAX_ROOM_CHARS, pattern: ROOM_PATTERN }, other: { type: 'string', pattern: ROOM_PATTERN } } }
  t.same(breaking(compareFrames({ chat: before }, { chat: after }, 'server')), [`server/chat/other: pattern changed: ${JSON.stringify(LOCAL_ROOM_PATTERN)} → ${JSON.stringify(ROOM_PATTERN)}`])
})

// The server sends a message's 1.3.0 fields (events, replies, mentions, edits,
// reactions, rev) only to clients that announced 1.3.0 (PROTOCOL.md §1, §7a):
// an older client gets each entry without them. The structural check above
// allows the new optional fields because of that rule; this checks the rule
// is enough: every example entry, without the fields the 1.0.0 message did
// not have, is a message a 1.0.0 client reads (an event with its fallback text).
t.test('1.3.0 entries without their new fields are valid 1.0.0 chat pushes', async (t) => {
  const { readFileSync } = await import('node:fs')
  const { join } = await import('node:path')
  const { Compile } = await import('typebox/compile')
  const { serverExamples } = await import('../../protocol/generate/examples.ts')
  const { ChatMessage } = await import('../../protocol/primitives.ts')
  const released = JSON.parse(readFileSync(join(REPO_ROOT, 'protocol/released/1.0.0/server/chat.json'), 'utf8')) as Schema & { properties: { message: Schema & { properties: object } } }
  const oldFields = new Set(Object.keys(released.properties.message.properties))
  const newFields = Object.keys(plainSchema(ChatMessage).properties as object).filter((f) => !oldFields.has(f))
  t.same(newFields.sort(), ['deleted', 'edited', 'event', 'mentions', 'reactions', 'replyTo', 'rev'], 'the fields ChatMessage gained since 1.0.0')
  for (const field of newFields) {
    const description = ((plainSchema(ChatMessage).properties as Record<string, Schema>)[field]!.description as string | undefined) ?? ''
    t.ok(field === 'event' || field === 'replyTo' || field === 'reactions' || /since 1\.3\.0/.test(description), `${field} says it is since 1.3.0`)
  }
  const check = Compile(released as never)
  const entries = [
    ...serverExamples.chat.map((e) => e.payload.message),
    ...serverExamples['history-ok'].flatMap((e) => e.payload.messages),
    ...serverExamples['edit-ok'].flatMap((e) => (e.payload.message ? [e.payload.message] : [])),
    ...serverExamples['ban-ok'].flatMap((e) => (e.payload.message ? [e.payload.message] : [])),
  ]
  t.ok(entries.some((m) => m.event !== undefined) && entries.some((m) => m.deleted === true) && entries.some((m) => m.replyTo !== undefined), 'events, tombstones and replies among them')
  for (const message of entries) {
    const legacy = Object.fromEntries(Object.entries(message).filter(([k]) => !newFields.includes(k)))
    // A client before 1.2.0 is never in a room with a namespace (gated, above): check such an entry under a local name.
    legacy.room = (legacy.room as string).replace(/^[a-z][a-z0-9-]*:/, '')
    t.ok(check.Check({ type: 'chat', message: legacy }), `seq ${message.seq} (${message.event?.kind ?? (message.deleted ? 'tombstone' : 'message')}): "${legacy.text}"`)
    t.notOk(check.Check({ type: 'chat', message }) && newFields.some((f) => f in message), 'with its new fields a strict 1.0.0 reader would refuse it')
  }
})

// The client library and the client kit hold a client to 1.0.0 with this table (OVR-8): it must be the released one.
t.test('REQUESTS_1_0_0 is the request surface of the released 1.0.0 schemas', async (t) => {
  const { readdirSync, readFileSync } = await import('node:fs')
  const { join } = await import('node:path')
  const { REQUESTS_1_0_0, beyond1_0_0, speaksOnly1_0_0 } = await import('../../protocol/requests-1.0.0.ts')
  const dir = join(REPO_ROOT, 'protocol/released/1.0.0/client')
  const released = Object.fromEntries(
    readdirSync(dir).map((file) => {
      const schema = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { properties: Record<string, unknown> }
      return [
        file.replace(/\.json$/, ''),
        Object.keys(schema.properties)
          .filter((k) => k !== 'type')
          .sort(),
      ]
    }),
  )
  t.same(Object.fromEntries(Object.entries(REQUESTS_1_0_0).map(([type, fields]) => [type, [...fields].sort()])), released)
  t.same(beyond1_0_0({ type: 'login', name: 'ana', version: '1.3.0' }), ['the field login.version'])
  t.same(beyond1_0_0({ type: 'read', room: 'lobby', seq: 3 }), ['the request type "read"'])
  t.same(beyond1_0_0({ type: 'chat', room: 'lobby', text: 'hi', clientMsgId: 'x' }), [])
  t.ok(speaksOnly1_0_0('1.0.0') && speaksOnly1_0_0('1.0.7'))
  t.notOk(speaksOnly1_0_0('1.1.0') || speaksOnly1_0_0('1.3.0'))
})
