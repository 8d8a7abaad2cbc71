// One connection's session: awaiting-login → ready → closed. Frames are
// decoded and rate-checked as they arrive, then handled one at a time in
// arrival order, so replies come in request order and a client may pipeline.
import {
  CloseCodes, decodeClientFrame, ErrorCodes, PROTOCOL_VERSION, SUBPROTOCOL,
  type ClientFrame, type ClientFrameOf, type ErrorCode, type ServerFrame,
} from '@wirechat/protocol'
import type { Delivery } from './broker/broker.ts'
import { tokenVerifier } from './auth/jwt.ts'
import { announcedLimits } from './config.ts'
import { handleChat, handleHistory } from './handlers/chat.ts'
import { handleDm } from './handlers/dm.ts'
import { handleJoin, handleLeave, handlePresence, handleTyping, leaveEverything } from './handlers/rooms.ts'
import { handleLogin, handleLogout, handleRename } from './handlers/session.ts'
import type { Hub } from './hub.ts'
import { counterFor } from './metrics.ts'
import { TokenBucket } from './limits/token-bucket.ts'
import type { User } from './users.ts'
import type { FastifyBaseLogger } from 'fastify'

/** The transport seen by the session: three members, no socket library. */
export interface Connection {
  readonly id: string
  send(text: string): void
  close(code: number, reason: string): void
}

export type SessionState = 'awaiting-login' | 'ready' | 'closed'

type Job =
  | { kind: 'frame'; frame: ClientFrame }
  | { kind: 'fail'; id: string | undefined; code: ErrorCode; message: string; details?: string[] | undefined; retryAfterMs?: number }
  | { kind: 'abuse' }
  | { kind: 'end' }

type Request = { id?: string | undefined }

const STRIKE_WINDOW_MS = 60_000
/** Longest wait for a sender's own delivery before its reply is sent regardless. */
const OWN_DELIVERY_FALLBACK_MS = 5_000

export class Session {
  readonly id: string
  readonly hub: Hub<Session>
  readonly conn: Connection
  state: SessionState = 'awaiting-login'
  user: User | undefined
  /** Name offered in the welcome frame, kept when login names none. */
  readonly suggestedName: string
  /** Rooms joined or being joined. */
  readonly rooms = new Set<string>()
  // Made on first use and dropped when empty: most connections sit idle, and
  // an empty Map still costs ~100 bytes (10,000 connections × 3 of them).
  #syncing: Map<string, Delivery[]> | undefined
  #pendingAcks: Map<string, string> | undefined
  #inbox: Job[] | undefined
  #busy = false
  readonly #bucket: TokenBucket
  /** Own buckets of frame types that fan out to a room, on top of #bucket. */
  readonly #typeBuckets: ReadonlyMap<string, TokenBucket>
  #strikes = 0
  /** Set at the last allowed strike: later frames are dropped unread, the queued replies still go out. */
  #cutOff = false
  #strikesSince = 0
  #loginTimer: NodeJS.Timeout | undefined

  constructor(conn: Connection, hub: Hub<Session>) {
    this.id = conn.id
    this.conn = conn
    this.hub = hub
    this.suggestedName = hub.users.randomName()
    this.#bucket = new TokenBucket(hub.config.messageBurst, hub.config.messagesPerSecond)
    this.#typeBuckets = new Map([
      ['join-room', new TokenBucket(hub.config.joinBurst, hub.config.joinsPerSecond)],
      ['typing', new TokenBucket(hub.config.typingBurst, hub.config.typingPerSecond)],
    ])
  }

  /** Greets the client and starts the login deadline. */
  start(): void {
    const { config } = this.hub
    this.send({
      type: 'welcome',
      connectionId: this.id,
      name: this.suggestedName,
      protocol: SUBPROTOCOL,
      version: PROTOCOL_VERSION,
      serverTime: Date.now(),
      heartbeatMs: config.heartbeatMs,
      loginTimeoutMs: config.loginTimeoutMs,
      authRequired: tokenVerifier(config) !== undefined,
      limits: announcedLimits(config),
    })
    this.#loginTimer = setTimeout(() => {
      if (this.state === 'awaiting-login') this.close(4001)
    }, config.loginTimeoutMs)
  }

  /**
   * Logger bound to this connection and its user. Made on use, not kept:
   * a child logger per idle connection would cost memory for rare lines.
   */
  get log(): FastifyBaseLogger {
    return this.hub.log.child(this.user ? { connectionId: this.id, userId: this.user.userId } : { connectionId: this.id })
  }

  /** Entry point for each text frame from the transport. */
  receive(text: string): void {
    if (this.state === 'closed' || this.#cutOff) return
    const now = Date.now()
    const decoded = decodeClientFrame(text)
    const id = decoded.ok ? decoded.frame.id : decoded.id
    // Every request, valid or not, spends a token: floods of garbage are limited too.
    if (!this.#bucket.take(now)) {
      this.#refuse(now, { kind: 'fail', id, code: 'rate-limited', message: 'Too many requests.', retryAfterMs: this.#bucket.msUntilNext(now) })
      return
    }
    if (!decoded.ok) {
      this.#refuse(now, { kind: 'fail', id, code: decoded.code, message: decoded.message, details: decoded.details })
      return
    }
    // The join and typing buckets count requests that would act: refusals such as
    // not-logged-in or not-in-room keep their own, more useful answer.
    const frame = decoded.frame
    const acts = this.state === 'ready' && (frame.type === 'typing' ? this.rooms.has(frame.room) : frame.type === 'join-room' ? !this.rooms.has(frame.room) : false)
    const typeBucket = acts ? this.#typeBuckets.get(frame.type) : undefined
    if (typeBucket !== undefined && !typeBucket.take(now)) {
      this.#refuse(now, { kind: 'fail', id, code: 'rate-limited', message: `Too many "${decoded.frame.type}" requests.`, retryAfterMs: typeBucket.msUntilNext(now) })
      return
    }
    counterFor(this.hub.metrics.framesIn, decoded.frame.type).inc()
    this.#enqueue({ kind: 'frame', frame: decoded.frame })
  }

  /** Called by the transport once the socket is closed, whatever closed it. */
  closed(): void {
    if (this.state === 'closed') return
    this.state = 'closed'
    clearTimeout(this.#loginTimer)
    this.#loginTimer = undefined
    if (this.#inbox !== undefined) this.#inbox.length = 0
    this.#enqueue({ kind: 'end' })
  }

  // Abusive peers are cut off after `abuseStrikes` refusals within a minute.
  // The close is queued behind the refusal, so the client reads why first.
  #refuse(now: number, job: Job): void {
    this.#enqueue(job)
    if (now - this.#strikesSince > STRIKE_WINDOW_MS) {
      this.#strikes = 0
      this.#strikesSince = now
    }
    if (++this.#strikes < this.hub.config.abuseStrikes) return
    this.#cutOff = true
    this.#enqueue({ kind: 'abuse' })
  }

  #enqueue(job: Job): void {
    ;(this.#inbox ??= []).push(job)
    if (!this.#busy) void this.#drain()
  }

  async #drain(): Promise<void> {
    this.#busy = true
    let job: Job | undefined
    while ((job = this.#inbox?.shift()) !== undefined) {
      try {
        // Most frames are answered without waiting (ping, refusals): await only a pending handler.
        const running = this.#run(job)
        if (running !== undefined) await running
      } catch (err) {
        this.log.error({ err }, 'request failed')
        if (job.kind === 'frame') this.fail(job.frame, 'internal', 'Internal error.')
      }
    }
    this.#inbox = undefined
    this.#busy = false
  }

  #run(job: Job): Promise<void> | void {
    switch (job.kind) {
      case 'fail':
        return this.fail({ id: job.id }, job.code, job.message, { details: job.details, retryAfterMs: job.retryAfterMs })
      case 'abuse':
        return this.close(4008)
      case 'end':
        return this.#cleanup()
      case 'frame':
        if (this.state === 'closed') return
        return this.#dispatch(job.frame)
    }
  }

  // Not async: a handler's promise is passed on as is, one promise per frame fewer.
  #dispatch(frame: ClientFrame): Promise<void> | void {
    if (frame.type === 'ping') return this.reply(frame, { type: 'pong', serverTime: Date.now() })
    if (this.state === 'awaiting-login') {
      if (frame.type !== 'login') return this.fail(frame, 'not-logged-in', 'Log in first.')
      return this.#login(frame)
    }
    switch (frame.type) {
      case 'login': return this.fail(frame, 'already-logged-in', 'This connection is already logged in.')
      case 'rename': return handleRename(this, frame)
      case 'logout': return handleLogout(this, frame)
      case 'join-room': return handleJoin(this, frame)
      case 'leave-room': return handleLeave(this, frame)
      case 'presence': return handlePresence(this, frame)
      case 'typing': return handleTyping(this, frame)
      case 'chat': return handleChat(this, frame)
      case 'history': return handleHistory(this, frame)
      case 'dm': return handleDm(this, frame)
    }
  }

  async #login(frame: ClientFrameOf<'login'>): Promise<void> {
    await handleLogin(this, frame)
    if ((this.state as SessionState) === 'ready') {
      clearTimeout(this.#loginTimer)
      this.#loginTimer = undefined
      this.log.info('logged in')
    }
  }

  async #cleanup(): Promise<void> {
    if (this.user) await leaveEverything(this)
  }

  /** Sends a server frame. */
  send(frame: ServerFrame): void {
    counterFor(this.hub.metrics.framesOut, frame.type).inc()
    this.conn.send(JSON.stringify(frame))
  }

  /** Sends an already-encoded frame of a known type. */
  sendEncoded(type: ServerFrame['type'], data: string): void {
    counterFor(this.hub.metrics.framesOut, type).inc()
    this.conn.send(data)
  }

  /** Sends a reply, echoing the request id. */
  reply(request: Request, frame: ServerFrame): void {
    // The id goes right after the type, where a reader of the wire looks for it.
    this.send(request.id === undefined ? frame : ({ type: frame.type, id: request.id, ...(frame as object) } as ServerFrame))
  }

  /** Sends an error reply; the connection stays open. */
  fail(request: Request, code: ErrorCode, message: string, extra: { details?: string[] | undefined; retryAfterMs?: number | undefined } = {}): void {
    this.hub.metrics.error(code)
    const frame: ServerFrame = { type: 'error', code, message, retryable: ErrorCodes[code].retryable }
    if (extra.retryAfterMs !== undefined) frame.retryAfterMs = extra.retryAfterMs
    if (extra.details !== undefined && extra.details.length > 0) frame.details = extra.details
    this.reply(request, frame)
  }

  /** Closes the connection with a documented close code. */
  close(code: keyof typeof CloseCodes): void {
    this.conn.close(code, CloseCodes[code].name)
  }

  // ---- delivery -----------------------------------------------------------

  /** Holds live deliveries of a room until its join reply and replay are sent. */
  beginSync(room: string): void {
    ;(this.#syncing ??= new Map()).set(room, [])
  }

  /** Releases held deliveries, skipping chat pushes the replay already carried. */
  endSync(room: string, deliveredSeq: number): void {
    const held = this.#syncing?.get(room)
    if (!held) return
    this.#syncing!.delete(room)
    if (this.#syncing!.size === 0) this.#syncing = undefined
    for (const d of held) if (d.seq === undefined || d.seq > deliveredSeq) this.deliver(room, d)
  }

  /** Registers the reply to send when the origin's own delivery comes through. */
  expectOwnDelivery(channel: string, seq: number, reply: string): string {
    const key = `${channel}\n${seq}`
    ;(this.#pendingAcks ??= new Map()).set(key, reply)
    return key
  }

  /**
   * After a publish: the reply goes out when the sender's own delivery comes
   * back through the ordered stream (at once with the in-process broker). If it
   * never does (the connection left the channel meanwhile), send it after a while anyway.
   */
  settleOwnDelivery(key: string): void {
    if (!this.#pendingAcks?.has(key)) return
    setTimeout(() => this.flushOwnDelivery(key), OWN_DELIVERY_FALLBACK_MS).unref()
  }

  /** Sends a registered reply now if the delivery has not already sent it. */
  flushOwnDelivery(key: string): void {
    const reply = this.#pendingAcks?.get(key)
    if (reply === undefined) return
    this.#pendingAcks!.delete(key)
    if (this.#pendingAcks!.size === 0) this.#pendingAcks = undefined
    this.sendEncoded(key.startsWith('@') ? 'dm-ok' : 'chat-ok', reply)
  }

  deliver(channel: string, delivery: Delivery): void {
    if (this.#syncing !== undefined) {
      const held = this.#syncing.get(channel)
      if (held) {
        held.push(delivery)
        return
      }
    }
    if (delivery.seq !== undefined && this.#pendingAcks !== undefined) {
      // The sender's reply takes the place of its own push, in stream order
      // (whether the push came from the broker or was filled from the store).
      const key = `${channel}\n${delivery.seq}`
      if (this.#pendingAcks.has(key)) return this.flushOwnDelivery(key)
    }
    if (delivery.origin === this.id) return
    this.conn.send(delivery.data)
  }
}
