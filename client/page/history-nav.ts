// Going to a message that is not on screen: the original of a reply, a search
// result, a link. Close ones are reached by loading older pages in front of
// what is loaded, so the conversation stays one unbroken run; far ones open a
// window of history around them (the conversation's `hasNewer`), which pages
// forward as the reader scrolls down, or goes back to the newest messages at
// once with the "Jump to latest" pill. Messages that arrive meanwhile are in
// the client's room timeline, so leaving a window loses none of them.
import type { ChatMessage } from '@wirechat/protocol/primitives'
import type { ChatClient } from '../index.ts'
import { roomKey, type Conversations, type Line } from './conversations.ts'
import type { MessageList } from './message-list.ts'

/** A target further back than this many seqs before the loaded lines opens a window instead of loading everything between. */
export const CONTIGUOUS_MAX = 400
/** Page size for these loads (the server caps it at limits.historyPageMax). */
const PAGE = 100
/** Messages shown before the target in a window. */
const BEFORE_TARGET = 25

export interface HistoryNavHooks {
  client: ChatClient
  convs: Conversations
  messages: MessageList
  /** Lines from history entries (moderation notices kept, edit/delete/react events left out). */
  toLines(messages: readonly ChatMessage[]): Line[]
  /** A load is under way or done (the "Loading…" state of the list). */
  busy(on: boolean): void
}

export class HistoryNav {
  readonly #o: HistoryNavHooks
  /** Per room: a forward or latest load in flight. */
  readonly #loading = new Set<string>()

  constructor(hooks: HistoryNavHooks) {
    this.#o = hooks
  }

  /**
   * Shows message `seq` of a joined room, highlighted: loads what is needed first. Resolves with
   * false when the message cannot be shown (not found in history).
   */
  async reveal(room: string, seq: number): Promise<boolean> {
    const { convs, messages } = this.#o
    const key = roomKey(room)
    if (convs.current?.key !== key) convs.show(key)
    const shown = (): boolean => {
      const line = convs.lineBySeq(key, seq)
      return line !== undefined && messages.reveal(line.id)
    }
    if (shown()) return true
    const conv = convs.get(key)
    if (conv === undefined) return false
    const first = conv.oldestSeq ?? firstSeq(conv.lines)
    const last = lastSeq(conv.lines)
    this.#o.busy(true)
    try {
      if (first !== undefined && seq < first && first - seq <= CONTIGUOUS_MAX && conv.hasOlder) await this.loadBackTo(room, seq)
      else if (first === undefined || seq < first || (last !== undefined && seq > last && conv.hasNewer)) await this.#openWindow(room, seq)
    } catch {
      return false
    } finally {
      this.#o.busy(false)
    }
    if (shown()) return true
    // The seq is an event or a deleted message's neighbour: show the nearest line after it.
    const near = convs.get(key)?.lines.find((l) => l.seq !== undefined && l.seq >= seq)
    return near !== undefined && messages.reveal(near.id)
  }

  /** Loads older pages in front of the loaded lines until `seq` is among them (or history ends); at most CONTIGUOUS_MAX back. */
  async loadBackTo(room: string, seq: number): Promise<void> {
    const { client, convs } = this.#o
    const key = roomKey(room)
    for (let round = 0; round < Math.ceil(CONTIGUOUS_MAX / PAGE) + 1; round++) {
      const conv = convs.get(key)
      // Before the oldest entry loaded, lines or not (a page of only reactions adds no line).
      const before = conv === undefined ? undefined : (conv.oldestSeq ?? firstSeq(conv.lines))
      if (conv === undefined || before === undefined || before <= seq || !conv.hasOlder) return
      const page = await client.history(room, { before, limit: PAGE })
      const oldest = page.messages[0]?.seq
      convs.prepend(key, this.#o.toLines(page.messages), page.hasMore && oldest !== undefined && oldest < before, oldest)
    }
  }

  /** In a window: loads the next newer page (the reader scrolled near its bottom). */
  async loadNewer(room: string): Promise<void> {
    const { client, convs } = this.#o
    const key = roomKey(room)
    const conv = convs.get(key)
    const last = conv === undefined ? undefined : lastSeq(conv.lines)
    if (conv === undefined || !conv.hasNewer || last === undefined || this.#loading.has(key)) return
    this.#loading.add(key)
    try {
      const page = await client.history(room, { after: last, limit: PAGE })
      if (!convs.get(key)?.hasNewer) return
      const lines = this.#o.toLines(page.messages)
      convs.extend(key, page.hasMore ? lines : [...lines, ...this.#liveAfter(room, lastSeqOf(page.messages) ?? last)], page.hasMore)
    } finally {
      this.#loading.delete(key)
    }
  }

  /** Leaves a window for the newest messages (the pill). */
  async toLatest(room: string): Promise<void> {
    const { client, convs, messages } = this.#o
    const key = roomKey(room)
    if (this.#loading.has(key)) return
    this.#loading.add(key)
    this.#o.busy(true)
    try {
      const page = await client.history(room, { limit: PAGE })
      const lines = [...this.#o.toLines(page.messages), ...this.#liveAfter(room, lastSeqOf(page.messages) ?? 0)]
      convs.reset(key, lines, page.hasMore, page.messages[0]?.seq)
      messages.scrollToLatest()
    } finally {
      this.#loading.delete(key)
      this.#o.busy(false)
    }
  }

  /** A window of history around `seq`. */
  async #openWindow(room: string, seq: number): Promise<void> {
    const { client, convs } = this.#o
    const page = await client.history(room, { after: Math.max(0, seq - BEFORE_TARGET - 1), limit: PAGE })
    const last = lastSeqOf(page.messages) ?? seq
    const lines = [...this.#o.toLines(page.messages), ...(page.hasMore ? [] : this.#liveAfter(room, last))]
    convs.reset(roomKey(room), lines, seq - BEFORE_TARGET > 1, page.messages[0]?.seq, page.hasMore)
  }

  /** Lines the client holds after `seq` (live messages that came while a window was shown). */
  #liveAfter(room: string, seq: number): Line[] {
    const held = this.#o.client.rooms.get(room)?.lines() ?? []
    return this.#o.toLines(held.filter((m) => m.seq > seq))
  }
}

function firstSeq(lines: readonly Line[]): number | undefined {
  for (const line of lines) if (line.seq !== undefined) return line.seq
  return undefined
}

function lastSeq(lines: readonly Line[]): number | undefined {
  for (let i = lines.length - 1; i >= 0; i--) {
    const seq = lines[i]?.seq
    if (seq !== undefined) return seq
  }
  return undefined
}

function lastSeqOf(messages: readonly ChatMessage[]): number | undefined {
  return messages.at(-1)?.seq
}
