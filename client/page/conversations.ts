// The page's model: every open conversation (rooms and direct messages) with
// its lines and unread count, and which one is shown. No DOM here.
import type { ReplyRef } from '@wirechat/protocol/primitives'

/** A reaction as the reader sees it: the emoji, how many, and whether the reader is one of them. */
export interface ReactionChip {
  emoji: string
  count: number
  mine: boolean
}

/** What a message looks like now (since 1.3.0): edits, a delete and reactions change it in place. */
export interface MessageState {
  /** When it was last edited (epoch ms): shown as an "edited" mark. */
  edited?: number
  /** Deleted: a tombstone in its place. */
  deleted?: boolean
  reactions?: ReactionChip[]
  /** The message it answers, with a short excerpt. */
  replyTo?: ReplyRef
}

/** One line of a conversation: a message or a system notice (join, leave, rename, moderation). */
export type Line =
  | ({ kind: 'message'; id: string; userId: string; name: string; text: string; ts: number; own: boolean; seq?: number; clientMsgId?: string } & MessageState)
  | { kind: 'system'; id: string; text: string; ts: number; seq?: number }

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
  /** Rooms: the oldest stream seq loaded, lines or not (a page of only edits and reactions adds none): older history is asked for before it. */
  oldestSeq: number | undefined
}

/** What changed, so views redraw only what they must. */
export type Change =
  | { type: 'list' }
  | { type: 'current' }
  | { type: 'reset'; key: string }
  | { type: 'added'; key: string; line: Line }
  | { type: 'prepended'; key: string; lines: Line[] }
  | { type: 'updated'; key: string; line: Line }

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
      conv = { key, kind, id, title, lines: [], unread: 0, hasOlder: false, oldestSeq: undefined }
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
      conv.oldestSeq = conv.lines.find((l) => l.seq !== undefined)?.seq
    }
    const counts = line.kind === 'message' && !line.own && (this.#current !== key || !this.visible)
    if (counts) conv.unread++
    this.onChange({ type: 'added', key, line })
    if (counts || conv.kind === 'dm') this.onChange({ type: 'list' })
  }

  /**
   * A message held changed (edited, deleted, reacted to): its line takes the new text and state.
   * A message not held (scrolled out, not loaded yet) is left alone: history brings it as it is now.
   */
  update(key: string, id: string, text: string, state: MessageState): void {
    const conv = this.#all.get(key)
    const at = conv?.lines.findIndex((l) => l.id === id) ?? -1
    const old = conv?.lines[at]
    if (!conv || old?.kind !== 'message') return
    const { edited: _e, deleted: _d, reactions: _r, replyTo: _t, ...rest } = old
    const line: Line = { ...rest, text, ...state }
    conv.lines[at] = line
    this.onChange({ type: 'updated', key, line })
  }

  /** Replaces a conversation's lines (a fresh room snapshot). */
  reset(key: string, lines: Line[], hasOlder: boolean, oldestSeq?: number): void {
    const conv = this.#all.get(key)
    if (!conv) return
    conv.lines = lines.slice(-MAX_LINES)
    conv.hasOlder = hasOlder
    conv.oldestSeq = conv.lines.length < lines.length ? conv.lines.find((l) => l.seq !== undefined)?.seq : oldestSeq
    this.onChange({ type: 'reset', key })
  }

  /** Puts older lines in front (history paging); `oldestSeq` is the page's first seq. */
  prepend(key: string, lines: Line[], hasOlder: boolean, oldestSeq?: number): void {
    const conv = this.#all.get(key)
    if (!conv) return
    const known = new Set(conv.lines.map((l) => l.id))
    const fresh = lines.filter((l) => !known.has(l.id))
    conv.lines = [...fresh, ...conv.lines]
    conv.hasOlder = hasOlder
    if (oldestSeq !== undefined && (conv.oldestSeq === undefined || oldestSeq < conv.oldestSeq)) conv.oldestSeq = oldestSeq
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
