// The application: picks the store and broker from the configuration, wires
// the hub, and registers the WebSocket transport, the page and health routes.
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import fastifyStatic from '@fastify/static'
import Fastify, { LogController, type FastifyInstance } from 'fastify'
import { createMemoryBroker } from './broker/memory.ts'
import type { Config } from './config.ts'
import { publishTyping } from './handlers/rooms.ts'
import { Hub } from './hub.ts'
import { Metrics } from './metrics.ts'
import { createMemoryPresence } from './rooms/presence.ts'
import type { Session } from './session.ts'
import { createMemoryStore } from './store/memory.ts'
import { createSqliteStore } from './store/sqlite.ts'
import websocketTransport from './transport/websocket.ts'

declare module 'fastify' {
  interface FastifyInstance {
    hub: Hub<Session>
  }
}

const root = fileURLToPath(new URL('..', import.meta.url))

/** Directory served at `/`: index.html and other hand-written files. */
export const pageDir = join(root, 'client', 'public')
/** The built page bundle (client/build.ts), served at `/` next to pageDir. */
export const bundleDir = join(root, 'client', 'dist')

/**
 * Headers of every page file: the page runs only its own script and styles
 * (user text is rendered with textContent; this is the second line of defence).
 */
const pageHeaders = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
}

export interface BuildOptions {
  /** Where log lines go (default stdout); tests pass a stream to read them. */
  logStream?: NodeJS.WritableStream
}

export async function buildApp(config: Config, options: BuildOptions = {}): Promise<FastifyInstance> {
  const logger = options.logStream ? { level: config.logLevel, stream: options.logStream } : { level: config.logLevel }
  // Per-request lines would log every WebSocket upgrade: connection logs carry what matters.
  const app = Fastify({ logger, logController: new LogController({ disableRequestLogging: true }) })

  const store = config.store === 'memory' ? createMemoryStore() : createSqliteStore({ file: join(config.dataDir, 'chat.sqlite') })
  await store.open()
  const broker = createMemoryBroker()
  let hub: Hub<Session> | undefined
  const metrics = new Metrics({
    loggedInUsers: () => hub?.users.size ?? 0,
    rooms: () => [...(hub?.registry.channels() ?? [])].filter((c) => !c.startsWith('@')).length,
  })
  hub = new Hub<Session>({ config, store, broker, presence: createMemoryPresence(), metrics, log: app.log })
  hub.onTypingExpired = (room, userId) => void publishTyping(undefined, hub, room, userId, false).catch((err) => app.log.error({ err }, 'typing expiry publish failed'))
  app.decorate('hub', hub)

  await app.register(websocketTransport, { hub, config })
  await app.register(fastifyStatic, {
    root: [pageDir, bundleDir],
    index: 'index.html',
    setHeaders: (reply) => {
      for (const [name, value] of Object.entries(pageHeaders)) reply.header(name, value)
    },
  })

  app.get('/healthz', async () => ({ status: 'ok' }))
  app.get('/metrics', async (_req, reply) => reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()))
  app.get('/readyz', async (_req, reply) => {
    const ready = broker.ready()
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'unavailable', broker: ready })
  })

  app.addHook('onClose', async () => {
    hub.typing.clear()
    await broker.close()
    await store.close()
  })
  return app
}
