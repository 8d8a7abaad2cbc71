// Sends the server refused with `rate-limited` go out again by themselves
// after its `retryAfterMs`, in the order they were first sent: a user who
// typed a burst of quick replies sees them arrive, a little later, instead of
// a row of "Not sent: you are sending too fast".
//
// The client's one rate-limit rule, "after `rate-limited`, wait `retryAfterMs`,
// then go on in order" (PROTOCOL.md §11, §13), has two parts with one clock:
// the connection (socket.ts) sends no request at all for up to MAX_HOLD_MS
// (the connection's token bucket refills within seconds) and then flushes what
// waited, in order; this pacer decides what becomes of a refused chat or DM —
// sent again, behind nothing and ahead of the chats and DMs sent after it —
// and waits up to MAX_SEND_WAIT_MS (a room's slow mode). A longer wait fails
// the send with the server's error, for the application to show with the
// time to wait: holding a message for minutes without a word is worse.
//
// While nothing is refused, sends go out at once and side by side, as before.
// After a refusal, the refused send and every send after it wait in one queue
// ordered by when each was first sent; when the wait is over they go one at a
// time, each after the reply to the one before, so a second refusal costs one
// request (one abuse strike), not one per waiting message. When the queue is
// empty, sending is direct again.
//
// A send already on its way when an earlier one is refused may still overtake
// it (the server may have had a token again for it); that needs a refusal and
// a refill within one round trip and is left as is.
import type { Clock } from './clock.ts'
import { ChatError } from './errors.ts'

/** Longest `retryAfterMs` a refused chat or DM waits out by itself; a longer one fails the send. */
export const MAX_SEND_WAIT_MS = 60_000

export interface SendPacerOptions {
  /** Longest wait taken on by itself; a longer `retryAfterMs` (a slow mode of minutes) fails the send with the refusal. Default MAX_SEND_WAIT_MS. */
  maxWaitMs?: number
  /** Refusals of one send before it fails. Default 10. */
  maxAttempts?: number
  /** Wait when a refusal names none, in ms. Default 1000. */
  defaultWaitMs?: number
}

interface Waiting {
  /** Order of first sending. */
  ticket: number
  attempt: () => Promise<unknown>
  resolve: (value: unknown) => void
  reject: (err: unknown) => void
  /** Refusals so far. */
  refusals: number
}

export class SendPacer {
  readonly #clock: Clock
  readonly #maxWaitMs: number
  readonly #maxAttempts: number
  readonly #defaultWaitMs: number
  #tickets = 0
  readonly #queue: Waiting[] = []
  #waitUntil = 0
  #draining = false

  constructor(clock: Clock, options: SendPacerOptions = {}) {
    this.#clock = clock
    this.#maxWaitMs = options.maxWaitMs ?? MAX_SEND_WAIT_MS
    this.#maxAttempts = options.maxAttempts ?? 10
    this.#defaultWaitMs = options.defaultWaitMs ?? 1_000
  }

  /** Sends waiting for a refusal's wait to pass or for an earlier send's reply. */
  get waiting(): number {
    return this.#queue.length
  }

  /**
   * Runs `attempt` (which sends one request and settles with its reply) now, or after the sends
   * waiting before it; runs it again after `retryAfterMs` while the server answers `rate-limited`.
   * Settles like the last attempt.
   */
  run<T>(attempt: () => Promise<T>): Promise<T> {
    const ticket = this.#tickets++
    if (this.#queue.length === 0 && !this.#draining) {
      return attempt().catch((err: unknown) => {
        const wait = this.#waitAfter(err, 1)
        if (wait === undefined) throw err
        return new Promise<T>((resolve, reject) => this.#enqueue({ ticket, attempt, resolve: resolve as (value: unknown) => void, reject, refusals: 1 }, wait))
      })
    }
    return new Promise<T>((resolve, reject) => this.#enqueue({ ticket, attempt, resolve: resolve as (value: unknown) => void, reject, refusals: 0 }))
  }

  /** How long to wait after a refusal, or undefined when `err` is no refusal to wait out. */
  #waitAfter(err: unknown, refusals: number): number | undefined {
    if (!(err instanceof ChatError) || err.code !== 'rate-limited' || refusals > this.#maxAttempts) return undefined
    const wait = err.retryAfterMs ?? this.#defaultWaitMs
    return wait > this.#maxWaitMs ? undefined : wait
  }

  #enqueue(item: Waiting, waitMs?: number): void {
    this.#insert(item, waitMs)
    void this.#drain()
  }

  /** Queues by first sending: a refusal that comes back late still goes before sends made after it. */
  #insert(item: Waiting, waitMs: number | undefined): void {
    if (waitMs !== undefined) this.#waitUntil = Math.max(this.#waitUntil, this.#clock.now() + waitMs)
    let at = this.#queue.length
    while (at > 0 && this.#queue[at - 1]!.ticket > item.ticket) at--
    this.#queue.splice(at, 0, item)
  }

  async #drain(): Promise<void> {
    if (this.#draining) return
    this.#draining = true
    try {
      while (this.#queue.length > 0) {
        const delay = this.#waitUntil - this.#clock.now()
        if (delay > 0) {
          await new Promise<void>((resolve) => this.#clock.setTimeout(resolve, delay))
          continue // a refusal meanwhile may have moved the time
        }
        const item = this.#queue.shift()!
        try {
          item.resolve(await item.attempt())
        } catch (err) {
          const wait = this.#waitAfter(err, item.refusals + 1)
          if (wait === undefined) item.reject(err)
          else {
            item.refusals++
            this.#insert(item, wait)
          }
        }
      }
    } finally {
      this.#draining = false
    }
  }
}
