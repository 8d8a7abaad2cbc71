// The page's model: every open conversation (rooms and direct messages) with
// its lines and unread count, and which one is shown. No DOM here.

/** One line of a conversation: a message or a system notice (join, leave, rename). */
export type Line =
  | { kind: 'message'; id: string; userId: string; name: string; text: string; ts: number; own: boolean; seq?: number; clientMsgId?: string }
  | { kind: 'system'; id: string; text: string; ts: number }

export interface Conversation {
  /** "room:<name>" or "dm:<userId>". */
  key: string
  kind: 'room' | 'dm'
  /** Room name, or the other user's id. */
  id: string
  /** Room name, or the other user's name. */
  title: string
  lines: Line[]
  unread: number
  /** More history exists before the first line (a DM conversation's once its history was read: dm-history.ts). */
  hasOlder: boolean
}

/** What changed, so views redraw only what they must. */
export type Change = { type: 'list' } | { type: 'current' } | { type: 'reset'; key: string } | { type: 'added'; key: string; line: Line } | { type: 'prepended'; key: string; lines: Line[] }

export const roomKey = (room: string): string => `room:${room}`
export const dmKey = (userId: string): string => `dm:${userId}`

/** Most lines kept per conversation; older ones can be loaded again from history. */
const MAX_LINES = 1000

export class Conversations {
  readonly #all = new Map<string, Conversation>()
  #current: string | undefined
  onChange: (change: Change) => void = () => {}

  get current(): Conversation | undefined {
    return this.#current === undefined ? undefined : this.#all.get(this.#current)
  }

  get(key: string): Conversation | undefined {
    return this.#all.get(key)
  }

  /** Rooms, sorted by name. */
  rooms(): Conversation[] {
    return [...this.#all.values()].filter((c) => c.kind === 'room').sort((a, b) => a.id.localeCompare(b.id))
  }

  /** Direct conversations, most recent first. */
  dms(): Conversation[] {
    const last = (c: Conversation) => c.lines.at(-1)?.ts ?? 0
    return [...this.#all.values()].filter((c) => c.kind === 'dm').sort((a, b) => last(b) - last(a))
  }

  /** Sum of unread counts. */
  get unread(): number {
    let n = 0
    for (const c of this.#all.values()) n += c.unread
    return n
  }

  ensureRoom(room: string): Conversation {
    return this.#ensure(roomKey(room), 'room', room, room)
  }

  ensureDm(userId: string, name: string): Conversation {
    const conv = this.#ensure(dmKey(userId), 'dm', userId, name)
    if (conv.title !== name) {
      conv.title = name
      this.onChange({ type: 'list' })
    }
    return conv
  }

  #ensure(key: string, kind: 'room' | 'dm', id: string, title: string): Conversation {
    let conv = this.#all.get(key)
    if (!conv) {
      conv = { key, kind, id, title, lines: [], unread: 0, hasOlder: false }
      this.#all.set(key, conv)
      this.onChange({ type: 'list' })
    }
    return conv
  }

  remove(key: string): void {
    if (!this.#all.delete(key)) return
    if (this.#current === key) this.#current = this.rooms()[0]?.key ?? this.dms()[0]?.key
    this.onChange({ type: 'list' })
    this.onChange({ type: 'current' })
  }

  removeAll(): void {
    this.#all.clear()
    this.#current = undefined
    this.onChange({ type: 'list' })
    this.onChange({ type: 'current' })
  }

  show(key: string): void {
    const conv = this.#all.get(key)
    if (!conv) return
    const changed = this.#current !== key
    this.#current = key
    const hadUnread = conv.unread > 0
    conv.unread = 0
    if (changed) this.onChange({ type: 'current' })
    if (changed || hadUnread) this.onChange({ type: 'list' })
  }

  /** Sets the unread count the server knows (DM conversations at login, a read marker from another device). */
  setUnread(key: string, unread: number): void {
    const conv = this.#all.get(key)
    if (!conv || conv.unread === unread) return
    conv.unread = unread
    this.onChange({ type: 'list' })
  }

  /** True when the conversation shows the server's copy of this send. */
  hasSend(key: string, clientMsgId: string): boolean {
    return this.#all.get(key)?.lines.some((l) => l.kind === 'message' && l.clientMsgId === clientMsgId) ?? false
  }

  /** Appends a line (ignored when its id is already there); counts it unread unless shown or own. */
  add(key: string, line: Line): void {
    const conv = this.#all.get(key)
    if (!conv || conv.lines.some((l) => l.id === line.id)) return
    conv.lines.push(line)
    if (conv.lines.length > MAX_LINES) {
      conv.lines.splice(0, conv.lines.length - MAX_LINES)
      conv.hasOlder = true
    }
    const counts = line.kind === 'message' && !line.own && (this.#current !== key || !this.visible)
    if (counts) conv.unread++
    this.onChange({ type: 'added', key, line })
    if (counts || conv.kind === 'dm') this.onChange({ type: 'list' })
  }

  /** Replaces a conversation's lines (a fresh room snapshot). */
  reset(key: string, lines: Line[], hasOlder: boolean): void {
    const conv = this.#all.get(key)
    if (!conv) return
    conv.lines = lines.slice(-MAX_LINES)
    conv.hasOlder = hasOlder
    this.onChange({ type: 'reset', key })
  }

  /** Puts older lines in front (history paging). */
  prepend(key: string, lines: Line[], hasOlder: boolean): void {
    const conv = this.#all.get(key)
    if (!conv) return
    const known = new Set(conv.lines.map((l) => l.id))
    const fresh = lines.filter((l) => !known.has(l.id))
    conv.lines = [...fresh, ...conv.lines]
    conv.hasOlder = hasOlder
    this.onChange({ type: 'prepended', key, lines: fresh })
  }

  /** False while the tab is hidden: messages then count as unread even in the shown conversation. */
  visible = true

  /** The tab became visible again: the shown conversation is read. */
  markShownRead(): void {
    const conv = this.current
    if (conv && conv.unread > 0) {
      conv.unread = 0
      this.onChange({ type: 'list' })
    }
  }
}
