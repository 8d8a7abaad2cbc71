// Follows the seq of every stream the connection sees (each room, and the DM
// inbox) and reports what a correct client must notice: a skipped seq (a gap),
// and a seq that does not move forward (a repeat or a reorder). Positions come
// from the frames themselves: `login-ok` and `join-room-ok` give each stream's
// head (minus the `missed` messages a resume replays next), `chat`/`chat-ok`
// and `dm`/`dm-ok` carry one message each, `history-ok` can fill a gap.

/** Something wrong with the order of one stream. */
export interface SeqFinding {
  /** `room:NAME` or `inbox`. */
  stream: string
  kind: 'gap' | 'repeat'
  /** The seq that should have come next. */
  expected: number
  got: number
  text: string
}

interface Stream {
  epoch: string | undefined
  last: number
  /** Seqs skipped and not yet read through history. */
  missing: Set<number>
}

interface Head {
  epoch?: unknown
  seq?: unknown
  resume?: { resumed?: unknown; missed?: unknown }
}

const roomKey = (room: string): string => `room:${room}`
const isInt = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n)
/** A gap wider than this is reported but not remembered seq by seq. */
const MAX_REMEMBERED = 1000

export class GapDetector {
  readonly #streams = new Map<string, Stream>()

  /** Feeds one valid server frame; returns what it reveals (usually nothing). */
  received(frame: Record<string, unknown>): SeqFinding[] {
    switch (frame.type) {
      case 'login-ok': {
        this.#streams.clear()
        for (const state of Array.isArray(frame.rooms) ? (frame.rooms as Array<Head & { room?: unknown }>) : []) this.#head(state.room, state)
        this.#start('inbox', frame.inbox as Head | undefined)
        return []
      }
      case 'join-room-ok': {
        const state = frame.state as (Head & { room?: unknown }) | undefined
        this.#head(state?.room, state)
        return []
      }
      case 'leave-room-ok':
        if (typeof frame.room === 'string') this.#streams.delete(roomKey(frame.room))
        return []
      case 'logout-ok':
        this.#streams.clear()
        return []
      case 'chat':
      case 'chat-ok': {
        if (frame.duplicate === true) return [] // the original acknowledgement again, not a new message
        const message = frame.message as { room?: unknown; seq?: unknown } | undefined
        if (typeof message?.room !== 'string' || !isInt(message.seq)) return []
        return this.#next(roomKey(message.room), message.seq)
      }
      case 'dm':
      case 'dm-ok': {
        if (frame.duplicate === true) return []
        const message = frame.message as { seq?: unknown } | undefined
        return isInt(message?.seq) ? this.#next('inbox', message.seq) : []
      }
      case 'history-ok': {
        const stream = typeof frame.room === 'string' ? this.#streams.get(roomKey(frame.room)) : undefined
        for (const m of Array.isArray(frame.messages) ? (frame.messages as Array<{ seq?: unknown }>) : []) if (isInt(m.seq)) stream?.missing.delete(m.seq)
        return []
      }
      default:
        return []
    }
  }

  /** The connection closed: positions are per connection. */
  reset(): void {
    this.#streams.clear()
  }

  /** Seqs of a stream skipped and not filled by history since (at most MAX_REMEMBERED). */
  missing(stream: string): number[] {
    return [...(this.#streams.get(stream)?.missing ?? [])].sort((a, b) => a - b)
  }

  #head(room: unknown, state: Head | undefined): void {
    if (typeof room === 'string') this.#start(roomKey(room), state)
  }

  #start(key: string, head: Head | undefined): void {
    if (head === undefined || !isInt(head.seq)) return
    // A resumed stream's head already counts the `missed` messages replayed right after the reply.
    const missed = head.resume?.resumed === true && isInt(head.resume.missed) ? head.resume.missed : 0
    this.#streams.set(key, { epoch: typeof head.epoch === 'string' ? head.epoch : undefined, last: head.seq - missed, missing: new Set() })
  }

  #next(key: string, seq: number): SeqFinding[] {
    const stream = this.#streams.get(key)
    if (stream === undefined) {
      // First sight of a stream without a head (a frame the inspector did not see): start here.
      this.#streams.set(key, { epoch: undefined, last: seq, missing: new Set() })
      return []
    }
    const expected = stream.last + 1
    if (seq === expected) {
      stream.last = seq
      return []
    }
    if (seq > expected) {
      for (let s = expected; s < seq && stream.missing.size < MAX_REMEMBERED; s++) stream.missing.add(s)
      stream.last = seq
      const skipped = seq - expected === 1 ? `seq ${expected}` : `seqs ${expected}–${seq - 1}`
      return [{ stream: key, kind: 'gap', expected, got: seq, text: `${key}: ${skipped} never arrived (got ${seq} after ${expected - 1})` }]
    }
    if (stream.missing.delete(seq)) return [{ stream: key, kind: 'repeat', expected, got: seq, text: `${key}: seq ${seq} arrived late, out of seq order` }]
    return [{ stream: key, kind: 'repeat', expected, got: seq, text: `${key}: seq ${seq} again or out of order (expected ${expected})` }]
  }
}
