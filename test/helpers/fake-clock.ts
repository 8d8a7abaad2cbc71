// A manual clock for the client: timers fire only when a test advances time,
// so heartbeat, backoff and request timeouts are tested without sleeping.
import type { Clock, TimerHandle } from '../../client/clock.ts'

interface Timer {
  id: number
  at: number
  fn: () => void
}

export class FakeClock implements Clock {
  #now: number
  #nextId = 1
  #timers: Timer[] = []

  constructor(start = 1_700_000_000_000) {
    this.#now = start
  }

  now(): number {
    return this.#now
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const timer = { id: this.#nextId++, at: this.#now + Math.max(0, ms), fn }
    this.#timers.push(timer)
    return timer.id
  }

  clearTimeout(handle: TimerHandle): void {
    this.#timers = this.#timers.filter((t) => t.id !== handle)
  }

  /** Timers not yet fired. */
  get pending(): number {
    return this.#timers.length
  }

  /** Moves time forward by `ms`, firing every timer that falls due (in order), including ones they schedule. */
  advance(ms: number): void {
    const until = this.#now + ms
    for (;;) {
      const due = this.#timers.filter((t) => t.at <= until).sort((a, b) => a.at - b.at || a.id - b.id)[0]
      if (due === undefined) break
      this.#timers = this.#timers.filter((t) => t !== due)
      this.#now = due.at
      due.fn()
    }
    this.#now = until
  }
}
