// One request awaiting its reply by id, with a timeout (Phoenix's Push), and
// the tracker that matches replies to the requests still waiting.
import type { ClientFrameOf, ClientFrames, ClientFrameType, ServerFrame, ServerFrameOf } from '@wirechat/protocol/frames'
import type { Clock, TimerHandle } from './clock.ts'
import { ChatError } from './errors.ts'

/** The success frame type answering a request type. */
export type ReplyType<K extends ClientFrameType> = (typeof ClientFrames)[K]['reply']
/** The success frame answering a request type. */
export type ReplyOf<K extends ClientFrameType> = ServerFrameOf<ReplyType<K>>
/** A request as the caller writes it: the tracker assigns the id. */
export type RequestBody<K extends ClientFrameType> = Omit<ClientFrameOf<K>, 'id'>

/** Reply type per request type; `satisfies` keeps it in step with the protocol registry. */
export const ReplyTypes = {
  login: 'login-ok',
  rename: 'rename-ok',
  logout: 'logout-ok',
  ping: 'pong',
  'join-room': 'join-room-ok',
  'leave-room': 'leave-room-ok',
  presence: 'presence-ok',
  typing: 'typing-ok',
  chat: 'chat-ok',
  history: 'history-ok',
  dm: 'dm-ok',
  register: 'register-ok',
  'change-password': 'change-password-ok',
  'delete-account': 'delete-account-ok',
  sessions: 'sessions-ok',
  'revoke-session': 'revoke-session-ok',
  'find-users': 'find-users-ok',
  'dm-read': 'dm-read-ok',
  'dm-typing': 'dm-typing-ok',
  'dm-history': 'dm-history-ok',
  'room-info': 'room-info-ok',
  'set-room': 'set-room-ok',
  'set-role': 'set-role-ok',
  invite: 'invite-ok',
  'list-rooms': 'list-rooms-ok',
  edit: 'edit-ok',
  delete: 'delete-ok',
  react: 'react-ok',
  read: 'read-ok',
  search: 'search-ok',
  kick: 'kick-ok',
  ban: 'ban-ok',
  unban: 'unban-ok',
  mute: 'mute-ok',
  unmute: 'unmute-ok',
  restrictions: 'restrictions-ok',
  block: 'block-ok',
  unblock: 'unblock-ok',
} as const satisfies { [K in ClientFrameType]: ReplyType<K> }

export interface RequestOptions {
  /** Reply deadline in ms, counted from creation (buffered time included). Default: the tracker's. */
  timeoutMs?: number
  /** Send it again after a reconnect instead of failing with `connection-lost`. Only for idempotent requests. */
  resendable?: boolean
}

/** A request on its way: encoded once, settled once. */
export class PendingRequest {
  readonly id: string
  readonly type: ClientFrameType
  /** The encoded frame, id included. */
  readonly text: string
  readonly resendable: boolean
  /** True once handed to an open socket (a drop then leaves its fate unknown). */
  sent = false
  readonly #resolve: (frame: ServerFrame) => void
  readonly #reject: (err: ChatError) => void
  #timer: TimerHandle

  constructor(id: string, type: ClientFrameType, text: string, resendable: boolean, resolve: (f: ServerFrame) => void, reject: (e: ChatError) => void) {
    this.id = id
    this.type = type
    this.text = text
    this.resendable = resendable
    this.#resolve = resolve
    this.#reject = reject
  }

  /** @internal */
  arm(clock: Clock, timeoutMs: number, onTimeout: () => void): void {
    this.#timer = clock.setTimeout(onTimeout, timeoutMs)
  }

  /** @internal */
  disarm(clock: Clock): void {
    clock.clearTimeout(this.#timer)
  }

  /** @internal Resolves with the success frame or rejects with the error frame. */
  settle(frame: ServerFrame): void {
    if (frame.type === 'error') {
      this.#reject(new ChatError(frame.code, frame.message, { retryable: frame.retryable, retryAfterMs: frame.retryAfterMs, details: frame.details }))
    } else if (frame.type !== ReplyTypes[this.type]) {
      this.#reject(new ChatError('unexpected-reply', `Expected "${ReplyTypes[this.type]}" for "${this.type}", got "${frame.type}".`))
    } else {
      this.#resolve(frame)
    }
  }

  /** @internal */
  fail(err: ChatError): void {
    this.#reject(err)
  }
}

export interface TrackerOptions {
  clock: Clock
  /** Default reply deadline in ms. */
  timeoutMs: number
  /** Called when a request gives up waiting, so a buffered copy can be dropped unsent. */
  onAbandon: (request: PendingRequest) => void
}

/** Assigns ids, keeps the requests awaiting replies and times them out. */
export class RequestTracker {
  readonly #options: TrackerOptions
  readonly #pending = new Map<string, PendingRequest>()
  #nextId = 1

  constructor(options: TrackerOptions) {
    this.#options = options
  }

  /** Creates a request and its promise; the caller hands `request.text` to the socket. */
  create<K extends ClientFrameType>(body: RequestBody<K> & { type: K }, options: RequestOptions = {}): { request: PendingRequest; reply: Promise<ReplyOf<K>> } {
    const id = `r${this.#nextId++}`
    // The id goes right after the type, where a reader of the wire looks for it.
    const { type, ...fields } = body
    const text = JSON.stringify({ type, id, ...fields })
    let request!: PendingRequest
    const reply = new Promise<ReplyOf<K>>((resolve, reject) => {
      request = new PendingRequest(id, body.type, text, options.resendable ?? false, resolve as (f: ServerFrame) => void, reject)
    })
    this.#pending.set(id, request)
    const { clock } = this.#options
    request.arm(clock, options.timeoutMs ?? this.#options.timeoutMs, () => {
      if (!this.#pending.delete(id)) return
      this.#options.onAbandon(request)
      request.fail(new ChatError('timeout', `No reply to "${body.type}" in time.`))
    })
    return { request, reply }
  }

  /** Settles the request a reply answers; false when no request waits for this id. */
  settle(frame: ServerFrame & { id?: string }): boolean {
    if (frame.id === undefined) return false
    const request = this.#pending.get(frame.id)
    if (!request) return false
    this.#pending.delete(frame.id)
    request.disarm(this.#options.clock)
    request.settle(frame)
    return true
  }

  /** Fails one waiting request now. */
  fail(request: PendingRequest, err: ChatError): void {
    if (!this.#pending.delete(request.id)) return
    request.disarm(this.#options.clock)
    request.fail(err)
  }

  /** Requests still waiting, oldest first. */
  waiting(): PendingRequest[] {
    return [...this.#pending.values()]
  }

  get size(): number {
    return this.#pending.size
  }
}
