// Typing signals must never cost a message. The server gives each connection
// one request budget (welcome.limits: messageBurst at once, messagesPerSecond
// after) that every frame spends from, typing included, plus a smaller typing
// budget (typingBurst, typingPerSecond); a refused frame is also an abuse
// strike. A page that announced typing before and after each of a burst of
// quick replies spent two typing frames per message and could run out of
// budget for the replies themselves.
//
// The gate keeps a copy of both buckets on this side, fed by what the page
// sends, and lets a typing signal through only when
// - the copy of the request bucket keeps at least half of its burst for sends,
// - the copy of the typing bucket has a token, and
// - the server has not asked us to wait (a refused typing frame).
// (The composer itself repeats "typing" only every 2 s while the user types,
// and no longer sends "stopped typing" after a message: the message ends the
// indicator on the server.)
// It is a conservative estimate (pings and other requests are not all counted,
// hence the half-burst reserve): when in doubt, typing is skipped; the server's
// indicator simply lapses after its TTL.

/** The limits the gate mirrors, as `welcome.limits` announces them. */
export interface TypingLimits {
  messageBurst: number
  messagesPerSecond: number
  typingBurst?: number | undefined
  typingPerSecond?: number | undefined
}

/** The server's defaults, used until a welcome says otherwise. */
export const DEFAULT_TYPING_LIMITS: TypingLimits = { messageBurst: 20, messagesPerSecond: 10, typingBurst: 6, typingPerSecond: 2 }

/** A copy of one server token bucket (server/limits/token-bucket.ts). */
class Bucket {
  #tokens: number
  #last: number | undefined
  readonly burst: number
  readonly #perMs: number

  constructor(burst: number, perSecond: number) {
    this.burst = burst
    this.#tokens = burst
    this.#perMs = perSecond / 1000
  }

  tokens(now: number): number {
    if (this.#last !== undefined) this.#tokens = Math.min(this.burst, this.#tokens + Math.max(0, now - this.#last) * this.#perMs)
    this.#last = now
    return this.#tokens
  }

  spend(now: number): void {
    this.#tokens = Math.max(0, this.tokens(now) - 1)
  }
}

export class TypingGate {
  readonly #now: () => number
  readonly #minIntervalMs: number
  #requests: Bucket
  #typing: Bucket | undefined
  #lastTypingAt = Number.NEGATIVE_INFINITY
  #quietUntil = 0

  /** `minIntervalMs`: least time between two "typing" signals, on top of the budgets (default 0: the budgets decide). */
  constructor(limits: TypingLimits = DEFAULT_TYPING_LIMITS, options: { now?: () => number; minIntervalMs?: number } = {}) {
    this.#now = options.now ?? Date.now
    this.#minIntervalMs = options.minIntervalMs ?? 0
    this.#requests = new Bucket(limits.messageBurst, limits.messagesPerSecond)
    this.#typing = limits.typingBurst === undefined || limits.typingPerSecond === undefined ? undefined : new Bucket(limits.typingBurst, limits.typingPerSecond)
  }

  /** New limits (a welcome on each connection): the copies start full, as the server's buckets do. */
  setLimits(limits: TypingLimits): void {
    this.#requests = new Bucket(limits.messageBurst, limits.messagesPerSecond)
    this.#typing = limits.typingBurst === undefined || limits.typingPerSecond === undefined ? undefined : new Bucket(limits.typingBurst, limits.typingPerSecond)
  }

  /** A request other than typing went out (a message): it spends from the request bucket. */
  spent(): void {
    this.#requests.spend(this.#now())
  }

  /**
   * True when a typing signal may go out now; it is then counted as sent. `stopping`: a "stopped
   * typing" signal, which need not wait out the interval after the "typing" one (budgets still apply).
   */
  take(options: { stopping?: boolean } = {}): boolean {
    const now = this.#now()
    if (now < this.#quietUntil || (!options.stopping && now - this.#lastTypingAt < this.#minIntervalMs)) return false
    const reserve = Math.ceil(this.#requests.burst / 2)
    if (this.#requests.tokens(now) - 1 < reserve) return false
    if (this.#typing !== undefined && this.#typing.tokens(now) < 1) return false
    this.#requests.spend(now)
    this.#typing?.spend(now)
    this.#lastTypingAt = now
    return true
  }

  /** The server refused a typing signal: stay quiet for `retryAfterMs` (default 5 s) and assume its buckets are empty. */
  refused(retryAfterMs = 5_000): void {
    this.#quietUntil = this.#now() + retryAfterMs
  }
}
