// The client kit's scripted server: a real WebSocket server on 127.0.0.1 (a
// random port) that speaks chat.v1 well enough for one client (login with
// session keys and resume, rooms, chat with clientMsgId dedup, history, ping,
// logout, read markers), records every frame the client sends with its arrival time and
// checks it against the client frame schemas. A scenario scripts it: it
// decides per connection attempt what happens (accept, refuse, drop), posts
// messages as another user, intercepts requests to answer them its own way,
// closes with any code or goes silent. Every wait is bounded.
import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { Duplex } from 'node:stream'
import { type WebSocket, WebSocketServer } from 'ws'
import {
  type ChatMessage,
  type ClientFrame,
  type ClientFrameOf,
  decodeClientFrame,
  type DirectMessage,
  type JoinSpec,
  type Limits,
  type Member,
  type Position,
  PROTOCOL_VERSION,
  type RoomState,
  SUBPROTOCOL,
  speaksAtLeast,
} from '@wirechat/protocol'

/** What happens to one connection attempt (one HTTP upgrade request). */
export type AttemptOutcome =
  /** Upgrade, welcome, serve the protocol. */
  | 'accept'
  /** Upgrade, then cut the TCP connection at once: the client sees 1006 before any welcome. */
  | 'drop'
  /** Answer the upgrade with HTTP 503 (a server restarting behind a load balancer). */
  | 'refuse'
  /** Upgrade and then say nothing at all (no welcome): a client that should not be here learns nothing. */
  | 'hang'

export interface Attempt {
  /** 1 for the first upgrade request of the run. */
  n: number
  /** performance.now() when the upgrade request arrived. */
  at: number
  outcome: AttemptOutcome
  /** The subprotocols the client offered (Sec-WebSocket-Protocol), in its order. */
  protocols: string[]
}

/** One frame from the client, as received. */
export interface Received {
  conn: FakeConnection
  /** performance.now() on arrival. */
  at: number
  text: string
  /** The decoded frame; undefined when it violates its schema. */
  frame: ClientFrame | undefined
}

/** A user as the fake server knows it. */
export interface FakeUser {
  userId: string
  name: string
  session: string
}

/** The other user who posts in the rooms. */
export const BOB: Member = { userId: 'u-bob', name: 'bob' }

export const DEFAULT_LIMITS: Limits = {
  maxFrameBytes: 32_768,
  maxTextChars: 2_000,
  maxNameChars: 32,
  maxRooms: 50,
  messagesPerSecond: 50,
  messageBurst: 100,
  historyPageMax: 50,
  typingTtlMs: 5_000,
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** The stored state: rooms with their gapless messages, users, inboxes, the clientMsgId index. */
export class World {
  readonly epoch = `e-${randomBytes(4).toString('hex')}`
  readonly inboxEpoch = `i-${randomBytes(4).toString('hex')}`
  readonly rooms = new Map<string, ChatMessage[]>()
  readonly sessions = new Map<string, FakeUser>()
  readonly inbox: DirectMessage[] = []
  readonly #byClientMsgId = new Map<string, ChatMessage>()
  #msgIds = 0
  #users = 0

  messages(room: string): ChatMessage[] {
    let list = this.rooms.get(room)
    if (list === undefined) this.rooms.set(room, (list = []))
    return list
  }

  newest(room: string): number {
    return this.messages(room).length
  }

  newUser(name: string): FakeUser {
    const user = { userId: `u-${++this.#users}-${name.toLowerCase().replace(/[^a-z0-9]/g, '') || 'x'}`, name, session: randomBytes(18).toString('base64url') }
    this.sessions.set(user.session, user)
    return user
  }

  /** Appends a message to a room (the next seq) and returns it. */
  post(room: string, from: Member, text: string, clientMsgId?: string): ChatMessage {
    const list = this.messages(room)
    const message: ChatMessage = { msgId: `m${++this.#msgIds}`, room, seq: list.length + 1, userId: from.userId, name: from.name, text, ts: Date.now() }
    if (clientMsgId !== undefined) {
      message.clientMsgId = clientMsgId
      this.#byClientMsgId.set(`${from.userId} ${clientMsgId}`, message)
    }
    list.push(message)
    return message
  }

  /** The message this user stored before with this clientMsgId. */
  sentBefore(userId: string, clientMsgId: string | undefined): ChatMessage | undefined {
    return clientMsgId === undefined ? undefined : this.#byClientMsgId.get(`${userId} ${clientMsgId}`)
  }

  /**
   * Appends any entry to a room's stream at the next seq (a 1.3.0 event, or a
   * message as it reads now, with its `rev`) and returns it; nothing is pushed.
   */
  append(room: string, entry: Omit<ChatMessage, 'msgId' | 'room' | 'seq' | 'ts'> & { ts?: number }): ChatMessage {
    const list = this.messages(room)
    const stored: ChatMessage = { msgId: `m${++this.#msgIds}`, room, seq: list.length + 1, ts: Date.now(), ...entry }
    list.push(stored)
    return stored
  }

  /** Appends a DM from bob to `to`'s inbox. */
  dm(to: FakeUser, text: string): DirectMessage {
    const message: DirectMessage = { msgId: `m${++this.#msgIds}`, from: BOB.userId, fromName: BOB.name, to: to.userId, seq: this.inbox.length + 1, text, ts: Date.now() }
    this.inbox.push(message)
    return message
  }

  /** The state of a room for a join from `since` (resume as PROTOCOL.md §7 says), and the pushes that must follow. */
  join(room: string, user: FakeUser, since: Position | undefined): { state: RoomState; replay: ChatMessage[] } {
    const list = this.messages(room)
    const members = [{ userId: user.userId, name: user.name }, BOB]
    const snapshot = (): RoomState => this.#counts({ room, epoch: this.epoch, seq: list.length, members, history: list.slice(-DEFAULT_LIMITS.historyPageMax) }, user)
    if (since === undefined) return { state: snapshot(), replay: [] }
    if (since.epoch !== this.epoch) return { state: { ...snapshot(), resume: { resumed: false, missed: 0, reason: 'epoch-changed' } }, replay: [] }
    if (since.seq > list.length) return { state: { ...snapshot(), resume: { resumed: false, missed: 0, reason: 'ahead-of-server' } }, replay: [] }
    const replay = list.slice(since.seq)
    return { state: this.#counts({ room, epoch: this.epoch, seq: list.length, members, history: [], resume: { resumed: true, missed: replay.length } }, user), replay }
  }

  /**
   * The user's read marker per room (§7a), set by a scenario or by `read`. A
   * room with a marker gets `readSeq`, `unread` and `mentions` in its room
   * states, counted as a server counts them: messages of others above the
   * marker, not deleted, events not counted.
   */
  readonly markers = new Map<string, number>()

  #counts(state: RoomState, user: FakeUser): RoomState {
    const readSeq = this.markers.get(state.room)
    if (readSeq === undefined) return state
    const unread = this.messages(state.room).filter((m) => m.seq > readSeq && m.seq <= state.seq && m.userId !== user.userId && m.event === undefined && m.deleted !== true)
    return { ...state, readSeq, unread: unread.length, mentions: unread.filter((m) => m.mentions?.includes(user.userId)).length }
  }

  /** Moves the read marker (never down, never past the newest seq); returns the marker in force. */
  read(room: string, seq: number): number {
    const readSeq = Math.max(this.markers.get(room) ?? 0, Math.min(seq, this.newest(room)))
    this.markers.set(room, readSeq)
    return readSeq
  }

  history(frame: ClientFrameOf<'history'>): { messages: ChatMessage[]; hasMore: boolean } {
    const list = this.messages(frame.room)
    const limit = Math.min(frame.limit ?? DEFAULT_LIMITS.historyPageMax, DEFAULT_LIMITS.historyPageMax)
    if (frame.after !== undefined) {
      const page = list.filter((m) => m.seq > frame.after!)
      return { messages: page.slice(0, limit), hasMore: page.length > limit }
    }
    const page = frame.before === undefined ? list : list.filter((m) => m.seq < frame.before!)
    return { messages: page.slice(-limit), hasMore: page.length > limit }
  }
}

export interface FakeServerOptions {
  /** Announced in welcome (default 30 000). */
  heartbeatMs?: number
  /** Send WebSocket pings every heartbeatMs, as PROTOCOL.md §10 says a server does (default false). */
  pings?: boolean
  /** Extra fields merged into every welcome (unknown ones: the compatibility scenario). */
  welcomeExtra?: Record<string, unknown>
  /** Extra fields merged into every login-ok. */
  loginOkExtra?: Record<string, unknown>
}

/**
 * A request the scenario answers itself. Return true when it handled the
 * frame (the default handling is skipped), false to let the default run.
 */
export type Intercept = (frame: ClientFrame, conn: FakeConnection) => boolean

export class FakeServer {
  readonly world = new World()
  readonly attempts: Attempt[] = []
  readonly connections: FakeConnection[] = []
  /** Every frame from the client, on every connection, in arrival order. */
  readonly received: Received[] = []
  /** Frames that broke the protocol (binary, or not a valid client frame), described. */
  readonly violations: string[] = []
  /** Everything that happened on the wire, in order, one line each: for failure reports. */
  readonly transcript: Array<{ at: number; text: string }> = []
  /** Decides the fate of each connection attempt (default: accept). */
  policy: (attempt: Attempt) => AttemptOutcome = () => 'accept'
  intercept: Intercept | undefined
  readonly options: FakeServerOptions
  #http: Server
  #wss: WebSocketServer
  #port = 0
  #waiters = new Set<() => void>()

  private constructor(options: FakeServerOptions) {
    this.options = options
    this.#http = createServer((_req, res) => {
      res.writeHead(426, { 'content-type': 'text/plain' }).end('WebSocket only')
    })
    this.#wss = new WebSocketServer({ noServer: true, handleProtocols: (protocols) => (protocols.has(SUBPROTOCOL) ? SUBPROTOCOL : false) })
    this.#http.on('upgrade', (req, socket, head) => this.#upgrade(req, socket, head))
  }

  static async start(options: FakeServerOptions = {}): Promise<FakeServer> {
    const server = new FakeServer(options)
    await new Promise<void>((resolve, reject) => {
      server.#http.once('error', reject)
      server.#http.listen(0, '127.0.0.1', () => resolve())
    })
    const address = server.#http.address()
    if (address === null || typeof address === 'string') throw new Error('the fake server has no port')
    server.#port = address.port
    return server
  }

  /** ws:// URL of the endpoint the client is told to use. */
  get url(): string {
    return `ws://127.0.0.1:${this.#port}/ws`
  }

  get heartbeatMs(): number {
    return this.options.heartbeatMs ?? 30_000
  }

  #upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const offered = req.headers['sec-websocket-protocol']
    const protocols = offered === undefined ? [] : offered.split(',').map((p) => p.trim())
    const attempt: Attempt = { n: this.attempts.length + 1, at: performance.now(), outcome: 'accept', protocols }
    attempt.outcome = this.policy(attempt)
    this.attempts.push(attempt)
    this.note(`connection attempt ${attempt.n}: ${attempt.outcome}`)
    this.#notify()
    socket.on('error', () => {})
    if (attempt.outcome === 'refuse') {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
      return
    }
    this.#wss.handleUpgrade(req, socket, head, (ws) => {
      if (attempt.outcome === 'drop') return ws.terminate()
      const conn = new FakeConnection(this, ws, this.connections.length + 1, attempt)
      this.connections.push(conn)
      this.#notify()
      if (attempt.outcome === 'hang') conn.silent = true
      else conn.greet()
    })
  }

  /** Called by connections on every frame. */
  record(received: Received): void {
    this.received.push(received)
    this.note(`conn ${received.conn.n} → ${received.text}`)
    this.#notify()
  }

  /** Adds a line to the transcript. */
  note(text: string): void {
    if (this.transcript.length < 2_000) this.transcript.push({ at: performance.now(), text: text.length > 240 ? `${text.slice(0, 240)}…` : text })
  }

  /** Wakes every bounded wait to look again. */
  #notify(): void {
    for (const wake of this.#waiters) wake()
  }

  /**
   * Resolves once `check` returns a value (not undefined), looking again after
   * every attempt, connection, frame and `poke()`; rejects after `timeoutMs`
   * with "timed out waiting for <what>".
   */
  until<T>(check: () => T | undefined, what: string, timeoutMs: number): Promise<T> {
    const now = check()
    if (now !== undefined) return Promise.resolve(now)
    return new Promise<T>((resolve, reject) => {
      const wake = (): void => {
        let value: T | undefined
        try {
          value = check()
        } catch (err) {
          done()
          return reject(err)
        }
        if (value === undefined) return
        done()
        resolve(value)
      }
      const timer = setTimeout(() => {
        done()
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`))
      }, timeoutMs)
      const done = (): void => {
        clearTimeout(timer)
        this.#waiters.delete(wake)
      }
      this.#waiters.add(wake)
    })
  }

  /** Makes the waits look again (after a change they cannot see, e.g. a line the client printed). */
  poke(): void {
    this.#notify()
  }

  /** The first frame received from index `from` on that matches. */
  waitFrame(match: (r: Received) => boolean, what: string, timeoutMs: number, from = 0): Promise<Received> {
    return this.until(() => this.received.slice(from).find(match), what, timeoutMs)
  }

  /** Waits for connection attempt number `n`. */
  waitAttempt(n: number, timeoutMs: number): Promise<Attempt> {
    return this.until(() => this.attempts[n - 1], `connection attempt ${n}`, timeoutMs)
  }

  /** Waits for the n-th accepted connection to log in; resolves with its login frame. */
  waitLogin(conn: number, timeoutMs: number): Promise<{ conn: FakeConnection; login: ClientFrameOf<'login'> }> {
    return this.until(
      () => {
        const c = this.connections[conn - 1]
        return c?.login === undefined || c.user === undefined ? undefined : { conn: c, login: c.login }
      },
      `a successful login on connection ${conn}`,
      timeoutMs,
    )
  }

  /** Logged-in, open connections in `room`. */
  members(room: string): FakeConnection[] {
    return this.connections.filter((c) => c.open && c.user !== undefined && c.rooms.has(room))
  }

  /** Stores a message from bob and pushes it to every connection in the room. */
  post(room: string, text: string, from: Member = BOB): ChatMessage {
    const message = this.world.post(room, from, text)
    for (const c of this.members(room)) c.send({ type: 'chat', message })
    return message
  }

  /**
   * Stores any entry — a 1.3.0 event, a message of another user — and pushes it
   * to every connection in the room as is (only scenarios for 1.3.0 clients use it).
   */
  append(room: string, entry: Parameters<World['append']>[1]): ChatMessage {
    const message = this.world.append(room, entry)
    for (const c of this.members(room)) c.send({ type: 'chat', message })
    return message
  }

  /** Stores a DM from bob to the user and pushes it to the user's connections. */
  dm(to: FakeUser, text: string): DirectMessage {
    const message = this.world.dm(to, text)
    for (const c of this.connections) if (c.open && c.user?.userId === to.userId) c.send({ type: 'dm', message })
    return message
  }

  /** Stops listening and cuts every connection. */
  async close(): Promise<void> {
    for (const c of this.connections) c.stop()
    for (const ws of this.#wss.clients) ws.terminate()
    this.#http.closeAllConnections()
    await new Promise<void>((resolve) => this.#http.close(() => resolve()))
    this.#wss.close()
  }
}

/** A message without the 1.3.0 fields: what a client of an older version gets (PROTOCOL.md §7a, LIFE-11); `text` says what happened. */
function legacyMessage(message: ChatMessage): ChatMessage {
  const { event: _e, replyTo: _r, mentions: _m, edited: _d, deleted: _x, reactions: _a, rev: _v, ...legacy } = message
  return legacy
}

/** A room state without the 1.3.0 counts, its history as older clients get it. */
function legacyState(state: RoomState): RoomState {
  const { readSeq: _r, unread: _u, mentions: _m, ...legacy } = state
  return { ...legacy, history: state.history.map(legacyMessage) }
}

/** A frame as a client that announced a version before 1.3.0 gets it. */
function legacyFrame(frame: Record<string, unknown>): Record<string, unknown> {
  if (frame.type === 'chat' || frame.type === 'chat-ok') return { ...frame, message: legacyMessage(frame.message as ChatMessage) }
  if (frame.type === 'history-ok') return { ...frame, messages: (frame.messages as ChatMessage[]).map(legacyMessage) }
  if (frame.type === 'login-ok') return { ...frame, rooms: (frame.rooms as RoomState[]).map(legacyState) }
  if (frame.type === 'join-room-ok') return { ...frame, state: legacyState(frame.state as RoomState) }
  return frame
}

/** One accepted connection. */
export class FakeConnection {
  readonly server: FakeServer
  readonly ws: WebSocket
  /** 1 for the first accepted connection. */
  readonly n: number
  readonly attempt: Attempt
  readonly openedAt = performance.now()
  readonly frames: Received[] = []
  /** The login frame that succeeded on this connection. */
  login: ClientFrameOf<'login'> | undefined
  user: FakeUser | undefined
  readonly rooms = new Set<string>()
  /** How the connection ended: the code the client saw (1006 for a cut) and when. */
  ended: { code: number; by: 'server' | 'client'; at: number } | undefined
  /** A silent connection sends nothing, answers nothing and reads nothing more. */
  silent = false
  #pinger: NodeJS.Timeout | undefined

  constructor(server: FakeServer, ws: WebSocket, n: number, attempt: Attempt) {
    this.server = server
    this.ws = ws
    this.n = n
    this.attempt = attempt
    ws.on('error', () => {})
    ws.on('message', (data, isBinary) => this.#onMessage(data as Buffer, isBinary))
    ws.on('close', (code) => {
      clearInterval(this.#pinger)
      if (this.ended === undefined) server.note(`conn ${n} closed by the client: ${code}`)
      this.ended ??= { code, by: 'client', at: performance.now() }
      server.poke()
    })
  }

  get open(): boolean {
    return this.ws.readyState === this.ws.OPEN && this.ended === undefined
  }

  greet(): void {
    const { server } = this
    this.send({
      type: 'welcome',
      connectionId: `c${this.n}`,
      name: `guest${this.n}`,
      protocol: SUBPROTOCOL,
      version: PROTOCOL_VERSION,
      serverTime: Date.now(),
      heartbeatMs: server.heartbeatMs,
      loginTimeoutMs: 10_000,
      authRequired: false,
      limits: DEFAULT_LIMITS,
      ...server.options.welcomeExtra,
    })
    if (server.options.pings === true) this.#pinger = setInterval(() => this.open && !this.silent && this.ws.ping(), server.heartbeatMs)
  }

  send(frame: Record<string, unknown>): void {
    if (this.silent || !this.open) return
    const text = JSON.stringify(this.login !== undefined && !speaksAtLeast(this.login.version, '1.3.0') ? legacyFrame(frame) : frame)
    this.server.note(`conn ${this.n} ← ${text}`)
    this.ws.send(text)
  }

  /** Closes with a close frame carrying `code` and `reason`. */
  close(code: number, reason = ''): void {
    this.ended ??= { code, by: 'server', at: performance.now() }
    clearInterval(this.#pinger)
    this.server.note(`conn ${this.n} closed by the kit: ${code} ${reason}`)
    this.ws.close(code, reason)
    this.server.poke()
  }

  /** Cuts the TCP connection without a close frame: the client sees 1006. */
  cut(): void {
    this.ended ??= { code: 1006, by: 'server', at: performance.now() }
    clearInterval(this.#pinger)
    this.server.note(`conn ${this.n} cut by the kit (the client sees 1006)`)
    this.ws.terminate()
    this.server.poke()
  }

  /** The link goes dead: no more frames, pings or pongs either way; the TCP connection stays up. */
  goSilent(): void {
    this.silent = true
    clearInterval(this.#pinger)
    this.server.note(`conn ${this.n} goes silent (no frames, no pings, no pongs; TCP stays up)`)
    ;(this.ws as unknown as { _socket?: { pause(): void } })._socket?.pause()
  }

  stop(): void {
    clearInterval(this.#pinger)
  }

  #onMessage(data: Buffer, isBinary: boolean): void {
    if (this.silent) return
    const text = data.toString('utf8')
    const decoded = isBinary ? undefined : decodeClientFrame(text)
    const received: Received = { conn: this, at: performance.now(), text, frame: decoded?.ok === true ? decoded.frame : undefined }
    if (isBinary) this.server.violations.push(`a binary frame on connection ${this.n}: ${text.slice(0, 120)}`)
    else if (decoded !== undefined && !decoded.ok)
      this.server.violations.push(`${decoded.code}: ${decoded.message}${decoded.details ? ` (${decoded.details.join('; ')})` : ''} — ${text.slice(0, 200)}`)
    this.frames.push(received)
    this.server.record(received)
    if (received.frame === undefined) {
      if (decoded !== undefined && !decoded.ok) this.send({ type: 'error', ...(decoded.id !== undefined && { id: decoded.id }), code: decoded.code, message: decoded.message, retryable: false })
      return
    }
    const frame = received.frame
    if (this.server.intercept?.(frame, this) === true) {
      this.server.poke() // the waits look again: the frame was recorded before the scenario's intercept noted what it did
      return
    }
    this.serve(frame)
  }

  /** The default answer to a valid request. */
  serve(frame: ClientFrame): void {
    const { world } = this.server
    const id = frame.id
    const reply = (body: Record<string, unknown>): void => this.send(id === undefined ? body : { ...body, id })
    const error = (code: string, message: string, extra: Record<string, unknown> = {}): void => reply({ type: 'error', code, message, retryable: false, ...extra })
    if (frame.type === 'ping') return reply({ type: 'pong', serverTime: Date.now() })
    if (frame.type === 'login') return this.#login(frame, reply, error)
    const user = this.user
    if (user === undefined) return error('not-logged-in', 'Log in first.')
    switch (frame.type) {
      case 'join-room': {
        const { state, replay } = world.join(frame.room, user, frame.since)
        this.rooms.add(frame.room)
        reply({ type: 'join-room-ok', state })
        for (const message of replay) this.send({ type: 'chat', message })
        return
      }
      case 'leave-room':
        this.rooms.delete(frame.room)
        return reply({ type: 'leave-room-ok', room: frame.room })
      case 'chat': {
        if (!this.rooms.has(frame.room)) return error('not-in-room', 'Join the room first.')
        const before = world.sentBefore(user.userId, frame.clientMsgId)
        if (before !== undefined) return reply({ type: 'chat-ok', message: before, duplicate: true })
        const message = world.post(frame.room, user, frame.text, frame.clientMsgId)
        reply({ type: 'chat-ok', message })
        for (const c of this.server.members(frame.room)) if (c !== this) c.send({ type: 'chat', message })
        return
      }
      case 'history': {
        if (!this.rooms.has(frame.room)) return error('not-in-room', 'Join the room first.')
        return reply({ type: 'history-ok', room: frame.room, epoch: world.epoch, ...world.history(frame) })
      }
      case 'presence':
        return reply({ type: 'presence-ok', room: frame.room, members: [{ userId: user.userId, name: user.name }, BOB] })
      case 'typing':
        return reply({ type: 'typing-ok', room: frame.room })
      case 'read':
        if (!this.rooms.has(frame.room)) return error('not-in-room', 'Join the room first.')
        return reply({ type: 'read-ok', room: frame.room, seq: world.read(frame.room, frame.seq) })
      case 'logout':
        reply({ type: 'logout-ok' })
        return this.close(1000, 'normal')
      default:
        return reply({ type: 'error', code: 'unavailable', message: `The kit's fake server does not serve "${frame.type}".`, retryable: true })
    }
  }

  #login(frame: ClientFrameOf<'login'>, reply: (body: Record<string, unknown>) => void, error: (code: string, message: string) => void): void {
    const { world } = this.server
    if (this.user !== undefined) return error('already-logged-in', 'Logged in already.')
    let user: FakeUser
    if (frame.session !== undefined) {
      const known = world.sessions.get(frame.session)
      if (known === undefined) return error('invalid-session', 'Unknown session key.')
      user = known
    } else user = world.newUser(frame.name ?? `guest${this.n}`)
    const specs: JoinSpec[] = frame.rooms ?? [{ room: 'lobby' }]
    const joins = specs.map((spec) => world.join(spec.room, user, spec.since))
    let inbox: Record<string, unknown> = { epoch: world.inboxEpoch, seq: world.inbox.length }
    let dmReplay: DirectMessage[] = []
    if (frame.inbox !== undefined) {
      const ok = frame.inbox.epoch === world.inboxEpoch && frame.inbox.seq <= world.inbox.length
      dmReplay = ok ? world.inbox.slice(frame.inbox.seq) : []
      inbox = {
        ...inbox,
        resume: ok ? { resumed: true, missed: dmReplay.length } : { resumed: false, missed: 0, reason: frame.inbox.epoch === world.inboxEpoch ? 'ahead-of-server' : 'epoch-changed' },
      }
    }
    this.user = user
    this.login = frame
    for (const spec of specs) this.rooms.add(spec.room)
    reply({ type: 'login-ok', userId: user.userId, name: user.name, session: user.session, rooms: joins.map((j) => j.state), inbox, ...this.server.options.loginOkExtra })
    for (const { replay } of joins) for (const message of replay) this.send({ type: 'chat', message })
    for (const message of dmReplay) this.send({ type: 'dm', message })
    this.server.poke()
  }
}

export { sleep }
