// The one error type of the client: a request that failed carries the
// server's error code, or a client-side code when no reply could come.
import type { ErrorCode } from '@wirechat/protocol/codes'

/** Failures found by the client itself, never sent by a server. */
export type LocalErrorCode =
  /** No reply within the request timeout. */
  | 'timeout'
  /** The connection dropped before the reply came; the request may or may not have been applied. */
  | 'connection-lost'
  /** The client is reconnecting and its send buffer is full. */
  | 'buffer-full'
  /** The client is closed (never connected, disconnected, logged out or closed for good). */
  | 'closed'
  /** The server answered with a frame of the wrong type. */
  | 'unexpected-reply'
  /** The persistent outbox is at its bound (entries or bytes) or storage refused the write; nothing was sent. */
  | 'outbox-full'
  /** The server speaks an older protocol version that has no such request (welcome.version); nothing was sent. */
  | 'unsupported'

/** Every code a `ChatError` can carry. */
export type ChatErrorCode = ErrorCode | LocalErrorCode

const RETRYABLE_LOCAL: Record<LocalErrorCode, boolean> = {
  timeout: true,
  'connection-lost': true,
  'buffer-full': true,
  closed: false,
  'unexpected-reply': false,
  'outbox-full': true,
  unsupported: false,
}

/** A failed request: `code` is stable and machine-readable, `message` is for people. */
export class ChatError extends Error {
  override readonly name = 'ChatError'
  readonly code: ChatErrorCode
  /** True when sending the same request again later may succeed. */
  readonly retryable: boolean
  /** With `rate-limited`: how long to wait before sending again. */
  readonly retryAfterMs: number | undefined
  /** With `bad-frame`: the offending paths, as the server listed them. */
  readonly details: readonly string[]

  constructor(code: ChatErrorCode, message: string, extra: { retryable?: boolean; retryAfterMs?: number | undefined; details?: readonly string[] | undefined } = {}) {
    super(message)
    this.code = code
    this.retryable = extra.retryable ?? (code in RETRYABLE_LOCAL ? RETRYABLE_LOCAL[code as LocalErrorCode] : false)
    this.retryAfterMs = extra.retryAfterMs
    this.details = extra.details ?? []
  }
}

/** True when `err` is a ChatError, optionally with the given code. */
export function isChatError(err: unknown, code?: ChatErrorCode): err is ChatError {
  return err instanceof ChatError && (code === undefined || err.code === code)
}

/**
 * True when a failed send will never succeed as it is: the server refused it (a non-retryable error
 * code) or answered nonsense. `closed` is not final: the client may connect again and re-send.
 */
export function isFinalSendError(err: unknown): boolean {
  return !(err instanceof ChatError) || (!err.retryable && err.code !== 'closed')
}
