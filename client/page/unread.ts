// Read markers on the page: where the "New messages" line goes when a room
// opens, and when to tell the server (and so this user's other devices) that
// a conversation is read. The server keeps one marker per user and room (and
// DM conversation); the page moves it only when the newest message is on
// screen in a visible tab, never merely because a room was opened.

/** The part of a shown line this needs. */
export interface SeqLine {
  kind: string
  id: string
  seq?: number | undefined
  own?: boolean | undefined
}

/**
 * The line the "New messages" line goes above: the first message of someone
 * else after `readSeq`. Undefined when everything is read, or when the first
 * unread message may not be loaded (`hasOlder` and no read line held before
 * it: the line would mark the wrong place; load older history first).
 */
export function firstUnreadLine<L extends SeqLine>(lines: readonly L[], readSeq: number, hasOlder: boolean): L | undefined {
  let sawRead = false
  for (const line of lines) {
    if (line.kind !== 'message' || line.seq === undefined) continue
    if (line.seq <= readSeq) {
      sawRead = true
      continue
    }
    if (line.own) continue
    // The first loaded line is already unread: the first unread one may lie before it.
    return sawRead || !hasOlder ? line : undefined
  }
  return undefined
}

/**
 * The markers this page sent, per conversation, so each new position goes out
 * once: `due` says whether `seq` is news, `sent` records it, `failed` forgets
 * it so the next chance sends it again, `heard` takes a marker another device set.
 */
export class SentMarkers {
  readonly #sent = new Map<string, number>()

  /** True when `seq` is past what was sent (or heard) for `key`. */
  due(key: string, seq: number): boolean {
    return seq > (this.#sent.get(key) ?? 0)
  }

  sent(key: string, seq: number): void {
    if (this.due(key, seq)) this.#sent.set(key, seq)
  }

  /** The request failed: forget it if it is still the newest sent. */
  failed(key: string, seq: number): void {
    if (this.#sent.get(key) === seq) this.#sent.delete(key)
  }

  /** Another device (or the server's answer) says the marker is at `seq`. */
  heard(key: string, seq: number): void {
    this.sent(key, seq)
  }

  clear(): void {
    this.#sent.clear()
  }
}

/** "3", or "99+" past 99: a badge stays narrow. */
export function badgeText(count: number): string {
  return count > 99 ? '99+' : String(count)
}
