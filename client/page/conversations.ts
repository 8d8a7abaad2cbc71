// The page's model: every open conversation (rooms and direct messages) with
// its lines and unread counts, and which one is shown. No DOM here.
//
// Unread counts: a room's come from the client library (the server's read
// marker and counts, moved by this device or another, plus what arrived since);
// a DM conversation's are counted here, as before 1.3.0.
import type { Reaction, ReplyRef } from '@wirechat/protocol/primitives'

/** A message as the page shows it; the 1.3.0 parts only when present. */
export interface MessageLine {
  kind: 'message'
  id: string
  userId: string
  name: string
  text: string
  ts: number
  own: boolean
  /** Room seq, or inbox seq in a DM conversation. */
  seq?: number
  clientMsgId?: string
  /** The message this one answers (room messages). */
  replyTo?: ReplyRef
  reactions?: Reaction[]
  /** User ids the text mentions. */
  mentions?: string[]
  /** When it was last edited. */
  edited?: number
  /** Deleted: the text is gone, a tombstone shows. */
  deleted?: boolean
}

/** One line of a conversation: a message or a system notice (join, leave, rename, moderation). */
export type Line = MessageLine | { kind: 'system'; id: string; text: string; ts: number; seq?: number }

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
  /** Of the unread messages, those that mention this user (rooms). */
  mentions: number
  /** More history exists before the first line (a DM conversation's once its history was read: dm-history.ts). */
  hasOlder: boolean
  /**
   * Rooms: the lines are a window of older history (opened at a message far back) and newer ones
   * exist after the last line; new messages are then not appended until the window reaches the end.
   */
  hasNewer: boolean
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
  /** Newer lines were put at the end of a window (history paging forwards). */
  | { type: 'extended'; key: string; lines: Line[] }
  /** A line changed in place (edited, deleted, reacted to). */
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

  /** Unread messages addressed to this user: mentions in rooms and every unread DM. */
  get addressed(): number {
    let n = 0
    for (const c of this.#all.values()) n += c.kind === 'dm' ? c.unread : c.mentions
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
      conv = { key, kind, id, title, lines: [], unread: 0, mentions: 0, hasOlder: false, hasNewer: false, oldestSeq: undefined }
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
    // A DM is read when shown; a room when its newest message is seen (the page tells the server, the counts follow).
    const hadUnread = conv.kind === 'dm' && conv.unread > 0
    if (hadUnread) conv.unread = 0
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

  /** Sets a room's unread and mention counts (from the client library's room). */
  setCounts(key: string, unread: number, mentions: number): void {
    const conv = this.#all.get(key)
    if (!conv || (conv.unread === unread && conv.mentions === mentions)) return
    conv.unread = unread
    conv.mentions = mentions
    this.onChange({ type: 'list' })
  }

  /** The message line with this seq, if held. */
  lineBySeq(key: string, seq: number): MessageLine | undefined {
    for (const line of this.#all.get(key)?.lines ?? []) if (line.kind === 'message' && line.seq === seq) return line
    return undefined
  }

  /** Replaces the line with the same id (an edit, a delete, a reaction); ignored when not held. */
  update(key: string, line: Line): void {
    const conv = this.#all.get(key)
    const index = conv?.lines.findIndex((l) => l.id === line.id) ?? -1
    if (!conv || index === -1) return
    conv.lines[index] = line
    this.onChange({ type: 'updated', key, line })
  }

  /** True when the conversation shows the server's copy of this send. */
  hasSend(key: string, clientMsgId: string): boolean {
    return this.#all.get(key)?.lines.some((l) => l.kind === 'message' && l.clientMsgId === clientMsgId) ?? false
  }

  /**
   * Appends a line (ignored when its id is already there, or while a room shows an older window);
   * in a DM conversation counts it unread unless shown or own.
   */
  add(key: string, line: Line): void {
    const conv = this.#all.get(key)
    if (!conv || conv.hasNewer || conv.lines.some((l) => l.id === line.id)) return
    conv.lines.push(line)
    if (conv.lines.length > MAX_LINES) {
      conv.lines.splice(0, conv.lines.length - MAX_LINES)
      conv.hasOlder = true
      conv.oldestSeq = conv.lines.find((l) => l.seq !== undefined)?.seq
    }
    const counts = conv.kind === 'dm' && line.kind === 'message' && !line.own && (this.#current !== key || !this.visible)
    if (counts) conv.unread++
    this.onChange({ type: 'added', key, line })
    if (counts || conv.kind === 'dm') this.onChange({ type: 'list' })
  }

  /**
   * Replaces a conversation's lines (a fresh room snapshot, or a window of history with `hasNewer`);
   * `oldestSeq` is the first seq of the entries they came from (events included).
   */
  reset(key: string, lines: Line[], hasOlder: boolean, oldestSeq?: number, hasNewer = false): void {
    const conv = this.#all.get(key)
    if (!conv) return
    conv.lines = lines.slice(-MAX_LINES)
    conv.hasOlder = hasOlder || lines.length > MAX_LINES
    conv.hasNewer = hasNewer
    conv.oldestSeq = conv.lines.length < lines.length ? conv.lines.find((l) => l.seq !== undefined)?.seq : oldestSeq
    this.onChange({ type: 'reset', key })
  }

  /** Puts newer lines at the end of a window (paging forwards); `hasNewer` false: the window reached the live end. */
  extend(key: string, lines: Line[], hasNewer: boolean): void {
    const conv = this.#all.get(key)
    if (!conv) return
    const known = new Set(conv.lines.map((l) => l.id))
    const fresh = lines.filter((l) => !known.has(l.id))
    conv.lines = [...conv.lines, ...fresh]
    conv.hasNewer = hasNewer
    this.onChange({ type: 'extended', key, lines: fresh })
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

  /** The tab became visible again: the shown DM conversation is read (a room when its newest message is seen). */
  markShownRead(): void {
    const conv = this.current
    if (conv?.kind === 'dm' && conv.unread > 0) {
      conv.unread = 0
      this.onChange({ type: 'list' })
    }
  }
}
