// Gap filling (PROTOCOL.md §6): a room's seq is gapless, so a live message
// more than one past the last one seen means something was missed. The
// messages from the gap on wait here while `history` (after the last seq
// seen) fetches what is missing; then they are shown in seq order, once.
// Pure bookkeeping; the client does the requests.
import type { ChatMessage } from '@wirechat/protocol/primitives'

/** History requests one gap may take before the messages held are shown anyway (gap and all). */
export const MAX_FILL_ROUNDS = 5

/** The messages of one room waiting for a gap before them to be filled. */
export class GapFill {
  readonly #held = new Map<number, ChatMessage>()
  /** History requests made so far. */
  rounds = 0

  hold(message: ChatMessage): void {
    if (!this.#held.has(message.seq)) this.#held.set(message.seq, message)
  }

  get size(): number {
    return this.#held.size
  }

  /** Takes out, in seq order, the messages that follow `lastSeq` without a gap; drops those at or below it. */
  takeContiguous(lastSeq: number): ChatMessage[] {
    for (const seq of this.#held.keys()) if (seq <= lastSeq) this.#held.delete(seq)
    const out: ChatMessage[] = []
    for (let next = lastSeq + 1; this.#held.has(next); next++) {
      out.push(this.#held.get(next)!)
      this.#held.delete(next)
    }
    return out
  }

  /** Takes out everything held, in seq order. */
  takeAll(): ChatMessage[] {
    const out = [...this.#held.values()].sort((a, b) => a.seq - b.seq)
    this.#held.clear()
    return out
  }
}
