// The conformance kit's raw-frame client. It sends exact JSON and reads every server frame in order with bounded waits,
// and it also checks the wire itself: every server message must be a text
// frame holding one JSON object that matches its ServerFrame schema. The first
// violation fails every later wait on that client, so a test cannot pass over it.
// Sends are paced to the limits the welcome frame announces (unless `sendNow`):
// the request rate, and the join and typing rates when announced, so only the
// flood checks ever meet `rate-limited`.
import { randomBytes } from 'node:crypto'
import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import WebSocket from 'ws'
import { decodeServerFrame, SUBPROTOCOL, type ClientFrameOf, type ServerFrame, type ServerFrameOf, type ServerFrameType } from '@wirechat/protocol'

/** Bound of every wait for a frame or a close, unless a test passes its own. */
export const WAIT_MS = 4_000

/** What a test offers for cleanup. */
export interface Teardown {
  teardown(fn: () => unknown): void
}

export interface OpenOptions {
  /** Subprotocols to offer (default ["chat.v1"]; [] offers none). */
  protocols?: string[]
  origin?: string
  /** Wait for the welcome frame and keep it in `welcome` (default true). */
  welcome?: boolean
  /** Answer WebSocket pings (default true). */
  autoPong?: boolean
  /** Pace sends to the announced rate (default true). */
  pace?: boolean
}

export type LoginFields = Omit<ClientFrameOf<'login'>, 'type'>

type Waiter = { match: (f: ServerFrame) => boolean; resolve: (f: ServerFrame) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }

let nextRequest = 1
/** A fresh request id, unique within this process. */
export const freshId = (prefix = 'r'): string => `${prefix}${nextRequest++}`

/** An error from the server's side of the wire: not a test expectation. */
export class WireViolation extends Error {}

export class Wire {
  readonly ws: WebSocket
  /** Every valid frame received, in order (taken or not). */
  readonly received: ServerFrame[] = []
  /** WebSocket pings received from the server. */
  pings = 0
  /** Close code and reason, once closed. */
  closeInfo: { code: number; reason: string } | undefined
  welcome!: ServerFrameOf<'welcome'>
  #violation: WireViolation | undefined
  readonly #queue: ServerFrame[] = []
  #waiters: Waiter[] = []
  readonly #closed: Promise<{ code: number; reason: string }>
  // Client-side token buckets mirroring the announced limits, with a margin.
  #pace = false
  #buckets: { all: Bucket; byType: Map<string, Bucket> } | undefined
  readonly #outbox: Array<{ text: string; type: string | undefined; sent: () => void }> = []
  #pumping: NodeJS.Timeout | undefined

  private constructor(ws: WebSocket) {
    this.ws = ws
    ws.on('message', (data, isBinary) => this.#onMessage(data as Buffer, isBinary))
    ws.on('ping', () => {
      this.pings++
    })
    this.#closed = new Promise((resolve) =>
      ws.on('close', (code, reason) => {
        clearTimeout(this.#pumping)
        for (const queued of this.#outbox.splice(0)) queued.sent()
        this.closeInfo = { code, reason: reason.toString() }
        resolve(this.closeInfo)
      }),
    )
    ws.on('error', () => {})
  }

  /** Opens a connection to `url`; by default waits for the welcome frame. */
  static async open(t: Teardown, url: string, options: OpenOptions = {}): Promise<Wire> {
    const headers: Record<string, string> = {}
    if (options.origin !== undefined) headers.origin = options.origin
    const ws = new WebSocket(url, options.protocols ?? [SUBPROTOCOL], { headers, autoPong: options.autoPong ?? true, handshakeTimeout: WAIT_MS })
    const wire = new Wire(ws)
    t.teardown(() => wire.terminate())
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve())
      ws.once('unexpected-response', (_req, res) => {
        res.resume()
        reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { statusCode: res.statusCode }))
      })
      ws.once('error', reject)
    })
    if (options.welcome !== false) {
      wire.welcome = await wire.next('welcome')
      if (options.pace !== false) wire.#startPacing()
    }
    return wire
  }

  /** Opens a connection and logs in; fails unless the reply is login-ok. */
  static async login(t: Teardown, url: string, login: LoginFields = {}, options: OpenOptions = {}) {
    const wire = await Wire.open(t, url, options)
    const ok = await wire.request({ type: 'login', ...login })
    if (ok.type !== 'login-ok') throw new Error(`login failed: ${JSON.stringify(ok)}`)
    return { wire, ok: ok as ServerFrameOf<'login-ok'> }
  }

  #onMessage(data: Buffer, isBinary: boolean): void {
    const text = data.toString()
    let problem: string | undefined
    let frame: ServerFrame | undefined
    if (isBinary) problem = `binary frame from the server (§2): ${text.slice(0, 200)}`
    else {
      const decoded = decodeServerFrame(text)
      if (decoded.ok) frame = decoded.frame
      else problem = `server frame violates its schema (${decoded.code}: ${decoded.message} ${(decoded.details ?? []).join('; ')}): ${text.slice(0, 300)}`
    }
    if (problem !== undefined || frame === undefined) {
      this.#violation ??= new WireViolation(problem ?? 'unreadable frame')
      for (const w of this.#waiters) {
        clearTimeout(w.timer)
        w.reject(this.#violation)
      }
      this.#waiters = []
      return
    }
    this.received.push(frame)
    const waiter = this.#waiters.find((w) => w.match(frame))
    if (waiter) {
      this.#waiters = this.#waiters.filter((w) => w !== waiter)
      clearTimeout(waiter.timer)
      waiter.resolve(frame)
    } else this.#queue.push(frame)
  }

  #startPacing(): void {
    const { limits } = this.welcome
    const byType = new Map<string, Bucket>()
    // join-room and typing spend a token of their own bucket on top of the general one (§13).
    if (limits.joinsPerSecond !== undefined && limits.joinBurst !== undefined) byType.set('join-room', new Bucket(limits.joinBurst, limits.joinsPerSecond))
    if (limits.typingPerSecond !== undefined && limits.typingBurst !== undefined) byType.set('typing', new Bucket(limits.typingBurst, limits.typingPerSecond))
    this.#buckets = { all: new Bucket(limits.messageBurst, limits.messagesPerSecond), byType }
    this.#pace = limits.messagesPerSecond > 0
  }

  #pump(): void {
    this.#pumping = undefined
    const buckets = this.#buckets!
    while (this.#outbox.length > 0) {
      const { text, type } = this.#outbox[0]!
      const now = Date.now()
      const own = type === undefined ? undefined : buckets.byType.get(type)
      const wait = Math.max(buckets.all.waitMs(now), own?.waitMs(now) ?? 0)
      if (wait > 0) {
        this.#pumping = setTimeout(() => this.#pump(), wait)
        return
      }
      buckets.all.take()
      own?.take()
      this.#outbox.shift()!.sent()
      if (this.ws.readyState === WebSocket.OPEN) this.ws.send(text, { binary: false })
    }
  }

  /**
   * Sends a frame object or raw text, paced to the announced rates. Only a
   * frame object counts against the join or typing rate: raw text is how the
   * checks send frames the server must refuse, which spend no such token.
   */
  send(frame: Record<string, unknown> | string): void {
    void this.#enqueue(frame)
  }

  /** Resolves once the frame has gone out (or the connection closed before). */
  #enqueue(frame: Record<string, unknown> | string): Promise<void> {
    const text = typeof frame === 'string' ? frame : JSON.stringify(frame)
    if (!this.#pace) {
      this.sendNow(text)
      return Promise.resolve()
    }
    return new Promise((sent) => {
      this.#outbox.push({ text, type: typeof frame === 'string' || typeof frame.type !== 'string' ? undefined : frame.type, sent })
      if (this.#pumping === undefined) this.#pump()
    })
  }

  /** Sends at once, ignoring the pacing (flood tests, byte-exact frames). */
  sendNow(data: string | Buffer, options: { binary?: boolean } = {}): void {
    this.ws.send(data, { binary: options.binary ?? false })
  }

  /**
   * Sends a request with a fresh id (unless it has one) and resolves with its
   * reply. The wait starts when the request goes out, after any pacing delay.
   */
  async request(frame: Record<string, unknown>, timeoutMs = WAIT_MS): Promise<ServerFrame> {
    const id = typeof frame.id === 'string' ? frame.id : freshId()
    await this.#enqueue({ ...frame, id })
    return this.take((f) => 'id' in f && f.id === id, `reply to ${id} (${String(frame.type)})`, timeoutMs)
  }

  /** Sends a request and returns its reply, which must be of type `type`. */
  async ok<K extends ServerFrameType>(type: K, frame: Record<string, unknown>): Promise<ServerFrameOf<K>> {
    const reply = await this.request(frame)
    if (reply.type !== type) throw new Error(`expected "${type}" in reply to ${JSON.stringify(frame).slice(0, 200)}, got ${JSON.stringify(reply).slice(0, 300)}`)
    return reply as ServerFrameOf<K>
  }

  /** The next frame in order; when `type` is given it must be of that type. */
  async next<K extends ServerFrameType>(type?: K, timeoutMs = WAIT_MS): Promise<ServerFrameOf<K>> {
    if (this.#violation) throw this.#violation
    const frame = this.#queue.shift() ?? (await this.#wait(() => true, type ?? 'any frame', timeoutMs))
    if (type !== undefined && frame.type !== type) throw new Error(`expected "${type}", got ${JSON.stringify(frame).slice(0, 400)}`)
    return frame as ServerFrameOf<K>
  }

  /** The first queued or future frame matching `match`, leaving the others queued. */
  async take(match: (f: ServerFrame) => boolean, what = 'matching frame', timeoutMs = WAIT_MS): Promise<ServerFrame> {
    if (this.#violation) throw this.#violation
    const i = this.#queue.findIndex(match)
    if (i >= 0) return this.#queue.splice(i, 1)[0]!
    return this.#wait(match, what, timeoutMs)
  }

  /** The first frame of `type` (optionally also matching `where`), leaving the others queued. */
  async takeType<K extends ServerFrameType>(type: K, where: (f: ServerFrameOf<K>) => boolean = () => true, timeoutMs = WAIT_MS): Promise<ServerFrameOf<K>> {
    return (await this.take((f) => f.type === type && where(f as ServerFrameOf<K>), `"${type}" frame`, timeoutMs)) as ServerFrameOf<K>
  }

  /**
   * Sends a ping and returns every frame that arrived before its pong. An
   * empty result proves this connection got nothing else up to that point.
   */
  async framesBeforePong(timeoutMs = WAIT_MS): Promise<ServerFrame[]> {
    const id = freshId('barrier')
    this.send({ type: 'ping', id })
    const before: ServerFrame[] = []
    for (;;) {
      const frame = await this.next(undefined, timeoutMs)
      if (frame.type === 'pong' && frame.id === id) return before
      before.push(frame)
    }
  }

  /** Frames received and not taken yet. */
  pending(): readonly ServerFrame[] {
    if (this.#violation) throw this.#violation
    return this.#queue
  }

  /** True when no frame arrives within `ms`: only for absence that no barrier can prove. */
  async quiet(ms = 100): Promise<boolean> {
    if (this.#violation) throw this.#violation
    if (this.#queue.length > 0) return false
    try {
      await this.#wait(() => true, 'silence', ms)
      return false
    } catch (err) {
      if (err instanceof WireViolation) throw err
      return true
    }
  }

  #wait(match: (f: ServerFrame) => boolean, what: string, timeoutMs: number): Promise<ServerFrame> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w.timer !== timer)
        const closed = this.closeInfo ? ` (the connection was closed: ${this.closeInfo.code} ${this.closeInfo.reason})` : ''
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}${closed}; queued: ${JSON.stringify(this.#queue).slice(0, 600)}`))
      }, timeoutMs)
      this.#waiters.push({ match, resolve, reject, timer })
    })
  }

  /** Resolves with the close code and reason, within `timeoutMs`. */
  async closed(timeoutMs = WAIT_MS): Promise<{ code: number; reason: string }> {
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no close within ${timeoutMs} ms`)), timeoutMs)
    })
    try {
      return await Promise.race([this.#closed, timeout])
    } finally {
      clearTimeout(timer)
    }
  }

  /** True once the socket is closed (or closing). */
  get isClosed(): boolean {
    return this.ws.readyState === WebSocket.CLOSED || this.ws.readyState === WebSocket.CLOSING
  }

  close(code = 1000): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(code)
  }

  terminate(): void {
    clearTimeout(this.#pumping)
    this.ws.terminate()
  }
}

/** The burst the kit allows itself of an announced one. */
export const pacedBurst = (burst: number): number => Math.max(1, burst - 2)
/** The rate the kit allows itself of an announced one. */
export const pacedPerSecond = (perSecond: number): number => perSecond * 0.8

/**
 * A token bucket like the server's, with a margin: the server counts arrival
 * times, which can bunch up in transit, so the kit keeps two tokens spare and
 * refills at 80% of the announced rate.
 */
class Bucket {
  readonly #burst: number
  readonly #perMs: number
  #tokens: number
  #last = Date.now()

  constructor(burst: number, perSecond: number) {
    this.#burst = pacedBurst(burst)
    this.#perMs = pacedPerSecond(perSecond) / 1000
    this.#tokens = this.#burst
  }

  /** Refills up to `now`; returns how long until a token is there (0: now). */
  waitMs(now: number): number {
    this.#tokens = Math.min(this.#burst, this.#tokens + (now - this.#last) * this.#perMs)
    this.#last = now
    return this.#tokens >= 1 ? 0 : Math.ceil((1 - this.#tokens) / this.#perMs)
  }

  take(): void {
    this.#tokens -= 1
  }
}

/** Outcome of a bare HTTP upgrade request. */
export interface HandshakeResult {
  status: number
  headers: Record<string, string | string[] | undefined>
  /** Body of a refusal, parsed as JSON when it is JSON. */
  body: unknown
}

/** Sends one WebSocket upgrade request with exactly these headers, to read a refusal's status and body. */
export async function handshake(url: string, headers: Record<string, string>, timeoutMs = WAIT_MS): Promise<HandshakeResult> {
  const request = url.startsWith('wss:') ? httpsRequest : httpRequest
  const target = new URL(url.replace(/^ws/, 'http'))
  return new Promise((resolve, reject) => {
    const req = request(target, {
      headers: {
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': randomBytes(16).toString('base64'),
        ...headers,
      },
      timeout: timeoutMs,
    })
    req.on('timeout', () => req.destroy(new Error(`no handshake answer within ${timeoutMs} ms`)))
    req.on('error', reject)
    req.on('upgrade', (res, socket) => {
      socket.destroy()
      resolve({ status: res.statusCode ?? 0, headers: res.headers, body: undefined })
    })
    req.on('response', (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        text += chunk
      })
      res.on('end', () => {
        let body: unknown = text
        try {
          body = JSON.parse(text)
        } catch {
          /* not JSON: keep the text */
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body })
      })
    })
    req.end()
  })
}
