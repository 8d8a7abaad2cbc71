// When to tell the server "typing": on the first keystroke of a chat line,
// then at most once per refresh interval while the line grows (§9: refresh
// within typingTtlMs / 2), and "stopped" when the line is erased, becomes a
// command, or the room changes. Sending the line ends it on the server by
// itself (§9), so no extra false goes out then. Time comes from a Clock.
import type { Clock } from '@wirechat/client'

export interface TypingOptions {
  clock: Pick<Clock, 'now'>
  /** Least time between two `typing: true` refreshes, in ms. Default 2 500 (half the reference TTL). */
  refreshMs?: number
  /** Sends one typing request; failures are the caller's to ignore. */
  send: (room: string, typing: boolean) => void
}

export class TypingNotifier {
  readonly #clock: Pick<Clock, 'now'>
  readonly #send: (room: string, typing: boolean) => void
  /** Least time between refreshes in ms. */
  refreshMs: number
  /** The room we said "typing" in, and when. */
  #active: { room: string; at: number } | undefined

  constructor(options: TypingOptions) {
    this.#clock = options.clock
    this.#send = options.send
    this.refreshMs = options.refreshMs ?? 2_500
  }

  /** True while the server believes we are typing (as far as we told it). */
  get typing(): boolean {
    return this.#active !== undefined
  }

  /** The line being edited changed: `line` is its text, `room` the room it would go to. */
  input(room: string | undefined, line: string): void {
    const chatting = room !== undefined && line.trim() !== '' && (!line.startsWith('/') || line.startsWith('//'))
    if (!chatting) return this.stop()
    const active = this.#active
    if (active !== undefined && active.room !== room) this.stop()
    const now = this.#clock.now()
    if (this.#active !== undefined && now - this.#active.at < this.refreshMs) return
    this.#active = { room, at: now }
    this.#send(room, true)
  }

  /** Says "stopped" if we said "typing". */
  stop(): void {
    const active = this.#active
    if (active === undefined) return
    this.#active = undefined
    this.#send(active.room, false)
  }

  /** A line was sent to `room`: the server ended typing there; elsewhere say so ourselves. */
  sent(room: string): void {
    if (this.#active?.room === room) this.#active = undefined
    else this.stop()
  }
}
