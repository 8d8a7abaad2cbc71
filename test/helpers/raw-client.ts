// A raw-frame test client: sends exact JSON, reads every server frame in
// order, and waits with a bound. No protocol logic of its own.
import WebSocket from 'ws'
import { SUBPROTOCOL, type ClientFrame, type ServerFrame, type ServerFrameOf, type ServerFrameType } from '../../protocol/index.ts'

export const WAIT_MS = 3_000

interface Teardown {
  teardown(fn: () => unknown): void
}

export interface ConnectOptions {
  protocols?: string[]
  origin?: string
  /** Wait for the welcome frame and keep it in `welcome` (default true). */
  welcome?: boolean
  headers?: Record<string, string>
  /** Source address on the loopback network (127.0.0.2 …), to look like another client. */
  localAddress?: string
}

type Waiter = { match: (f: ServerFrame) => boolean; resolve: (f: ServerFrame) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }

let nextId = 1

export class RawClient {
  readonly ws: WebSocket
  /** Every frame received, in order (including ones already taken). */
  readonly received: ServerFrame[] = []
  /** Frames not yet taken by next()/take(). */
  readonly #queue: ServerFrame[] = []
  #markers = 0
  #waiters: Waiter[] = []
  #closed: Promise<{ code: number; reason: string }>
  welcome!: ServerFrameOf<'welcome'>

  private constructor(ws: WebSocket) {
    this.ws = ws
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as ServerFrame
      this.received.push(frame)
      const waiter = this.#waiters.find((w) => w.match(frame))
      if (waiter) {
        this.#waiters = this.#waiters.filter((w) => w !== waiter)
        clearTimeout(waiter.timer)
        waiter.resolve(frame)
      } else this.#queue.push(frame)
    })
    this.#closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })))
    ws.on('error', () => {})
  }

  /** Opens a connection (and by default waits for the welcome). */
  static async connect(t: Teardown, url: string, options: ConnectOptions = {}): Promise<RawClient> {
    const headers: Record<string, string> = { ...options.headers }
    if (options.origin !== undefined) headers.origin = options.origin
    const ws = new WebSocket(url, options.protocols ?? [SUBPROTOCOL], { headers, ...(options.localAddress !== undefined && { localAddress: options.localAddress }) })
    const client = new RawClient(ws)
    t.teardown(() => client.terminate())
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve())
      ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { statusCode: res.statusCode })))
      ws.once('error', reject)
    })
    if (options.welcome !== false) client.welcome = await client.next('welcome')
    return client
  }

  /** Opens a connection and logs in; returns the client and its login-ok. */
  static async login(t: Teardown, url: string, login: Omit<ClientFrame & { type: 'login' }, 'type'> = {}, options: ConnectOptions = {}) {
    const client = await RawClient.connect(t, url, options)
    const ok = await client.request({ type: 'login', ...login } as ClientFrame)
    if (ok.type !== 'login-ok') throw new Error(`login failed: ${JSON.stringify(ok)}`)
    return { client, login: ok as ServerFrameOf<'login-ok'> }
  }

  /** Sends a frame object or raw text. */
  send(frame: ClientFrame | Record<string, unknown> | string): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame))
  }

  /** Sends a request with a fresh id and resolves with its reply (success or error). */
  async request(frame: ClientFrame | Record<string, unknown>, timeoutMs = WAIT_MS): Promise<ServerFrame> {
    const id = `r${nextId++}`
    this.send({ ...frame, id })
    return this.take((f) => 'id' in f && f.id === id, `reply to ${id}`, timeoutMs)
  }

  /** The next frame in order; when `type` is given it must be of that type. */
  async next<K extends ServerFrameType>(type?: K, timeoutMs = WAIT_MS): Promise<ServerFrameOf<K>> {
    const frame = this.#queue.shift() ?? (await this.#wait(() => true, 'any frame', timeoutMs))
    if (type !== undefined && frame.type !== type) throw new Error(`expected "${type}", got ${JSON.stringify(frame)}`)
    return frame as ServerFrameOf<K>
  }

  /** The first queued or future frame matching `match`, skipping (and keeping) others. */
  async take(match: (f: ServerFrame) => boolean, what = 'matching frame', timeoutMs = WAIT_MS): Promise<ServerFrame> {
    const i = this.#queue.findIndex(match)
    if (i >= 0) return this.#queue.splice(i, 1)[0]!
    return this.#wait(match, what, timeoutMs)
  }

  /** Frames received and not yet taken. */
  pending(): readonly ServerFrame[] {
    return this.#queue
  }

  /**
   * The frames that arrive before the reply to a ping sent now (the pong excluded). Replies and
   * pushes to one connection go out in order, so anything the server had queued for this
   * connection is in the list: proof of absence without waiting out a time window.
   */
  async framesBeforePong(): Promise<ServerFrame[]> {
    const id = `marker-${++this.#markers}`
    const before = this.#queue.length
    this.send({ type: 'ping', id })
    await this.take((f) => f.type === 'pong' && (f as { id?: string }).id === id, `pong ${id}`)
    return this.#queue.splice(before)
  }

  /** Resolves true when no frame arrives within `ms`. Only for what a marker cannot order (frames from other nodes). */
  async quiet(ms = 100): Promise<boolean> {
    if (this.#queue.length > 0) return false
    try {
      await this.#wait(() => true, 'silence', ms)
      return false
    } catch {
      return true
    }
  }

  #wait(match: (f: ServerFrame) => boolean, what: string, timeoutMs: number): Promise<ServerFrame> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w.timer !== timer)
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; pending: ${JSON.stringify(this.#queue).slice(0, 500)}`))
      }, timeoutMs)
      this.#waiters.push({ match, resolve, reject, timer })
    })
  }

  /** Resolves with the close code and reason (bounded). */
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

  close(code = 1000): void {
    this.ws.close(code)
  }

  terminate(): void {
    this.ws.terminate()
  }
}
