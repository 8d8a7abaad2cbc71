// Slow mode of a namespace (limits.slowModeMs): the least time between two
// messages of one user in one room. Kept per node, like the token buckets: in
// a cluster a user posting through connections on N nodes may post N times
// per interval.

/** Entries kept before expired ones are swept; a sweep runs at most once per growth past it. */
const SWEEP_AT = 10_000

export class SlowMode {
  /** `room\nuserId` → time from which the user may post in the room again. */
  readonly #allowedAt = new Map<string, number>()
  #sweepAt = SWEEP_AT

  /**
   * Records a post of `userId` in `room` at `now` when allowed: resolves 0.
   * Otherwise records nothing and returns the milliseconds to wait.
   */
  take(room: string, userId: string, intervalMs: number, now: number): number {
    if (intervalMs <= 0) return 0
    const key = `${room}\n${userId}`
    const allowedAt = this.#allowedAt.get(key)
    if (allowedAt !== undefined && allowedAt > now) return allowedAt - now
    this.#allowedAt.set(key, now + intervalMs)
    if (this.#allowedAt.size >= this.#sweepAt) this.#sweep(now)
    return 0
  }

  /** Forgets a recorded post (it was refused or failed later), so the user is not slowed for nothing. */
  forget(room: string, userId: string): void {
    this.#allowedAt.delete(`${room}\n${userId}`)
  }

  #sweep(now: number): void {
    for (const [key, at] of this.#allowedAt) if (at <= now) this.#allowedAt.delete(key)
    this.#sweepAt = Math.max(SWEEP_AT, this.#allowedAt.size * 2)
  }

  get size(): number {
    return this.#allowedAt.size
  }
}
