// Redis connections for the broker and presence: fail fast instead of queueing.
// ioredis would otherwise hold commands while disconnected and replay them on
// reconnect, so a caller would wait (or get a late, doubled publish) instead
// of answering a retryable error at once.
import { Redis } from 'ioredis'
import type { ServiceLogger } from '../service-logger.ts'

export interface RedisClientOptions {
  /** redis://host:port/db */
  url: string
  /** CLIENT SETNAME, shown by CLIENT LIST. */
  name: string
  /** Longest wait for a reply before the command rejects, ms. */
  commandTimeoutMs: number
  logger?: ServiceLogger | undefined
}

/**
 * Opens a connection that rejects commands while it is not ready, rejects
 * in-flight commands when the connection drops, never resends them, and keeps
 * reconnecting (backoff 50 ms doubling to 2 s). Logs one line when the
 * connection is lost and one when it is back, not one per retry.
 */
export function createRedisClient(options: RedisClientOptions): Redis {
  const client = new Redis(options.url, {
    connectionName: options.name,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    commandTimeout: options.commandTimeoutMs,
    connectTimeout: Math.max(1000, options.commandTimeoutMs),
    retryStrategy: (times) => Math.min(2000, 50 * 2 ** Math.min(times, 6)),
  })
  let up = false
  let reported = false
  client.on('ready', () => {
    if (reported) options.logger?.info({ redis: options.name }, 'redis connection restored')
    up = true
    reported = false
  })
  // Without an 'error' listener ioredis prints every failed retry to the console.
  client.on('error', (err: Error) => {
    if (reported) return
    reported = true
    options.logger?.warn({ redis: options.name, err: err.message, wasUp: up }, 'redis connection failing')
  })
  client.on('close', () => {
    if (up && !reported) {
      reported = true
      options.logger?.warn({ redis: options.name }, 'redis connection lost')
    }
    up = false
  })
  return client
}

/** Closes a connection politely when it is up, at once when it is not; resolves when it has ended. */
export async function closeRedisClient(client: Redis, timeoutMs = 1000): Promise<void> {
  if (client.status === 'end') return
  const ended = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, timeoutMs)
    client.once('end', () => {
      clearTimeout(timer)
      resolve()
    })
  })
  if (client.status === 'ready') await client.quit().catch(() => client.disconnect())
  else client.disconnect()
  await ended
}
