// The connection: opens the WebSocket, waits for the welcome, lets the client
// re-establish its session, then keeps the link alive with application pings,
// reconnects with backoff after drops and holds sends in a bounded buffer
// meanwhile (and while a `rate-limited` wait runs). Every state change
// carries a reason (centrifuge-js codes.ts).
import { isTerminalClose } from '@wirechat/protocol/codes'
import type { ClientFrameType, ServerFrame, ServerFrameOf } from '@wirechat/protocol/frames'
import { beyond1_0_0, REQUESTS_1_0_0, speaksOnly1_0_0 } from '@wirechat/protocol/requests-1.0.0'
import type { Backoff } from './backoff.ts'
import type { Clock, TimerHandle } from './clock.ts'
import { ChatError } from './errors.ts'
import { RequestTracker, type PendingRequest, type ReplyOf, type RequestBody, type RequestOptions } from './request.ts'

/** Subprotocol offered on connect (protocol/primitives.ts SUBPROTOCOL, kept here so the page bundle stays free of schemas). */
export const SUBPROTOCOL = 'chat.v1'
/** Protocol version this client implements, sent in every `login` (protocol/primitives.ts PROTOCOL_VERSION, kept in step by a test). */
export const PROTOCOL_VERSION = '1.3.0'

/** Connection states. */
export const SocketStates = {
  /** First attempt to open the connection and establish the session. */
  Connecting: 'connecting',
  /** Connected, welcomed and (when there is one) the session re-established; sends go out directly. */
  Open: 'open',
  /** The link was lost; waiting for the next attempt or attempting. Sends are buffered. */
  Reconnecting: 'reconnecting',
  /** Not connected and not trying: never started, disconnected, or closed for good. */
  Closed: 'closed',
} as const
export type SocketState = (typeof SocketStates)[keyof typeof SocketStates]

/** Why a state changed. */
export type TransitionReason =
  /** `connect()` was called. */
  | 'connect'
  /** Welcome received and the session (if any) re-established. */
  | 'ready'
  /** The transport closed with a code that asks for a reconnect, or abnormally (1006). */
  | 'connection-lost'
  /** The WebSocket failed to open, or no welcome came within `connectTimeoutMs`. */
  | 'connect-failed'
  /** No pong within `pongTimeoutMs`: the link is presumed dead. */
  | 'heartbeat-timeout'
  /** Re-establishing the session failed in a way that may pass (timeout, drop). */
  | 'handshake-failed'
  /** The client saw it missed frames it can only get back by logging in again (a gap in the DM inbox). */
  | 'missed-frames'
  /** The server closed with a terminal close code (see protocol/codes.ts); not retried. */
  | 'terminal-close'
  /** Re-establishing the session was refused for good. */
  | 'session-rejected'
  /** `maxReconnectAttempts` reached. */
  | 'retries-exhausted'
  /** `disconnect()` was called. */
  | 'disconnect'
  /** The user logged out; the server closed the connection. */
  | 'logout'

/** One state change, with its cause. */
export interface StateChange {
  from: SocketState
  to: SocketState
  reason: TransitionReason
  /** WebSocket close code, when a close caused it. */
  code?: number
  /** Error that caused it, when one did. */
  error?: ChatError
}

/** A reconnect attempt was scheduled. */
export interface RetryInfo {
  /** 1 for the first retry after a drop. */
  attempt: number
  delayMs: number
  reason: TransitionReason
  code?: number
}

/** The subset of the WebSocket API the client uses (browser WebSocket and `ws` both fit). */
export interface WebSocketLike {
  readonly readyState: number
  send(data: string): void
  close(code?: number, reason?: string): void
  onopen(event: unknown): void
  onmessage(event: { data: unknown }): void
  onclose(event: { code: number; reason: string }): void
  onerror(event: unknown): void
}
/** A WebSocket constructor: `globalThis.WebSocket` (browsers and Node 24) or another implementation such as `ws`. */
export type WebSocketConstructor = new (url: string, protocols: string[]) => WebSocketLike

const OPEN = 1

/**
 * Longest `retryAfterMs` the socket waits out by holding every send (PROTOCOL.md §13: wait that long
 * before sending again). A longer one — a room's slow mode, a password lockout — would starve the
 * rest of the session: chats and DMs wait it out in the send pacer (send-pacer.ts, up to a minute),
 * anything else fails with the refusal for the application to show.
 */
export const MAX_HOLD_MS = 10_000

/** Least time a ping may wait for its pong when the announced heartbeat is very short: a busy peer is not a dead one. */
export const MIN_PONG_WAIT_MS = 1_000

export interface SocketOptions {
  /** ws:// or wss:// URL of the endpoint. */
  url: string
  WebSocket: WebSocketConstructor
  clock: Clock
  /** Delay before reconnect attempt n (0-based). */
  backoff: Backoff
  /** Application ping interval in ms once open. Default 15 000; the server's `welcome.heartbeatMs` when that is shorter. */
  pingIntervalMs?: number
  /** A ping without pong for this long closes the link as dead, in ms. Default 10 000; at most twice `welcome.heartbeatMs` (but not under 1 s). */
  pongTimeoutMs?: number
  /** Bound on opening the WebSocket and receiving the welcome, in ms. Default 10 000. */
  connectTimeoutMs?: number
  /** Default request reply deadline in ms. Default 10 000. */
  requestTimeoutMs?: number
  /** Requests held while not open (or while a `rate-limited` wait runs); one more is refused with `buffer-full`. Default 100. */
  maxBufferedRequests?: number
  /** Reconnect attempts after a drop before giving up. Default Infinity. */
  maxReconnectAttempts?: number
  /** Every decoded server frame, replies included, in arrival order and before the reply settles its request. */
  onFrame: (frame: ServerFrame) => void
  /** A frame that is not a JSON object with a string `type`. */
  onBadFrame: (text: string) => void
  onState: (change: StateChange) => void
  onRetry: (info: RetryInfo) => void
  /**
   * Re-establishes the session after each welcome (login with the saved key),
   * using `request(…, { urgent: true })`. Sends stay buffered until it resolves.
   */
  handshake: (welcome: ServerFrameOf<'welcome'>) => Promise<void>
}

/** Request options of the socket. */
export interface SocketRequestOptions extends RequestOptions {
  /** Send now even though the session is not ready (handshake only); fails unless the transport is open. */
  urgent?: boolean
}

export class ChatSocket {
  readonly #o: Required<Omit<SocketOptions, 'onFrame' | 'onBadFrame' | 'onState' | 'onRetry' | 'handshake'>> & SocketOptions
  readonly #tracker: RequestTracker
  #state: SocketState = SocketStates.Closed
  #ws: WebSocketLike | undefined
  /** Bumped per transport, so callbacks of an old one are ignored. */
  #generation = 0
  #attempt = 0
  #buffer: PendingRequest[] = []
  #retryTimer: TimerHandle
  #connectTimer: TimerHandle
  #pingTimer: TimerHandle
  #pongTimer: TimerHandle
  #pingSeq = 0
  #awaitingPong: string | undefined
  #welcome: ServerFrameOf<'welcome'> | undefined
  /** Set by expectLogout: the server's coming 1000 close ends a logout, not a failure. */
  #loggingOut = false
  /** Clock time until which sends wait after a `rate-limited` (0: none). */
  #holdUntil = 0
  #holdTimer: TimerHandle

  constructor(options: SocketOptions) {
    this.#o = {
      pingIntervalMs: 15_000,
      pongTimeoutMs: 10_000,
      connectTimeoutMs: 10_000,
      requestTimeoutMs: 10_000,
      maxBufferedRequests: 100,
      maxReconnectAttempts: Number.POSITIVE_INFINITY,
      ...options,
    }
    this.#tracker = new RequestTracker({
      clock: options.clock,
      timeoutMs: this.#o.requestTimeoutMs,
      onAbandon: (request) => {
        this.#buffer = this.#buffer.filter((r) => r !== request)
      },
    })
  }

  get state(): SocketState {
    return this.#state
  }

  /** The welcome of the current (or last) connection. */
  get welcome(): ServerFrameOf<'welcome'> | undefined {
    return this.#welcome
  }

  /** Requests waiting in the buffer for the session to be back. */
  get buffered(): number {
    return this.#buffer.length
  }

  /** Starts connecting; a no-op unless closed. */
  connect(): void {
    if (this.#state !== SocketStates.Closed) return
    this.#attempt = 0
    this.#transition(SocketStates.Connecting, 'connect')
    this.#open()
  }

  /** Closes the connection and fails every waiting request with `closed`. */
  disconnect(reason: 'disconnect' | 'logout' = 'disconnect'): void {
    if (this.#state === SocketStates.Closed) return
    this.#shutdown(reason)
  }

  /** Attempts a reconnect now instead of waiting out the backoff (e.g. the browser came back online). */
  reconnectNow(): void {
    if (this.#state !== SocketStates.Reconnecting || this.#ws !== undefined) return
    this.#o.clock.clearTimeout(this.#retryTimer)
    this.#open()
  }

  /** Replaces an open connection as if it were lost (backoff, then the login resumes): what was missed comes back in the replay. */
  resync(): void {
    if (this.#state === SocketStates.Open) this.#lost('missed-frames')
  }

  /** Sends a request and resolves with its success reply, or rejects with a ChatError. */
  request<K extends ClientFrameType>(body: RequestBody<K> & { type: K }, options: SocketRequestOptions = {}): Promise<ReplyOf<K>> {
    if (this.#state === SocketStates.Closed) return Promise.reject(new ChatError('closed', 'Not connected.'))
    const ready = this.#state === SocketStates.Open && !this.#held()
    if (!ready && !options.urgent && this.#buffer.length >= this.#o.maxBufferedRequests) {
      return Promise.reject(new ChatError('buffer-full', 'Too many messages waiting for the connection to come back.'))
    }
    const { request, reply } = this.#tracker.create(body, options)
    if (options.urgent) {
      if (!this.#transportOpen()) this.#tracker.fail(request, new ChatError('connection-lost', 'Not connected.'))
      else this.#write(request)
    } else if (ready) {
      this.#write(request)
    } else {
      this.#buffer.push(request)
    }
    return reply
  }

  // ---- transport ------------------------------------------------------------

  #transportOpen(): boolean {
    return this.#ws !== undefined && this.#ws.readyState === OPEN
  }

  #open(): void {
    const generation = ++this.#generation
    const { clock } = this.#o
    let ws: WebSocketLike
    try {
      ws = new this.#o.WebSocket(this.#o.url, [SUBPROTOCOL])
    } catch {
      this.#lost('connect-failed')
      return
    }
    this.#ws = ws
    this.#welcome = undefined
    this.#connectTimer = clock.setTimeout(() => {
      if (generation === this.#generation) this.#lost('connect-failed')
    }, this.#o.connectTimeoutMs)
    const current = () => generation === this.#generation
    ws.onopen = () => {}
    ws.onerror = () => {} // a close event always follows
    ws.onmessage = (event) => {
      if (current()) this.#receive(event.data)
    }
    ws.onclose = (event) => {
      if (current()) this.#closedByPeer(event.code)
    }
  }

  /** Forgets the current transport: its late events are ignored from now on. */
  #dropTransport(code = 1000, reason = ''): void {
    const ws = this.#ws
    this.#generation++
    this.#ws = undefined
    this.#stopTimers()
    if (ws === undefined) return
    try {
      ws.close(code, reason)
    } catch {
      // Closing a socket that never opened may throw in some implementations.
    }
  }

  #stopTimers(): void {
    const { clock } = this.#o
    // A new connection has a new rate-limit bucket: a hold ends with its connection.
    clock.clearTimeout(this.#holdTimer)
    this.#holdUntil = 0
    clock.clearTimeout(this.#connectTimer)
    clock.clearTimeout(this.#pingTimer)
    clock.clearTimeout(this.#pongTimer)
    this.#awaitingPong = undefined
  }

  #receive(data: unknown): void {
    const text = typeof data === 'string' ? data : String(data)
    let frame: ServerFrame
    try {
      const value: unknown = JSON.parse(text)
      if (value === null || typeof value !== 'object' || typeof (value as { type?: unknown }).type !== 'string') throw new Error('not a frame')
      frame = value as ServerFrame
    } catch {
      this.#o.onBadFrame(text)
      return
    }
    if (frame.type === 'error' && frame.code === 'rate-limited') this.#hold(frame.retryAfterMs)
    // Any answer to the heartbeat ping proves the link alive: a pong, or an error (a ping refused with rate-limited).
    if ((frame.type === 'pong' || frame.type === 'error') && frame.id !== undefined && frame.id === this.#awaitingPong) {
      this.#o.clock.clearTimeout(this.#pongTimer)
      this.#awaitingPong = undefined
      return
    }
    this.#o.onFrame(frame)
    if (frame.type === 'welcome') return this.#welcomed(frame)
    this.#tracker.settle(frame)
  }

  #welcomed(welcome: ServerFrameOf<'welcome'>): void {
    const generation = this.#generation
    this.#welcome = welcome
    this.#o.clock.clearTimeout(this.#connectTimer)
    this.#schedulePing()
    this.#o.handshake(welcome).then(
      () => {
        if (generation !== this.#generation) return
        this.#attempt = 0
        this.#transition(SocketStates.Open, 'ready')
        this.#flush()
      },
      (err: unknown) => {
        if (generation !== this.#generation) return
        const error = err instanceof ChatError ? err : new ChatError('closed', String(err))
        if (error.retryable) this.#lost('handshake-failed', undefined, error)
        else this.#shutdown('session-rejected', undefined, error)
      },
    )
  }

  #flush(): void {
    if (this.#held()) return // the hold's timer flushes
    const waiting = this.#buffer
    this.#buffer = []
    for (const request of waiting) this.#write(request)
  }

  #write(request: PendingRequest): void {
    let text = request.text
    // A 1.0.0 server knows only 1.0.0 requests and fields (PROTOCOL.md §1, OVR-8): later fields
    // (login.version, chat.replyTo …) are left out, later requests fail here, unsent.
    if (this.#welcome !== undefined && speaksOnly1_0_0(this.#welcome.version)) {
      const frame = JSON.parse(text) as Record<string, unknown>
      const type = String(frame.type)
      const fields = REQUESTS_1_0_0[type]
      if (fields === undefined) return this.#tracker.fail(request, new ChatError('unsupported', `The server speaks protocol ${this.#welcome.version}, which has no "${type}".`))
      if (beyond1_0_0(frame).length > 0) text = JSON.stringify(Object.fromEntries(Object.entries(frame).filter(([k]) => k === 'type' || fields.includes(k))))
    }
    request.sent = true
    this.#ws!.send(text)
  }

  // ---- rate limit -------------------------------------------------------------

  /** After `rate-limited`: buffer every send until `retryAfterMs` has passed, then send them in order. */
  #hold(retryAfterMs: number | undefined): void {
    if (retryAfterMs === undefined || !(retryAfterMs > 0) || retryAfterMs > MAX_HOLD_MS) return
    const { clock } = this.#o
    const until = clock.now() + retryAfterMs
    if (until <= this.#holdUntil) return
    this.#holdUntil = until
    clock.clearTimeout(this.#holdTimer)
    this.#holdTimer = clock.setTimeout(() => {
      this.#holdUntil = 0
      if (this.#state === SocketStates.Open) this.#flush()
    }, retryAfterMs)
  }

  #held(): boolean {
    return this.#holdUntil > this.#o.clock.now()
  }

  // ---- heartbeat --------------------------------------------------------------

  /**
   * The ping cadence in force. The server pings every `heartbeatMs` and drops a peer that misses one
   * pong; a client that cannot see those pings (a browser) pings at least as often itself, so it
   * notices a dead link about as soon as the server does, not only after its own, longer defaults.
   */
  #heartbeat(): { everyMs: number; pongWithinMs: number } {
    const { pingIntervalMs, pongTimeoutMs } = this.#o
    const announced = this.#welcome?.heartbeatMs
    if (announced === undefined || !(announced > 0)) return { everyMs: pingIntervalMs, pongWithinMs: pongTimeoutMs }
    return { everyMs: Math.min(pingIntervalMs, announced), pongWithinMs: Math.min(pongTimeoutMs, Math.max(2 * announced, MIN_PONG_WAIT_MS)) }
  }

  #schedulePing(): void {
    const { clock } = this.#o
    const { everyMs, pongWithinMs } = this.#heartbeat()
    this.#pingTimer = clock.setTimeout(() => {
      if (!this.#transportOpen()) return
      // One ping at a time: a new one would replace the id the pong deadline watches, so a dead link
      // pinged more often than the deadline would never be noticed.
      if (this.#awaitingPong !== undefined) return this.#schedulePing()
      const id = `hb${++this.#pingSeq}`
      this.#awaitingPong = id
      this.#ws!.send(JSON.stringify({ type: 'ping', id }))
      this.#pongTimer = clock.setTimeout(() => {
        if (this.#awaitingPong === id) this.#lost('heartbeat-timeout')
      }, pongWithinMs)
      this.#schedulePing()
    }, everyMs)
  }

  // ---- losing and closing -----------------------------------------------------

  #closedByPeer(code: number): void {
    if (isTerminalClose(code)) this.#shutdown(code === 1000 && this.#loggingOut ? 'logout' : 'terminal-close', code)
    else this.#lost(this.#welcome === undefined && this.#state === SocketStates.Connecting ? 'connect-failed' : 'connection-lost', code)
  }

  /** Marks the next normal close as the end of a logout (or stops expecting one, when the request failed). */
  expectLogout(expect = true): void {
    this.#loggingOut = expect
  }

  /** The link is gone but may come back: requeue or fail in-flight requests and schedule a retry. */
  #lost(reason: TransitionReason, code?: number, error?: ChatError): void {
    this.#dropTransport(4000, reason)
    const requeue: PendingRequest[] = []
    for (const request of this.#tracker.waiting()) {
      if (!request.sent) continue // still buffered
      if (request.resendable) {
        request.sent = false
        requeue.push(request)
      } else {
        this.#tracker.fail(request, new ChatError('connection-lost', `Connection lost before the reply to "${request.type}".`))
      }
    }
    this.#buffer = [...requeue, ...this.#buffer]

    if (++this.#attempt > this.#o.maxReconnectAttempts) return this.#shutdown('retries-exhausted', code, error)
    const delayMs = Math.max(0, this.#o.backoff(this.#attempt - 1))
    if (this.#state !== SocketStates.Reconnecting) this.#transition(SocketStates.Reconnecting, reason, code, error)
    this.#o.onRetry({ attempt: this.#attempt, delayMs, reason, ...(code !== undefined && { code }) })
    this.#retryTimer = this.#o.clock.setTimeout(() => {
      if (this.#state === SocketStates.Reconnecting && this.#ws === undefined) this.#open()
    }, delayMs)
  }

  #shutdown(reason: TransitionReason, code?: number, error?: ChatError): void {
    this.#dropTransport(1000, reason)
    this.#o.clock.clearTimeout(this.#retryTimer)
    this.#loggingOut = false
    this.#buffer = []
    const closed = new ChatError('closed', code === undefined ? `Connection closed (${reason}).` : `Connection closed (${reason}, code ${code}).`)
    for (const request of this.#tracker.waiting()) this.#tracker.fail(request, closed)
    this.#transition(SocketStates.Closed, reason, code, error)
  }

  #transition(to: SocketState, reason: TransitionReason, code?: number, error?: ChatError): void {
    const from = this.#state
    this.#state = to
    const change: StateChange = { from, to, reason }
    if (code !== undefined) change.code = code
    if (error !== undefined) change.error = error
    this.#o.onState(change)
  }
}
