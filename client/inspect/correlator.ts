// Matches replies to requests the way PROTOCOL.md pairs them: a reply echoes
// the request's `id`; a request sent without an id gets a reply without one,
// in order. What is left over is a finding: a reply nobody asked for, a reply
// of the wrong type, or a request that never got its reply.
import { ClientFrames, ServerFrames } from '@wirechat/protocol/frames'

/** A request waiting for its reply. `entry` is the caller's handle on the logged frame. */
export interface Pending<E> {
  entry: E
  type: string
  /** The success reply's type (`error` always answers too); undefined when the request was not a readable frame. */
  reply: string | undefined
  id: string | undefined
  sentAt: number
}

/** What the correlator concluded about one server frame. */
export type ReplyMatch<E> = { kind: 'push' } | { kind: 'matched'; request: Pending<E> } | { kind: 'wrong-type'; request: Pending<E>; expected: string } | { kind: 'unmatched'; id: string | undefined }

// The server echoes only an id that is itself valid (PROTOCOL.md: an error reply must match its schema
// too); a request with any other id is answered like one without.
const ECHOED_ID = /^[\x21-\x7E]{1,64}$/
const replyOf = (type: string): string | undefined => (ClientFrames as Record<string, { reply: string }>)[type]?.reply
const isReplyType = (type: string): boolean => (ServerFrames as Record<string, { kind: string }>)[type]?.kind === 'reply'

export class Correlator<E> {
  readonly #byId = new Map<string, Pending<E>>()
  /** Requests without an id, oldest first. */
  readonly #anonymous: Pending<E>[] = []

  /**
   * Records a frame the client sent. `frame` is the parsed object (undefined for
   * text that was not a JSON object: the server still answers it with an error).
   * Returns the earlier request when the id is already waiting (the reply will be ambiguous).
   */
  sent(entry: E, frame: Record<string, unknown> | undefined, now: number): Pending<E> | undefined {
    const type = typeof frame?.type === 'string' ? frame.type : ''
    const id = typeof frame?.id === 'string' && ECHOED_ID.test(frame.id) ? frame.id : undefined
    const pending: Pending<E> = { entry, type, reply: replyOf(type), id, sentAt: now }
    if (id === undefined) {
      this.#anonymous.push(pending)
      return undefined
    }
    const earlier = this.#byId.get(id)
    this.#byId.set(id, pending)
    return earlier
  }

  /** Classifies a frame the server sent (already parsed) and settles the request it answers. */
  received(frame: Record<string, unknown>): ReplyMatch<E> {
    const type = typeof frame.type === 'string' ? frame.type : ''
    if (!isReplyType(type)) return { kind: 'push' }
    const id = typeof frame.id === 'string' ? frame.id : undefined
    let request: Pending<E> | undefined
    if (id !== undefined) {
      request = this.#byId.get(id)
      this.#byId.delete(id)
    } else {
      // An id-less error may answer any id-less request (bad JSON has no type); a success reply answers its own request type.
      const index = this.#anonymous.findIndex((p) => type === 'error' || p.reply === type)
      if (index >= 0) request = this.#anonymous.splice(index, 1)[0]
    }
    if (request === undefined) return { kind: 'unmatched', id }
    if (type !== 'error' && request.reply !== type) return { kind: 'wrong-type', request, expected: request.reply ?? 'error' }
    return { kind: 'matched', request }
  }

  /** Requests older than `timeoutMs` at `now`, removed: each is reported once. */
  overdue(now: number, timeoutMs: number): Pending<E>[] {
    const late: Pending<E>[] = []
    for (const [id, p] of this.#byId) {
      if (now - p.sentAt >= timeoutMs) {
        late.push(p)
        this.#byId.delete(id)
      }
    }
    for (let i = this.#anonymous.length - 1; i >= 0; i--) {
      if (now - this.#anonymous[i]!.sentAt >= timeoutMs) late.unshift(...this.#anonymous.splice(i, 1))
    }
    return late.sort((a, b) => a.sentAt - b.sentAt)
  }

  /** Every request still waiting, removed (the connection closed: no reply can come). */
  drain(): Pending<E>[] {
    const all = [...this.#byId.values(), ...this.#anonymous].sort((a, b) => a.sentAt - b.sentAt)
    this.#byId.clear()
    this.#anonymous.length = 0
    return all
  }

  /** How many requests wait for a reply. */
  get size(): number {
    return this.#byId.size + this.#anonymous.length
  }
}
