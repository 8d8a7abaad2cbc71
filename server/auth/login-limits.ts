// Failed password checks, counted per account (nameKey) and per client
// address within a sliding window. Past the limit, a password login is refused
// with `rate-limited` before any KDF runs. Per node: N nodes allow N times as
// many (documented). Memory is bounded: at most MAX_KEYS keys per kind, the
// least recently failed dropped first, and at most `limit` times per key.

/** Most keys kept per kind; an attacker spraying names or addresses evicts only the oldest. */
export const MAX_KEYS = 10_000

class FailureWindow {
  readonly #limit: number
  readonly #windowMs: number
  readonly #times = new Map<string, number[]>()

  constructor(limit: number, windowMs: number) {
    this.#limit = limit
    this.#windowMs = windowMs
  }

  #recent(key: string, now: number): number[] | undefined {
    const times = this.#times.get(key)
    if (times === undefined) return undefined
    while (times.length > 0 && times[0]! <= now - this.#windowMs) times.shift()
    if (times.length === 0) this.#times.delete(key)
    return times.length > 0 ? times : undefined
  }

  /** Milliseconds until the next attempt is allowed, or 0 when it is now. */
  retryAfter(key: string, now: number): number {
    const times = this.#recent(key, now)
    if (times === undefined || times.length < this.#limit) return 0
    return Math.max(1, times[0]! + this.#windowMs - now)
  }

  fail(key: string, now: number): void {
    const times = this.#recent(key, now) ?? []
    this.#times.delete(key) // re-inserted last: Map order is the eviction order
    times.push(now)
    if (times.length > this.#limit) times.shift()
    this.#times.set(key, times)
    if (this.#times.size > MAX_KEYS) this.#times.delete(this.#times.keys().next().value!)
  }

  /** Takes back one failure recorded at `at` (a check counted in advance that succeeded). */
  forget(key: string, at: number): void {
    const times = this.#times.get(key)
    const i = times?.indexOf(at) ?? -1
    if (i >= 0) times!.splice(i, 1)
    if (times?.length === 0) this.#times.delete(key)
  }

  reset(key: string): void {
    this.#times.delete(key)
  }

  get size(): number {
    return this.#times.size
  }
}

export interface LoginLimitSettings {
  loginFailuresPerAccount: number
  loginFailuresPerAddress: number
  loginFailureWindowMs: number
}

export class LoginLimits {
  readonly #accounts: FailureWindow
  readonly #addresses: FailureWindow

  constructor(settings: LoginLimitSettings) {
    this.#accounts = new FailureWindow(settings.loginFailuresPerAccount, settings.loginFailureWindowMs)
    this.#addresses = new FailureWindow(settings.loginFailuresPerAddress, settings.loginFailureWindowMs)
  }

  /** Milliseconds to wait before a password may be checked for this account from this address; 0 when allowed now. */
  retryAfter(nameKey: string, address: string, now = Date.now()): number {
    return Math.max(this.#accounts.retryAfter(nameKey, now), this.#addresses.retryAfter(address, now))
  }

  /**
   * Counts a check as failed before it runs, so parallel attempts cannot all
   * pass retryAfter before the first failure is recorded; `succeeded` takes it back.
   */
  attempt(nameKey: string, address: string, now = Date.now()): number {
    this.#accounts.fail(nameKey, now)
    this.#addresses.fail(address, now)
    return now
  }

  /**
   * A correct password clears the account's count; the address keeps its
   * earlier failures, so one known account cannot launder guesses at others.
   */
  succeeded(nameKey: string, address: string, attemptedAt: number): void {
    this.#accounts.reset(nameKey)
    this.#addresses.forget(address, attemptedAt)
  }

  /** Keys held, for tests of the memory bound. */
  get size(): { accounts: number; addresses: number } {
    return { accounts: this.#accounts.size, addresses: this.#addresses.size }
  }
}
