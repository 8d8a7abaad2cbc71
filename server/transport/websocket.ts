// The /ws route: the only module that touches `ws`. It refuses bad upgrades
// with HTTP errors (never a 101), adapts each socket to a Connection, runs
// the heartbeat, closes slow consumers, and closes everyone with 1001 on shutdown.
import { clearTimer, setRepeating } from '../determinism.ts'
import websocket from '@fastify/websocket'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import type { RawData, WebSocket } from 'ws'
import { SUBPROTOCOL } from '@wirechat/protocol'
import type { Config } from '../config.ts'
import type { Hub } from '../hub.ts'
import { Session, type Connection } from '../session/session.ts'
import { randomToken } from '../store/ids.ts'
import { isOriginAllowed, ownOrigin } from './origin.ts'

const kConnection = Symbol('wirechat.connection')

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
  return header
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
}

async function websocketTransport(app: FastifyInstance, { hub, config }: TransportOptions): Promise<void> {
  const perAddress = new Map<string, number>()
  let open = 0

  // A room push reaches every member as the same string, one send after
  // another (hub dispatch). Server frames are unmasked, so the whole
  // WebSocket frame (header + UTF-8 payload) is the same bytes for every
  // recipient: it is built once and written to each TCP socket as one buffer,
  // instead of ws framing it per recipient (options object, header buffer,
  // cork, two-buffer writev). A one-entry cache is enough because the same
  // string object arrives in a run. Writing past ws's Sender is safe here:
  // it only queues frames while compressing (perMessageDeflate is off) or
  // reading a Blob (we never send one), so its writes and ours stay in order.
  let lastText: string | undefined
  let lastFrame: Buffer = Buffer.alloc(0)
  function frameOf(text: string): Buffer {
    if (text !== lastText) {
      lastText = text
      const length = Buffer.byteLength(text, 'utf8')
      const headerBytes = length < 126 ? 2 : length < 65536 ? 4 : 10
      const frame = Buffer.allocUnsafe(headerBytes + length)
      frame[0] = 0x81 // FIN + text opcode
      if (length < 126) {
        frame[1] = length
      } else if (length < 65536) {
        frame[1] = 126
        frame.writeUInt16BE(length, 2)
      } else {
        frame[1] = 127
        frame.writeUInt32BE(0, 2)
        frame.writeUInt32BE(length, 6)
      }
      frame.write(text, headerBytes, 'utf8')
      lastFrame = frame
    }
    return lastFrame
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
      // Through the session, so it stops handling frames while the close handshake runs.
      for (const client of server.clients) {
        const conn = connOf(client)
        if (conn === undefined)
          client.close(1001, 'going-away') // still upgrading
        else conn.session.close(1001)
      }
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
    return reply
      .code(status)
      .header('connection', 'close')
      .send({ error, message, ...extra })
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
    if (!isOriginAllowed(req.headers.origin, ownOrigin(req), config.allowedOrigins)) {
      return refuse(reply, 403, 'origin-not-allowed', 'This origin may not open a chat connection.')
    }
    if (open >= config.maxConnections) return refuse(reply, 503, 'server-full', 'Too many connections; try again later.')
    if ((perAddress.get(req.ip) ?? 0) >= config.maxConnectionsPerIp) {
      return refuse(reply, 429, 'too-many-connections', 'Too many connections from this address.')
    }
  }

  // One connection object per socket and shared listeners that find it
  // through a symbol, instead of five closures (and their context) per socket.
  class WsConnection implements Connection {
    readonly id = randomToken(9)
    /** False once a ping went unanswered (ws's isAlive pattern). */
    alive = true
    readonly socket: WebSocket
    readonly address: string
    session!: Session

    constructor(socket: WebSocket, address: string) {
      this.socket = socket
      this.address = address
    }

    send(text: string): void {
      const { socket } = this
      if (socket.readyState !== socket.OPEN) return
      if (socket.bufferedAmount > config.maxBufferedBytes) {
        // Closing stops all further sends; what is already queued is the bound.
        this.session.log.warn({ bufferedBytes: socket.bufferedAmount }, 'slow consumer closed')
        hub.metrics.slowConsumers.inc()
        this.session.close(4100)
        return
      }
      ;(socket as WebSocket & { _socket: Socket })._socket.write(frameOf(text))
    }

    close(code: number, reason: string): void {
      const { socket } = this
      if (socket.readyState === socket.OPEN || socket.readyState === socket.CONNECTING) socket.close(code, reason)
    }
  }

  const connOf = (socket: WebSocket): WsConnection => (socket as WebSocket & { [kConnection]: WsConnection })[kConnection]

  function onMessage(this: WebSocket, data: RawData, isBinary: boolean): void {
    const conn = connOf(this)
    if (isBinary) return conn.close(1003, 'unsupported-data')
    conn.session.receive(data.toString())
  }
  function onPong(this: WebSocket): void {
    connOf(this).alive = true
  }
  function onError(this: WebSocket, err: Error): void {
    connOf(this).session.log.debug({ err }, 'websocket error')
  }
  function onClose(this: WebSocket, code: number): void {
    const conn = connOf(this)
    open--
    const left = (perAddress.get(conn.address) ?? 1) - 1
    if (left === 0) perAddress.delete(conn.address)
    else perAddress.set(conn.address, left)
    hub.metrics.connections.dec()
    hub.metrics.closes.inc({ code })
    conn.session.log.info({ code }, 'connection closed')
    conn.session.closed()
  }

  app.get('/ws', { websocket: true, preValidation: guard }, (socket, req) => {
    const address = req.ip
    open++
    perAddress.set(address, (perAddress.get(address) ?? 0) + 1)
    // Keep nothing of the HTTP request alive for the socket's lifetime:
    // @fastify/websocket's 'error' listener closes over the Fastify request and
    // reply, and the hijacked ServerResponse stays attached to the TCP socket
    // (with the request and its headers). Our own listener replaces the first;
    // detachSocket undoes assignSocket for the second.
    socket.removeAllListeners('error')
    const tcp = req.raw.socket as Socket & { _httpMessage?: ServerResponse | null }
    tcp._httpMessage?.detachSocket(tcp)

    const conn = new WsConnection(socket, address)
    ;(socket as WebSocket & { [kConnection]: WsConnection })[kConnection] = conn
    conn.session = new Session(conn, hub)
    hub.metrics.connections.inc()

    socket.on('message', onMessage)
    socket.on('pong', onPong)
    socket.on('error', onError)
    socket.on('close', onClose)
    conn.session.start()
  })

  // One timer for all sockets: a peer that missed the previous ping is gone.
  const heartbeat = setRepeating(() => {
    for (const socket of app.websocketServer.clients) {
      const conn = connOf(socket)
      if (conn === undefined) continue // still upgrading
      if (!conn.alive) {
        socket.terminate()
        continue
      }
      conn.alive = false
      socket.ping()
    }
  }, config.heartbeatMs)
  heartbeat.unref()
  app.addHook('onClose', async () => clearTimer(heartbeat))
}

export default fp(websocketTransport, { name: 'websocket-transport' })
