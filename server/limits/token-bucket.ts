// Token bucket: `burst` requests at once, then `perSecond` sustained.
// Two numbers per connection; refilled lazily when a request arrives.
export class TokenBucket {
  #tokens: number
  #last = 0
  readonly #burst: number
  readonly #perMs: number

  constructor(burst: number, perSecond: number) {
    this.#burst = burst
    this.#tokens = burst
    this.#perMs = perSecond / 1000
  }

  /** Takes one token at time `now` (ms); false when none is left. */
  take(now: number): boolean {
    if (this.#last !== 0) this.#tokens = Math.min(this.#burst, this.#tokens + (now - this.#last) * this.#perMs)
    this.#last = now
    if (this.#tokens < 1) return false
    this.#tokens -= 1
    return true
  }

  /** Milliseconds until the next token, at time `now`. */
  msUntilNext(now: number): number {
    const tokens = Math.min(this.#burst, this.#tokens + (now - this.#last) * this.#perMs)
    return tokens >= 1 ? 0 : Math.ceil((1 - tokens) / this.#perMs)
  }
}
