// DM conversations read from the server (protocol 1.3.0 `dm-history`): opening
// one shows its recent history, not only what this tab saw since login (the
// conversation's last message and the DMs that came live); "Load earlier
// messages" pages further back. No DOM here: lines go into Conversations.
import type { DirectMessage } from '@wirechat/protocol/primitives'
import { type ChatClient, isChatError } from '../index.ts'
import type { Conversation, Conversations, Line } from './conversations.ts'

export interface DmHistoryDeps {
  client: Pick<ChatClient, 'dmHistory'>
  convs: Conversations
  /** The line of a DM (own or the partner's), as live DMs are shown. */
  lineOf: (message: DirectMessage) => Line
}

const seqOf = (line: Line): number => line.seq ?? 0

export class DmHistory {
  readonly #deps: DmHistoryDeps
  /** Conversations whose recent page was asked for since login: asked once, live DMs keep them current. */
  readonly #opened = new Set<string>()
  /** Conversations with a request in flight: one at a time each. */
  readonly #busy = new Set<string>()

  constructor(deps: DmHistoryDeps) {
    this.#deps = deps
  }

  /** The conversation is shown: the first time since login, its newest page joins the lines this tab has. */
  open(conv: Conversation): void {
    if (conv.kind !== 'dm' || this.#opened.has(conv.key)) return
    this.#opened.add(conv.key)
    this.#load(conv, undefined, (page) => {
      const { convs, lineOf } = this.#deps
      const current = convs.get(conv.key)
      if (!current) return
      // Live DMs that came while the page was on its way stay; one line per DM, in inbox order.
      const lines = new Map<string, Line>()
      for (const m of page.messages) lines.set(m.msgId, lineOf(m))
      for (const line of current.lines) if (!lines.has(line.id)) lines.set(line.id, line)
      const merged = [...lines.values()].sort((a, b) => seqOf(a) - seqOf(b))
      convs.reset(conv.key, merged, page.hasMore, merged.find((l) => seqOf(l) > 0)?.seq)
    })
  }

  /** The reader wants more: the page before the oldest DM shown. */
  older(conv: Conversation): void {
    if (conv.kind !== 'dm' || !conv.hasOlder) return
    const first = conv.lines.find((l) => seqOf(l) > 0)
    this.#load(conv, first === undefined ? undefined : seqOf(first), (page) => {
      this.#deps.convs.prepend(conv.key, page.messages.map(this.#deps.lineOf), page.hasMore, page.messages[0]?.seq)
    })
  }

  /** A new login (or a logout): every conversation is asked for again when next opened. */
  forget(): void {
    this.#opened.clear()
  }

  #load(conv: Conversation, before: number | undefined, apply: (page: { messages: DirectMessage[]; hasMore: boolean }) => void): void {
    if (this.#busy.has(conv.key)) return
    this.#busy.add(conv.key)
    this.#deps.client.dmHistory(conv.id, before === undefined ? {} : { before }).then(
      (page) => {
        this.#busy.delete(conv.key)
        apply(page)
      },
      (err: unknown) => {
        this.#busy.delete(conv.key)
        // A server older than 1.3.0 has no dm-history: the page shows what it saw, as before. Else try at the next opening.
        if (!isChatError(err, 'unknown-type')) this.#opened.delete(conv.key)
      },
    )
  }
}
