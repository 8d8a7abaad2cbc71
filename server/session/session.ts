// One connection's session, the facade the transport and the handlers use.
// It owns the connection's state and every transition of it:
//
//   awaiting-login ──login──▶ ready ──logout / abuse / slow / shutdown──▶ closing ──socket closed──▶ closed
//         └──────────── login timeout / abuse / socket closed ───────────────┘
//
// Only frames received in awaiting-login or ready are handled. Once closing,
// nothing more is read or handled (frames still queued are dropped without a
// reply), so no handler can act on a connection that is going away; replies
// already decided still go out before the close frame.
import { clearTimer, now, setTimer, type Timer } from '../determinism.ts'
import { CloseCodes, encodeReply, encodeServerFrame, ErrorCodes, PROTOCOL_VERSION, SUBPROTOCOL, type ClientFrame, type ErrorCode, type ServerFrame } from '@wirechat/protocol'
import type { FastifyBaseLogger } from 'fastify'
import type { Delivery } from '../broker/broker.ts'
import type { Control } from '../channels.ts'
import { tokenVerifier } from '../auth/jwt.ts'
import { announcedLimits } from '../config.ts'
import { handleChat, handleHistory } from '../handlers/chat.ts'
import { handleDm, handleDmHistory, handleDmRead, handleDmTyping } from '../handlers/dm.ts'
import { handleJoin, handleLeave, handlePresence, handleTyping, leaveDeletedRoom, leaveEverything, leaveRoom } from '../handlers/rooms.ts'
import { needsLegacyMessages } from '../stream-entries.ts'
import { handleChangePassword, handleDeleteAccount, handleFindUsers, handleRegister, handleRevokeSession, handleSessions } from '../handlers/account.ts'
import { handleLogin, handleLogout, handleRename } from '../handlers/session.ts'
import { handleDelete, handleEdit, handleReact, handleRead } from '../handlers/message-life.ts'
import { handleBan, handleBlock, handleKick, handleMute, handleRestrictions, handleUnban, handleUnblock, handleUnmute } from '../handlers/moderation.ts'
import { handleSearch } from '../handlers/search.ts'
import { handleInvite, handleListRooms, handleRoomInfo, handleSetRole, handleSetRoom } from '../handlers/room-admin.ts'
import type { Hub } from '../hub.ts'
import { counterFor } from '../metrics.ts'
import type { User } from '../users.ts'
import type { Connection } from './connection.ts'
import { DeliveryHold } from './delivery-hold.ts'
import { Intake, type Refusal } from './intake.ts'
import { OwnDeliveries, type PendingReply } from './own-delivery.ts'
import { RequestQueue, type JobRunner } from './request-queue.ts'

export type { Connection } from './connection.ts'

/** The states of a session, in the order they are reached. */
export type SessionState = 'awaiting-login' | 'ready' | 'closing' | 'closed'

type Job =
  | { kind: 'frame'; frame: ClientFrame }
  | { kind: 'refused'; refusal: Refusal }
  /** Closing decided when the job was queued, entered when it is reached: what was read before it is still handled. */
  | { kind: 'close-when-reached'; code: CloseCode }
  | { kind: 'close'; code: CloseCode }
  /** An operator deleted a room this connection is in: leave it, in order with the frames read before. */
  | { kind: 'room-deleted'; room: string }
  /** A moderator kicked or banned the user from a room this connection is in. */
  | { kind: 'removed'; room: string }
  | { kind: 'end' }

type CloseCode = keyof typeof CloseCodes
type Request = { id?: string | undefined }

/** Longest wait for a sender's own delivery before its reply is sent regardless. */
const OWN_DELIVERY_FALLBACK_MS = 5_000
/** Longest delay setTimeout accepts. */
const MAX_TIMER_MS = 2 ** 31 - 1

export class Session implements JobRunner<Job> {
  readonly id: string
  readonly hub: Hub<Session>
  readonly conn: Connection
  /** Name offered in the welcome frame, kept when login names none. */
  readonly suggestedName: string
  /** Rooms joined or being joined. */
  readonly rooms = new Set<string>()
  #state: SessionState = 'awaiting-login'
  /** Set at the abuse limit: later frames are dropped unread while the ones read before are handled. */
  #stoppedReading = false
  #user: User | undefined
  readonly #intake: Intake
  readonly #queue: RequestQueue<Job>
  // Made on first use and dropped when empty: most connections sit idle, and
  // an empty Map still costs ~100 bytes (10,000 connections × 2 of them).
  #hold: DeliveryHold | undefined
  #own: OwnDeliveries | undefined
  #loginTimer: Timer | undefined
  /** Closes with 4012 when the login token expires. */
  #expiryTimer: Timer | undefined
  /** Public id of the session (device) this connection logged in with. */
  #sessionId: string | undefined
  /** Protocol version the client announced in login (1.0.0 when it named none). */
  #version = '1.0.0'
  /** The client predates protocol 1.3.0: room entries go out without its fields (stream-entries.ts). */
  #legacy = true
  /** Users this connection's user blocks (since 1.3.0); undefined: none. */
  blocked: Set<string> | undefined

  constructor(conn: Connection, hub: Hub<Session>) {
    this.id = conn.id
    this.conn = conn
    this.hub = hub
    this.suggestedName = hub.users.randomName()
    this.#intake = new Intake(hub.config)
    this.#queue = new RequestQueue<Job>(this)
  }

  get version(): string {
    return this.#version
  }

  set version(version: string) {
    this.#version = version
    this.#legacy = needsLegacyMessages(version)
  }

  /** True when the client predates protocol 1.3.0 (see stream-entries.ts). */
  get legacy(): boolean {
    return this.#legacy
  }

  get state(): SessionState {
    return this.#state
  }

  /** Public id of the session this connection logged in with; set at login. */
  get sessionId(): string | undefined {
    return this.#sessionId
  }

  /** The logged-in user; set from login until logout or close. */
  get user(): User | undefined {
    return this.#user
  }

  /**
   * Logger bound to this connection and its user. Made on use, not kept:
   * a child logger per idle connection would cost memory for rare lines.
   */
  get log(): FastifyBaseLogger {
    return this.hub.log.child(this.#user ? { connectionId: this.id, userId: this.#user.userId } : { connectionId: this.id })
  }

  // ---- transitions --------------------------------------------------------

  /** Greets the client and starts the login deadline. */
  start(): void {
    const { config } = this.hub
    this.send({
      type: 'welcome',
      connectionId: this.id,
      name: this.suggestedName,
      protocol: SUBPROTOCOL,
      version: PROTOCOL_VERSION,
      serverTime: now(),
      heartbeatMs: config.heartbeatMs,
      loginTimeoutMs: config.loginTimeoutMs,
      authRequired: tokenVerifier(config) !== undefined,
      limits: announcedLimits(config),
    })
    this.#loginTimer = setTimer(() => {
      if (this.#state === 'awaiting-login') this.closeAfterReplies(4001)
    }, config.loginTimeoutMs)
  }

  /**
   * awaiting-login → ready: the user is online on this connection. Undefined
   * (and nothing changed) when the session left awaiting-login meanwhile.
   */
  logIn(userId: string, name: string, sessionId: string, tokenExpiresAt?: number): User | undefined {
    if (this.#state !== 'awaiting-login') return undefined
    this.#state = 'ready'
    clearTimer(this.#loginTimer)
    this.#loginTimer = undefined
    this.#sessionId = sessionId
    if (tokenExpiresAt !== undefined) this.#closeAt(tokenExpiresAt)
    this.#user = this.hub.users.connect(userId, name, this.id)
    this.log.info('logged in')
    return this.#user
  }

  /** Closes with 4012 at `at` (epoch ms); setTimeout holds at most ~24.8 days, so longer waits are re-armed. */
  #closeAt(at: number): void {
    const delay = at - now()
    this.#expiryTimer = setTimer(() => (delay > MAX_TIMER_MS ? this.#closeAt(at) : this.closeAfterReplies(4012)), Math.max(0, Math.min(delay, MAX_TIMER_MS)))
    this.#expiryTimer.unref()
  }

  /** Acts on a control message about this connection's user (from any node, see channels.ts). */
  control(control: Control): void {
    switch (control.kind) {
      case 'revoke':
        if (control.except !== this.id && this.#sessionId !== undefined && control.sessionIds.includes(this.#sessionId)) {
          this.log.info('session revoked')
          this.closeAfterReplies(4011)
        }
        return
      case 'disconnect':
        if (this.closeAfterReplies(control.code)) this.log.info({ code: control.code }, 'disconnected by an operator')
        return
      case 'room-deleted':
        if (this.rooms.has(control.room) && this.#state === 'ready') this.#queue.push({ kind: 'room-deleted', room: control.room })
        return
      case 'removed':
        if (control.userId === this.#user?.userId && this.rooms.has(control.room) && this.#state === 'ready') this.#queue.push({ kind: 'removed', room: control.room })
        return
      case 'block':
        if (control.on) (this.blocked ??= new Set()).add(control.blockedId)
        else this.blocked?.delete(control.blockedId)
    }
  }

  /** ready → closing: leaves every room and the user's inbox; the close with 1000 follows the reply. */
  async logOut(): Promise<void> {
    this.closeAfterReplies(1000)
    await this.#leaveEverything()
  }

  /**
   * → closing: nothing more is handled; the close frame goes out after the
   * replies already queued. False when the session was closing already.
   */
  closeAfterReplies(code: CloseCode): boolean {
    if (!this.#toClosing()) return false
    this.#queue.push({ kind: 'close', code })
    return true
  }

  /** → closing and the close frame now (slow consumer, shutdown): nothing queued is worth sending. */
  close(code: CloseCode): void {
    this.#toClosing()
    this.conn.close(code, CloseCodes[code].name)
  }

  /** → closed. Called by the transport once the socket is closed, whatever closed it. */
  closed(): void {
    if (this.#state === 'closed') return
    this.#state = 'closed'
    clearTimer(this.#loginTimer)
    this.#loginTimer = undefined
    clearTimer(this.#expiryTimer)
    this.#expiryTimer = undefined
    this.#queue.clear()
    this.#queue.push({ kind: 'end' })
  }

  #toClosing(): boolean {
    if (this.#state === 'closing' || this.#state === 'closed') return false
    this.#state = 'closing'
    clearTimer(this.#loginTimer)
    this.#loginTimer = undefined
    clearTimer(this.#expiryTimer)
    this.#expiryTimer = undefined
    return true
  }

  async #leaveEverything(): Promise<void> {
    if (this.#user === undefined) return
    await leaveEverything(this, this.#user)
    this.#user = undefined
  }

  // ---- frames in ----------------------------------------------------------

  /** Entry point for each text frame from the transport. */
  receive(text: string): void {
    if (this.#state === 'closing' || this.#state === 'closed' || this.#stoppedReading) return
    const admission = this.#intake.admit(text, Date.now(), this)
    switch (admission.kind) {
      case 'frame':
        counterFor(this.hub.metrics.framesIn, admission.frame.type).inc()
        return this.#queue.push({ kind: 'frame', frame: admission.frame })
      case 'refused':
        return this.#queue.push({ kind: 'refused', refusal: admission.refusal })
      case 'abuse':
        // PROTOCOL.md §13: the strike that reaches the limit gets no reply, only the close;
        // requests read before it are still answered (§3: only what arrives once closing is not).
        this.#stoppedReading = true
        this.#queue.push({ kind: 'close-when-reached', code: 4008 })
    }
  }

  /** Whether a frame would act, so its type's own rate bucket counts it (see RateLimits.takeFor). */
  wouldAct(frame: ClientFrame): boolean {
    if (this.#state !== 'ready') return false
    if (frame.type === 'typing') return this.rooms.has(frame.room)
    if (frame.type === 'dm-typing') return true
    if (frame.type === 'join-room') return !this.rooms.has(frame.room)
    return false
  }

  /** Runs one queued job; called by the request queue only. */
  runJob(job: Job): Promise<void> | void {
    switch (job.kind) {
      case 'refused': {
        const { refusal } = job
        return this.fail({ id: refusal.id }, refusal.code, refusal.message, { details: refusal.details, retryAfterMs: refusal.retryAfterMs })
      }
      case 'close-when-reached':
        this.closeAfterReplies(job.code)
        return
      case 'close':
        return this.conn.close(job.code, CloseCodes[job.code].name)
      case 'end':
        return this.#leaveEverything()
      case 'room-deleted':
        if (this.#state !== 'ready' || !this.rooms.has(job.room)) return
        return leaveDeletedRoom(this, this.#user!, job.room)
      case 'removed':
        if (this.#state !== 'ready' || !this.rooms.has(job.room)) return
        return leaveRoom(this, this.#user!, job.room)
      case 'frame':
        // Frames queued before the session began closing are dropped unanswered.
        if (this.#state === 'closing' || this.#state === 'closed') return
        return this.#dispatch(job.frame)
    }
  }

  /** A job failed: logged with context, answered with `internal`. Called by the request queue only. */
  jobFailed(job: Job, err: unknown): void {
    this.log.error({ err }, 'request failed')
    if (job.kind === 'frame') this.fail(job.frame, 'internal', 'Internal error.')
  }

  // Not async: a handler's promise is passed on as is, one promise per frame fewer.
  #dispatch(frame: ClientFrame): Promise<void> | void {
    if (frame.type === 'ping') return this.reply(frame, { type: 'pong', serverTime: now() })
    if (this.#state === 'awaiting-login') {
      if (frame.type !== 'login') return this.fail(frame, 'not-logged-in', 'Log in first.')
      return handleLogin(this, frame)
    }
    const user = this.#user!
    switch (frame.type) {
      case 'login':
        return this.fail(frame, 'already-logged-in', 'This connection is already logged in.')
      case 'rename':
        return handleRename(this, user, frame)
      case 'logout':
        return handleLogout(this, user, frame)
      case 'join-room':
        return handleJoin(this, user, frame)
      case 'leave-room':
        return handleLeave(this, user, frame)
      case 'presence':
        return handlePresence(this, frame)
      case 'typing':
        return handleTyping(this, user, frame)
      case 'chat':
        return handleChat(this, user, frame)
      case 'history':
        return handleHistory(this, frame)
      case 'dm':
        return handleDm(this, user, frame)
      case 'dm-read':
        return handleDmRead(this, user, frame)
      case 'dm-typing':
        return handleDmTyping(this, user, frame)
      case 'dm-history':
        return handleDmHistory(this, user, frame)
      case 'register':
        return handleRegister(this, user, frame)
      case 'change-password':
        return handleChangePassword(this, user, frame)
      case 'delete-account':
        return handleDeleteAccount(this, user, frame)
      case 'sessions':
        return handleSessions(this, user, frame)
      case 'revoke-session':
        return handleRevokeSession(this, user, frame)
      case 'find-users':
        return handleFindUsers(this, user, frame)
      case 'room-info':
        return handleRoomInfo(this, user, frame)
      case 'edit':
        return handleEdit(this, user, frame)
      case 'delete':
        return handleDelete(this, user, frame)
      case 'react':
        return handleReact(this, user, frame)
      case 'read':
        return handleRead(this, user, frame)
      case 'search':
        return handleSearch(this, user, frame)
      case 'kick':
        return handleKick(this, user, frame)
      case 'ban':
        return handleBan(this, user, frame)
      case 'unban':
        return handleUnban(this, user, frame)
      case 'mute':
        return handleMute(this, user, frame)
      case 'unmute':
        return handleUnmute(this, user, frame)
      case 'restrictions':
        return handleRestrictions(this, user, frame)
      case 'block':
        return handleBlock(this, user, frame)
      case 'unblock':
        return handleUnblock(this, user, frame)
      case 'set-room':
        return handleSetRoom(this, user, frame)
      case 'set-role':
        return handleSetRole(this, user, frame)
      case 'invite':
        return handleInvite(this, user, frame)
      case 'list-rooms':
        return handleListRooms(this, frame)
    }
  }

  // ---- frames out ---------------------------------------------------------

  /** Sends a server frame. */
  send(frame: ServerFrame): void {
    this.sendEncoded(frame.type, encodeServerFrame(frame))
  }

  /** Sends an already-encoded frame of a known type. */
  sendEncoded(type: ServerFrame['type'], data: string): void {
    counterFor(this.hub.metrics.framesOut, type).inc()
    this.conn.send(data)
  }

  /** Sends a reply, echoing the request id. */
  reply(request: Request, frame: ServerFrame): void {
    this.sendEncoded(frame.type, encodeReply(request.id, frame))
  }

  /** Sends an error reply; the connection stays open. */
  fail(request: Request, code: ErrorCode, message: string, extra: { details?: string[] | undefined; retryAfterMs?: number | undefined } = {}): void {
    this.hub.metrics.error(code)
    const frame: ServerFrame = { type: 'error', code, message, retryable: ErrorCodes[code].retryable }
    if (extra.retryAfterMs !== undefined) frame.retryAfterMs = extra.retryAfterMs
    if (extra.details !== undefined && extra.details.length > 0) frame.details = extra.details
    this.reply(request, frame)
  }

  // ---- deliveries ---------------------------------------------------------

  /** Holds live deliveries of a channel until its join reply and replay are sent. */
  beginSync(channel: string): void {
    ;(this.#hold ??= new DeliveryHold()).begin(channel)
  }

  /** Releases held deliveries, skipping chat pushes the replay already carried. */
  endSync(channel: string, deliveredSeq: number): void {
    if (this.#hold === undefined) return
    const released = this.#hold.release(channel, deliveredSeq)
    if (this.#hold.empty) this.#hold = undefined
    for (const d of released) this.deliver(channel, d)
  }

  /** Registers the reply to send when the origin's own delivery comes through. */
  expectOwnDelivery(channel: string, seq: number, reply: PendingReply): string {
    return (this.#own ??= new OwnDeliveries()).expect(channel, seq, reply)
  }

  /**
   * After a publish: the reply goes out when the sender's own delivery comes
   * back through the ordered stream (at once with the in-process broker). If it
   * never does (the connection left the channel meanwhile), send it after a while anyway.
   */
  settleOwnDelivery(key: string): void {
    if (!this.#own?.has(key)) return
    setTimeout(() => this.#flushOwnDelivery(key), OWN_DELIVERY_FALLBACK_MS).unref()
  }

  #flushOwnDelivery(key: string): void {
    const reply = this.#own?.take(key)
    if (reply === undefined) return
    if (this.#own!.empty) this.#own = undefined
    this.sendEncoded(reply.type, reply.data)
  }

  /** Receives a delivery for a channel this session is in (called by the hub). */
  deliver(channel: string, delivery: Delivery): void {
    if (this.#hold?.keep(channel, delivery)) return
    if (delivery.seq !== undefined && this.#own !== undefined) {
      // The sender's reply takes the place of its own push, in stream order
      // (whether the push came from the broker or was filled from the store).
      const key = this.#own.match(channel, delivery.seq)
      if (key !== undefined) return this.#flushOwnDelivery(key)
    }
    if (delivery.origin === this.id) return
    if (delivery.from !== undefined && this.blocked?.has(delivery.from)) return
    const data = this.#legacy && delivery.legacy !== undefined ? delivery.legacy : delivery.data
    if (data !== '') this.conn.send(data)
  }
}
