// The embedded default store: one SQLite file in WAL mode. Appends made in the
// same tick commit together in one transaction (group commit), and every
// promise resolves only after that commit, so an acknowledgement always
// follows durability while the fsync cost is shared by the batch.
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import type { ChatMessage, DirectMessage } from '../../protocol/index.ts'
import { hashKey, newMessageId, randomToken } from './ids.ts'
import type { Appended, AppendedDm, ChatInput, DmInput, HistoryStore, InboxPage, Page, RangeQuery, SessionRecord } from './store.ts'

const SCHEMA_VERSION = 1

const MIGRATIONS: Record<number, string> = {
  1: `
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE messages (
      room TEXT NOT NULL, seq INTEGER NOT NULL, msg_id TEXT NOT NULL, user_id TEXT NOT NULL,
      name TEXT NOT NULL, text TEXT NOT NULL, ts INTEGER NOT NULL, client_msg_id TEXT,
      PRIMARY KEY (room, seq)
    ) WITHOUT ROWID;
    CREATE UNIQUE INDEX messages_client_id ON messages (user_id, client_msg_id) WHERE client_msg_id IS NOT NULL;
    CREATE TABLE dms (
      id INTEGER PRIMARY KEY AUTOINCREMENT, msg_id TEXT NOT NULL, from_user TEXT NOT NULL, from_name TEXT NOT NULL,
      to_user TEXT NOT NULL, text TEXT NOT NULL, ts INTEGER NOT NULL, client_msg_id TEXT
    );
    CREATE UNIQUE INDEX dms_client_id ON dms (from_user, client_msg_id) WHERE client_msg_id IS NOT NULL;
    CREATE TABLE inbox (user_id TEXT NOT NULL, seq INTEGER NOT NULL, dm_id INTEGER NOT NULL, PRIMARY KEY (user_id, seq)) WITHOUT ROWID;
    CREATE INDEX inbox_dm ON inbox (dm_id);
    CREATE TABLE sessions (key_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL, name TEXT NOT NULL, created_at INTEGER NOT NULL);
    CREATE INDEX sessions_user ON sessions (user_id);
  `,
}

interface MessageRow {
  room: string; seq: number; msg_id: string; user_id: string; name: string; text: string; ts: number; client_msg_id: string | null
}
interface DmRow {
  id: number; msg_id: string; from_user: string; from_name: string; to_user: string; text: string; ts: number; client_msg_id: string | null
}

function toChat(row: MessageRow): ChatMessage {
  const m: ChatMessage = { msgId: row.msg_id, room: row.room, seq: row.seq, userId: row.user_id, name: row.name, text: row.text, ts: row.ts }
  if (row.client_msg_id !== null) m.clientMsgId = row.client_msg_id
  return m
}
function toDm(row: DmRow): Omit<DirectMessage, 'seq'> {
  const m: Omit<DirectMessage, 'seq'> = { msgId: row.msg_id, from: row.from_user, fromName: row.from_name, to: row.to_user, text: row.text, ts: row.ts }
  if (row.client_msg_id !== null) m.clientMsgId = row.client_msg_id
  return m
}

export interface SqliteStoreOptions {
  /** Path of the database file. */
  file: string
  /** fsync on every commit (FULL, default) or only at checkpoints (NORMAL: survives process crashes, not power loss). */
  synchronous?: 'full' | 'normal'
}

interface Job {
  work: () => unknown
  resolve: (value: any) => void
  reject: (err: unknown) => void
  outcome?: { ok: true; value: unknown } | { ok: false; error: unknown }
}

export function createSqliteStore(options: SqliteStoreOptions): HistoryStore {
  let db: Database.Database
  let epoch = ''
  let statements: ReturnType<typeof prepare>
  let queue: Job[] = []

  function prepare(d: Database.Database) {
    return {
      head: d.prepare<[string], { seq: number | null }>('SELECT MAX(seq) AS seq FROM messages WHERE room = ?'),
      tail: d.prepare<[string], { seq: number | null }>('SELECT MIN(seq) AS seq FROM messages WHERE room = ?'),
      byClientId: d.prepare<[string, string], MessageRow>('SELECT * FROM messages WHERE user_id = ? AND client_msg_id = ?'),
      insert: d.prepare('INSERT INTO messages (room, seq, msg_id, user_id, name, text, ts, client_msg_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
      after: d.prepare<[string, number, number], MessageRow>('SELECT * FROM messages WHERE room = ? AND seq > ? ORDER BY seq ASC LIMIT ?'),
      before: d.prepare<[string, number, number], MessageRow>('SELECT * FROM messages WHERE room = ? AND seq < ? ORDER BY seq DESC LIMIT ?'),
      dmByClientId: d.prepare<[string, string], DmRow>('SELECT * FROM dms WHERE from_user = ? AND client_msg_id = ?'),
      insertDm: d.prepare('INSERT INTO dms (msg_id, from_user, from_name, to_user, text, ts, client_msg_id) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      inboxHead: d.prepare<[string], { seq: number | null }>('SELECT MAX(seq) AS seq FROM inbox WHERE user_id = ?'),
      inboxSeqOf: d.prepare<[string, number], { seq: number }>('SELECT seq FROM inbox WHERE user_id = ? AND dm_id = ?'),
      insertInbox: d.prepare('INSERT INTO inbox (user_id, seq, dm_id) VALUES (?, ?, ?)'),
      inboxAfter: d.prepare<[string, number, number], DmRow & { seq: number }>(
        'SELECT d.*, i.seq AS seq FROM inbox i JOIN dms d ON d.id = i.dm_id WHERE i.user_id = ? AND i.seq > ? ORDER BY i.seq ASC LIMIT ?',
      ),
      saveSession: d.prepare('INSERT OR REPLACE INTO sessions (key_hash, user_id, name, created_at) VALUES (?, ?, ?, ?)'),
      findSession: d.prepare<[string], { user_id: string; name: string }>('SELECT user_id, name FROM sessions WHERE key_hash = ?'),
      hasUser: d.prepare<[string], { one: number }>('SELECT 1 AS one FROM sessions WHERE user_id = ? LIMIT 1'),
      renameUser: d.prepare('UPDATE sessions SET name = ? WHERE user_id = ?'),
    }
  }

  function migrate(d: Database.Database): void {
    const version = d.pragma('user_version', { simple: true }) as number
    if (version > SCHEMA_VERSION) throw new Error(`Database schema ${version} is newer than this server (${SCHEMA_VERSION}).`)
    for (let v = version + 1; v <= SCHEMA_VERSION; v++) {
      d.transaction(() => {
        d.exec(MIGRATIONS[v]!)
        if (v === 1) d.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('epoch', randomToken(9))
        d.pragma(`user_version = ${v}`)
      })()
    }
  }

  // One transaction for every job queued in this tick; promises settle after
  // COMMIT, so no caller sees a result that is not yet durable.
  function flush(): void {
    const jobs = queue
    queue = []
    if (jobs.length === 0 || !db.open) return
    try {
      db.transaction(() => {
        for (const job of jobs) {
          try { job.outcome = { ok: true, value: job.work() } } catch (error) { job.outcome = { ok: false, error } }
        }
      })()
    } catch (error) {
      for (const job of jobs) job.reject(error)
      return
    }
    for (const job of jobs) {
      if (job.outcome!.ok) job.resolve(job.outcome!.value)
      else job.reject(job.outcome!.error)
    }
  }

  function enqueue<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (queue.length === 0) setImmediate(flush)
      queue.push({ work, resolve, reject })
    })
  }

  return {
    get epoch() { return epoch },

    async open() {
      mkdirSync(dirname(options.file), { recursive: true })
      db = new Database(options.file)
      db.pragma('journal_mode = WAL')
      db.pragma(`synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`)
      db.pragma('busy_timeout = 5000')
      migrate(db)
      statements = prepare(db)
      epoch = (db.prepare('SELECT value FROM meta WHERE key = ?').get('epoch') as { value: string }).value
    },

    async close() {
      if (queue.length > 0) flush()
      db?.close()
    },

    appendChat(input: ChatInput): Promise<Appended<ChatMessage>> {
      return enqueue(() => {
        if (input.clientMsgId !== undefined) {
          const seen = statements.byClientId.get(input.userId, input.clientMsgId)
          if (seen) return { message: toChat(seen), duplicate: true }
        }
        const seq = (statements.head.get(input.room)?.seq ?? 0) + 1
        const row: MessageRow = {
          room: input.room, seq, msg_id: newMessageId(), user_id: input.userId, name: input.name,
          text: input.text, ts: input.ts, client_msg_id: input.clientMsgId ?? null,
        }
        statements.insert.run(row.room, row.seq, row.msg_id, row.user_id, row.name, row.text, row.ts, row.client_msg_id)
        return { message: toChat(row), duplicate: false }
      })
    },

    async head(room) { return statements.head.get(room)?.seq ?? 0 },
    async tail(room) { return statements.tail.get(room)?.seq ?? 0 },

    async range(room: string, query: RangeQuery): Promise<Page> {
      if (query.after !== undefined) {
        const rows = statements.after.all(room, query.after, query.limit + 1)
        return { messages: rows.slice(0, query.limit).map(toChat), hasMore: rows.length > query.limit }
      }
      const rows = statements.before.all(room, query.before ?? Number.MAX_SAFE_INTEGER, query.limit + 1)
      return { messages: rows.slice(0, query.limit).reverse().map(toChat), hasMore: rows.length > query.limit }
    },

    appendDm(input: DmInput): Promise<AppendedDm> {
      return enqueue(() => {
        const seqIn = (userId: string, dmId: number) => statements.inboxSeqOf.get(userId, dmId)!.seq
        if (input.clientMsgId !== undefined) {
          const seen = statements.dmByClientId.get(input.from, input.clientMsgId)
          if (seen) return { message: toDm(seen), duplicate: true, toSeq: seqIn(seen.to_user, seen.id), fromSeq: seqIn(seen.from_user, seen.id) }
        }
        const row: DmRow = {
          id: 0, msg_id: newMessageId(), from_user: input.from, from_name: input.fromName, to_user: input.to,
          text: input.text, ts: input.ts, client_msg_id: input.clientMsgId ?? null,
        }
        row.id = Number(statements.insertDm.run(row.msg_id, row.from_user, row.from_name, row.to_user, row.text, row.ts, row.client_msg_id).lastInsertRowid)
        const appendTo = (userId: string) => {
          const seq = (statements.inboxHead.get(userId)?.seq ?? 0) + 1
          statements.insertInbox.run(userId, seq, row.id)
          return seq
        }
        const toSeq = appendTo(input.to)
        const fromSeq = input.from === input.to ? toSeq : appendTo(input.from)
        return { message: toDm(row), duplicate: false, toSeq, fromSeq }
      })
    },

    async inboxHead(userId) { return statements.inboxHead.get(userId)?.seq ?? 0 },
    async inboxRange(userId: string, after: number, limit: number): Promise<InboxPage> {
      const rows = statements.inboxAfter.all(userId, after, limit + 1)
      return { messages: rows.slice(0, limit).map((r) => ({ ...toDm(r), seq: r.seq })), hasMore: rows.length > limit }
    },

    saveSession(key: string, record: SessionRecord) {
      return enqueue(() => { statements.saveSession.run(hashKey(key), record.userId, record.name, Date.now()) })
    },
    async findSession(key) {
      const row = statements.findSession.get(hashKey(key))
      return row && { userId: row.user_id, name: row.name }
    },
    async hasUser(userId) { return statements.hasUser.get(userId) !== undefined },
    renameUser(userId, name) {
      return enqueue(() => { statements.renameUser.run(name, userId) })
    },
  }
}
