// Deterministic mode (DETERMINISTIC_SEED): the same frames against two fresh
// servers with the same seed give the same bytes; another seed gives other ids;
// the fake clock fires timers only when advanced; production refuses the mode.
import { join } from 'node:path'
import t from 'tap'
import WebSocket from 'ws'
import { SUBPROTOCOL } from '@wirechat/protocol'
import { loadTranscripts, match, substitute, type Vars } from '../../conformance/transcripts.ts'
import { loadConfig } from '../../server/config.ts'
import { DETERMINISTIC_EPOCH_MS, disableDeterminism, FakeClock, seededRandom } from '../../server/determinism.ts'
import { startServer, type Teardown } from '../helpers/server.ts'
import type { Transcript } from '../../protocol/transcripts/format.ts'

t.teardown(disableDeterminism)

/** One client's raw connection: every text message it received, verbatim, in order. */
class RawClient {
  readonly texts: string[] = []
  #taken = 0
  #wake: (() => void) | undefined
  closed: { code: number; reason: string } | undefined
  readonly ws: WebSocket

  constructor(url: string) {
    this.ws = new WebSocket(url, [SUBPROTOCOL])
    this.ws.on('message', (data) => {
      this.texts.push(String(data))
      this.#wake?.()
    })
    this.ws.on('close', (code, reason) => {
      this.closed = { code, reason: String(reason) }
      this.#wake?.()
    })
  }

  async opened(): Promise<void> {
    await new Promise((resolve, reject) => this.ws.once('open', resolve).once('error', reject))
  }

  async until<T>(ready: () => T | undefined): Promise<T> {
    const deadline = Date.now() + 10_000
    for (;;) {
      const value = ready()
      if (value !== undefined) return value
      if (Date.now() > deadline) throw new Error(`timed out; received ${this.texts.slice(-3).join(' | ')}`)
      await new Promise<void>((resolve) => {
        this.#wake = resolve
        setTimeout(resolve, 50)
      })
    }
  }

  next(): Promise<string> {
    return this.until(() => (this.#taken < this.texts.length ? this.texts[this.#taken++] : undefined))
  }
}

/** Replays a transcript's script and returns every byte each client received, client by client. */
async function rawRun(url: string, transcript: Transcript): Promise<string> {
  const vars: Vars = new Map()
  const clients = new Map<string, RawClient>()
  for (const [i, step] of transcript.steps.entries()) {
    if ('connect' in step) {
      const c = new RawClient(url)
      await c.opened()
      clients.set(step.connect, c)
    } else if ('send' in step) clients.get(step.client)!.ws.send(JSON.stringify(substitute(step.send, vars)))
    else if ('expect' in step) {
      const text = await clients.get(step.client)!.next()
      const problem = match(step.expect, JSON.parse(text), vars)
      if (problem !== undefined) throw new Error(`${transcript.title} step ${i}: ${problem}`)
    } else if ('expectClose' in step) await clients.get(step.client)!.until(() => clients.get(step.client)!.closed)
    else {
      const c = clients.get(step.client)!
      c.ws.close(step.close)
      await c.until(() => c.closed)
    }
  }
  // A ping round trip on each open connection collects whatever else was sent; no
  // connection closes before all have answered, so no one sees another leave.
  const open = [...clients.values()].filter((c) => c.closed === undefined)
  for (const c of open) c.ws.send(JSON.stringify({ type: 'ping', id: 'end' }))
  for (const c of open) await c.until(() => (c.texts.some((text) => text.includes('"id":"end"')) ? true : undefined))
  for (const c of open) c.ws.terminate()
  return [...clients].map(([name, c]) => `${name}\n${c.texts.join('\n')}\n${c.closed ? `closed ${c.closed.code}` : ''}`).join('\n\n')
}

const transcripts = loadTranscripts(join(import.meta.dirname, '..', '..', 'protocol', 'transcripts')).filter(({ file }) => /^0[1-5]-/.test(file))

/** Runs the transcripts one after the other against a fresh deterministic server. */
async function recordAll(t: Teardown, seed: number, store: 'sqlite' | 'memory'): Promise<string[]> {
  const out: string[] = []
  for (const { transcript } of transcripts) {
    const server = await startServer(t, { deterministicSeed: seed, store })
    out.push(await rawRun(server.url, transcript))
    await server.app.close()
  }
  return out
}

t.test('the same seed gives the same bytes, on SQLite and in memory; another seed other ids', async (t) => {
  t.equal(transcripts.length, 5, 'transcripts 01–05')
  for (const store of ['sqlite', 'memory'] as const) {
    const first = await recordAll(t, 42, store)
    const second = await recordAll(t, 42, store)
    for (const [i, { file }] of transcripts.entries()) t.equal(second[i], first[i], `${store}: ${file} byte for byte`)
    t.match(first[0], /"serverTime":1700000000000/, 'the clock stands at the fixed epoch')
    const other = await recordAll(t, 43, store)
    const welcome = (s: string) => s.split('\n')[1]
    t.not(welcome(other[0]!), welcome(first[0]!), `${store}: another seed, another connection id and suggested name`)
    const ids = (s: string) => [...s.matchAll(/"(?:userId|msgId|epoch|session)":"([^"]+)"/g)].map((m) => m[1])
    t.not(ids(other[0]!).join(), ids(first[0]!).join(), `${store}: another seed, other user ids, message ids, session keys and epoch`)
  }
})

t.test('the fake clock fires timers in deadline order, only when advanced past them', async (t) => {
  const clock = new FakeClock(DETERMINISTIC_EPOCH_MS)
  const log: string[] = []
  clock.setTimer(() => log.push(`b@${clock.now() - DETERMINISTIC_EPOCH_MS}`), 200)
  clock.setTimer(() => log.push(`a@${clock.now() - DETERMINISTIC_EPOCH_MS}`), 100)
  const gone = clock.setTimer(() => log.push('never'), 50)
  clock.clearTimer(gone)
  const every = clock.setRepeating(() => log.push(`tick@${clock.now() - DETERMINISTIC_EPOCH_MS}`), 150)
  t.equal(clock.advance(99), 0, 'nothing is due before 100 ms')
  t.equal(clock.advance(250), 4)
  t.same(log, ['a@100', 'tick@150', 'b@200', 'tick@300'])
  clock.clearTimer(every)
  t.equal(clock.pending, 0)
  t.equal(clock.now(), DETERMINISTIC_EPOCH_MS + 349)
})

t.test('the seeded generator repeats per seed', async (t) => {
  const a = seededRandom(7)
  const b = seededRandom(7)
  const c = seededRandom(8)
  const take = (g: () => number) => [g(), g(), g()]
  const first = take(a)
  t.same(take(b), first)
  t.not(take(c).join(), first.join())
})

t.test('DETERMINISTIC_SEED is read from the environment and refused in production', async (t) => {
  t.equal(loadConfig({ DETERMINISTIC_SEED: '12' }).deterministicSeed, 12)
  t.throws(() => loadConfig({ DETERMINISTIC_SEED: '-1' }), /DETERMINISTIC_SEED/)
  t.throws(() => loadConfig({ DETERMINISTIC_SEED: '12', NODE_ENV: 'production' }), /refused when NODE_ENV=production/)
  t.equal(loadConfig({ NODE_ENV: 'production' }).deterministicSeed, undefined)
})

t.test('the clock route exists only in deterministic mode and moves time for the protocol', async (t) => {
  const plain = await startServer(t)
  t.equal((await fetch(`${plain.httpUrl}/_test/clock`, { method: 'POST', body: '{"advanceMs":1}', headers: { 'content-type': 'application/json' } })).status, 404)
  await plain.app.close()
  const server = await startServer(t, { deterministicSeed: 1, store: 'memory' })
  const advanced = await fetch(`${server.httpUrl}/_test/clock`, { method: 'POST', body: '{"advanceMs":1500}', headers: { 'content-type': 'application/json' } })
  t.equal(advanced.status, 200)
  t.match(await advanced.json(), { now: DETERMINISTIC_EPOCH_MS + 1500 })
  const c = new RawClient(server.url)
  await c.opened()
  t.match(JSON.parse(await c.next()), { type: 'welcome', serverTime: DETERMINISTIC_EPOCH_MS + 1500 })
  // The login deadline (10 s by default) fires when the clock passes it, not before.
  await fetch(`${server.httpUrl}/_test/clock`, { method: 'POST', body: '{"advanceMs":9999}', headers: { 'content-type': 'application/json' } })
  c.ws.send(JSON.stringify({ type: 'ping', id: 'p' }))
  t.match(JSON.parse(await c.next()), { type: 'pong', id: 'p' }, 'still open 1 ms before the deadline')
  await fetch(`${server.httpUrl}/_test/clock`, { method: 'POST', body: '{"advanceMs":1}', headers: { 'content-type': 'application/json' } })
  t.match(await c.until(() => c.closed), { code: 4001 })
  const bad = await fetch(`${server.httpUrl}/_test/clock`, { method: 'POST', body: '{"advanceMs":-5}', headers: { 'content-type': 'application/json' } })
  t.equal(bad.status, 400)
})
