// ChatClient: the public API. It owns the socket, the rooms and who we are,
// turns server frames into typed events in arrival order, and re-establishes
// the session (and every room, from its last seq) after each reconnect.
import type { FoundUser, Namespace, Restriction, RoomRole, SearchHit, ServerFrame, ServerFrameOf, SessionInfo as DeviceSession } from '@wirechat/protocol/frames'
import type { ChatMessage, DirectMessage, JoinSpec, Member, Position } from '@wirechat/protocol'
import { createBackoff, type Backoff } from './backoff.ts'
import { systemClock, type Clock } from './clock.ts'
import { ChatError, isFinalSendError } from './errors.ts'
import { Emitter, type ChatEvents, type SessionInfo } from './events.ts'
import { GapFill, MAX_FILL_ROUNDS } from './gap-fill.ts'
import { Outbox, outboxKey, type OutboxEntry, type OutboxLimits, type OutboxStorage } from './outbox.ts'
import type { RequestBody } from './request.ts'
import { Room, RoomStates, type JoinOutcome } from './room.ts'
import { isTargetedEvent as isTargeted } from '@wirechat/protocol/timeline'
import { SendPacer } from './send-pacer.ts'
import { ChatSocket, PROTOCOL_VERSION, SocketStates, type SocketOptions, type SocketState, type WebSocketConstructor } from './socket.ts'

export { createBackoff, type Backoff } from './backoff.ts'
export { systemClock, type Clock } from './clock.ts'
export { ChatError, isChatError, isFinalSendError, type ChatErrorCode } from './errors.ts'
export { createLocalStorage, createMemoryStorage, defaultOutboxLimits, Outbox, outboxKey, type OutboxChange, type OutboxEntry, type OutboxLimits, type OutboxStorage } from './outbox.ts'
export type { ChatEvents, Removed, SessionInfo, SignedOut } from './events.ts'
export type { DmConversation, FoundUser, Namespace, Restriction, RoomRole, SearchHit, SessionInfo as DeviceSession } from '@wirechat/protocol/frames'
export { Room, RoomStates, type JoinOutcome } from './room.ts'
export { MAX_SEND_WAIT_MS } from './send-pacer.ts'
export { PROTOCOL_VERSION, SocketStates, type SocketState, type StateChange, type RetryInfo, type TransitionReason, type WebSocketConstructor, type WebSocketLike } from './socket.ts'

/** Link settings handed to the socket as given (documented on SocketOptions). */
type LinkOptions = Pick<SocketOptions, 'pingIntervalMs' | 'pongTimeoutMs' | 'connectTimeoutMs' | 'requestTimeoutMs' | 'maxBufferedRequests' | 'maxReconnectAttempts'>

export interface ChatClientOptions extends LinkOptions {
  /** ws:// or wss:// URL of the /ws endpoint. */
  url: string
  /** WebSocket constructor. Default: globalThis.WebSocket, in browsers and Node 24; pass another implementation (such as `ws`) if wanted. */
  WebSocket?: WebSocketConstructor
  /** Time source for heartbeat, timeouts and reconnect delays. Default: the system clock. */
  clock?: Clock
  /** Reconnect delay per attempt. Default: createBackoff() (0.25–10 s, equal jitter). */
  backoff?: Backoff
  /** Makes a clientMsgId. Default: crypto.randomUUID (or a random hex id where that is unavailable). */
  createMessageId?: () => string
  /**
   * Persistent outbox: every chat/DM send is written here before it is sent and removed on its ack;
   * whatever is left is re-sent after each login (a reload or a reconnect), scoped by `url` and user id.
   * Default: none (unacknowledged sends live only as long as this client).
   */
  outbox?: OutboxStorage
  /** Outbox bounds. Default 100 entries, 64 KiB, 24 h (see OutboxLimits). */
  outboxLimits?: Partial<OutboxLimits>
  /**
   * The protocol version announced in login. Default: the version this library implements.
   * A client that uses only 1.0.0 features may say `'1.0.0'` and get exactly 1.0.0 replies.
   */
  protocolVersion?: string
}

export interface LoginOptions {
  /** Display name; default the one suggested in the welcome (or the session's). */
  name?: string
  /** Session key from an earlier login: continue as that user. */
  session?: string
  /** Rooms to join; default ["lobby"]. */
  rooms?: string[]
  /** Last direct-message position seen (from `inboxPosition`, e.g. kept across reloads): DMs after it are replayed. */
  inbox?: Position
  /** Password of the registered `name`: signs in to the account (a new session on this device). */
  password?: string
  /** Label of this device in the session list (1–64 characters, e.g. "Firefox on Linux"). */
  device?: string
  /** Signed token, on servers that require one: the user id and name come from it; when it expires the session ends with `signed-out` 4012. */
  token?: string
}

export interface SendOptions {
  /** Idempotency key of this send (8–64 of A–Z a–z 0–9 _ -). Default: a new one. */
  clientMsgId?: string
}

export interface ChatSendOptions extends SendOptions {
  /** Seq of the message this one answers, in the same room (since 1.3.0; the server adds the quoted excerpt). */
  replyTo?: number
}

export interface SearchOptions {
  /** Search this room only (one the user belongs to); default: every room of the user and the DMs. */
  room?: string
  /** `next` of the previous page: the older results. */
  cursor?: string
  /** Most hits, 1–50 (server default 20). */
  limit?: number
}

/** A page of the room directory (list-rooms-ok). */
export type DirectoryPage = Omit<ServerFrameOf<'list-rooms-ok'>, 'type' | 'id'>
/** A public room in the directory: name, topic, member count. */
export type DirectoryEntry = DirectoryPage['rooms'][number]
/** A room and its people (room-info-ok): topic, visibility, owners, moderators, member count, your role. */
export type RoomDetails = Omit<ServerFrameOf<'room-info-ok'>, 'type' | 'id'>

export interface DirectoryQuery {
  /** Only rooms of this namespace ("" the default one). Default: every namespace. */
  namespace?: string
  /** Start of the room name (within `namespace` when given). */
  prefix?: string
  /** `next` of the previous page. */
  cursor?: string
  /** Page size (1–50, server default 20). */
  limit?: number
}

export interface RestrictOptions {
  /** How long, in ms (1 s to 366 days); absent: until lifted. */
  durationMs?: number
  /** Why, one line of at most 200 code points; shown to the room in the event. */
  reason?: string
}

/** A room's bans and mutes in force (restrictions-ok). */
export interface Restrictions {
  bans: Restriction[]
  mutes: Restriction[]
}

/** A page of one DM conversation: backwards from `before` (an inbox seq). */
export interface DmHistoryQuery {
  /** DMs with inbox seq < before; absent: the newest. */
  before?: number
  /** Page size (server default 50), capped by the server. */
  limit?: number
}

export interface HistoryQuery {
  /** Messages with seq < before. */
  before?: number
  /** Messages with seq > after. */
  after?: number
  /** Page size, capped by the server. */
  limit?: number
}

/** A fresh clientMsgId: the idempotency key that makes re-sends (after a reconnect, or a retry) safe. */
export function newMessageId(): string {
  const c = globalThis.crypto
  // randomUUID exists only in secure contexts (https, localhost); getRandomValues everywhere.
  if (typeof c.randomUUID === 'function') return c.randomUUID()
  const bytes = c.getRandomValues(new Uint8Array(16))
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}

export class ChatClient extends Emitter<ChatEvents> {
  readonly #socket: ChatSocket
  readonly #rooms = new Map<string, Room>()
  readonly #createMessageId: () => string
  readonly #url: string
  readonly #version: string
  readonly #clock: Clock
  readonly #outboxStorage: OutboxStorage | undefined
  readonly #outboxLimits: Partial<OutboxLimits>
  /** The logged-in user's outbox (when an outbox storage is configured). */
  #outbox: Outbox | undefined
  /** clientMsgIds with a request on its way in this client: the socket re-sends those itself after a reconnect. */
  readonly #inFlight = new Set<string>()
  /** Chat and DM sends refused with rate-limited go out again after `retryAfterMs`, in order. */
  readonly #pacer: SendPacer
  #user: { userId: string; name: string } | undefined
  #session: string | undefined
  #sessionId: string | undefined
  #registered = false
  #namespaces: Namespace[] = []
  readonly #blocked = new Set<string>()
  #opened: { resolve: () => void; reject: (e: ChatError) => void } | undefined
  /** Position in this user's DM inbox: one gapless stream of every DM sent or received. */
  #inbox: { epoch: string; seq: number } | undefined
  /** Rooms whose live stream skipped a seq: the messages after the gap wait there while history fills it. */
  readonly #gaps = new Map<string, GapFill>()

  constructor(options: ChatClientOptions) {
    super()
    const WebSocketImpl = options.WebSocket ?? (globalThis.WebSocket as unknown as WebSocketConstructor | undefined)
    if (WebSocketImpl === undefined) throw new TypeError('No WebSocket implementation: pass options.WebSocket')
    this.#createMessageId = options.createMessageId ?? newMessageId
    this.#url = options.url
    this.#version = options.protocolVersion ?? PROTOCOL_VERSION
    this.#clock = options.clock ?? systemClock
    this.#outboxStorage = options.outbox
    this.#outboxLimits = options.outboxLimits ?? {}
    this.#pacer = new SendPacer(this.#clock)
    this.#socket = new ChatSocket({
      url: options.url,
      WebSocket: WebSocketImpl,
      clock: this.#clock,
      backoff: options.backoff ?? createBackoff(),
      ...(options.pingIntervalMs !== undefined && { pingIntervalMs: options.pingIntervalMs }),
      ...(options.pongTimeoutMs !== undefined && { pongTimeoutMs: options.pongTimeoutMs }),
      ...(options.connectTimeoutMs !== undefined && { connectTimeoutMs: options.connectTimeoutMs }),
      ...(options.requestTimeoutMs !== undefined && { requestTimeoutMs: options.requestTimeoutMs }),
      ...(options.maxBufferedRequests !== undefined && { maxBufferedRequests: options.maxBufferedRequests }),
      ...(options.maxReconnectAttempts !== undefined && { maxReconnectAttempts: options.maxReconnectAttempts }),
      onFrame: (frame) => this.#onFrame(frame),
      onBadFrame: (text) => this.emit('error', new ChatError('unexpected-reply', `Unreadable server frame: ${text.slice(0, 80)}`)),
      onState: (change) => {
        if (change.to === SocketStates.Closed && change.reason === 'terminal-close' && (change.code === 4011 || change.code === 4012)) this.#signedOut(change.code)
        if (change.to === SocketStates.Reconnecting) for (const room of this.#rooms.values()) if (room.status === RoomStates.Joined) room.status = RoomStates.Rejoining
        // What waited for a gap comes again with the resume, from the last seq shown.
        if (change.to === SocketStates.Reconnecting || change.to === SocketStates.Closed) this.#gaps.clear()
        if (change.to === SocketStates.Open) this.#opened?.resolve()
        if (change.to === SocketStates.Closed) this.#opened?.reject(new ChatError('closed', `Connection closed (${change.reason}).`))
        if (change.to === SocketStates.Open || change.to === SocketStates.Closed) this.#opened = undefined
        this.emit('state', change)
      },
      onRetry: (info) => this.emit('retry', info),
      handshake: () => this.#restoreSession(),
    })
  }

  /** Connection state. */
  get state(): SocketState {
    return this.#socket.state
  }

  /** The welcome of the current connection (suggested name, limits). */
  get welcome(): ServerFrameOf<'welcome'> | undefined {
    return this.#socket.welcome
  }

  /** Who we are logged in as, once logged in. */
  get user(): { userId: string; name: string } | undefined {
    return this.#user
  }

  /** The session key of the login (keep it secret; share it only with this user's tabs). */
  get session(): string | undefined {
    return this.#session
  }

  /** Public id of this session (device), as listed by `sessions()`. */
  get sessionId(): string | undefined {
    return this.#sessionId
  }

  /** True when the logged-in user is a registered account. */
  get registered(): boolean {
    return this.#registered
  }

  /** The server's namespaces and their rules, from the last login (empty from a server older than 1.2.0). */
  get namespaces(): readonly Namespace[] {
    return this.#namespaces
  }

  /** Last direct message seen in the inbox; pass it to a later login to get the DMs missed meanwhile. */
  get inboxPosition(): Position | undefined {
    return this.#inbox === undefined ? undefined : { ...this.#inbox }
  }

  /** The users this user blocks (since 1.3.0): hide their room messages if wanted; their DMs and typing no longer come. */
  get blocked(): ReadonlySet<string> {
    return this.#blocked
  }

  /** Rooms joined or being (re)joined. */
  get rooms(): ReadonlyMap<string, Room> {
    return this.#rooms
  }

  /** Sends written to the persistent outbox and not yet acknowledged, oldest first (empty without an outbox or before login). */
  get pendingSends(): OutboxEntry[] {
    return this.#outbox?.entries() ?? []
  }

  /**
   * Drops an unacknowledged send from the outbox so it is not re-sent at the next login (e.g. the
   * user discarded a failed line). A request already on its way is not recalled. False when unknown.
   */
  discardPending(clientMsgId: string): boolean {
    const entry = this.#outbox?.remove(clientMsgId)
    if (entry) this.emit('outbox', { type: 'discarded', entry })
    return entry !== undefined
  }

  /** Requests waiting for the connection to come back. */
  get buffered(): number {
    return this.#socket.buffered
  }

  /** Connects; resolves once the connection is open (welcome received, session restored if any). */
  connect(): Promise<void> {
    if (this.#socket.state === SocketStates.Open) return Promise.resolve()
    const opened = new Promise<void>((resolve, reject) => {
      const previous = this.#opened
      this.#opened = {
        resolve: () => {
          previous?.resolve()
          resolve()
        },
        reject: (e) => {
          previous?.reject(e)
          reject(e)
        },
      }
    })
    this.#socket.connect()
    return opened
  }

  /** Closes the connection; `connect()` later restores the session and rooms. */
  disconnect(): void {
    this.#socket.disconnect()
  }

  /** Skips the remaining backoff delay and reconnects now (e.g. on the browser's `online` event). */
  reconnectNow(): void {
    this.#socket.reconnectNow()
  }

  /** Logs in and joins the default or given rooms. */
  async login(options: LoginOptions = {}): Promise<SessionInfo> {
    const body: RequestBody<'login'> & { type: 'login' } = { type: 'login', version: this.#version }
    // Names and texts go out in NFC (PROTOCOL.md §3, ENV-15), so what this client shows is what others see.
    if (options.name !== undefined) body.name = options.name.normalize('NFC')
    if (options.session !== undefined) body.session = options.session
    if (options.password !== undefined) body.password = options.password
    if (options.device !== undefined) body.device = options.device
    if (options.token !== undefined) body.token = options.token
    if (options.rooms !== undefined) body.rooms = options.rooms.map((room) => ({ room }))
    if (options.inbox !== undefined) {
      body.inbox = options.inbox
      this.#inbox = { ...options.inbox }
    }
    const ok = await this.#socket.request(body)
    return sessionInfo(ok, false)
  }

  /** Joins a room; resolves with its state once joined. */
  async join(name: string): Promise<Room> {
    const existing = this.#rooms.get(name)
    if (existing && existing.status !== RoomStates.Left) return existing
    const room = new Room(name)
    this.#rooms.set(name, room)
    try {
      await this.#socket.request({ type: 'join-room', room: name })
    } catch (err) {
      if (this.#rooms.get(name) === room) this.#rooms.delete(name)
      throw err
    }
    return room
  }

  /** Leaves a room. It is forgotten at once, so a reconnect meanwhile does not rejoin it. */
  async leave(name: string): Promise<void> {
    const room = this.#rooms.get(name)
    if (!room) return
    room.status = RoomStates.Left
    try {
      await this.#socket.request({ type: 'leave-room', room: name })
    } catch (err) {
      // Not in the room on the server (or connection lost: the new connection is not in it either).
      if (!(err instanceof ChatError) || (err.code !== 'not-in-room' && err.code !== 'connection-lost')) throw err
      this.#forgetRoom(name)
    }
  }

  /**
   * Sends a room message; resolves with the stored message (id, seq, time). Safe across
   * reconnects; pass the same `clientMsgId` to retry a failed send without duplicating it.
   * A `rate-limited` refusal is waited out and the send made again, in order with later sends
   * (up to MAX_SEND_WAIT_MS per refusal, beyond it the send fails with the refusal and its
   * `retryAfterMs`; see send-pacer.ts). With an outbox the send is saved first (refused with `outbox-full` beyond its bounds, and with
   * `not-logged-in` before the first login, since the outbox is per user).
   */
  async sendChat(room: string, text: string, options: ChatSendOptions = {}): Promise<ChatMessage> {
    const clientMsgId = options.clientMsgId ?? this.#createMessageId()
    const entry = this.#save({ clientMsgId, kind: 'chat', to: room, text: text.normalize('NFC'), ...(options.replyTo !== undefined && { replyTo: options.replyTo }) })
    return (await this.#deliver(entry)) as ChatMessage
  }

  /** Sends a direct message to a user id; resolves with the stored message. Safe across reconnects (and reloads, with an outbox). */
  async sendDm(to: string, text: string, options: SendOptions = {}): Promise<DirectMessage> {
    const clientMsgId = options.clientMsgId ?? this.#createMessageId()
    const entry = this.#save({ clientMsgId, kind: 'dm', to, text: text.normalize('NFC') })
    return (await this.#deliver(entry)) as DirectMessage
  }

  // ---- outbox -----------------------------------------------------------------------

  /** Writes a send to the outbox (when there is one) before anything goes to the socket. */
  #save(send: Omit<OutboxEntry, 'createdAt'>): OutboxEntry {
    if (this.#outboxStorage === undefined) return { ...send, createdAt: this.#clock.now() }
    if (this.#outbox === undefined) throw new ChatError('not-logged-in', 'Log in before sending: the outbox is kept per user.')
    return this.#outbox.add(send)
  }

  /**
   * Sends one entry and settles its outbox record: removed on the ack (duplicate or not) or on a
   * final refusal; kept on anything that may pass (timeout, drop, `closed`, retryable errors), to be
   * re-sent at the next login. The socket re-sends it itself across reconnects meanwhile.
   */
  #deliver(entry: OutboxEntry): Promise<ChatMessage | DirectMessage> {
    const outbox = this.#outbox
    const { clientMsgId, text } = entry
    this.#inFlight.add(clientMsgId)
    // Refused as rate-limited, it waits out `retryAfterMs` and goes again by itself (send-pacer.ts).
    const reply = this.#pacer.run<{ message: ChatMessage | DirectMessage; duplicate?: boolean }>(() =>
      entry.kind === 'chat'
        ? this.#socket.request(entry.replyTo === undefined ? { type: 'chat', room: entry.to, text, clientMsgId } : { type: 'chat', room: entry.to, text, clientMsgId, replyTo: entry.replyTo }, {
            resendable: true,
          })
        : this.#socket.request({ type: 'dm', to: entry.to, text, clientMsgId }, { resendable: true }),
    )
    return reply.then(
      ({ message, duplicate }) => {
        this.#inFlight.delete(clientMsgId)
        const removed = outbox?.remove(clientMsgId)
        if (removed) this.emit('outbox', { type: 'acked', entry: removed, message, duplicate: duplicate === true })
        return message
      },
      (err: unknown) => {
        this.#inFlight.delete(clientMsgId)
        if (isFinalSendError(err)) {
          const removed = outbox?.remove(clientMsgId)
          const error = err instanceof ChatError ? err : new ChatError('unexpected-reply', String(err))
          if (removed) this.emit('outbox', { type: 'rejected', entry: removed, error })
        }
        throw err
      },
    )
  }

  /**
   * After each login-ok: open this user's outbox, drop what is too old, and re-send the rest in
   * the order it was written, each with its original clientMsgId. Entries this client already has
   * on their way are left to the socket, which re-sends them itself after a reconnect.
   */
  #resendOutbox(): void {
    if (this.#outboxStorage === undefined || this.#user === undefined) return
    const key = outboxKey(this.#url, this.#user.userId)
    if (this.#outbox?.key !== key) this.#outbox = new Outbox(this.#outboxStorage, key, this.#outboxLimits, this.#clock)
    for (const entry of this.#outbox.expire()) this.emit('outbox', { type: 'expired', entry })
    const waiting = this.#outbox.entries().filter((e) => !this.#inFlight.has(e.clientMsgId))
    if (waiting.length === 0) return
    this.emit('outbox', { type: 'restored', entries: waiting })
    // Failures are reported through the outbox events; nobody awaits these promises.
    for (const entry of waiting) this.#deliver(entry).catch(() => {})
  }

  /** Says we are (or stopped) typing. Dropped, not buffered, while the connection is down: it would be stale. */
  async typing(room: string, typing: boolean): Promise<void> {
    if (this.#socket.state !== SocketStates.Open) return
    await this.#socket.request({ type: 'typing', room, typing })
  }

  /**
   * Says we are (or stopped) typing a DM to user `to` (since 1.3.0). Dropped while the connection is
   * down, like `typing`; a recipient who blocks us never hears it.
   */
  async dmTyping(to: string, typing: boolean): Promise<void> {
    if (this.#socket.state !== SocketStates.Open) return
    await this.#socket.request({ type: 'dm-typing', to, typing })
  }

  /** Asks who is in a room; the room's member list is refreshed too. */
  async presence(room: string): Promise<Member[]> {
    const ok = await this.#socket.request({ type: 'presence', room })
    return ok.members
  }

  /**
   * Reads a page of a joined room's history (oldest first). Since 1.3.0 the page is applied to the
   * room's timeline first, and each message of it comes back as the timeline holds it now (events
   * that arrived before it applied). Its event entries stay in place, so paging by the first and last
   * seq works as before: show those without a `target` (kick, ban …) and skip edit, delete and react.
   */
  async history(room: string, query: HistoryQuery = {}): Promise<ServerFrameOf<'history-ok'>> {
    const page = await this.#socket.request({ type: 'history', room, ...query })
    const held = this.#liveRoom(room)?.timeline
    if (held === undefined) return page
    return { ...page, messages: page.messages.map((m) => (m.event === undefined ? (held.get(m.seq) ?? m) : m)) }
  }

  /** Changes the display name; resolves with the name in force. */
  async rename(name: string): Promise<string> {
    const ok = await this.#socket.request({ type: 'rename', name })
    return ok.name
  }

  /** Ends the session: the server revokes its key, says goodbye to every room and closes the connection. */
  async logout(): Promise<void> {
    this.#socket.expectLogout()
    await this.#socket.request({ type: 'logout' })
    this.#endSession()
    // The server closes with 1000 next; closing now makes the state final before
    // the caller continues (e.g. connect() again for the next login).
    this.#socket.disconnect('logout')
  }

  // ---- accounts and sessions (protocol 1.1.0) ------------------------------------------

  /** Registers the current name of this guest with a password: nobody else can use it from now on. */
  async register(password: string): Promise<{ userId: string; name: string }> {
    const ok = await this.#socket.request({ type: 'register', password })
    return { userId: ok.userId, name: ok.name }
  }

  /** Changes the account's password; every other session of the user is revoked. */
  async changePassword(password: string, newPassword: string): Promise<void> {
    await this.#socket.request({ type: 'change-password', password, newPassword })
  }

  /** Deletes the account (the name is free again) and ends the session like `logout`. */
  async deleteAccount(password: string): Promise<void> {
    this.#socket.expectLogout()
    try {
      await this.#socket.request({ type: 'delete-account', password })
    } catch (err) {
      this.#socket.expectLogout(false)
      throw err
    }
    this.#endSession()
    this.#socket.disconnect('logout')
  }

  /** The user's sessions (devices), most recently used first; `current` marks this one. */
  async sessions(): Promise<DeviceSession[]> {
    return (await this.#socket.request({ type: 'sessions' })).sessions
  }

  /** Revokes a session: its connections close with 4011 (this one too when it is the current session). */
  async revokeSession(sessionId: string): Promise<void> {
    await this.#socket.request({ type: 'revoke-session', sessionId })
  }

  /** Online users and registered names starting with `prefix` (the asking user excluded). */
  async findUsers(prefix: string, limit?: number): Promise<FoundUser[]> {
    return (await this.#socket.request(limit === undefined ? { type: 'find-users', prefix } : { type: 'find-users', prefix, limit })).users
  }

  // ---- the life of a message and moderation (protocol 1.3.0) ------------------------------
  // Each change is an event in the room's stream: these resolve with the event entry the server
  // appended (the room's timeline has it applied already, and 'message-changed' was emitted), or
  // undefined when nothing changed (done already). All are idempotent, so they are re-sent after a
  // reconnect like sends.

  /** Replaces the text of one of this user's messages. */
  async edit(room: string, seq: number, text: string): Promise<ChatMessage | undefined> {
    return (await this.#socket.request({ type: 'edit', room, seq, text }, { resendable: true })).message
  }

  /** Deletes a message (one's own, or any as an owner or moderator of the room). */
  async deleteMessage(room: string, seq: number): Promise<ChatMessage | undefined> {
    return (await this.#socket.request({ type: 'delete', room, seq }, { resendable: true })).message
  }

  /** Adds (`on`, the default) or takes back this user's reaction with one emoji (isEmoji) to a message. */
  async react(room: string, seq: number, emoji: string, on = true): Promise<ChatMessage | undefined> {
    return (await this.#socket.request({ type: 'react', room, seq, emoji, on }, { resendable: true })).message
  }

  /** Moves this user's read marker of a joined room up to `seq` (never down); resolves with the marker in force. Other devices follow. */
  async markRead(room: string, seq: number): Promise<number> {
    return (await this.#socket.request({ type: 'read', room, seq }, { resendable: true })).seq
  }

  /** Searches the messages this user may read, newest first; pass `next` back as `cursor` for older hits. */
  async search(query: string, options: SearchOptions = {}): Promise<{ hits: SearchHit[]; next: string | undefined }> {
    const ok = await this.#socket.request({ type: 'search', query, ...options })
    return { hits: ok.hits, next: ok.next }
  }

  /** Removes a user from a room (owners and moderators); they may join again. */
  async kick(room: string, userId: string, reason?: string): Promise<ChatMessage | undefined> {
    return (await this.#socket.request(reason ? { type: 'kick', room, userId, reason } : { type: 'kick', room, userId }, { resendable: true })).message
  }

  /** Bans a user from a room for `durationMs` (default: until lifted). */
  async ban(room: string, userId: string, options: RestrictOptions = {}): Promise<ChatMessage | undefined> {
    return (await this.#socket.request({ type: 'ban', room, userId, ...restrictFields(options) }, { resendable: true })).message
  }

  /** Lifts a ban. */
  async unban(room: string, userId: string): Promise<ChatMessage | undefined> {
    return (await this.#socket.request({ type: 'unban', room, userId }, { resendable: true })).message
  }

  /** Mutes a user in a room for `durationMs` (default: until lifted): they read but cannot post, edit, react or type. */
  async mute(room: string, userId: string, options: RestrictOptions = {}): Promise<ChatMessage | undefined> {
    return (await this.#socket.request({ type: 'mute', room, userId, ...restrictFields(options) }, { resendable: true })).message
  }

  /** Lifts a mute. */
  async unmute(room: string, userId: string): Promise<ChatMessage | undefined> {
    return (await this.#socket.request({ type: 'unmute', room, userId }, { resendable: true })).message
  }

  /** The bans and mutes in force in a room (owners and moderators). */
  async restrictions(room: string): Promise<Restrictions> {
    const ok = await this.#socket.request({ type: 'restrictions', room })
    return { bans: ok.bans, mutes: ok.mutes }
  }

  /** Blocks a user: their DMs are refused and their typing no longer comes. */
  async block(userId: string): Promise<void> {
    await this.#socket.request({ type: 'block', userId }, { resendable: true })
  }

  /** Unblocks a user. */
  async unblock(userId: string): Promise<void> {
    await this.#socket.request({ type: 'unblock', userId }, { resendable: true })
  }

  /**
   * Reads a page of the DM conversation with `userId` (protocol 1.3.0; this user's own id: the
   * notes to oneself), the newest first: the page is oldest first, each `seq` is the DM's position
   * in this user's inbox (as in `dm` events), and `hasMore` says older DMs exist: ask again with
   * `before` = the page's first seq. A read only, so it is sent again after a reconnect.
   */
  async dmHistory(userId: string, query: DmHistoryQuery = {}): Promise<ServerFrameOf<'dm-history-ok'>> {
    return this.#socket.request({ type: 'dm-history', userId, ...query }, { resendable: true })
  }

  /** Marks the DM conversation with `userId` read up to inbox `seq`; resolves with the marker in force. */
  async markDmRead(userId: string, seq: number): Promise<number> {
    return (await this.#socket.request({ type: 'dm-read', userId, seq })).seq
  }

  // ---- rooms with owners (1.2.0) and moderation (1.3.0) -----------------------------------

  /** A page of public rooms, by name; pass `next` back as `cursor` for the following page. */
  async listRooms(query: DirectoryQuery = {}): Promise<DirectoryPage> {
    const { rooms, next } = await this.#socket.request({ type: 'list-rooms', ...query })
    return next === undefined ? { rooms } : { rooms, next }
  }

  /** A room's topic, visibility, owners, moderators, member count and this user's role. */
  async roomInfo(room: string): Promise<RoomDetails> {
    const { type: _, id: __, ...details } = await this.#socket.request({ type: 'room-info', room })
    return details
  }

  /** Changes the topic (owners, moderators) and/or visibility (owners); resolves with the room as it is now. */
  async setRoom(room: string, change: { topic?: string; public?: boolean }): Promise<{ topic: string; public: boolean }> {
    const ok = await this.#socket.request({ type: 'set-room', room, ...change })
    return { topic: ok.topic, public: ok.public }
  }

  /** Sets a member's role in a room (owners appoint and remove moderators). */
  async setRole(room: string, userId: string, role: RoomRole): Promise<void> {
    await this.#socket.request({ type: 'set-role', room, userId, role })
  }

  /** Invites a user to a room (owners, moderators): they may then join it even when it is private. */
  async invite(room: string, userId: string): Promise<void> {
    await this.#socket.request({ type: 'invite', room, userId })
  }

  /** Forgets who we were: rooms, session, inbox position. */
  #endSession(): void {
    for (const name of [...this.#rooms.keys()]) this.#forgetRoom(name)
    this.#user = undefined
    this.#session = undefined
    this.#sessionId = undefined
    this.#registered = false
    this.#inbox = undefined
    this.#namespaces = []
    this.#blocked.clear()
    // Entries left in the outbox stay in storage; they are re-sent if this user logs in again.
    this.#outbox = undefined
  }

  /** The server ended the session (4011 revoked, 4012 expired): its key is dead, so a later connect() must not present it. */
  #signedOut(code: 4011 | 4012): void {
    this.#endSession()
    this.emit('signed-out', { code, reason: code === 4011 ? 'session-revoked' : 'session-expired' })
  }

  // ---- session restore ------------------------------------------------------------

  /** After each welcome: log in again with the saved key and resume every room from its last seq. */
  async #restoreSession(): Promise<void> {
    if (this.#session === undefined || this.#user === undefined) return
    const rooms: JoinSpec[] = []
    for (const room of this.#rooms.values()) {
      if (room.status === RoomStates.Left) continue
      const since = room.since
      rooms.push(since === undefined ? { room: room.name } : { room: room.name, since })
    }
    try {
      const inbox = this.#inbox
      const version = this.#version
      await this.#socket.request(inbox === undefined ? { type: 'login', version, session: this.#session, rooms } : { type: 'login', version, session: this.#session, rooms, inbox }, { urgent: true })
    } catch (err) {
      if (!(err instanceof ChatError) || err.code !== 'invalid-session') throw err
      // The server forgot the session (its store was wiped): start a new one under the same name if free.
      const fresh = rooms.map(({ room }) => ({ room }))
      try {
        await this.#socket.request({ type: 'login', version: this.#version, name: this.#user.name, rooms: fresh }, { urgent: true })
      } catch (retry) {
        if (!(retry instanceof ChatError) || retry.code !== 'name-taken') throw retry
        await this.#socket.request({ type: 'login', version: this.#version, rooms: fresh }, { urgent: true })
      }
    }
  }

  // ---- frames -----------------------------------------------------------------------

  /** Every server frame, in arrival order; replies are applied here before their promise settles. */
  #onFrame(frame: ServerFrame): void {
    this.emit('frame', frame)
    switch (frame.type) {
      case 'welcome':
        return this.emit('welcome', frame)
      case 'login-ok': {
        const restored = this.#user !== undefined
        this.#user = { userId: frame.userId, name: frame.name }
        this.#session = frame.session
        this.#sessionId = frame.sessionId
        this.#registered = frame.registered === true
        this.#namespaces = frame.namespaces ?? []
        this.#blocked.clear()
        for (const userId of frame.blocked ?? []) this.#blocked.add(userId)
        for (const state of frame.rooms) this.#applyJoin(state)
        this.#applyInbox(frame.inbox)
        this.emit('session', sessionInfo(frame, restored))
        // Re-sends follow the login on the wire, after the rooms they go to were joined.
        return this.#resendOutbox()
      }
      case 'join-room-ok':
        return this.#applyJoin(frame.state)
      case 'leave-room-ok':
        return this.#forgetRoom(frame.room)
      case 'rename-ok':
        return this.#setName(frame.name)
      case 'presence-ok': {
        const room = this.#liveRoom(frame.room)
        if (!room) return
        room.setMembers(frame.members)
        return this.emit('members', { room: room.name, members: room.members })
      }
      case 'chat-ok':
      case 'chat':
        return this.#applyChat(frame.message)
      // The actor's connection gets the appended entry in its reply, in the place of its push.
      case 'edit-ok':
      case 'delete-ok':
      case 'react-ok':
      case 'kick-ok':
      case 'ban-ok':
      case 'unban-ok':
      case 'mute-ok':
      case 'unmute-ok':
        if (frame.message !== undefined) this.#applyChat(frame.message)
        return
      case 'read':
      case 'read-ok': {
        const room = this.#liveRoom(frame.room)
        if (!room?.markRead(frame.seq)) return
        return this.emit('read', { room: room.name, seq: room.readSeq, unread: room.unread, mentions: room.mentions })
      }
      case 'history-ok': {
        const room = this.#liveRoom(frame.room)
        if (!room) return
        for (const seq of room.applyPage(frame.messages)) {
          const message = room.timeline.get(seq)
          // Older lines are the caller's to show; an event waiting for them changed them already.
          if (message !== undefined && !frame.messages.some((m) => m.seq === seq) && !isTargeted(message)) {
            this.emit('message-changed', { room: room.name, message, cause: message })
          }
        }
        return
      }
      case 'block-ok':
      case 'unblock-ok': {
        const had = this.#blocked.has(frame.userId)
        if (frame.type === 'block-ok') this.#blocked.add(frame.userId)
        else this.#blocked.delete(frame.userId)
        if (had !== (frame.type === 'block-ok')) this.emit('blocked', { blocked: [...this.#blocked] })
        return
      }
      case 'dm-ok':
      case 'dm': {
        const { message } = frame
        // Inbox seqs are gapless per user: an older one is a replay overlap or a duplicate ack.
        if (this.#inbox !== undefined) {
          if (message.seq <= this.#inbox.seq) return
          // A skipped inbox seq in a live push is a missed DM (PROTOCOL.md §17, GUAR-1): keep the position
          // before the gap and log in again; the replay brings the missed DM and this one, in order.
          if (frame.type === 'dm' && message.seq > this.#inbox.seq + 1) return this.#socket.resync()
          this.#inbox.seq = message.seq
        }
        const own = message.from === this.#user?.userId
        return this.emit('dm', { message, own, partnerId: own ? message.to : message.from })
      }
      case 'alarm': {
        const room = this.#liveRoom(frame.room)
        if (!room) return
        if (frame.kind === 'room-deleted') {
          // The server took this connection out of the room: forget it, so a reconnect does not rejoin it.
          this.emit('alarm', frame)
          return this.#forgetRoom(room.name)
        }
        room.applyAlarm(frame.kind, { userId: frame.userId, name: frame.name })
        if (frame.kind === 'renamed' && frame.userId === this.#user?.userId) this.#setName(frame.name)
        this.emit('alarm', frame)
        return this.emit('members', { room: room.name, members: room.members })
      }
      case 'typing': {
        const room = this.#liveRoom(frame.room)
        if (!room || frame.userId === this.#user?.userId) return
        if (room.applyTyping({ userId: frame.userId, name: frame.name }, frame.typing)) {
          this.emit('typing', { room: room.name, typing: room.typing(this.#user?.userId) })
        }
        return
      }
      case 'dm-typing':
        // Someone typing to us; a blocked user's signal never comes (the server drops it).
        if (frame.userId !== this.#user?.userId) this.emit('dm-typing', { userId: frame.userId, name: frame.name, typing: frame.typing })
        return
      case 'register-ok':
        this.#registered = true
        return this.emit('registered', { userId: frame.userId, name: frame.name })
      case 'dm-read':
      case 'dm-read-ok':
        return this.emit('dm-read', { userId: frame.userId, seq: frame.seq })
      case 'invited':
        return this.emit('invited', frame)
      case 'error':
        if (frame.id === undefined) this.emit('error', new ChatError(frame.code, frame.message, { retryable: frame.retryable, retryAfterMs: frame.retryAfterMs }))
        return
      case 'logout-ok':
      case 'change-password-ok':
      case 'delete-account-ok':
      case 'sessions-ok':
      case 'revoke-session-ok':
      case 'find-users-ok':
      case 'dm-typing-ok':
      case 'typing-ok':
      case 'search-ok':
      case 'restrictions-ok':
      case 'pong':
        return
    }
  }

  #liveRoom(name: string): Room | undefined {
    const room = this.#rooms.get(name)
    return room === undefined || room.status === RoomStates.Left ? undefined : room
  }

  #applyJoin(state: ServerFrameOf<'join-room-ok'>['state']): void {
    let room = this.#rooms.get(state.room)
    if (room === undefined || room.status === RoomStates.Left) {
      room = new Room(state.room)
      this.#rooms.set(state.room, room)
    }
    this.#gaps.delete(state.room) // the join sets the position afresh
    const outcome: JoinOutcome = room.applyJoin(state)
    const counts = state.readSeq === undefined ? {} : { readSeq: room.readSeq, unread: room.unread, mentions: room.mentions }
    this.emit('joined', { room: room.name, members: room.members, history: outcome.resumed ? [] : room.lines(), outcome, ...counts })
    this.emit('members', { room: room.name, members: room.members })
  }

  /** Login told where the inbox stands: keep our position when the replay follows, else take the server's. */
  #applyInbox(state: ServerFrameOf<'login-ok'>['inbox']): void {
    const resumed = state.resume?.resumed === true && this.#inbox?.epoch === state.epoch
    if (!resumed) this.#inbox = { epoch: state.epoch, seq: state.seq }
    this.emit('inbox', { epoch: state.epoch, seq: state.seq, resumed, missed: resumed ? (state.resume?.missed ?? 0) : 0, lost: state.resume !== undefined && !resumed })
  }

  #applyChat(message: ChatMessage): void {
    const room = this.#liveRoom(message.room)
    if (!room || message.seq <= room.lastSeq) return // seen already: replay overlap or duplicate ack
    const gap = this.#gaps.get(room.name)
    if (gap !== undefined) return gap.hold(message) // a fill is under way: it shows this in order
    if (message.seq > room.lastSeq + 1) {
      const fill = new GapFill()
      fill.hold(message)
      this.#gaps.set(room.name, fill)
      void this.#fillGap(room.name, fill)
      return
    }
    this.#showChat(room, message)
  }

  #showChat(room: Room, message: ChatMessage): void {
    const selfId = this.#user?.userId
    const typingBefore = room.typing(selfId).length
    if (!room.accept(message)) return // seen already: replay overlap or duplicate ack
    const changed = room.applyEntry(message, selfId)
    this.emit('chat', { message, own: message.userId === selfId })
    for (const seq of changed) {
      const held = room.timeline.get(seq)
      if (seq !== message.seq && held !== undefined) this.emit('message-changed', { room: room.name, message: held, cause: message })
    }
    const typing = room.typing(selfId)
    if (typing.length !== typingBefore) this.emit('typing', { room: room.name, typing })
    const { event } = message
    if ((event?.kind === 'kick' || event?.kind === 'ban') && event.userId === selfId) this.#removed(room.name, message, event)
  }

  /**
   * Fills a gap in a room's stream with `history` after the last seq shown, then shows what was
   * held, in seq order. When history cannot fill it (refused, nothing more stored, too many
   * rounds) the held messages are shown anyway: a gap is better than losing them. A reconnect or
   * rejoin meanwhile abandons the fill: the resume brings everything after the last seq shown.
   */
  async #fillGap(name: string, gap: GapFill): Promise<void> {
    const current = (): Room | undefined => (this.#gaps.get(name) === gap ? this.#liveRoom(name) : undefined)
    for (;;) {
      const room = current()
      if (room === undefined) return
      for (const message of gap.takeContiguous(room.lastSeq)) this.#showChat(room, message)
      if (gap.size === 0) {
        this.#gaps.delete(name)
        return
      }
      if (gap.rounds++ >= MAX_FILL_ROUNDS) break
      let page: ServerFrameOf<'history-ok'>
      try {
        page = await this.#socket.request({ type: 'history', room: name, after: room.lastSeq })
      } catch {
        break
      }
      if (current() === undefined) return
      for (const message of page.messages) if (message.room === name) gap.hold(message)
      if (page.messages.length === 0) break
    }
    const room = current()
    if (room === undefined) return
    this.#gaps.delete(name)
    for (const message of gap.takeAll()) this.#showChat(room, message)
  }

  /**
   * A moderator kicked or banned this user: the server takes the connection out of the room right
   * after the event, so forget the room now (a reconnect must not rejoin it). The leave-room is for
   * the one case where the server still has us in: the event came in a replay after a rejoin.
   */
  #removed(room: string, message: ChatMessage, event: { kind: 'kick' | 'ban'; until?: number; reason?: string }): void {
    this.emit('removed', {
      room,
      kind: event.kind,
      by: { userId: message.userId, name: message.name },
      ...(event.until !== undefined && { until: event.until }),
      ...(event.reason !== undefined && { reason: event.reason }),
    })
    this.#forgetRoom(room, event.kind)
    this.#socket.request({ type: 'leave-room', room }).catch(() => {})
  }

  #forgetRoom(name: string, removed?: 'kick' | 'ban'): void {
    this.#gaps.delete(name)
    if (!this.#rooms.delete(name)) return
    this.emit('left', removed === undefined ? { room: name } : { room: name, removed })
  }

  #setName(name: string): void {
    if (this.#user === undefined || this.#user.name === name) return
    this.#user = { ...this.#user, name }
    this.emit('name', { name })
  }
}

function restrictFields(options: RestrictOptions): { durationMs?: number; reason?: string } {
  return { ...(options.durationMs !== undefined && { durationMs: options.durationMs }), ...(options.reason ? { reason: options.reason } : {}) }
}

function sessionInfo(ok: ServerFrameOf<'login-ok'>, restored: boolean): SessionInfo {
  return { userId: ok.userId, name: ok.name, session: ok.session, restored, sessionId: ok.sessionId, registered: ok.registered === true, dms: ok.dms ?? [], blocked: ok.blocked ?? [] }
}
