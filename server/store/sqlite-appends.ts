// Appends to room streams and DM inboxes, run inside a group-commit batch:
// the next gapless seq, dedup by (user, clientMsgId), and the batch's hidden
// rows. Seq assignment needs the write lock the batch's IMMEDIATE transaction
// holds, so these run nowhere else.
import type Database from 'better-sqlite3'
import type { ChatMessage } from '@wirechat/protocol'
import { newMessageId } from './ids.ts'
import { toChat, toDm } from './rows.ts'
import type { Batch } from './sqlite-group-commit.ts'
import type { Statements } from './sqlite-statements.ts'
import type { Appended, AppendedDm, ChatInput, DmInput } from './store.ts'

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
  #dataVersion: unknown
  /** appendDm in a savepoint, nested in the batch's transaction. */
  readonly #dmTransaction: (input: DmInput, batch: Batch) => AppendedDm

  constructor(db: Database.Database, statements: Statements) {
    this.#s = statements
    this.#dmTransaction = db.transaction((input: DmInput, batch: Batch) => this.#appendDm(input, batch))
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
  }

  appendChat(input: ChatInput, batch: Batch): Appended<ChatMessage> {
    const s = this.#s
    const clientMsgId = input.clientMsgId ?? null
    const seq = nextSeq(this.#roomHeads, input.room, s.head)
    const msgId = newMessageId()
    // The partial unique index finds a repeated (userId, clientMsgId): trying
    // the INSERT first saves a lookup on every append that is not a repeat.
    try {
      s.insert.run(input.room, seq, msgId, input.userId, input.name, input.text, input.ts, clientMsgId)
    } catch (error) {
      if (clientMsgId === null || !isUniqueViolation(error)) throw error
      const seen = s.byClientId.get(input.userId, clientMsgId)
      if (seen === undefined) throw error
      return { message: toChat(seen), duplicate: true }
    }
    this.#roomHeads.set(input.room, seq)
    batch.hideRoom(input.room, seq)
    const message: ChatMessage = { msgId, room: input.room, seq, userId: input.userId, name: input.name, text: input.text, ts: input.ts }
    if (clientMsgId !== null) message.clientMsgId = clientMsgId
    return { message, duplicate: false }
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
