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

/** Directory served at `/`. */
export const pageDir = join(root, 'client', 'public')

export async function buildApp(config: Config): Promise<FastifyInstance> {
  // Per-request lines would log every WebSocket upgrade: connection logs carry what matters.
  const app = Fastify({ logger: { level: config.logLevel }, logController: new LogController({ disableRequestLogging: true }) })

  const store = config.store === 'memory' ? createMemoryStore() : createSqliteStore({ file: join(config.dataDir, 'chat.sqlite') })
  await store.open()
  const broker = createMemoryBroker()
  const hub = new Hub<Session>({ config, store, broker, presence: createMemoryPresence(), log: app.log })
  hub.onTypingExpired = (room, userId, origin) => void publishTyping(origin, hub, room, userId, false).catch((err) => app.log.error({ err }, 'typing expiry publish failed'))
  app.decorate('hub', hub)

  await app.register(websocketTransport, { hub, config })
  await app.register(fastifyStatic, { root: pageDir, index: 'index.html' })

  app.get('/healthz', async () => ({ status: 'ok' }))
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
