// What a client sends is what is acknowledged, pushed and stored, to the code
// unit: strings that are not well-formed Unicode (lone UTF-16 surrogates,
// which JSON can carry as "\ud800" escapes but UTF-8 cannot store) are refused
// at decode time, and every well-formed oddity survives the round trip on
// SQLite and on PostgreSQL.
import t, { type Test } from 'tap'
import type { ServerFrameOf } from '../../protocol/index.ts'
import { databaseUrl, dropSchema, requirePostgres, uniqueName } from '../contracts/services.ts'
import { RawClient } from '../helpers/raw-client.ts'
import { startServer } from '../helpers/server.ts'

/** Lone surrogates as JSON escapes: the frames below are sent as written, the server decodes the escapes. */
const LONE = [
  ['a high surrogate alone', '\\ud800'],
  ['a low surrogate alone', '\\udc00'],
  ['a high surrogate at the end', 'abc\\ud83d'],
  ['two surrogates in the wrong order', '\\ude00\\ud83d'],
] as const

t.test('a string with a lone surrogate is a bad-frame naming the field, the connection stays open', async (t) => {
  const server = await startServer(t, { store: 'memory' })
  const { client, login } = await RawClient.login(t, server.url, { name: 'ana', rooms: [{ room: 'tea' }] })
  const cases: Array<[string, string, string]> = []
  for (const [label, bad] of LONE) {
    cases.push(
      [`chat text with ${label}`, `{"type":"chat","id":"c","room":"tea","text":"x${bad}y"}`, '/text'],
      [`dm text with ${label}`, `{"type":"dm","id":"c","to":"${login.userId}","text":"${bad}"}`, '/text'],
    )
  }
  cases.push(
    ['a rename', `{"type":"rename","id":"c","name":"ana\\ud800"}`, '/name'],
    ['a room name', `{"type":"join-room","id":"c","room":"t\\udfff"}`, '/room'],
    ['a history room', `{"type":"history","id":"c","room":"\\ud800"}`, '/room'],
    ['a typing room', `{"type":"typing","id":"c","room":"\\ud800","typing":true}`, '/room'],
    ['a dm recipient', `{"type":"dm","id":"c","to":"u\\ud800","text":"hi"}`, '/to'],
    ['a clientMsgId', `{"type":"chat","id":"c","room":"tea","text":"hi","clientMsgId":"abcdefgh\\ud800"}`, '/clientMsgId'],
    ['the type', `{"type":"chat\\ud800","id":"c"}`, '/type'],
    ['an unknown field', `{"type":"ping","id":"c","extra":"\\ud800"}`, '/extra'],
    ['a field name', `{"type":"ping","id":"c","\\ud800":1}`, '/\ufffd'],
  )
  for (const [label, text, path] of cases) {
    client.send(text)
    const reply = (await client.next('error')) as ServerFrameOf<'error'>
    t.match(reply, { type: 'error', code: 'bad-frame', id: 'c' }, label)
    t.match(reply.details, [new RegExp(`^${path.replace(/[/\\^$.*+?()[\]{}|]/g, '\\$&')}: .*well-formed`)], `${label}: details name ${path}`)
    t.ok(reply.message.isWellFormed() && reply.details!.every((d) => d.isWellFormed()), `${label}: the error itself is well-formed`)
  }
  t.match(await client.request({ type: 'ping' }), { type: 'pong' }, 'the connection still works')
  t.same(((await client.request({ type: 'history', room: 'tea' })) as ServerFrameOf<'history-ok'>).messages, [], 'nothing was stored')
})

t.test('a lone surrogate in the id is refused without echoing the id', async (t) => {
  const server = await startServer(t, { store: 'memory' })
  const client = await RawClient.connect(t, server.url)
  client.send('{"type":"ping","id":"p\\ud800"}')
  const reply = (await client.next('error')) as ServerFrameOf<'error'>
  t.match(reply, { code: 'bad-frame', details: [/^\/id: .*well-formed/] })
  t.notOk('id' in reply, 'no id echoed')
})

t.test('a lone surrogate in a login field is refused before login', async (t) => {
  const server = await startServer(t, { store: 'memory' })
  const client = await RawClient.connect(t, server.url)
  for (const [text, path] of [
    ['{"type":"login","id":"l","name":"\\ud800"}', '/name'],
    ['{"type":"login","id":"l","rooms":[{"room":"ok"},{"room":"b\\ud800"}]}', '/rooms/1/room'],
    ['{"type":"login","id":"l","token":"\\ud800"}', '/token'],
  ] as const) {
    client.send(text)
    t.match(await client.next('error'), { code: 'bad-frame', id: 'l', details: [new RegExp(`^${path}: `)] }, path)
  }
  t.equal((await client.request({ type: 'login' })).type, 'login-ok')
})

t.test('lone-surrogate refusals are strikes like other bad frames', async (t) => {
  const server = await startServer(t, { store: 'memory', abuseStrikes: 3 })
  const { client } = await RawClient.login(t, server.url)
  for (let i = 0; i < 3; i++) client.send('{"type":"chat","room":"lobby","text":"\\ud800"}')
  t.equal((await client.closed()).code, 4008)
})

// Well-formed texts that a store, a driver or a normaliser could change.
const MAX = 2000
const TEXTS: Array<[string, string]> = [
  ['an escaped surrogate pair (astral emoji)', JSON.parse('"\\ud83d\\ude00 ok"') as string],
  ['astral emoji and a ZWJ family', '👩‍👩‍👧‍👦 🏳️‍🌈 𝄞 𠜎'],
  ['line and paragraph separators', 'a\u2028b\u2029c'],
  ['right-to-left and left-to-right marks', 'שלום\u200F abc\u200E'],
  ['decomposed (not NFC) text', 'e\u0301 A\u030A \u1100\u1161'],
  ['compatibility characters NFKC would change', 'ﬁ ① ｆｕｌｌ'],
  ['a byte-order mark and zero-width characters', '\uFEFFa\u200Bb\u200Dc'],
  ['noncharacters', '\uFFFE \uFFFF \u{10FFFF}'],
  ['the replacement character itself', '\uFFFD'],
  ['leading and trailing spaces, tabs and newlines', '  \t a \n\n '],
  [`${MAX} astral code points (${2 * MAX} UTF-16 units)`, '😀'.repeat(MAX)],
  [`${MAX} code points of combining marks`, 'a' + '\u0301'.repeat(MAX - 1)],
]

async function roundTrip(t: Test, overrides: Parameters<typeof startServer>[1]) {
  // Two requests per text: more than the default burst.
  const server = await startServer(t, { messageBurst: 1000, messagesPerSecond: 1000, ...overrides })
  const { client: ana, login: anaLogin } = await RawClient.login(t, server.url, { name: 'A\u030Ana', rooms: [{ room: 'tea' }] })
  const { client: bob, login: bobLogin } = await RawClient.login(t, server.url, { name: 'bob', rooms: [{ room: 'tea' }] })
  await ana.next('alarm')
  t.equal(anaLogin.name, 'Åna', 'the login name is acknowledged in NFC')
  for (const [label, text] of TEXTS) {
    t.ok(text.isWellFormed(), `${label}: the fixture is well-formed`)
    const ack = (await ana.request({ type: 'chat', room: 'tea', text })) as ServerFrameOf<'chat-ok'>
    t.equal(ack.type, 'chat-ok', `${label}: accepted`)
    t.equal(ack.message.text, text, `${label}: the ack holds the text sent`)
    t.equal(ack.message.name, 'Åna', `${label}: the ack holds the NFC name`)
    const push = await bob.next('chat')
    t.same(push.message, ack.message, `${label}: the push equals the ack`)
    const dmAck = (await ana.request({ type: 'dm', to: bobLogin.userId, text })) as ServerFrameOf<'dm-ok'>
    t.equal(dmAck.message.text, text, `${label}: the dm-ok holds the text sent`)
    t.equal((await bob.next('dm')).message.text, text, `${label}: the dm push holds the text sent`)
  }
  t.match(await ana.request({ type: 'chat', room: 'tea', text: '😀'.repeat(MAX + 1) }), { code: 'bad-frame', details: [/^\/text: /] }, 'one code point more is refused')

  const history = (await bob.request({ type: 'history', room: 'tea', limit: 100 })) as ServerFrameOf<'history-ok'>
  t.same(
    history.messages.map((m) => m.text),
    TEXTS.map(([, text]) => text),
    'history returns every text exactly as acknowledged',
  )
  t.ok(
    history.messages.every((m) => m.name === 'Åna'),
    'history holds the acknowledged name',
  )
  // The inbox as stored: a new connection of bob resumes it from the start.
  const again = await RawClient.connect(t, server.url)
  const relogin = (await again.request({ type: 'login', session: bobLogin.session, rooms: [], inbox: { epoch: bobLogin.inbox.epoch, seq: 0 } })) as ServerFrameOf<'login-ok'>
  t.equal(relogin.type, 'login-ok')
  const replayed: string[] = []
  for (let i = 0; i < TEXTS.length; i++) replayed.push((await again.next('dm')).message.text)
  t.same(
    replayed,
    TEXTS.map(([, text]) => text),
    'the stored inbox returns every DM text exactly as acknowledged',
  )
}

t.test('well-formed edge-case texts and names round-trip exactly on SQLite', async (t) => {
  await roundTrip(t, {})
})

t.test('well-formed edge-case texts and names round-trip exactly on PostgreSQL', async (t) => {
  if (!(await requirePostgres(t))) return
  const schema = uniqueName('wirechat_unicode')
  t.teardown(() => dropSchema(schema))
  await roundTrip(t, { databaseUrl, databaseSchema: schema })
})

t.test('a lone surrogate never reaches the store, on SQLite or PostgreSQL', async (t) => {
  for (const [store, overrides] of [
    ['sqlite', {}],
    ['postgres', { databaseUrl, databaseSchema: uniqueName('wirechat_unicode') }],
  ] as const) {
    if (store === 'postgres') {
      if (!(await requirePostgres(t))) return
      t.teardown(() => dropSchema(overrides.databaseSchema!))
    }
    const server = await startServer(t, overrides)
    const { client } = await RawClient.login(t, server.url, { rooms: [{ room: 'tea' }] })
    client.send('{"type":"chat","id":"s","room":"tea","text":"\\ud800"}')
    t.match(await client.next(), { type: 'error', id: 's', code: 'bad-frame' }, `${store}: refused, not acknowledged`)
    t.same(((await client.request({ type: 'history', room: 'tea' })) as ServerFrameOf<'history-ok'>).messages, [], `${store}: nothing stored`)
  }
})
