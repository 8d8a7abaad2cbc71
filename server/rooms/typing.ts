// Typing indicators with server-side expiry. Reports changes only, so a
// client refreshing every couple of seconds causes no traffic to others.

import { clearTimer, setTimer, type Timer } from '../determinism.ts'

/** `origin`: the connection that last set the indicator; it is not told about its own expiry. */
export type TypingChange = (room: string, userId: string, typing: boolean, origin: string | undefined) => void

export class TypingTracker {
  readonly #timers = new Map<string, Timer>()
  readonly #ttlMs: number
  readonly #onExpire: TypingChange

  /** `onExpire` is called when an indicator lapses without refresh. */
  constructor(ttlMs: number, onExpire: TypingChange) {
    this.#ttlMs = ttlMs
    this.#onExpire = onExpire
  }

  /** Sets the state (`origin`: the connection setting it); true when it changed. */
  set(room: string, userId: string, typing: boolean, origin?: string): boolean {
    const key = `${room}\n${userId}`
    const timer = this.#timers.get(key)
    if (timer) clearTimer(timer)
    if (!typing) return this.#timers.delete(key)
    const next = setTimer(() => {
      this.#timers.delete(key)
      this.#onExpire(room, userId, false, origin)
    }, this.#ttlMs)
    next.unref()
    this.#timers.set(key, next)
    return timer === undefined
  }

  clear(): void {
    for (const t of this.#timers.values()) clearTimer(t)
    this.#timers.clear()
  }
}
