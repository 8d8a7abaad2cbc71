// Who is typing a DM to this user (the dm-typing push, since 1.3.0). The
// sender refreshes "typing" while it types and may never say "stopped" (a
// closed tab, a lost connection, a typing gate that skipped it), so each
// signal lapses after `limits.typingTtlMs` without a refresh, as the protocol
// tells the recipient to do.

/** Timers, injectable so tests need no waiting. */
export interface Timers {
  set(fn: () => void, ms: number): unknown
  clear(handle: unknown): void
}

const realTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
}

/** The server's default when the welcome says nothing. */
export const DEFAULT_TYPING_TTL_MS = 5_000

export class DmTyping {
  readonly #timers: Timers
  /** Partner id → their name and the timer that ends the signal. */
  readonly #typing = new Map<string, { name: string; timer: unknown }>()
  /** Called when a partner starts or stops typing (by a signal or by its lapse). */
  onChange: (userId: string) => void = () => {}
  /** How long a signal lives without a refresh (welcome.limits.typingTtlMs). */
  ttlMs = DEFAULT_TYPING_TTL_MS

  constructor(timers: Timers = realTimers) {
    this.#timers = timers
  }

  /** A dm-typing push: `userId` is (or stopped) typing to us. */
  apply(userId: string, name: string, typing: boolean): void {
    const had = this.#typing.get(userId)
    if (had !== undefined) this.#timers.clear(had.timer)
    if (!typing) {
      this.#typing.delete(userId)
      if (had !== undefined) this.onChange(userId)
      return
    }
    const timer = this.#timers.set(() => this.apply(userId, name, false), this.ttlMs)
    this.#typing.set(userId, { name, timer })
    if (had === undefined) this.onChange(userId)
  }

  /** A DM from `userId` arrived: their message ends the signal, as in rooms. */
  messageFrom(userId: string): void {
    if (this.#typing.has(userId)) this.apply(userId, '', false)
  }

  /** The name of `userId` while they type to us, else undefined. */
  typingName(userId: string): string | undefined {
    return this.#typing.get(userId)?.name
  }

  /** Forgets everyone (logout). */
  clear(): void {
    for (const { timer } of this.#typing.values()) this.#timers.clear(timer)
    this.#typing.clear()
  }
}
