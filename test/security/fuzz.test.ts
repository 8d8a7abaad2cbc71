// Property-based fuzzing with a fixed seed: generated frames, frames derived
// from valid ones by mutation, raw JSON junk and mutated WebSocket frame bytes.
// Every input gets exactly one reply (an ack or an error) or a documented
// close, every server frame matches its schema, and a fresh client is served
// afterwards.
import fc from 'fast-check'
import t from 'tap'
import { CloseCodes, decodeServerFrame, ServerFrames, type ServerFrame } from '../../protocol/index.ts'
import { RawClient, WAIT_MS } from '../helpers/raw-client.ts'
import { encodeFrame, Opcode, RawSocket, textFrame } from '../helpers/raw-frames.ts'
import { startServer, type TestServer } from '../helpers/server.ts'

const SEED = 20_251_122
const JSON_RUNS = 3000
const BYTE_RUNS = 400

// Limits out of the way so every input reaches the codec and the handlers
// (rate limits and strikes have their own tests).
const fuzzConfig = {
  store: 'memory' as const,
  messagesPerSecond: 1e6,
  messageBurst: 1e6,
  joinsPerSecond: 1e6,
  joinBurst: 1e6,
  typingPerSecond: 1e6,
  typingBurst: 1e6,
  abuseStrikes: 1e6,
  maxFrameBytes: 8192,
}

// ---- generators -------------------------------------------------------------

const room = fc.constantFrom('lobby', 'dev', 'r-1', 'Lobby', '', 'a'.repeat(33), '@u_x', 'lobby\u202E')
const name = fc.oneof(fc.constantFrom('ana', 'ANA', 'ａｎａ', 'pаypal', 'a\u200Bb', ' x', 'user1'), fc.string({ maxLength: 40 }))
const text = fc.oneof(fc.string({ maxLength: 50 }), fc.string({ unit: 'grapheme', maxLength: 50 }), fc.constantFrom('x'.repeat(2001), '\u0000', 'a\u2066b', '\ud800'))
const id = fc.oneof(fc.constant(undefined), fc.string({ minLength: 1, maxLength: 70 }), fc.integer())
const position = fc.record({ epoch: fc.string({ maxLength: 10 }), seq: fc.oneof(fc.nat(), fc.integer(), fc.double()) })

/** Frames shaped like the client frames, mostly valid. */
const validish: fc.Arbitrary<Record<string, unknown>> = fc
  .oneof(
    fc.record({ type: fc.constant('ping') }),
    fc.record(
      {
        type: fc.constant('login'),
        name,
        session: fc.string({ minLength: 16, maxLength: 20 }),
        token: fc.string(),
        rooms: fc.array(fc.record({ room, since: position }, { requiredKeys: ['room'] }), { maxLength: 3 }),
      },
      { requiredKeys: ['type'] },
    ),
    fc.record({ type: fc.constant('rename'), name }),
    fc.record({ type: fc.constant('logout') }),
    fc.record({ type: fc.constant('join-room'), room, since: position }, { requiredKeys: ['type', 'room'] }),
    fc.record({ type: fc.constant('leave-room'), room }),
    fc.record({ type: fc.constant('presence'), room }),
    fc.record({ type: fc.constant('typing'), room, typing: fc.oneof(fc.boolean(), fc.constant('yes')) }),
    fc.record({ type: fc.constant('chat'), room, text, clientMsgId: fc.string({ minLength: 6, maxLength: 12 }) }, { requiredKeys: ['type', 'room', 'text'] }),
    fc.record({ type: fc.constant('history'), room, before: fc.integer(), after: fc.integer(), limit: fc.integer({ min: -5, max: 5000 }) }, { requiredKeys: ['type', 'room'] }),
    fc.record({ type: fc.constant('dm'), to: fc.constantFrom('u_nobody', '', 'x'.repeat(65)), text }),
  )
  .chain((frame) => id.map((value) => (value === undefined ? frame : { ...frame, id: value })))

const FORGED_OR_POISON = ['__proto__', 'constructor', 'prototype', 'userId', 'seq', 'msgId', 'ts', 'from', 'message', 'type', 'id']

type Mutation = (frame: Record<string, unknown>) => unknown
/** Mutations that derive hostile frames from valid ones. */
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constantFrom<Mutation>(
    (f) => {
      const keys = Object.keys(f)
      const copy = { ...f }
      delete copy[keys[keys.length - 1]!]
      return copy
    },
    (f) => [f],
    (f) => ({ frame: f }),
    (f) => JSON.stringify(f),
    (_f) => null,
    (f) => ({ ...f, type: String(f.type).toUpperCase() }),
  ),
  fc.tuple(fc.constantFrom(...FORGED_OR_POISON), fc.jsonValue({ maxDepth: 3 })).map(
    ([key, value]): Mutation =>
      (f) =>
        JSON.parse(JSON.stringify(f).replace(/^\{/, `{${JSON.stringify(key)}:${JSON.stringify(value)},`)),
  ),
  fc.tuple(fc.nat(), fc.jsonValue({ maxDepth: 3 })).map(
    ([n, value]): Mutation =>
      (f) => {
        const keys = Object.keys(f)
        return { ...f, [keys[n % keys.length]!]: value }
      },
  ),
  fc.integer({ min: 1, max: 3000 }).map(
    (depth): Mutation =>
      (f) => ({ ...f, extra: JSON.parse('['.repeat(depth) + ']'.repeat(depth)) }),
  ),
)

/** Wire text: serialised frames, mutated frames, text-level damage and junk. */
const wireText: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: validish.map((f) => JSON.stringify(f)), weight: 3 },
  {
    arbitrary: fc.tuple(validish, mutation).map(([f, m]) => {
      const v = m(f)
      return typeof v === 'string' ? v : (JSON.stringify(v) ?? 'undefined')
    }),
    weight: 4,
  },
  {
    arbitrary: fc.tuple(validish, fc.nat(), fc.string({ maxLength: 3 })).map(([f, at, junk]) => {
      const s = JSON.stringify(f)
      const i = at % (s.length + 1)
      return s.slice(0, i) + junk + s.slice(i + 1)
    }),
    weight: 3,
  },
  { arbitrary: fc.json({ maxDepth: 4 }), weight: 1 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 100 }), weight: 1 },
  { arbitrary: fc.integer({ min: 1, max: 20_000 }).map((depth) => '{"type":"chat","x":' + '['.repeat(depth) + ']'.repeat(depth) + '}'), weight: 1 },
  {
    arbitrary: fc.constantFrom('', ' ', 'null', '[]', '"chat"', '{"type":null}', '{"type":{}}', '{"type":"__proto__"}', '{"type":"toString"}', '{"type":"hasOwnProperty"}', 'x'.repeat(9000)),
    weight: 1,
  },
)

// ---- driver -----------------------------------------------------------------

const isReply = (f: ServerFrame): boolean => (ServerFrames as Record<string, { kind: string }>)[f.type]?.kind === 'reply'

/** A logged-in connection that is replaced whenever the server closes it. */
class Driver {
  client!: RawClient
  closes = new Map<number, number>()
  sentinel = 0
  readonly t: Tap
  readonly server: TestServer
  constructor(t: Tap, server: TestServer) {
    this.t = t
    this.server = server
  }

  async fresh(): Promise<void> {
    ;({ client: this.client } = await RawClient.login(this.t, this.server.url, { rooms: [{ room: 'lobby' }, { room: 'dev' }] }))
  }

  /** Sends one input; resolves with the frames it caused, or the close it caused. */
  async send(input: string): Promise<{ frames: ServerFrame[] } | { close: number }> {
    const client = this.client
    const before = client.received.length
    const mark = `zz-sentinel-${this.sentinel++}`
    client.send(input)
    client.send({ type: 'ping', id: mark })
    const outcome = await Promise.race([
      client.take((f) => f.type === 'pong' && 'id' in f && f.id === mark, 'sentinel', WAIT_MS).then(() => 'pong' as const),
      client.closed(WAIT_MS).then((c) => c.code),
    ])
    if (outcome !== 'pong') {
      this.closes.set(outcome, (this.closes.get(outcome) ?? 0) + 1)
      await this.fresh()
      return { close: outcome }
    }
    const frames = client.received.slice(before)
    return {
      frames: frames.slice(
        0,
        frames.findIndex((f) => f.type === 'pong' && 'id' in f && f.id === mark),
      ),
    }
  }
}
type Tap = { teardown(fn: () => unknown): void }

const DOCUMENTED_CLOSES = new Set(Object.keys(CloseCodes).map(Number))

t.test(`${JSON_RUNS} generated and mutated frames: one reply each or a documented close; server frames valid`, async (t) => {
  const server = await startServer(t, fuzzConfig)
  const driver = new Driver(t, server)
  await driver.fresh()
  let replies = 0
  let invalidServerFrames = 0
  let unexplained = ''
  await fc.assert(
    fc.asyncProperty(wireText, async (input) => {
      const result = await driver.send(input)
      if ('close' in result) {
        if (!DOCUMENTED_CLOSES.has(result.close) || result.close === 1006) unexplained ||= `close ${result.close} after ${input.slice(0, 200)}`
        return DOCUMENTED_CLOSES.has(result.close)
      }
      for (const f of result.frames) {
        const checked = decodeServerFrame(JSON.stringify(f))
        if (checked.ok) continue
        invalidServerFrames++
        unexplained ||= `invalid server frame ${JSON.stringify(f).slice(0, 300)} (${checked.message} ${checked.details?.join(', ')}) after ${input.slice(0, 200)}`
      }
      const count = result.frames.filter(isReply).length
      replies += count
      if (count !== 1) unexplained ||= `${count} replies to ${input.slice(0, 200)}: ${JSON.stringify(result.frames).slice(0, 300)}`
      return count === 1
    }),
    { seed: SEED, numRuns: JSON_RUNS, endOnFailure: true },
  )
  t.equal(unexplained, '', 'every input was answered once or closed with a documented code')
  t.equal(invalidServerFrames, 0, 'every server frame matched its schema')
  t.ok(replies > JSON_RUNS * 0.9, `${replies} replies`)
  t.comment(`closes seen: ${JSON.stringify(Object.fromEntries(driver.closes))}`)
  const probe = {} as Record<string, unknown>
  t.equal(Object.keys(Object.prototype).length + Object.keys(probe).length, 0, 'Object.prototype was not polluted')
  const { client } = await RawClient.login(t, server.url, { name: 'afterwards' })
  t.equal((await client.request({ type: 'chat', room: 'lobby', text: 'still serving' })).type, 'chat-ok', 'a fresh client is served')
})

t.test(`${BYTE_RUNS} mutated WebSocket frames: a reply or an RFC 6455 close, never a silent drop`, async (t) => {
  const server = await startServer(t, fuzzConfig)
  const valid = textFrame('{"type":"ping","id":"victim"}')
  const closes = new Map<number, number>()
  // Mutate the first byte (FIN, RSV, opcode), the mask bit, or the payload:
  // never the length, so the server always has a whole frame to judge.
  const mutated = fc.oneof(
    fc.integer({ min: 0, max: 255 }).map((b0) => {
      const f = Buffer.from(valid)
      f[0] = b0
      return f
    }),
    fc.constant(null).map(() => {
      const f = Buffer.from(valid)
      f[1] = f[1]! & 0x7f
      return Buffer.concat([f.subarray(0, 2), f.subarray(6)])
    }),
    fc.tuple(fc.integer({ min: 6, max: valid.length - 1 }), fc.integer({ min: 1, max: 255 })).map(([at, bits]) => {
      const f = Buffer.from(valid)
      f[at] = f[at]! ^ bits
      return f
    }),
  )
  await fc.assert(
    fc.asyncProperty(mutated, async (bytes) => {
      const raw = await RawSocket.open(t, server.port)
      await raw.json((f) => f.type === 'welcome')
      raw.write(bytes)
      raw.write(encodeFrame({ opcode: Opcode.text, payload: '{"type":"ping","id":"after"}' }))
      const outcome = await Promise.race([raw.json((f) => f.id === 'after').then(() => 'pong' as const), raw.closed().then((c) => c.code)])
      raw.destroy()
      if (outcome === 'pong') return true
      closes.set(outcome, (closes.get(outcome) ?? 0) + 1)
      return [1002, 1003, 1007, 1008, 1009].includes(outcome)
    }),
    { seed: SEED, numRuns: BYTE_RUNS, endOnFailure: true },
  )
  t.comment(`closes seen: ${JSON.stringify(Object.fromEntries(closes))}`)
  t.ok(closes.size >= 3, 'the mutations reached several different close paths')
  const { client } = await RawClient.login(t, server.url)
  t.equal((await client.request({ type: 'ping' })).type, 'pong', 'a fresh client is served')
})
