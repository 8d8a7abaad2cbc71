// The /ws route: the only module that touches `ws`. It refuses bad upgrades
// with HTTP errors (never a 101), adapts each socket to a Connection, runs
// the heartbeat, closes slow consumers, and closes everyone with 1001 on shutdown.
import websocket from '@fastify/websocket'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { WebSocket } from 'ws'
import { SUBPROTOCOL } from '../../protocol/index.ts'
import type { Config } from '../config.ts'
import type { Hub } from '../hub.ts'
import { Session, type Connection } from '../session.ts'
import { randomToken } from '../store/ids.ts'
import { isOriginAllowed } from './origin.ts'

export interface TransportOptions {
  hub: Hub<Session>
  config: Config
}

// Query parameters that would put a credential in the URL, where proxies,
// access logs and browser history keep it. Refused whether or not auth is on.
const CREDENTIAL_PARAMS = new Set(['token', 'access_token', 'jwt'])

function hasCredentialInUrl(url: string): boolean {
  const query = url.indexOf('?')
  if (query < 0) return false
  for (const key of new URLSearchParams(url.slice(query + 1)).keys()) if (CREDENTIAL_PARAMS.has(key.toLowerCase())) return true
  return false
}

function offeredProtocols(req: FastifyRequest): string[] | undefined {
  const header = req.headers['sec-websocket-protocol']
  if (header === undefined) return undefined
  return header.split(',').map((p) => p.trim()).filter(Boolean)
}

async function websocketTransport(app: FastifyInstance, { hub, config }: TransportOptions): Promise<void> {
  const alive = new WeakMap<WebSocket, boolean>()
  const perAddress = new Map<string, number>()
  let open = 0

  // A room push reaches every member as the same string, one send after
  // another (hub dispatch). Encoding it to UTF-8 once and handing ws the bytes
  // saves a byteLength scan and an encode per recipient; a one-entry cache is
  // enough because the same string object arrives in a run.
  let lastText: string | undefined
  let lastBytes: Buffer = Buffer.alloc(0)
  function bytesOf(text: string): Buffer {
    if (text !== lastText) {
      lastText = text
      lastBytes = Buffer.from(text, 'utf8')
    }
    return lastBytes
  }

  await app.register(websocket, {
    options: {
      maxPayload: config.maxFrameBytes,
      // ws counts every data frame of a message, empty ones too, and closes with 1008 past this.
      maxFragments: config.maxFragments,
      perMessageDeflate: false,
      // A client that offers no subprotocol at all is served chat.v1 (minimal
      // clients); one that offers only others was refused in `guard`.
      handleProtocols: (protocols) => (protocols.has(SUBPROTOCOL) ? SUBPROTOCOL : false),
    },
    preClose(done) {
      const server = app.websocketServer
      for (const client of server.clients) client.close(1001, 'going-away')
      const deadline = setTimeout(() => {
        for (const client of server.clients) client.terminate()
      }, config.shutdownGraceMs)
      const check = setInterval(() => {
        if (server.clients.size > 0) return
        clearInterval(check)
        clearTimeout(deadline)
        server.close(() => done())
      }, 10)
    },
  })

  function refuse(reply: FastifyReply, status: number, error: string, message: string, extra: Record<string, unknown> = {}) {
    return reply.code(status).header('connection', 'close').send({ error, message, ...extra })
  }

  // Runs before the upgrade: a refusal is a plain HTTP answer.
  async function guard(req: FastifyRequest, reply: FastifyReply) {
    if (hasCredentialInUrl(req.url)) {
      return refuse(reply, 400, 'token-in-url', 'Send the token in the login frame, never in the URL.')
    }
    const offered = offeredProtocols(req)
    if (offered !== undefined && !offered.includes(SUBPROTOCOL)) {
      return refuse(reply, 400, 'unsupported-subprotocol', `Offer the "${SUBPROTOCOL}" subprotocol.`, { supported: [SUBPROTOCOL] })
    }
    if (!isOriginAllowed(req.headers.origin, req.headers.host, config.allowedOrigins)) {
      return refuse(reply, 403, 'origin-not-allowed', 'This origin may not open a chat connection.')
    }
    if (open >= config.maxConnections) return refuse(reply, 503, 'server-full', 'Too many connections; try again later.')
    if ((perAddress.get(req.ip) ?? 0) >= config.maxConnectionsPerIp) {
      return refuse(reply, 429, 'too-many-connections', 'Too many connections from this address.')
    }
  }

  app.get('/ws', { websocket: true, preValidation: guard }, (socket, req) => {
    const address = req.ip
    open++
    perAddress.set(address, (perAddress.get(address) ?? 0) + 1)
    alive.set(socket, true)

    const conn: Connection = {
      id: randomToken(9),
      send(text) {
        if (socket.readyState !== socket.OPEN) return
        if (socket.bufferedAmount > config.maxBufferedBytes) {
          // Closing stops all further sends; what is already queued is the bound.
          session.log.warn({ bufferedBytes: socket.bufferedAmount }, 'slow consumer closed')
          hub.metrics.slowConsumers.inc()
          socket.close(4100, 'slow-consumer')
          return
        }
        socket.send(bytesOf(text), { binary: false })
      },
      close(code, reason) {
        if (socket.readyState === socket.OPEN || socket.readyState === socket.CONNECTING) socket.close(code, reason)
      },
    }
    const session = new Session(conn, hub)
    hub.metrics.connections.inc()

    socket.on('message', (data, isBinary) => {
      if (isBinary) return conn.close(1003, 'unsupported-data')
      session.receive(data.toString())
    })
    socket.on('pong', () => alive.set(socket, true))
    socket.on('error', (err) => session.log.debug({ err }, 'websocket error'))
    socket.on('close', (code) => {
      open--
      const left = (perAddress.get(address) ?? 1) - 1
      if (left === 0) perAddress.delete(address)
      else perAddress.set(address, left)
      hub.metrics.connections.dec()
      hub.metrics.closes.inc({ code })
      session.log.info({ code }, 'connection closed')
      session.closed()
    })
    session.start()
  })

  // One timer for all sockets: a peer that missed the previous ping is gone.
  const heartbeat = setInterval(() => {
    for (const socket of app.websocketServer.clients) {
      if (alive.get(socket) === false) {
        socket.terminate()
        continue
      }
      alive.set(socket, false)
      socket.ping()
    }
  }, config.heartbeatMs)
  heartbeat.unref()
  app.addHook('onClose', async () => clearInterval(heartbeat))
}

export default fp(websocketTransport, { name: 'websocket-transport' })
