// Starts N server processes as one chat: Redis (shared machine instance or a
// private one) with a unique key prefix, PostgreSQL in a throwaway schema.
// Everything it creates is removed in teardown.
import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import { startChildServer, type ChildServer } from '../helpers/child-server.ts'
import { TEST_DATABASE_URL, throwawaySchema } from '../helpers/postgres.ts'
import type { Teardown } from '../helpers/server.ts'

export const MACHINE_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'

export interface Cluster {
  nodes: ChildServer[]
  env: Record<string, string>
  /** Starts one more node with the same settings (e.g. to replace a killed one). */
  addNode(name: string): Promise<ChildServer>
}

async function deleteKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null })
  redis.on('error', () => {})
  try {
    await redis.connect()
    let cursor = '0'
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500)
      if (keys.length > 0) await redis.del(...keys)
      cursor = next
    } while (cursor !== '0')
  } catch {
    // A private Redis already stopped holds nothing.
  } finally {
    redis.disconnect()
  }
}

export async function startCluster(t: Teardown, count: number, options: { redisUrl?: string; env?: Record<string, string> } = {}): Promise<Cluster> {
  const redisUrl = options.redisUrl ?? MACHINE_REDIS_URL
  const prefix = `wc-test-${randomBytes(4).toString('hex')}:`
  const schema = await throwawaySchema(t)
  t.teardown(() => deleteKeys(redisUrl, prefix))
  const env: Record<string, string> = {
    REDIS_URL: redisUrl,
    DATABASE_URL: TEST_DATABASE_URL,
    DATABASE_SCHEMA: schema,
    CLUSTER_PREFIX: prefix,
    PRESENCE_TTL_MS: '1500',
    GAP_TIMEOUT_MS: '100',
    RATE_PER_SECOND: '10000',
    RATE_BURST: '10000',
    LOG_LEVEL: 'info',
    SHUTDOWN_GRACE_MS: '500',
    SCRYPT_COST: '10',
    ...options.env,
  }
  const addNode = (name: string) => startChildServer(t, { ...env, NODE_ID: name })
  // The first node runs the migrations; the others then start together.
  const first = await addNode('node-a')
  const rest = await Promise.all(Array.from({ length: count - 1 }, (_, i) => addNode(`node-${String.fromCharCode(98 + i)}`)))
  return { nodes: [first, ...rest], env, addNode }
}
