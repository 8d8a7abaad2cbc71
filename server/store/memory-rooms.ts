// Room streams of the memory store: messages and event entries under one
// gapless seq per room, the state events give messages (edits, tombstones,
// reactions), restrictions and read markers. Entries are kept as state and
// turned into protocol messages when read, as the SQL stores turn rows.
import { type ChatMessage, DELETED_TEXT, type ReplyRef, type RoomEvent } from '@wirechat/protocol'
import { newMessageId } from './ids.ts'
import { canReplyTo, excerptOf, reactionRefusal, restrictionInForce, targetRefusal, toReactions } from './message-life.ts'
import { type Appended, type AppendedEvent, type ChatInput, type EventInput, type EventRefusal, type Page, type RangeQuery, ReplyTargetError, type RestrictionRow, type UnreadRow } from './store.ts'

/** A stored entry: what a row of the SQL stores' `messages` holds. */
interface Entry {
  msgId: string
  room: string
  seq: number
  userId: string
  name: string
  text: string
  ts: number
  clientMsgId?: string | undefined
  event?: RoomEvent | undefined
  replyTo?: ReplyRef | undefined
  mentions?: string[] | undefined
  edited?: number | undefined
  deleted: boolean
  rev?: number | undefined
  /** Groups in the order they began, every user oldest first (a snapshot lists MAX_REACTION_USERS). */
  reactions: Array<{ emoji: string; users: string[] }>
}

/** A message as memory search reads it (memory-search.ts). */
export interface SearchableMessage {
  /** Stays the same object for the life of the message (search caches its tokens by it). */
  key: object
  text: string
  ts: number
  msgId: string
  message(): ChatMessage
}

/** What a moderation event changes outside the streams. */
export interface MemoryRoomsHooks {
  removeMembership(userId: string, room: string): void
  removeInvitation(room: string, userId: string): void
}

const restrictionKey = (room: string, userId: string, kind: 'ban' | 'mute') => `${room}\n${userId}\n${kind}`

/** The protocol message of an entry, fields in the order of the ChatMessage schema. */
function snapshot(e: Entry): ChatMessage {
  const m: ChatMessage = { msgId: e.msgId, room: e.room, seq: e.seq, userId: e.userId, name: e.name, text: e.text, ts: e.ts }
  if (e.clientMsgId !== undefined) m.clientMsgId = e.clientMsgId
  if (e.event !== undefined) m.event = structuredClone(e.event)
  if (e.replyTo !== undefined) m.replyTo = { ...e.replyTo }
  if (e.mentions !== undefined) m.mentions = [...e.mentions]
  if (e.edited !== undefined) m.edited = e.edited
  if (e.deleted) m.deleted = true
  if (e.reactions.length > 0) m.reactions = toReactions(e.reactions.flatMap((g) => g.users.map((userId) => ({ emoji: g.emoji, userId }))))
  if (e.rev !== undefined) m.rev = e.rev
  return m
}

export class MemoryRooms {
  readonly #hooks: MemoryRoomsHooks
  readonly #rooms = new Map<string, Entry[]>()
  /** `${userId}\n${clientMsgId}` → the entry. */
  readonly #byClientId = new Map<string, Entry>()
  /** Head of each room whose history was deleted: its numbering goes on from there. */
  readonly #floors = new Map<string, number>()
  /** Insertion order is the order of `since` (a replaced restriction is set anew). */
  readonly #restrictions = new Map<string, RestrictionRow>()
  /** `${userId}\n${room}` → read marker. */
  readonly #reads = new Map<string, number>()

  constructor(hooks: MemoryRoomsHooks) {
    this.#hooks = hooks
  }

  head(room: string): number {
    return this.#rooms.get(room)?.at(-1)?.seq ?? this.#floors.get(room) ?? 0
  }

  tail(room: string): number {
    return this.#rooms.get(room)?.[0]?.seq ?? 0
  }

  /** The room's messages search may find (no event entries, no tombstones), oldest first, each with the snapshot a hit returns. */
  *searchable(room: string): Generator<SearchableMessage> {
    for (const e of this.#rooms.get(room) ?? []) if (e.event === undefined && !e.deleted) yield { key: e, text: e.text, ts: e.ts, msgId: e.msgId, message: () => snapshot(e) }
  }

  /** The entry at `seq`: seqs are gapless from the first kept entry, so a seq maps to an index. */
  #find(room: string, seq: number): Entry | undefined {
    const list = this.#rooms.get(room)
    const first = list?.[0]?.seq
    return first === undefined ? undefined : list![seq - first]
  }

  #append(entry: Omit<Entry, 'msgId' | 'seq' | 'deleted' | 'reactions'>): Entry {
    let list = this.#rooms.get(entry.room)
    if (!list) this.#rooms.set(entry.room, (list = []))
    const stored: Entry = { msgId: newMessageId(), seq: this.head(entry.room) + 1, deleted: false, reactions: [], ...entry }
    list.push(stored)
    return stored
  }

  appendChat(input: ChatInput): Appended<ChatMessage> {
    const key = input.clientMsgId === undefined ? undefined : `${input.userId}\n${input.clientMsgId}`
    const seen = key === undefined ? undefined : this.#byClientId.get(key)
    if (seen) return { message: snapshot(seen), duplicate: true }
    let replyTo: ReplyRef | undefined
    if (input.replyTo !== undefined) {
      const target = this.#find(input.room, input.replyTo)
      if (!canReplyTo(target && { isEvent: target.event !== undefined, deleted: target.deleted })) throw new ReplyTargetError(input.room, input.replyTo)
      replyTo = { msgId: target!.msgId, seq: target!.seq, userId: target!.userId, name: target!.name, excerpt: excerptOf(target!.text) }
    }
    const entry = this.#append({
      room: input.room,
      userId: input.userId,
      name: input.name,
      text: input.text,
      ts: input.ts,
      clientMsgId: input.clientMsgId,
      replyTo,
      mentions: input.mentions?.length ? [...input.mentions] : undefined,
    })
    if (key !== undefined) this.#byClientId.set(key, entry)
    return { message: snapshot(entry), duplicate: false }
  }

  range(room: string, query: RangeQuery): Page {
    const list = this.#rooms.get(room) ?? []
    const first = list[0]?.seq ?? 1
    if (query.after !== undefined) {
      const start = Math.max(0, query.after - first + 1)
      return { messages: list.slice(start, start + query.limit).map(snapshot), hasMore: start + query.limit < list.length }
    }
    const end = Math.max(0, Math.min(list.length, (query.before ?? Number.MAX_SAFE_INTEGER) - first))
    const start = Math.max(0, end - query.limit)
    return { messages: list.slice(start, end).map(snapshot), hasMore: start > 0 }
  }

  findMessage(room: string, seq: number): ChatMessage | undefined {
    const entry = this.#find(room, seq)
    return entry && snapshot(entry)
  }

  appendEvent(input: EventInput): AppendedEvent {
    const event = input.event
    const refusal = 'target' in event ? this.#applyToTarget(input, event) : this.#moderate(input, event)
    if (refusal !== undefined) return { appended: false, refusal }
    const entry = this.#append({ room: input.room, userId: input.userId, name: input.name, text: input.text, ts: input.ts, event: structuredClone(input.event) })
    return { appended: true, message: snapshot(entry) }
  }

  /** Applies an edit, delete or react to its target at the seq the entry will take; the refusal when it cannot. */
  #applyToTarget(input: EventInput, event: Extract<RoomEvent, { target: number }>): EventRefusal | undefined {
    const target = this.#find(input.room, event.target)
    const refusal = targetRefusal(event.kind, target && { isEvent: target.event !== undefined, deleted: target.deleted })
    if (refusal !== undefined) return refusal
    const t = target!
    const seq = this.head(input.room) + 1
    switch (event.kind) {
      case 'edit':
        t.text = input.text
        t.edited = input.ts
        break
      case 'delete':
        this.#delete(t)
        break
      case 'react': {
        const group = t.reactions.find((g) => g.emoji === event.emoji)
        const has = group?.users.includes(input.userId) ?? false
        const state = { has, emojiPresent: group !== undefined, emojis: t.reactions.length, mine: t.reactions.filter((g) => g.users.includes(input.userId)).length }
        const refused = reactionRefusal(state, event.on)
        if (refused !== undefined) return refused
        if (!event.on) {
          group!.users = group!.users.filter((u) => u !== input.userId)
          if (group!.users.length === 0) t.reactions = t.reactions.filter((g) => g !== group)
        } else if (group) group.users.push(input.userId)
        else t.reactions.push({ emoji: event.emoji, users: [input.userId] })
        break
      }
    }
    t.rev = seq
    return undefined
  }

  /** The tombstone: the text, and every copy of it (edit entries, reply excerpts), goes with what hung on it. */
  #delete(t: Entry): void {
    t.text = DELETED_TEXT
    t.deleted = true
    t.replyTo = undefined
    t.mentions = undefined
    t.edited = undefined
    t.reactions = []
    for (const later of this.#rooms.get(t.room) ?? []) {
      if (later.seq <= t.seq) continue
      if (later.event?.kind === 'edit' && later.event.target === t.seq) later.text = DELETED_TEXT
      if (later.replyTo?.seq === t.seq && later.replyTo.excerpt !== undefined) {
        const { excerpt: _, ...kept } = later.replyTo
        later.replyTo = kept
      }
    }
  }

  #moderate(input: EventInput, event: Exclude<RoomEvent, { target: number }>): 'unchanged' | undefined {
    const { room } = input
    switch (event.kind) {
      case 'kick':
        this.#hooks.removeMembership(event.userId, room)
        return undefined
      case 'ban':
      case 'mute': {
        const key = restrictionKey(room, event.userId, event.kind)
        const row: RestrictionRow = {
          room,
          userId: event.userId,
          kind: event.kind,
          name: event.name,
          ...(event.until !== undefined && { until: event.until }),
          by: input.userId,
          ...(event.reason !== undefined && { reason: event.reason }),
          since: input.ts,
        }
        this.#restrictions.delete(key)
        this.#restrictions.set(key, row)
        if (event.kind === 'ban') {
          this.#hooks.removeMembership(event.userId, room)
          this.#hooks.removeInvitation(room, event.userId)
        }
        return undefined
      }
      case 'unban':
      case 'unmute': {
        const key = restrictionKey(room, event.userId, event.kind === 'unban' ? 'ban' : 'mute')
        const found = this.#restrictions.get(key)
        if (found === undefined || !restrictionInForce(found.until, input.ts)) return 'unchanged'
        this.#restrictions.delete(key)
        return undefined
      }
    }
  }

  findRestriction(room: string, userId: string, kind: 'ban' | 'mute', now: number): RestrictionRow | undefined {
    const row = this.#restrictions.get(restrictionKey(room, userId, kind))
    return row !== undefined && restrictionInForce(row.until, now) ? { ...row } : undefined
  }

  listRestrictions(room: string, now: number): RestrictionRow[] {
    return [...this.#restrictions.values()]
      .filter((r) => r.room === room && restrictionInForce(r.until, now))
      .sort((a, b) => a.since - b.since)
      .map((r) => ({ ...r }))
  }

  markRoomRead(userId: string, room: string, seq: number): number {
    const key = `${userId}\n${room}`
    const marker = Math.max(this.#reads.get(key) ?? 0, seq)
    this.#reads.set(key, marker)
    return marker
  }

  startReading(userId: string, room: string, seq: number): number {
    const key = `${userId}\n${room}`
    if ((this.#reads.get(key) ?? 0) === 0) this.#reads.set(key, seq)
    return this.#reads.get(key)!
  }

  unreadCounts(userId: string, rooms: string[]): UnreadRow[] {
    return rooms.map((room) => {
      const readSeq = this.#reads.get(`${userId}\n${room}`) ?? 0
      const list = this.#rooms.get(room) ?? []
      const first = list[0]?.seq ?? 1
      let unread = 0
      let mentions = 0
      for (const e of list.slice(Math.max(0, readSeq - first + 1))) {
        if (e.event !== undefined || e.deleted || e.userId === userId) continue
        unread++
        if (e.mentions?.includes(userId)) mentions++
      }
      return { room, readSeq, unread, mentions }
    })
  }

  /** Rooms with stored entries. */
  withHistory(): string[] {
    return [...this.#rooms.keys()]
  }

  /** Removes the room's oldest entries written before `before`, at most `limit`, keeping its numbering (the HistoryStore contract of pruneRoom). */
  prune(room: string, before: number, limit: number): number {
    const list = this.#rooms.get(room)
    if (!list) return 0
    let n = 0
    while (n < list.length && n < limit && list[n]!.ts < before) n++
    if (n === 0) return 0
    if (n === list.length) this.#floors.set(room, this.head(room))
    for (const e of list.splice(0, n)) if (e.clientMsgId !== undefined) this.#byClientId.delete(`${e.userId}\n${e.clientMsgId}`)
    if (list.length === 0) this.#rooms.delete(room)
    // A reply keeps no copy of text that is gone (as when its target is deleted).
    const keptFrom = list[0]?.seq ?? Number.POSITIVE_INFINITY
    for (const e of list) {
      if (e.replyTo !== undefined && e.replyTo.seq < keptFrom && e.replyTo.excerpt !== undefined) {
        const { excerpt: _, ...kept } = e.replyTo
        e.replyTo = kept
      }
    }
    return n
  }

  /** Removes a room's entries and restrictions, keeping its numbering; resolves with the number of entries removed. */
  deleteRoom(room: string): number {
    const list = this.#rooms.get(room) ?? []
    this.#floors.set(room, this.head(room))
    this.#rooms.delete(room)
    for (const e of list) if (e.clientMsgId !== undefined) this.#byClientId.delete(`${e.userId}\n${e.clientMsgId}`)
    for (const [key, r] of this.#restrictions) if (r.room === room) this.#restrictions.delete(key)
    return list.length
  }

  /** Forgets a deleted account's read markers. */
  deleteUser(userId: string): void {
    for (const key of this.#reads.keys()) if (key.startsWith(`${userId}\n`)) this.#reads.delete(key)
  }
}
