// Appends to room streams and DM inboxes, run inside a group-commit batch:
// the next gapless seq, dedup by (user, clientMsgId), and the batch's hidden
// rows. Seq assignment needs the write lock the batch's IMMEDIATE transaction
// holds, so these run nowhere else. Room streams take messages and (since
// protocol 1.3.0) event entries under the same seq.
import type Database from 'better-sqlite3'
import type { ChatMessage } from '@wirechat/protocol'
import { newMessageId } from './ids.ts'
import { canReplyTo, excerptOf } from './message-life.ts'
import { toDm } from './rows.ts'
import { applyEvent, toSnapshots } from './sqlite-events.ts'
import type { Batch } from './sqlite-group-commit.ts'
import { PendingIndex } from './sqlite-search.ts'
import type { PackedMessageRow, Statements } from './sqlite-statements.ts'
import { type Appended, type AppendedDm, type AppendedEvent, type ChatInput, type DmInput, type EventInput, ReplyTargetError } from './store.ts'

/** Head caches hold at most this many rooms / inboxes; past it they start over (a miss costs one MAX query). */
const MAX_CACHED_HEADS = 100_000

export const isUniqueViolation = (error: unknown): boolean => (error as { code?: string } | null)?.code === 'SQLITE_CONSTRAINT_UNIQUE'

// The newest seq of a room (and of an inbox) is cached after the first append:
// advanced only once the INSERT succeeded, dropped when a transaction fails,
// and dropped when another connection (another process on the same file)
// committed since our last transaction (PRAGMA data_version).
export class Appends {
  readonly #s: Statements
  readonly #roomHeads = new Map<string, number>()
  readonly #inboxHeads = new Map<string, number>()
  /** Messages appended in this transaction, not yet in the search index. */
  readonly #index: PendingIndex
  #dataVersion: unknown
  /** appendDm in a savepoint, nested in the batch's transaction. */
  readonly #dmTransaction: (input: DmInput, batch: Batch) => AppendedDm
  /** appendEvent in a savepoint: the entry and its effect, all or nothing. */
  readonly #eventTransaction: (input: EventInput, batch: Batch) => AppendedEvent

  constructor(db: Database.Database, statements: Statements) {
    this.#s = statements
    this.#index = new PendingIndex(db)
    this.#dmTransaction = db.transaction((input: DmInput, batch: Batch) => this.#appendDm(input, batch))
    this.#eventTransaction = db.transaction((input: EventInput, batch: Batch) => this.#appendEvent(input, batch))
  }

  /** At the start of each batch's transaction: forgets the heads if another connection committed since ours. */
  checkDataVersion(): void {
    const version = this.#s.dataVersion.get()
    if (version !== this.#dataVersion) {
      this.forgetHeads()
      this.#dataVersion = version
    }
  }

  /** After a transaction that failed as a whole: the cached heads may count rows that were never stored. */
  forgetHeads(): void {
    this.#roomHeads.clear()
    this.#inboxHeads.clear()
    this.#index.forget()
  }

  /** At the end of each batch's transaction: indexes the messages it appended. */
  indexAppended(): void {
    this.#index.flush()
  }

  appendChat(input: ChatInput, batch: Batch): Appended<ChatMessage> {
    if (input.replyTo !== undefined || (input.mentions !== undefined && input.mentions.length > 0)) return this.#appendRich(input, batch)
    const s = this.#s
    const clientMsgId = input.clientMsgId ?? null
    const seq = nextSeq(this.#roomHeads, input.room, s.head)
    const msgId = newMessageId()
    // The partial unique index finds a repeated (userId, clientMsgId): trying
    // the INSERT first saves a lookup on every append that is not a repeat.
    try {
      s.insert.run(input.room, seq, msgId, input.userId, input.name, input.text, input.ts, clientMsgId)
    } catch (error) {
      const seen = this.#repeated(input, error)
      if (seen === undefined) throw error
      return seen
    }
    this.#roomHeads.set(input.room, seq)
    batch.hideRoom(input.room, seq)
    this.#index.add(input.room, seq)
    const message: ChatMessage = { msgId, room: input.room, seq, userId: input.userId, name: input.name, text: input.text, ts: input.ts }
    if (clientMsgId !== null) message.clientMsgId = clientMsgId
    return { message, duplicate: false }
  }

  /**
   * A reply or a message with mentions. A repeat is looked for first: a retry
   * gets its original even if the target has been deleted since. A reply
   * whose target cannot be answered throws before anything is written.
   */
  #appendRich(input: ChatInput, batch: Batch): Appended<ChatMessage> {
    const s = this.#s
    const clientMsgId = input.clientMsgId ?? null
    if (clientMsgId !== null) {
      const seen = s.byClientId.get(input.userId, clientMsgId)
      if (seen !== undefined) return { message: this.#snapshot(seen), duplicate: true }
    }
    const message: ChatMessage = { msgId: newMessageId(), room: input.room, seq: 0, userId: input.userId, name: input.name, text: input.text, ts: input.ts }
    if (clientMsgId !== null) message.clientMsgId = clientMsgId
    if (input.replyTo !== undefined) {
      const target = s.target.get(input.room, input.replyTo)
      if (!canReplyTo(target && { isEvent: target.is_event === 1, deleted: target.deleted === 1 })) throw new ReplyTargetError(input.room, input.replyTo)
      message.replyTo = { msgId: target!.msg_id, seq: input.replyTo, userId: target!.user_id, name: target!.name, excerpt: excerptOf(target!.text) }
    }
    if (input.mentions !== undefined && input.mentions.length > 0) message.mentions = [...input.mentions]
    message.seq = nextSeq(this.#roomHeads, input.room, s.head)
    const reply = message.replyTo
    s.insertRich.run(
      input.room,
      message.seq,
      message.msgId,
      input.userId,
      input.name,
      input.text,
      input.ts,
      clientMsgId,
      reply?.seq ?? null,
      reply?.msgId ?? null,
      reply?.userId ?? null,
      reply?.name ?? null,
      reply?.excerpt ?? null,
      message.mentions === undefined ? null : JSON.stringify(message.mentions),
    )
    this.#roomHeads.set(input.room, message.seq)
    batch.hideRoom(input.room, message.seq)
    this.#index.add(input.room, message.seq)
    return { message, duplicate: false }
  }

  /** The original of a repeated (userId, clientMsgId) that made the INSERT fail, if that is why it failed. */
  #repeated(input: ChatInput, error: unknown): Appended<ChatMessage> | undefined {
    if (input.clientMsgId === undefined || !isUniqueViolation(error)) return undefined
    const seen = this.#s.byClientId.get(input.userId, input.clientMsgId)
    return seen && { message: this.#snapshot(seen), duplicate: true }
  }

  /** A stored message as it is now (edits, reactions …). */
  #snapshot(row: PackedMessageRow): ChatMessage {
    return toSnapshots(this.#s, [row])[0]!
  }

  /** Appends an event entry with the room's next seq and applies it, or says why not (nothing written, no seq taken). */
  appendEvent(input: EventInput, batch: Batch): AppendedEvent {
    // An edit's trigger replaces the message's entry, so a message of this
    // batch must have one first (a delete needs none: the flush skips
    // tombstones). Outside the event's savepoint, which may roll back.
    if (input.event.kind === 'edit') this.#index.flush()
    return this.#eventTransaction(input, batch)
  }

  #appendEvent(input: EventInput, batch: Batch): AppendedEvent {
    const s = this.#s
    const seq = nextSeq(this.#roomHeads, input.room, s.head)
    const refusal = applyEvent(s, input, seq, batch)
    if (refusal !== undefined) return { appended: false, refusal }
    const msgId = newMessageId()
    const event = input.event
    s.insertEvent.run(input.room, seq, msgId, input.userId, input.name, input.text, input.ts, JSON.stringify(event), event.kind === 'edit' ? event.target : null)
    // Cached and hidden only once every statement of the event succeeded.
    this.#roomHeads.set(input.room, seq)
    batch.hideRoom(input.room, seq)
    return { appended: true, message: { msgId, room: input.room, seq, userId: input.userId, name: input.name, text: input.text, ts: input.ts, event: { ...event } } }
  }

  /** Stores a DM and appends it to both inboxes, all or nothing (a savepoint). */
  appendDm(input: DmInput, batch: Batch): AppendedDm {
    return this.#dmTransaction(input, batch)
  }

  #appendDm(input: DmInput, batch: Batch): AppendedDm {
    const s = this.#s
    const seqIn = (userId: string, dmId: number) => s.inboxSeqOf.get(userId, dmId)!
    const clientMsgId = input.clientMsgId ?? null
    if (clientMsgId !== null) {
      const seen = s.dmByClientId.get(input.from, clientMsgId)
      if (seen) return { message: toDm(seen), duplicate: true, toSeq: seqIn(seen.to_user, seen.id), fromSeq: seqIn(seen.from_user, seen.id) }
    }
    const msgId = newMessageId()
    const id = Number(s.insertDm.run(msgId, input.from, input.fromName, input.to, input.text, input.ts, clientMsgId).lastInsertRowid)
    const appendTo = (userId: string, peerId: string) => {
      const seq = nextSeq(this.#inboxHeads, userId, s.inboxHead)
      s.insertInbox.run(userId, seq, id, peerId, peerId === input.from ? 1 : 0)
      return seq
    }
    const toSeq = appendTo(input.to, input.from)
    const fromSeq = input.from === input.to ? toSeq : appendTo(input.from, input.to)
    // Cached and hidden only once every statement of the DM succeeded.
    this.#inboxHeads.set(input.to, toSeq)
    this.#inboxHeads.set(input.from, fromSeq)
    batch.hideInbox(input.to, toSeq)
    batch.hideInbox(input.from, fromSeq)
    const message = toDm({ msg_id: msgId, from_user: input.from, from_name: input.fromName, to_user: input.to, text: input.text, ts: input.ts, client_msg_id: clientMsgId })
    return { message, duplicate: false, toSeq, fromSeq }
  }
}

function nextSeq(cache: Map<string, number>, key: string, query: Database.Statement<[string], number | null>): number {
  const cached = cache.get(key)
  if (cached !== undefined) return cached + 1
  if (cache.size >= MAX_CACHED_HEADS) cache.clear()
  return (query.get(key) ?? 0) + 1
}
