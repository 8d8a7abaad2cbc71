// `npm run bench:history -- --messages 1000000`: how our server's costs grow
// with the history it stores (issue 15, "how cost grows"). Seeds a SQLite file
// with N messages over R rooms (the server's own schema, search index and all,
// written straight into the file: sending them would take hours), then starts
// our server on it with its defaults and measures, over real WebSockets on
// 127.0.0.1: start-up time, join (snapshot) latency, resume of 100 and 1,000
// missed messages, history page latency, search latency (a rare word, a common
// one, a Korean one), and bytes on disk per message. Socket.IO keeps no
// history, so there is no peer to set beside these figures; the table reports
// each at two sizes when run twice (--messages 1000000, then 10000000).
//   --messages N   stored messages (default 1,000,000)
//   --rooms R      rooms they are spread over, round robin (default 100)
//   --samples K    requests per latency figure (default 30)
//   --out DIR      where the report goes (default bench/results)
//   --keep DIR     seed into DIR and keep it (a second run with the same DIR reuses it)
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import Database from 'better-sqlite3'
import WebSocket from 'ws'
import { SUBPROTOCOL } from '@wirechat/protocol'
import { INDEX_STORED_MESSAGES, registerSearchFunctions } from '../server/store/sqlite-search.ts'
import { createSqliteStore } from '../server/store/sqlite.ts'
import { environment } from './report/environment.ts'
import { startServer } from './scenarios/harness.ts'

const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '1000000' },
    rooms: { type: 'string', default: '100' },
    samples: { type: 'string', default: '30' },
    out: { type: 'string', default: 'bench/results' },
    keep: { type: 'string' },
  },
})
const MESSAGES = Number(values.messages)
const ROOMS = Number(values.rooms)
const SAMPLES = Number(values.samples)
if (!(MESSAGES >= ROOMS * 1_100) || !(ROOMS >= 20)) throw new Error('need at least 20 rooms and 1,100 messages per room (resume of 1,000)')

const room = (i: number) => `r${String(i).padStart(4, '0')}`
const WORDS =
  'the a of to and in is it that for on with as at be this have from or one had by word but not what all were we when your can said there use an each which she do how their if will up other about out many then them these so some her would make like him into time has look two more write go see number no way could people my than first water been call who oil its now find long down day did get come made may part'.split(
    ' ',
  )
const COMMON = 'deploy' // in 1 of 20 messages
const RARE = 'pelican' // in 1 of 100,000
const KOREAN = '회의' // with a particle, in 1 of 50: 회의가, 회의는, 회의를

/** Message n's text: 6–20 words, deterministic. */
function text(n: number): string {
  let x = (n * 2654435761) >>> 0
  const next = () => {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    return (x >>> 0) % 1_000_000
  }
  const words: string[] = []
  for (let i = 6 + (next() % 15); i > 0; i--) words.push(WORDS[next() % WORDS.length]!)
  if (n % 20 === 0) words.splice(next() % words.length, 0, COMMON)
  if (n % 100_000 === 7) words.push(RARE)
  if (n % 50 === 3) words.unshift(`${KOREAN}${['가', '는', '를'][n % 3]}`)
  return words.join(' ')
}

async function seed(dir: string): Promise<{ seconds: number }> {
  const file = join(dir, 'chat.sqlite')
  // The server's schema, migrations and search index, as a first start makes them.
  const store = createSqliteStore({ file })
  await store.open()
  await store.close()
  const started = performance.now()
  const db = new Database(file)
  registerSearchFunctions(db) // the search index's statements call them
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = OFF')
  const insert = db.prepare('INSERT INTO messages (room, seq, msg_id, user_id, name, text, ts) VALUES (?, ?, ?, ?, ?, ?, ?)')
  const t0 = Date.now() - MESSAGES * 50
  const batch = db.transaction((from: number, to: number) => {
    for (let n = from; n < to; n++) {
      const user = n % 500
      insert.run(room(n % ROOMS), Math.floor(n / ROOMS) + 1, `m${n.toString(36)}`, `u_seed${user}`, `user${user}`, text(n), t0 + n * 50)
    }
  })
  const STEP = 50_000
  for (let n = 0; n < MESSAGES; n += STEP) {
    batch(n, Math.min(MESSAGES, n + STEP))
    if (n % 1_000_000 === 0) process.stderr.write(`  seeded ${n.toLocaleString('en')} of ${MESSAGES.toLocaleString('en')}\n`)
  }
  // Appends are indexed by the store's batches, not by a trigger (schema 7): index the seeded rows at once.
  db.exec(INDEX_STORED_MESSAGES)
  db.pragma('wal_checkpoint(TRUNCATE)')
  db.close()
  return { seconds: (performance.now() - started) / 1000 }
}

function bytesOnDisk(dir: string): number {
  return readdirSync(dir)
    .filter((f) => f.startsWith('chat.sqlite'))
    .reduce((sum, f) => sum + statSync(join(dir, f)).size, 0)
}

/** One protocol connection: requests with ids, pushes collected. */
class Wire {
  readonly ws: WebSocket
  #next = 1
  readonly #waiting = new Map<string, (frame: Record<string, unknown>) => void>()
  #onPush: ((frame: Record<string, unknown>) => void) | undefined

  constructor(url: string) {
    this.ws = new WebSocket(url.replace(/^http/, 'ws') + '/ws', [SUBPROTOCOL])
    this.ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as Record<string, unknown>
      const id = frame.id as string | undefined
      if (id !== undefined && this.#waiting.has(id)) {
        this.#waiting.get(id)!(frame)
        this.#waiting.delete(id)
      } else this.#onPush?.(frame)
    })
  }

  opened(): Promise<void> {
    return new Promise((resolve, reject) => this.ws.once('open', () => resolve()).once('error', reject))
  }

  request(frame: Record<string, unknown>, timeoutMs = 30_000): Promise<Record<string, unknown>> {
    const id = `q${this.#next++}`
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no reply to ${frame.type} within ${timeoutMs} ms`)), timeoutMs)
      this.#waiting.set(id, (reply) => {
        clearTimeout(timer)
        if (reply.type === 'error') reject(new Error(`${frame.type}: ${reply.code} ${reply.message}`))
        else resolve(reply)
      })
      this.ws.send(JSON.stringify({ ...frame, id }))
    })
  }

  onPush(fn: ((frame: Record<string, unknown>) => void) | undefined): void {
    this.#onPush = fn
  }

  close(): void {
    this.ws.close()
  }
}

async function login(url: string, name: string, extra: Record<string, unknown> = {}): Promise<{ wire: Wire; ok: Record<string, unknown> }> {
  const wire = new Wire(url)
  await wire.opened()
  const ok = await wire.request({ type: 'login', name, version: '1.3.0', rooms: [], ...extra })
  return { wire, ok }
}

interface Figure {
  label: string
  samples: number[]
}

const timed = async (work: () => Promise<unknown>): Promise<number> => {
  const t0 = performance.now()
  await work()
  return performance.now() - t0
}

function quantileOf(xs: number[], q: number): number {
  const sorted = [...xs].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!
}

async function measure(url: string): Promise<Figure[]> {
  const figures: Figure[] = []
  const { wire } = await login(url, 'bench')
  // Join: the snapshot of the newest page (and the unread counts of a new member).
  const join: number[] = []
  for (let i = 0; i < Math.min(SAMPLES, ROOMS); i++) join.push(await timed(() => wire.request({ type: 'join-room', room: room(i) })))
  figures.push({ label: 'join-room (snapshot of 100)', samples: join })

  // History pages at random depths.
  const perRoom = Math.floor(MESSAGES / ROOMS)
  const pages: number[] = []
  for (let i = 0; i < SAMPLES; i++) {
    const before = 2 + Math.floor((((i * 7919) % 1000) / 1000) * (perRoom - 1))
    pages.push(await timed(() => wire.request({ type: 'history', room: room(i % Math.min(SAMPLES, ROOMS)), before, limit: 100 })))
  }
  figures.push({ label: 'history page of 100, random depth', samples: pages })

  // Search over the rooms the user belongs to (the ones joined above).
  for (const [label, query] of [
    [`search a rare word (${RARE}, 1 in 100,000)`, RARE],
    [`search a common word (${COMMON}, 1 in 20)`, COMMON],
    [`search a Korean word inside longer ones (${KOREAN}, 1 in 50)`, KOREAN],
  ] as const) {
    const xs: number[] = []
    let hits = 0
    for (let i = 0; i < Math.max(5, Math.floor(SAMPLES / 3)); i++) {
      xs.push(await timed(async () => (hits = ((await wire.request({ type: 'search', query, limit: 20 })) as { hits: unknown[] }).hits.length)))
    }
    figures.push({ label: `${label}: ${hits} hits on the page`, samples: xs })
  }
  const epoch = ((await wire.request({ type: 'history', room: room(0), limit: 1 })) as { epoch: string }).epoch
  wire.close()

  // Resume: a returning client with a position `missed` behind the head; the time until the last replayed push.
  for (const missed of [100, 1000]) {
    const xs: number[] = []
    for (let i = 0; i < Math.min(10, ROOMS); i++) {
      const r = room(ROOMS - 1 - i)
      const head = perRoom
      const wire2 = new Wire(url)
      await wire2.opened()
      let seen = 0
      const done = new Promise<void>((resolve) =>
        wire2.onPush((frame) => {
          if (frame.type === 'chat' && ++seen === missed) resolve()
        }),
      )
      const t0 = performance.now()
      const ok = (await wire2.request({ type: 'login', name: `resumer${missed}-${i}`, version: '1.3.0', rooms: [{ room: r, since: { epoch, seq: head - missed } }] })) as {
        rooms: Array<{ resume?: { resumed: boolean; missed: number } }>
      }
      if (!ok.rooms[0]?.resume?.resumed) throw new Error(`resume of ${missed} was refused: ${JSON.stringify(ok.rooms[0]?.resume)}`)
      await done
      xs.push(performance.now() - t0)
      wire2.close()
    }
    figures.push({ label: `resume of ${missed} missed (login → last replayed push)`, samples: xs })
  }
  return figures
}

const ms = (x: number) => (x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0))

async function main(): Promise<void> {
  const dir = values.keep !== undefined ? resolve(values.keep) : mkdtempSync(join(tmpdir(), 'wirechat-history-'))
  mkdirSync(dir, { recursive: true })
  const load0 = loadavg()[0]!
  let seeded: { seconds: number } | undefined
  if (!existsSync(join(dir, 'chat.sqlite'))) {
    process.stderr.write(`seeding ${MESSAGES.toLocaleString('en')} messages over ${ROOMS} rooms into ${dir}\n`)
    seeded = await seed(dir)
  }
  const bytes = bytesOnDisk(dir)
  const t0 = performance.now()
  const server = await startServer('wirechat', { wirechatNodeArgs: [], wirechatEnv: { DATA_DIR: dir, HISTORY_PAGE_MAX: '100', JOIN_RATE_PER_SECOND: '1000', JOIN_BURST: '1000' }, reuse: false })
  const startup = performance.now() - t0
  let figures: Figure[]
  try {
    const first = await timed(() => login(server.url, 'first').then(({ wire }) => wire.close()))
    figures = [{ label: 'first login after start', samples: [first] }, ...(await measure(server.url))]
  } finally {
    await server.stop()
    if (values.keep === undefined) rmSync(dir, { recursive: true, force: true })
  }
  const env = environment(process.argv.slice(2), false)
  const lines = [
    `# wirechat history size: ${MESSAGES.toLocaleString('en')} stored messages`,
    '',
    `| | |`,
    `|---|---|`,
    `| Date | ${new Date().toISOString()} |`,
    `| Node | ${process.version} |`,
    `| CPU | ${env.cpuModel}, ${env.cores} cores |`,
    `| Load average at start | ${load0.toFixed(2)} (other work on the machine: figures are indicative) |`,
    `| History | ${MESSAGES.toLocaleString('en')} messages over ${ROOMS} rooms (${Math.floor(MESSAGES / ROOMS).toLocaleString('en')} each), 6–20 words each, search index included |`,
    `| Server | defaults (SQLite, synchronous=FULL) but the request and join rates of one client raised (the bench's one connection asks fast) |`,
    '',
    '| Figure | value |',
    '|---|--:|',
    `| bytes on disk per message (file + WAL, search index included) | ${Math.round(bytes / MESSAGES)} |`,
    `| file size | ${(bytes / 2 ** 20).toFixed(0)} MiB |`,
    ...(seeded ? [`| seeding (direct inserts, index triggers on) | ${seeded.seconds.toFixed(0)} s |`] : []),
    `| start-up: spawn → listening | ${ms(startup)} ms |`,
    '',
    `| Latency (ms), end to end on 127.0.0.1 | samples | p50 | p95 | max |`,
    '|---|--:|--:|--:|--:|',
    ...figures.map((f) => `| ${f.label} | ${f.samples.length} | ${ms(quantileOf(f.samples, 0.5))} | ${ms(quantileOf(f.samples, 0.95))} | ${ms(Math.max(...f.samples))} |`),
    '',
  ]
  const report = lines.join('\n')
  process.stdout.write(report)
  const outDir = resolve(values.out!)
  mkdirSync(outDir, { recursive: true })
  const name = `history-${MESSAGES >= 1e6 ? `${MESSAGES / 1e6}M` : MESSAGES}-${new Date().toISOString().replace(/[:.]/g, '').slice(0, 15)}.md`
  writeFileSync(join(outDir, name), report)
  process.stderr.write(`wrote ${join(outDir, name)}\n`)
}

await main()
