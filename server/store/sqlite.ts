// The embedded default store: one SQLite file in WAL mode, written on this
// thread with group commit. Writes queue up while the previous batch is being
// made durable; the queue is then committed as one transaction and the WAL is
// flushed with fdatasync on libuv's thread pool. Each promise resolves only
// after that flush, so an acknowledgement always follows durability, and the
// event loop never waits for the disk.
//
// Why not SQLite's own synchronous=FULL: it fsyncs inside COMMIT, which
// blocks the event loop (or, in a worker, costs two thread hand-offs and two
// structured clones per batch: about twice the CPU per commit, measured).
// synchronous=NORMAL plus our fdatasync of the WAL before releasing results
// gives the same guarantee: a commit record reaches the disk before anyone
// hears of the commit. Checkpoints (which fsync the WAL and the database file
// themselves) run in a small worker on its own connection
// (sqlite-checkpointer.js), so they never stall the loop either. Each runs
// twice: once while commits go on (copying the bulk), then once more while
// commits pause (writes keep queuing) to copy the few frames written
// meanwhile, so the WAL is fully copied and the next commit starts it over
// from the top. The pause lasts that short second pass only.
//
// One process per file: another process's connection would see our rows
// between COMMIT and the flush (several processes share PostgreSQL instead).
// Two on one file stay gapless (IMMEDIATE transactions, head cache checked
// against data_version) for the overlap of a restart.
//
// Rows of a batch are committed before they are durable. Reads hide them
// until their batch is released and its publishes have run (one turn of the
// loop later), so no read returns a message that could still vanish in a
// power loss, or one that a join would replay and then receive live again.
import { randomBytes, randomUUID } from 'node:crypto'
import { closeSync, fdatasync, mkdirSync, openSync } from 'node:fs'
import { dirname } from 'node:path'
import { Worker } from 'node:worker_threads'
import Database from 'better-sqlite3'
import type { ChatMessage, DirectMessage } from '@wirechat/protocol'
import { hashKey } from './ids.ts'
import type { Appended, AppendedDm, ChatInput, DmInput, HistoryStore, InboxPage, Page, RangeQuery } from './store.ts'

export interface SqliteStoreOptions {
  /** Path of the database file. */
  file: string
  /** Flush the WAL before acknowledging (full, default), or leave it to checkpoints (normal: survives process crashes, not power loss). */
  synchronous?: 'full' | 'normal'
  /** Wait this long after the first write of a batch before committing it, so more writes share one flush (ms, default 0). */
  commitDelayMs?: number
  /** Commits between two checkpoints of the WAL into the database file (default 500; a timer also checkpoints an idle store). */
  checkpointEvery?: number
}

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

/** Head caches hold at most this many rooms / inboxes; past it they start over (a miss costs one MAX query). */
const MAX_CACHED_HEADS = 100_000
/** An idle store checkpoints what the WAL holds after this long. */
const CHECKPOINT_IDLE_MS = 1_000

const CHECKPOINTER_URL = new URL('./sqlite-checkpointer.js', import.meta.url)

function migrate(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number
  if (version > SCHEMA_VERSION) throw new Error(`Database schema ${version} is newer than this server (${SCHEMA_VERSION}).`)
  for (let v = version + 1; v <= SCHEMA_VERSION; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!)
      if (v === 1) db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('epoch', randomBytes(9).toString('base64url'))
      db.pragma(`user_version = ${v}`)
    })()
  }
}

interface ChatRow { room: string; seq: number; msg_id: string; user_id: string; name: string; text: string; ts: number; client_msg_id: string | null }
interface DmRow { id: number; msg_id: string; from_user: string; from_name: string; to_user: string; text: string; ts: number; client_msg_id: string | null }

function toChat(row: ChatRow): ChatMessage {
  const m: ChatMessage = { msgId: row.msg_id, room: row.room, seq: row.seq, userId: row.user_id, name: row.name, text: row.text, ts: row.ts }
  if (row.client_msg_id !== null) m.clientMsgId = row.client_msg_id
  return m
}

function toDm(row: Omit<DmRow, 'id'>): Omit<DirectMessage, 'seq'> {
  const m: Omit<DirectMessage, 'seq'> = { msgId: row.msg_id, from: row.from_user, fromName: row.from_name, to: row.to_user, text: row.text, ts: row.ts }
  if (row.client_msg_id !== null) m.clientMsgId = row.client_msg_id
  return m
}

const isUniqueViolation = (error: unknown): boolean => (error as { code?: string } | null)?.code === 'SQLITE_CONSTRAINT_UNIQUE'

/** A write waiting for its batch: runs inside the batch's transaction, settles when the batch is released. */
interface Job {
  run(): unknown
  resolve(value: any): void
  reject(err: unknown): void
}

/** Committed rows not yet released: the first hidden seq per room and per inbox. */
interface Batch {
  rooms: Map<string, number>
  inboxes: Map<string, number>
}

export function createSqliteStore(options: SqliteStoreOptions): HistoryStore {
  const synchronous = options.synchronous ?? 'full'
  const commitDelayMs = options.commitDelayMs ?? 0
  const checkpointEvery = options.checkpointEvery ?? 500
  let db: Database.Database
  let s: ReturnType<typeof prepare>
  let epoch = ''
  let walFd = -1
  let checkpointer: Worker | undefined
  let checkpointTimer: NodeJS.Timeout | undefined
  let commitsSinceCheckpoint = 0
  /** Why the store stopped taking writes, once it has. */
  let stopped: Error | undefined

  let queue: Job[] = []
  /** A commit is scheduled, being flushed, or a checkpoint runs: new jobs wait for the next batch. */
  let busy = false
  /** A pausing checkpoint is due: it runs before the next commit. */
  let checkpointDue = false
  let checkpointing: 'no' | 'alongside' | 'pausing' = 'no'
  /** Batches committed and not yet visible to reads, oldest first (at most a few). */
  const unreleased: Batch[] = []
  let idle: (() => void) | undefined
  let closing: Promise<void> | undefined
  /** Set when closing starts: queued writes still commit, new ones are refused. */
  let refusing = false

  // The newest seq of a room (and of an inbox) is cached after the first append:
  // advanced only once the INSERT succeeded, dropped when a transaction fails,
  // and dropped when another connection (another process on the same file)
  // committed since our last transaction (PRAGMA data_version).
  let dataVersion: unknown
  const roomHeads = new Map<string, number>()
  const inboxHeads = new Map<string, number>()

  function prepare(d: Database.Database) {
    return {
      head: d.prepare<[string], number | null>('SELECT MAX(seq) AS seq FROM messages WHERE room = ?').pluck(),
      byClientId: d.prepare<[string, string], ChatRow>('SELECT * FROM messages WHERE user_id = ? AND client_msg_id = ?'),
      insert: d.prepare('INSERT INTO messages (room, seq, msg_id, user_id, name, text, ts, client_msg_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
      dmByClientId: d.prepare<[string, string], DmRow>('SELECT * FROM dms WHERE from_user = ? AND client_msg_id = ?'),
      insertDm: d.prepare('INSERT INTO dms (msg_id, from_user, from_name, to_user, text, ts, client_msg_id) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      inboxHead: d.prepare<[string], number | null>('SELECT MAX(seq) AS seq FROM inbox WHERE user_id = ?').pluck(),
      inboxSeqOf: d.prepare<[string, number], number>('SELECT seq FROM inbox WHERE user_id = ? AND dm_id = ?').pluck(),
      insertInbox: d.prepare('INSERT INTO inbox (user_id, seq, dm_id) VALUES (?, ?, ?)'),
      saveSession: d.prepare('INSERT OR REPLACE INTO sessions (key_hash, user_id, name, created_at) VALUES (?, ?, ?, ?)'),
      renameUser: d.prepare('UPDATE sessions SET name = ? WHERE user_id = ?'),
      tail: d.prepare<[string], number | null>('SELECT MIN(seq) AS seq FROM messages WHERE room = ?').pluck(),
      after: d.prepare<[string, number, number, number], ChatRow>('SELECT * FROM messages WHERE room = ? AND seq > ? AND seq < ? ORDER BY seq ASC LIMIT ?'),
      before: d.prepare<[string, number, number], ChatRow>('SELECT * FROM messages WHERE room = ? AND seq < ? ORDER BY seq DESC LIMIT ?'),
      inboxAfter: d.prepare<[string, number, number, number], DmRow & { seq: number }>('SELECT d.*, i.seq AS seq FROM inbox i JOIN dms d ON d.id = i.dm_id WHERE i.user_id = ? AND i.seq > ? AND i.seq < ? ORDER BY i.seq ASC LIMIT ?'),
      findSession: d.prepare<[string], { user_id: string; name: string }>('SELECT user_id, name FROM sessions WHERE key_hash = ?'),
      hasUser: d.prepare<[string], number>('SELECT 1 FROM sessions WHERE user_id = ? LIMIT 1').pluck(),
      epoch: d.prepare<[], string>("SELECT value FROM meta WHERE key = 'epoch'").pluck(),
      dataVersion: d.prepare('PRAGMA data_version').pluck(),
    }
  }

  // ---- writes (inside a batch transaction) ---------------------------------

  let batch: Batch | undefined

  function nextSeq(cache: Map<string, number>, key: string, query: Database.Statement<[string], number | null>): number {
    const cached = cache.get(key)
    if (cached !== undefined) return cached + 1
    if (cache.size >= MAX_CACHED_HEADS) cache.clear()
    return (query.get(key) ?? 0) + 1
  }

  function hide(hidden: Map<string, number>, key: string, seq: number): void {
    if (!hidden.has(key)) hidden.set(key, seq)
  }

  function appendChat(input: ChatInput): Appended<ChatMessage> {
    const clientMsgId = input.clientMsgId ?? null
    const seq = nextSeq(roomHeads, input.room, s.head)
    const msgId = randomUUID()
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
    roomHeads.set(input.room, seq)
    hide(batch!.rooms, input.room, seq)
    const message: ChatMessage = { msgId, room: input.room, seq, userId: input.userId, name: input.name, text: input.text, ts: input.ts }
    if (clientMsgId !== null) message.clientMsgId = clientMsgId
    return { message, duplicate: false }
  }

  function appendDm(input: DmInput): AppendedDm {
    const seqIn = (userId: string, dmId: number) => s.inboxSeqOf.get(userId, dmId)!
    const clientMsgId = input.clientMsgId ?? null
    if (clientMsgId !== null) {
      const seen = s.dmByClientId.get(input.from, clientMsgId)
      if (seen) return { message: toDm(seen), duplicate: true, toSeq: seqIn(seen.to_user, seen.id), fromSeq: seqIn(seen.from_user, seen.id) }
    }
    const msgId = randomUUID()
    const id = Number(s.insertDm.run(msgId, input.from, input.fromName, input.to, input.text, input.ts, clientMsgId).lastInsertRowid)
    const appendTo = (userId: string) => {
      const seq = nextSeq(inboxHeads, userId, s.inboxHead)
      s.insertInbox.run(userId, seq, id)
      return seq
    }
    const toSeq = appendTo(input.to)
    const fromSeq = input.from === input.to ? toSeq : appendTo(input.from)
    // Cached and hidden only once every statement of the DM succeeded.
    inboxHeads.set(input.to, toSeq)
    inboxHeads.set(input.from, fromSeq)
    hide(batch!.inboxes, input.to, toSeq)
    hide(batch!.inboxes, input.from, fromSeq)
    const message = toDm({ msg_id: msgId, from_user: input.from, from_name: input.fromName, to_user: input.to, text: input.text, ts: input.ts, client_msg_id: clientMsgId })
    return { message, duplicate: false, toSeq, fromSeq }
  }

  function write<T>(run: () => T): Promise<T> {
    return new Promise((resolve, reject) => {
      if (stopped !== undefined) return reject(stopped)
      if (refusing) return reject(new Error('history store closing'))
      queue.push({ run, resolve, reject })
      if (!busy) schedule()
    })
  }

  function schedule(): void {
    busy = true
    if (commitDelayMs > 0) setTimeout(commit, commitDelayMs)
    else setImmediate(commit)
  }

  /** Runs a batch's jobs inside its transaction, one result per job. */
  function runJobs(jobs: Job[], results: Array<{ ok: boolean; value: unknown }>): void {
    const version = s.dataVersion.get()
    if (version !== dataVersion) {
      roomHeads.clear()
      inboxHeads.clear()
      dataVersion = version
    }
    for (const job of jobs) {
      try {
        results.push({ ok: true, value: job.run() })
      } catch (error) {
        // Some errors (disk full, I/O) end the whole transaction: later jobs
        // would run in autocommit, unflushed. Fail the batch instead.
        if (!db.inTransaction) throw error
        results.push({ ok: false, value: error })
      }
    }
  }
  let transaction: Database.Transaction<typeof runJobs>

  // One transaction for every job queued since the last one. A job that
  // fails leaves the others in: a failed statement is undone by SQLite, and a
  // DM (several statements) runs in a savepoint of its own.
  function commit(): void {
    const jobs = queue
    queue = []
    if (jobs.length === 0 || stopped !== undefined) return settle([], undefined)
    const results: Array<{ ok: boolean; value: unknown }> = []
    const current: Batch = { rooms: new Map(), inboxes: new Map() }
    batch = current
    try {
      // IMMEDIATE: take the write lock at BEGIN (waiting up to busy_timeout for
      // another process), so the heads read or cached below cannot go stale.
      transaction.immediate(jobs, results)
    } catch (error) {
      // Nothing of this batch is stored: forget heads that counted its rows.
      roomHeads.clear()
      inboxHeads.clear()
      batch = undefined
      for (const job of jobs) job.reject(error)
      return settle([], undefined)
    }
    batch = undefined
    unreleased.push(current)
    if (++commitsSinceCheckpoint >= checkpointEvery && checkpointing === 'no' && checkpointer !== undefined) checkpoint('alongside')
    else armCheckpointTimer()
    const release = () => settle(jobs, results, current)
    if (synchronous === 'normal') return release()
    fdatasync(walFd, (err) => {
      if (err) {
        // The disk refused the flush: nothing of this batch can be called durable.
        stop(Object.assign(new Error(`history store flush failed: ${err.message}`), { cause: err }))
        for (const job of jobs) job.reject(stopped)
        return settle([], undefined)
      }
      release()
    })
  }

  // Nested in the batch's transaction: a savepoint.
  let dmTransaction: (input: DmInput) => AppendedDm

  /** Answers a batch, then makes its rows readable once its publishes ran; starts the next batch. */
  function settle(jobs: Job[], results: Array<{ ok: boolean; value: unknown }> | undefined, released?: Batch): void {
    for (let i = 0; i < jobs.length; i++) {
      const { ok, value } = results![i]!
      if (ok) jobs[i]!.resolve(value)
      else jobs[i]!.reject(value)
    }
    // Publishes follow the resolutions within this turn of the loop (microtasks).
    if (released !== undefined) setImmediate(() => { unreleased.splice(unreleased.indexOf(released) >>> 0, 1) })
    next()
  }

  function next(): void {
    if (checkpointDue && checkpointing === 'no' && checkpointer !== undefined && stopped === undefined) return checkpoint('pausing')
    if (queue.length > 0 && stopped === undefined) return schedule()
    busy = false
    idle?.()
  }

  // ---- reads (never see unreleased rows) --------------------------------------

  function visibleBelow(key: string, inbox: boolean): number {
    let bound = Number.MAX_SAFE_INTEGER
    for (const b of unreleased) {
      const first = (inbox ? b.inboxes : b.rooms).get(key)
      if (first !== undefined && first < bound) bound = first
    }
    return bound
  }

  // A read runs one turn of the loop later, after releases already queued:
  // a read made once an append resolved sees that append (as if the read
  // had queued behind the write).
  function read<T>(run: () => T): Promise<T> {
    return new Promise((resolve, reject) => {
      setImmediate(() => {
        if (stopped !== undefined) return reject(stopped)
        try {
          resolve(run())
        } catch (error) {
          reject(error)
        }
      })
    })
  }

  function head(room: string): number {
    const bound = visibleBelow(room, false)
    if (bound !== Number.MAX_SAFE_INTEGER) return bound - 1
    return s.head.get(room) ?? 0
  }

  function range(room: string, query: RangeQuery): Page {
    const bound = visibleBelow(room, false)
    if (query.after !== undefined) {
      const rows = s.after.all(room, query.after, bound, query.limit + 1)
      return { messages: rows.slice(0, query.limit).map(toChat), hasMore: rows.length > query.limit }
    }
    const rows = s.before.all(room, Math.min(query.before ?? Number.MAX_SAFE_INTEGER, bound), query.limit + 1)
    return { messages: rows.slice(0, query.limit).reverse().map(toChat), hasMore: rows.length > query.limit }
  }

  function inboxHead(userId: string): number {
    const bound = visibleBelow(userId, true)
    if (bound !== Number.MAX_SAFE_INTEGER) return bound - 1
    return s.inboxHead.get(userId) ?? 0
  }

  function inboxRange(userId: string, after: number, limit: number): InboxPage {
    const rows = s.inboxAfter.all(userId, after, visibleBelow(userId, true), limit + 1)
    return { messages: rows.slice(0, limit).map((r) => ({ ...toDm(r), seq: r.seq })), hasMore: rows.length > limit }
  }

  // ---- checkpoints ----------------------------------------------------------

  /** Starts a checkpoint alongside commits, or in place of the next commit (`pausing`: it holds `busy`). */
  function checkpoint(mode: 'alongside' | 'pausing'): void {
    checkpointing = mode
    commitsSinceCheckpoint = 0
    clearTimeout(checkpointTimer)
    checkpointTimer = undefined
    if (mode === 'pausing') {
      busy = true
      checkpointDue = false
      // Referenced while it runs: writes waiting for it keep the process alive.
      checkpointer!.ref()
    }
    checkpointer!.postMessage('checkpoint')
  }

  function checkpointed(): void {
    const mode = checkpointing
    checkpointing = 'no'
    if (mode === 'pausing') {
      checkpointer?.unref()
      return next()
    }
    // The bulk is copied: copy the rest while commits pause.
    checkpointDue = true
    if (!busy) next()
  }

  function armCheckpointTimer(): void {
    if (checkpointTimer !== undefined) return
    checkpointTimer = setTimeout(() => {
      checkpointTimer = undefined
      checkpointDue = true
      if (!busy) next()
    }, CHECKPOINT_IDLE_MS)
    checkpointTimer.unref()
  }

  function stop(reason: Error): void {
    stopped ??= reason
    for (const job of queue) job.reject(stopped)
    queue = []
  }

  /** Commits what is queued (refusing new writes), stops the checkpointer, closes the file. */
  async function closeStore(): Promise<void> {
    refusing = true
    if (busy) await new Promise<void>((resolve) => { idle = resolve })
    stop(new Error('history store closed'))
    clearTimeout(checkpointTimer)
    const w = checkpointer
    checkpointer = undefined
    if (w !== undefined) {
      // Let a running checkpoint finish and the worker close its connection.
      await new Promise<void>((resolve) => {
        w.ref()
        w.once('exit', () => resolve())
        w.postMessage('close')
      })
    }
    // Closing the last connection checkpoints the WAL into the file and removes it.
    db.close()
    closeSync(walFd)
    walFd = -1
  }

  return {
    get epoch() { return epoch },

    async open() {
      mkdirSync(dirname(options.file), { recursive: true })
      db = new Database(options.file)
      db.pragma('journal_mode = WAL')
      // Durability comes from the flush in commit(); see the top of this file.
      db.pragma('synchronous = NORMAL')
      db.pragma('busy_timeout = 5000')
      db.pragma('wal_autocheckpoint = 0')
      migrate(db)
      s = prepare(db)
      transaction = db.transaction(runJobs)
      dmTransaction = db.transaction(appendDm)
      epoch = s.epoch.get()!
      // SQLite keeps the -wal file while any connection is open, and takes no
      // lock on it: an fd of our own flushes the same file.
      walFd = openSync(`${options.file}-wal`, 'r')
      // No inherited flags: the worker is plain JavaScript and needs no loader.
      const w = new Worker(CHECKPOINTER_URL, { execArgv: [], workerData: { file: options.file } })
      await new Promise<void>((resolve, reject) => {
        w.once('message', () => resolve())
        w.once('error', reject)
      })
      w.on('message', checkpointed)
      w.on('error', () => {}) // followed by 'exit'
      // An error or an exit without one: without checkpoints the WAL only grows (the next open checkpoints it); commits go on.
      w.on('exit', () => {
        checkpointer = undefined
        checkpointDue = false
        const paused = checkpointing === 'pausing'
        checkpointing = 'no'
        if (paused) next()
      })
      w.unref()
      checkpointer = w
    },

    close() {
      if (db === undefined) return Promise.resolve()
      closing ??= closeStore()
      return closing
    },

    appendChat: (input) => write(() => appendChat(input)),
    appendDm: (input) => write(() => dmTransaction(input)),
    saveSession: (key, record) => write(() => { s.saveSession.run(hashKey(key), record.userId, record.name, Date.now()) }),
    renameUser: (userId, name) => write(() => { s.renameUser.run(name, userId) }),
    head: (room) => read(() => head(room)),
    tail: (room) => read(() => {
      const tail = s.tail.get(room) ?? 0
      return tail < visibleBelow(room, false) ? tail : 0
    }),
    range: (room, query) => read(() => range(room, query)),
    inboxHead: (userId) => read(() => inboxHead(userId)),
    inboxRange: (userId, after, limit) => read(() => inboxRange(userId, after, limit)),
    findSession: (key) => read(() => {
      const row = s.findSession.get(hashKey(key))
      return row && { userId: row.user_id, name: row.name }
    }),
    hasUser: (userId) => read(() => s.hasUser.get(userId) !== undefined),
  }
}
