// `npm run bench:ceilings`: the shared services' own ceilings for the
// capacity model (docs/capacity.md), measured on this machine's Redis and
// PostgreSQL (127.0.0.1), not through our server:
// - Redis pub/sub: the CPU Redis spends per publish, its sends to the
//   subscribers included, with 1, 4 and 8 subscriber connections each
//   listening to every room channel (as a node with members in every room
//   does), publishes going as fast as the publishers go; from its growth per
//   subscriber, the publishes/s one Redis core carries for a number of nodes.
// - PostgreSQL: our own store (createPostgresStore, the server's schema,
//   search vectors and all) appending chats over many rooms from several
//   concurrent appenders, one chat per call and then the batches a busy room
//   forms (appendChats): messages/s, commits/s (pg_stat_database), the CPU of
//   every PostgreSQL process per message, and bytes on disk per message.
// Redis and PostgreSQL share this machine's two cores with the load, so the
// ceilings are computed from CPU per operation, not read off a saturation.
//   --seconds S    length of each measured window (default 5)
//   --out DIR      where the report goes (default bench/results)
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { Redis } from 'ioredis'
import pg from 'pg'
import { createPostgresStore } from '../server/store/postgres.ts'
import type { ChatInput } from '../server/store/store.ts'
import { cpuMs } from './process.ts'
import { environment } from './report/environment.ts'

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '5' }, out: { type: 'string', default: 'bench/results' } } })
const SECONDS = Number(values.seconds)
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const ROOMS = 1000
/** A room push as Redis carries it for us (broker/redis.ts encodeDelivery): about 300 bytes. */
const PAYLOAD = `42\nc-origin\n\n\n${JSON.stringify({ type: 'chat', room: 'room-0042', seq: 42, msgId: 'm'.repeat(16), userId: 'u-bench', name: 'bench', text: 'x'.repeat(120), ts: Date.now() })}`

/** CPU seconds (user + system) of every process whose command name starts with `comm`. */
function cpuOf(comm: string): number {
  let ms = 0
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').startsWith(comm)) ms += cpuMs(Number(pid))
    } catch {
      // The process ended while we looked.
    }
  }
  return ms / 1000
}

interface RedisRun {
  subscribers: number
  publishes: number
  received: number
  seconds: number
  redisCpu: number
}

async function redisRun(subscribers: number): Promise<RedisRun> {
  const channels = Array.from({ length: ROOMS }, (_, i) => `wirechat-bench:room:${i}`)
  const subs = await Promise.all(
    Array.from({ length: subscribers }, async () => {
      const r = new Redis(REDIS_URL, { lazyConnect: true })
      await r.connect()
      await r.subscribe(...channels)
      return r
    }),
  )
  let received = 0
  for (const s of subs) s.on('message', () => received++)
  const pubs = await Promise.all(
    Array.from({ length: 2 }, async () => {
      const r = new Redis(REDIS_URL, { lazyConnect: true })
      await r.connect()
      return r
    }),
  )
  const cpu0 = cpuOf('redis-server')
  const t0 = performance.now()
  let publishes = 0
  const until = t0 + SECONDS * 1000
  // Each publisher keeps a bounded pipeline in flight, like a busy node.
  await Promise.all(
    pubs.map(async (p, n) => {
      let i = n
      while (performance.now() < until) {
        const batch = p.pipeline()
        for (let k = 0; k < 64; k++) batch.publish(channels[(i += 7) % ROOMS]!, PAYLOAD)
        await batch.exec()
        publishes += 64
      }
    }),
  )
  // Let the subscribers drain what Redis already sent (bounded).
  const expected = publishes * subscribers
  for (let w = 0; w < 100 && received < expected; w++) await new Promise((r) => setTimeout(r, 50))
  const seconds = (performance.now() - t0) / 1000
  const redisCpu = cpuOf('redis-server') - cpu0
  for (const r of [...subs, ...pubs]) r.disconnect()
  return { subscribers, publishes, received, seconds, redisCpu }
}

interface PgRun {
  label: string
  batch: number
  messages: number
  commits: number
  seconds: number
  pgCpu: number
}

async function pgRun(label: string, batch: number, appenders: number, schema: string): Promise<PgRun> {
  const store = createPostgresStore({ url: DATABASE_URL, schema, poolSize: appenders })
  await store.open()
  const admin = new pg.Client({ connectionString: DATABASE_URL })
  await admin.connect()
  const commitsNow = async () => Number((await admin.query<{ n: string }>('SELECT xact_commit AS n FROM pg_stat_database WHERE datname = current_database()')).rows[0]!.n)
  await admin.query('SELECT pg_stat_clear_snapshot()')
  const c0 = await commitsNow()
  const cpu0 = cpuOf('postgres')
  const t0 = performance.now()
  const until = t0 + SECONDS * 1000
  let messages = 0
  let n = 0
  const chat = (room: number): ChatInput => ({
    room: `room-${room}`,
    userId: `u-${n % 500}`,
    name: 'bench',
    text: `message ${n++} about the deploy of the day`,
    ts: Date.now(),
    clientMsgId: `c-${label}-${n}`,
  })
  await Promise.all(
    Array.from({ length: appenders }, async (_, a) => {
      let room = a
      while (performance.now() < until) {
        room = (room + appenders) % ROOMS
        const inputs = Array.from({ length: batch }, () => chat(room))
        const outcomes = await store.appendChats(inputs)
        for (const o of outcomes) if (!o.ok) throw o.error
        messages += batch
      }
    }),
  )
  const seconds = (performance.now() - t0) / 1000
  const pgCpu = cpuOf('postgres') - cpu0
  // Busy backends report their commit counts about once a second, and on exit: count after closing the pool and a moment for the exits.
  await store.close()
  await new Promise((r) => setTimeout(r, 2000))
  await admin.query('SELECT pg_stat_clear_snapshot()')
  const commits = (await commitsNow()) - c0
  await admin.end()
  return { label, batch, messages, commits, seconds, pgCpu }
}

async function pgBytesPerMessage(schema: string): Promise<{ bytes: number; rows: number }> {
  const c = new pg.Client({ connectionString: DATABASE_URL })
  await c.connect()
  await c.query('VACUUM ANALYZE')
  const rows = Number((await c.query<{ n: string }>(`SELECT count(*) AS n FROM "${schema}".messages`)).rows[0]!.n)
  const bytes = Number(
    (
      await c.query<{ b: string }>("SELECT sum(pg_total_relation_size(c.oid)) AS b FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind IN ('r', 'm')", [
        schema,
      ])
    ).rows[0]!.b,
  )
  await c.query(`DROP SCHEMA "${schema}" CASCADE`)
  await c.end()
  return { bytes: bytes / rows, rows }
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits })

const redis = [await redisRun(1), await redisRun(4), await redisRun(8)]
/** Redis CPU per publish, its sends to the subscribers included. */
const perPublish = (r: RedisRun) => r.redisCpu / r.publishes
// How that cost grows per subscribed node: the slope from 1 to 8 subscribers
// (Redis writes a subscriber's messages in bulk, so it grows slowly; never taken below 0).
const [r1, , r8] = redis as [RedisRun, RedisRun, RedisRun]
const perNode = Math.max(0, (perPublish(r8) - perPublish(r1)) / 7)
const ceiling = (nodes: number) => 1 / (perPublish(r1) + (nodes - 1) * perNode)

const schema = `wirechat_ceiling_${process.pid}`
const pgRuns = [await pgRun('one chat per call', 1, 8, schema), await pgRun('batches of 8 (a busy room)', 8, 8, schema)]
const disk = await pgBytesPerMessage(schema)

const env = environment(process.argv.slice(2), false)
const lines = [
  '# Shared services: their own ceilings',
  '',
  `Date ${env.date}; Node ${env.node}; ${env.cpuModel}; measured windows of ${SECONDS} s. Redis and PostgreSQL are this machine's (127.0.0.1), sharing its two cores with the load, so ceilings are computed from CPU per operation.`,
  '',
  '## Redis pub/sub',
  '',
  `2 publisher connections publishing ~${PAYLOAD.length}-byte pushes over ${ROOMS} room channels, pipelined; each subscriber connection listens to every channel (a node with members in every room).`,
  '',
  '| subscriber connections | publishes/s | messages sent/s | Redis CPU (% of a core) | Redis CPU per publish, sends included (µs) |',
  '|--:|--:|--:|--:|--:|',
  ...redis.map((r) => `| ${r.subscribers} | ${fmt(r.publishes / r.seconds)} | ${fmt(r.received / r.seconds)} | ${fmt((100 * r.redisCpu) / r.seconds)} | ${fmt(perPublish(r) * 1e6, 2)} |`),
  '',
  `${redis.every((r) => r.redisCpu / r.seconds < 0.9) ? 'Redis stayed below 90 % of a core: the publishers and subscribers on the same two cores, not Redis, were the limit. ' : ''}Each subscribed node adds about ${fmt(perNode * 1e6, 3)} µs per publish (the slope from 1 to 8 subscribers), so one Redis core carries about ${[
    1, 5, 10, 18, 40,
  ]
    .map((n) => `**${fmt(ceiling(n))}** publishes/s with ${n} node${n > 1 ? 's' : ''} subscribed`)
    .join(', ')} (extrapolated linearly past 8).`,
  '',
  '## PostgreSQL (our store)',
  '',
  `8 concurrent appenders over ${ROOMS} rooms through createPostgresStore (the server's schema: messages, search vectors, rooms.head, dedup index), synchronous_commit as the server leaves it (on).`,
  '',
  '| shape | messages/s | commits/s | messages per commit | PostgreSQL CPU per message (µs) |',
  '|---|--:|--:|--:|--:|',
  ...pgRuns.map((r) => `| ${r.label} | ${fmt(r.messages / r.seconds)} | ${fmt(r.commits / r.seconds)} | ${fmt(r.messages / Math.max(1, r.commits), 2)} | ${fmt((r.pgCpu / r.messages) * 1e6, 1)} |`),
  '',
  `On disk: **${fmt(disk.bytes)} bytes per message** (tables and indexes of the schema after VACUUM ANALYZE, ${fmt(disk.rows)} messages).`,
  '',
]
const outDir = resolve(values.out!)
mkdirSync(outDir, { recursive: true })
const file = join(outDir, `ceilings-${env.date.replace(/[:]/g, '').replace(/\..*$/, '')}.md`)
writeFileSync(file, `${lines.join('\n')}\n`)
process.stdout.write(`${lines.join('\n')}\nwrote ${file}\n`)
