// The application: picks the store and broker from the configuration, wires
// the hub, and registers the WebSocket transport, the page and health routes.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import fastifyStatic from '@fastify/static'
import adminApi from './admin/index.ts'
import Fastify, { LogController, type FastifyInstance } from 'fastify'
import { tokenVerifier } from './auth/jwt.ts'
import { createMemoryBroker } from './broker/memory.ts'
import { createRedisBroker } from './broker/redis.ts'
import type { Config } from './config.ts'
import { publishLeft, publishTyping } from './handlers/rooms.ts'
import { staleSiblings } from './http/precompressed.ts'
import securityHeaders, { INSPECTOR_CONTENT_SECURITY_POLICY } from './http/security-headers.ts'
import { channelOf } from './channels.ts'
import { Housekeeping } from './housekeeping.ts'
import { Hub } from './hub.ts'
import { Metrics } from './metrics.ts'
import { createMemoryPresence } from './rooms/presence.ts'
import { createRedisPresence } from './rooms/presence-redis.ts'
import { loadNamespaces } from './namespaces.ts'
import { randomToken } from './store/ids.ts'
import type { Session } from './session/session.ts'
import { createMemoryStore } from './store/memory.ts'
import { createPostgresStore } from './store/postgres.ts'
import { createSqliteStore } from './store/sqlite.ts'
import { disableDeterminism, enableDeterminism } from './determinism.ts'
import testClock from './http/test-clock.ts'
import websocketTransport from './transport/websocket.ts'

declare module 'fastify' {
  interface FastifyInstance {
    hub: Hub<Session>
    housekeeping: Housekeeping
  }
}

const here = fileURLToPath(new URL('.', import.meta.url))

/**
 * Directories served at `/`. The published package carries the page next to its
 * code (server/build.ts copies it to dist/public); in the repository the code
 * runs from server/ (sources), server/dist/ (built) or dist/ (test bundles), and
 * the page is read from client/: public/ holds index.html and the other
 * hand-written files, page-dist/ the bundle.
 */
export function pageDirs(from = here): string[] {
  if (existsSync(join(from, 'public', 'index.html'))) return [join(from, 'public')]
  for (const root of [join(from, '..'), join(from, '..', '..')]) {
    if (existsSync(join(root, 'client', 'public', 'index.html'))) return [join(root, 'client', 'public'), join(root, 'client', 'page-dist')]
  }
  throw new Error(`The chat page was not found next to ${from} (public/index.html) nor in the repository's client/public: build it with \`npm run build\`.`)
}

export interface BuildOptions {
  /** Where log lines go (default stdout); tests pass a stream to read them. */
  logStream?: NodeJS.WritableStream
  /** Folders the page is served from (default: pageDirs()); tests pass a copy laid out like the package's. */
  pageDirs?: string[]
}

export async function buildApp(config: Config, options: BuildOptions = {}): Promise<FastifyInstance> {
  // Per-request lines would log every WebSocket upgrade: connection logs carry what matters.
  const logger = options.logStream === undefined ? { level: config.logLevel } : { level: config.logLevel, stream: options.logStream }
  // trustProxy makes req.ip, req.protocol and req.host follow the proxy's X-Forwarded-* headers.
  const app = Fastify({ logger, trustProxy: config.trustProxy, logController: new LogController({ disableRequestLogging: true }) })
  await app.register(securityHeaders)

  // Before anything draws a random value or reads the clock: the store's epoch is the first.
  // A normal server after a deterministic one in the same process (tests) gets real time back.
  if (config.deterministicSeed === undefined) disableDeterminism()
  const fakeClock = config.deterministicSeed === undefined ? undefined : enableDeterminism(config.deterministicSeed)
  if (fakeClock !== undefined) app.log.warn({ seed: config.deterministicSeed }, 'deterministic mode: seeded ids, fake clock — for tests only')

  tokenVerifier(config) // an unusable JWT key stops the start here, before anything is opened
  const namespaces = loadNamespaces(config.namespacesFile) // so does a bad namespaces file
  const store = config.databaseUrl
    ? createPostgresStore({ url: config.databaseUrl, schema: config.databaseSchema, logger: app.log })
    : config.store === 'memory'
      ? createMemoryStore()
      : createSqliteStore({
          file: join(config.dataDir, 'chat.sqlite'),
          synchronous: config.sqliteSynchronous,
          commitDelayMs: config.commitDelayMs,
          commitBatchTarget: config.commitBatch,
          commitTurns: config.commitTurns,
        })
  await store.open()
  const nodeId = config.nodeId || randomToken(6)
  const broker = config.redisUrl ? createRedisBroker({ url: config.redisUrl, keyPrefix: `${config.clusterPrefix}ch:`, name: `wirechat-${nodeId}`, logger: app.log }) : createMemoryBroker()
  const presence = config.redisUrl
    ? createRedisPresence({ url: config.redisUrl, nodeId, keyPrefix: `${config.clusterPrefix}presence:`, nodeTtlMs: config.presenceTtlMs, logger: app.log })
    : createMemoryPresence()
  let hub: Hub<Session> | undefined
  const metrics = new Metrics({
    loggedInUsers: () => hub?.users.size ?? 0,
    rooms: () => [...(hub?.registry.channels() ?? [])].filter((c) => channelOf(c).kind === 'room').length,
    commitStats: () => store.commitStats?.(),
  })
  hub = new Hub<Session>({ config, store, broker, presence, metrics, log: app.log, namespaces })
  // Users whose last connection was on a node that died (or shut down) leave once, cluster-wide.
  presence.onExpired?.((room, member) => void publishLeft(hub, room, member).catch((err) => app.log.error({ err, room }, 'left alarm publish failed')))
  app.log.info({ nodeId, store: config.databaseUrl ? 'postgres' : config.store, broker: config.redisUrl ? 'redis' : 'memory' }, 'services ready')
  hub.onTypingExpired = (room, userId, origin) => void publishTyping(origin, hub, room, userId, false).catch((err) => app.log.error({ err }, 'typing expiry publish failed'))
  app.decorate('hub', hub)
  const housekeeping = new Housekeeping({ store, namespaces, metrics, log: app.log, intervalMs: config.housekeepingMs, endedSessionKeepMs: config.endedSessionKeepMs })
  housekeeping.start()
  app.decorate('housekeeping', housekeeping)

  await app.register(websocketTransport, { hub, config })
  // The clock's control exists only in deterministic mode: elsewhere /_test/clock is a 404.
  if (fakeClock !== undefined) await app.register(testClock, { clock: fakeClock })
  // Without a token the admin routes do not exist: 404, like any unknown path.
  if (config.adminToken !== undefined) await app.register(adminApi, { prefix: '/admin', hub, token: config.adminToken, nodeId })
  const roots = options.pageDirs ?? pageDirs()
  // The build writes .br and .gz next to the page's files; a client that accepts neither gets the file itself.
  // Checked once here: a page edited after its build is served uncompressed until it is built again.
  const stale = staleSiblings(roots)
  if (stale.length > 0) app.log.warn({ stale: stale.slice(0, 5), count: stale.length }, 'compressed page files older than their originals: serving the page uncompressed; rebuild it')
  await app.register(fastifyStatic, {
    root: roots,
    // A list, not a string: with preCompressed, @fastify/static looks for the index's siblings only in a list (a string answers / with 404).
    index: ['index.html'],
    preCompressed: stale.length === 0,
    // The page's CSP and the other security headers come from the security-headers plugin, like every response's.
  })

  // The protocol inspector: a page of its own, under the same headers as every response but for
  // connect-src, which lets it open sockets to other servers (security-headers.ts).
  app.get('/inspect', (_req, reply) => reply.header('content-security-policy', INSPECTOR_CONTENT_SECURITY_POLICY).sendFile('inspect.html'))
  app.get('/healthz', async () => ({ status: 'ok' }))
  app.get('/metrics', async (_req, reply) => reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()))
  app.get('/readyz', async (_req, reply) => {
    const storeReady = await store.head('lobby').then(
      () => true,
      () => false,
    )
    const checks = { store: storeReady, broker: broker.ready(), presence: presence.ready?.() ?? true }
    const ready = checks.store && checks.broker && checks.presence
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'unavailable', ...checks })
  })

  app.addHook('onClose', async () => {
    housekeeping.stop()
    await housekeeping.idle()
    hub.typing.clear()
    await presence.close?.() // reports this node's remaining users as left, while the broker can still publish
    await broker.close()
    await store.close()
  })
  return app
}
