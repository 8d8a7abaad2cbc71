// Services the contract suites talk to, on loopback unless the environment
// says otherwise. A service that cannot be reached fails the suite: it is
// never skipped (CI starts both; see .ci/run).
import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import pg from 'pg'

interface Failable {
  fail(message: string): unknown
}

/** Redis of the contract suites (REDIS_URL, default redis://127.0.0.1:6379). */
export const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
/** PostgreSQL of the contract suites (DATABASE_URL, default the local `test` database). */
export const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

/** A name part unique to this run: keys, channels and schemas carry it, so runs never meet. */
export const uniqueName = (label: string): string => `${label}_${process.pid}_${randomBytes(4).toString('hex')}`

const hint = process.env.CI ? '(CI must provide it: .ci/run starts it)' : '(start it, or point the URL elsewhere)'

/** Fails `t` and returns false when Redis does not answer PING within 2 s. */
export async function requireRedis(t: Failable): Promise<boolean> {
  const client = new Redis(redisUrl, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 2000 })
  client.on('error', () => {})
  try {
    await client.connect()
    await client.ping()
    return true
  } catch (err) {
    t.fail(`Redis is required at ${redisUrl} ${hint}: ${(err as Error).message}`)
    return false
  } finally {
    client.disconnect()
  }
}

/** Fails `t` and returns false when PostgreSQL cannot be queried within 2 s. */
export async function requirePostgres(t: Failable): Promise<boolean> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 2000 })
  try {
    await client.connect()
    await client.query('SELECT 1')
    return true
  } catch (err) {
    t.fail(`PostgreSQL is required at ${databaseUrl} ${hint}: ${(err as Error).message}`)
    return false
  } finally {
    await client.end().catch(() => {})
  }
}

/** Drops a schema and everything in it. */
export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`)
  } finally {
    await client.end()
  }
}

/** Deletes every key matching `prefix*` (SCAN, never KEYS) and returns how many. */
export async function deleteKeys(prefix: string): Promise<number> {
  const client = new Redis(redisUrl, { maxRetriesPerRequest: 1 })
  let deleted = 0
  try {
    let cursor = '0'
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`, 'COUNT', 500)
      cursor = next
      if (keys.length > 0) deleted += await client.del(...keys)
    } while (cursor !== '0')
  } finally {
    await client.quit()
  }
  return deleted
}

/** Resolves once `check` is true, polling every 10 ms; rejects after `timeoutMs`. */
export async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

/** Closes the connections named `name` on the contract Redis (CLIENT KILL ID): a network fault for one client only. */
export async function killRedisConnection(name: string): Promise<number> {
  const client = new Redis(redisUrl, { maxRetriesPerRequest: 1 })
  try {
    const list = (await client.client('LIST')) as string
    const ids = list
      .split('\n')
      .filter((line) => line.includes(` name=${name} `))
      .map((line) => /\bid=(\d+)/.exec(line)![1]!)
    for (const id of ids) await client.client('KILL', 'ID', id)
    return ids.length
  } finally {
    await client.quit()
  }
}

/** A loopback port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const { createServer } = await import('node:net')
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}
