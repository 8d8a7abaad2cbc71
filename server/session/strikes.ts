// Abuse strikes (PROTOCOL.md §13): every rate-limited refusal and every
// undecodable frame is a strike; `limit` strikes within one window, counted
// from the first strike of the window, end the connection with 4008.

/** Length of a strike window. */
export const STRIKE_WINDOW_MS = 60_000

export class AbuseStrikes {
  readonly #limit: number
  #count = 0
  #since = 0

  constructor(limit: number) {
    this.#limit = limit
  }

  /** Counts a strike at `now`; true when it reaches the limit (that frame gets no reply). */
  strike(now: number): boolean {
    if (now - this.#since > STRIKE_WINDOW_MS) {
      this.#count = 0
      this.#since = now
    }
    return ++this.#count >= this.#limit
  }
}
