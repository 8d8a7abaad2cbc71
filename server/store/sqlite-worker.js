// The SQLite store's thread (started by sqlite.ts): the one connection to the
// file. Every write runs here: jobs that arrive while a commit is in progress wait in the
// port and are committed together in the next transaction (group commit that
// follows the fsync time), and each result is posted back only after COMMIT,
// so the main thread acknowledges nothing that is not durable while it keeps
// serving sockets during the fsync.
//
// Plain JavaScript on purpose: a worker does not inherit tsx's loader, and
// registering it in the worker costs ~0.7 s per store open (every test server
// opens one). The message shapes are typed on the TypeScript side, in sqlite.ts.
import { randomBytes, randomUUID } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { parentPort, workerData } from 'node:worker_threads'
import Database from 'better-sqlite3'

const SCHEMA_VERSION = 1

/** @type {Record<number, string>} */
const MIGRATIONS = {
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

const port = /** @type {import('node:worker_threads').MessagePort} */ (parentPort)
const { file, synchronous, commitDelayMs } = /** @type {{ file: string, synchronous: 'full' | 'normal', commitDelayMs: number }} */ (workerData)

/** @param {Database.Database} d */
function migrate(d) {
  const version = /** @type {number} */ (d.pragma('user_version', { simple: true }))
  if (version > SCHEMA_VERSION) throw new Error(`Database schema ${version} is newer than this server (${SCHEMA_VERSION}).`)
  for (let v = version + 1; v <= SCHEMA_VERSION; v++) {
    d.transaction(() => {
      d.exec(/** @type {string} */ (MIGRATIONS[v]))
      if (v === 1) d.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('epoch', randomBytes(9).toString('base64url'))
      d.pragma(`user_version = ${v}`)
    })()
  }
}

/** @type {Database.Database} */
let db
try {
  mkdirSync(dirname(file), { recursive: true })
  db = new Database(file)
  db.pragma('journal_mode = WAL')
  db.pragma(`synchronous = ${synchronous === 'normal' ? 'NORMAL' : 'FULL'}`)
  db.pragma('busy_timeout = 5000')
  migrate(db)
} catch (error) {
  port.postMessage({ type: 'failed', error: describe(error) })
  throw error
}

const s = {
  head: db.prepare('SELECT MAX(seq) AS seq FROM messages WHERE room = ?').pluck(),
  byClientId: db.prepare('SELECT * FROM messages WHERE user_id = ? AND client_msg_id = ?'),
  insert: db.prepare('INSERT INTO messages (room, seq, msg_id, user_id, name, text, ts, client_msg_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
  dmByClientId: db.prepare('SELECT * FROM dms WHERE from_user = ? AND client_msg_id = ?'),
  insertDm: db.prepare('INSERT INTO dms (msg_id, from_user, from_name, to_user, text, ts, client_msg_id) VALUES (?, ?, ?, ?, ?, ?, ?)'),
  inboxHead: db.prepare('SELECT MAX(seq) AS seq FROM inbox WHERE user_id = ?').pluck(),
  inboxSeqOf: db.prepare('SELECT seq FROM inbox WHERE user_id = ? AND dm_id = ?').pluck(),
  insertInbox: db.prepare('INSERT INTO inbox (user_id, seq, dm_id) VALUES (?, ?, ?)'),
  saveSession: db.prepare('INSERT OR REPLACE INTO sessions (key_hash, user_id, name, created_at) VALUES (?, ?, ?, ?)'),
  renameUser: db.prepare('UPDATE sessions SET name = ? WHERE user_id = ?'),
  // reads
  tail: db.prepare('SELECT MIN(seq) AS seq FROM messages WHERE room = ?').pluck(),
  after: db.prepare('SELECT * FROM messages WHERE room = ? AND seq > ? ORDER BY seq ASC LIMIT ?'),
  before: db.prepare('SELECT * FROM messages WHERE room = ? AND seq < ? ORDER BY seq DESC LIMIT ?'),
  inboxAfter: db.prepare('SELECT d.*, i.seq AS seq FROM inbox i JOIN dms d ON d.id = i.dm_id WHERE i.user_id = ? AND i.seq > ? ORDER BY i.seq ASC LIMIT ?'),
  findSession: db.prepare('SELECT user_id, name FROM sessions WHERE key_hash = ?'),
  hasUser: db.prepare('SELECT 1 FROM sessions WHERE user_id = ? LIMIT 1').pluck(),
  epoch: db.prepare("SELECT value FROM meta WHERE key = 'epoch'").pluck(),
}

// The newest seq of a room (and of an inbox) is cached after the first append:
// the cache is advanced only once the INSERT succeeded, dropped when a
// transaction fails, and dropped when another connection (another process on
// the same file) committed since our last transaction (PRAGMA data_version).
/** @type {unknown} */
let dataVersion
/** @type {Map<string, number>} */
const roomHeads = new Map()
/** @type {Map<string, number>} */
const inboxHeads = new Map()

/** @param {Map<string, number>} cache @param {string} key @param {import('better-sqlite3').Statement} query */
function nextSeq(cache, key, query) {
  const cached = cache.get(key)
  if (cached !== undefined) return cached + 1
  if (cache.size >= MAX_CACHED_HEADS) cache.clear()
  return (/** @type {number | null} */ (query.get(key)) ?? 0) + 1
}

/** @param {unknown} error */
function isUniqueViolation(error) {
  return error instanceof Error && /** @type {{ code?: string }} */ (error).code === 'SQLITE_CONSTRAINT_UNIQUE'
}

/** @param {any} row */
function toChat(row) {
  /** @type {Record<string, unknown>} */
  const m = { msgId: row.msg_id, room: row.room, seq: row.seq, userId: row.user_id, name: row.name, text: row.text, ts: row.ts }
  if (row.client_msg_id !== null) m.clientMsgId = row.client_msg_id
  return m
}

/** @param {any} row */
function toDm(row) {
  /** @type {Record<string, unknown>} */
  const m = { msgId: row.msg_id, from: row.from_user, fromName: row.from_name, to: row.to_user, text: row.text, ts: row.ts }
  if (row.client_msg_id !== null) m.clientMsgId = row.client_msg_id
  return m
}

/** @param {{ room: string, userId: string, name: string, text: string, ts: number, clientMsgId?: string }} input */
function appendChat(input) {
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
  /** @type {Record<string, unknown>} */
  const message = { msgId, room: input.room, seq, userId: input.userId, name: input.name, text: input.text, ts: input.ts }
  if (clientMsgId !== null) message.clientMsgId = clientMsgId
  return { message, duplicate: false }
}

/** @param {{ from: string, fromName: string, to: string, text: string, ts: number, clientMsgId?: string }} input */
function appendDm(input) {
  /** @param {string} userId @param {number} dmId */
  const seqIn = (userId, dmId) => /** @type {number} */ (s.inboxSeqOf.get(userId, dmId))
  const clientMsgId = input.clientMsgId ?? null
  if (clientMsgId !== null) {
    const seen = /** @type {any} */ (s.dmByClientId.get(input.from, clientMsgId))
    if (seen) return { message: toDm(seen), duplicate: true, toSeq: seqIn(seen.to_user, seen.id), fromSeq: seqIn(seen.from_user, seen.id) }
  }
  const msgId = randomUUID()
  const id = Number(s.insertDm.run(msgId, input.from, input.fromName, input.to, input.text, input.ts, clientMsgId).lastInsertRowid)
  /** @param {string} userId */
  const appendTo = (userId) => {
    const seq = nextSeq(inboxHeads, userId, s.inboxHead)
    s.insertInbox.run(userId, seq, id)
    inboxHeads.set(userId, seq)
    return seq
  }
  const toSeq = appendTo(input.to)
  const fromSeq = input.from === input.to ? toSeq : appendTo(input.from)
  const message = toDm({ msg_id: msgId, from_user: input.from, from_name: input.fromName, to_user: input.to, text: input.text, ts: input.ts, client_msg_id: clientMsgId })
  return { message, duplicate: false, toSeq, fromSeq }
}

/** @param {string} op @param {any} arg */
function run(op, arg) {
  switch (op) {
    case 'chat': return appendChat(arg)
    case 'dm': return appendDm(arg)
    case 'session': s.saveSession.run(arg.keyHash, arg.userId, arg.name, Date.now()); return undefined
    case 'rename': s.renameUser.run(arg.name, arg.userId); return undefined
    default: throw new Error(`unknown store operation ${op}`)
  }
}

/**
 * Reads run as soon as they arrive, between transactions, so they see exactly
 * the commits whose results were already posted: the main thread has
 * published those messages before it sees this answer (messages on a port
 * are handled in order, with microtasks drained in between). Reading on the
 * main thread instead could return a committed message before its publish,
 * and a join would then replay it and receive it live as well.
 * @param {string} op @param {any} a
 */
function read(op, a) {
  switch (op) {
    case 'head': return s.head.get(a.room) ?? 0
    case 'tail': return s.tail.get(a.room) ?? 0
    case 'range': {
      if (a.after !== undefined) {
        const rows = s.after.all(a.room, a.after, a.limit + 1)
        return { messages: rows.slice(0, a.limit).map(toChat), hasMore: rows.length > a.limit }
      }
      const rows = s.before.all(a.room, a.before ?? Number.MAX_SAFE_INTEGER, a.limit + 1)
      return { messages: rows.slice(0, a.limit).reverse().map(toChat), hasMore: rows.length > a.limit }
    }
    case 'inboxHead': return s.inboxHead.get(a.userId) ?? 0
    case 'inboxRange': {
      const rows = /** @type {any[]} */ (s.inboxAfter.all(a.userId, a.after, a.limit + 1))
      return { messages: rows.slice(0, a.limit).map((r) => ({ ...toDm(r), seq: r.seq })), hasMore: rows.length > a.limit }
    }
    case 'findSession': {
      const row = /** @type {{ user_id: string, name: string } | undefined} */ (s.findSession.get(a.keyHash))
      return row && { userId: row.user_id, name: row.name }
    }
    case 'hasUser': return s.hasUser.get(a.userId) !== undefined
    default: throw new Error(`unknown store read ${op}`)
  }
}

/** @param {unknown} error */
function describe(error) {
  const e = /** @type {{ message?: unknown, code?: unknown }} */ (error ?? {})
  return { message: String(e.message ?? error), code: typeof e.code === 'string' ? e.code : undefined }
}

/** @type {Array<[number, string, unknown]>} */
let queue = []

// One transaction for every job that arrived since the last one; results are
// posted after COMMIT. A job that fails rolls back only its own statements.
function flush() {
  const jobs = queue
  queue = []
  if (jobs.length === 0) return
  /** @type {Array<[number, boolean, unknown]>} */
  const results = []
  try {
    // IMMEDIATE: take the write lock at BEGIN (waiting up to busy_timeout for
    // another writer), so the heads read or cached below cannot go stale.
    db.transaction(() => {
      const version = db.pragma('data_version', { simple: true })
      if (version !== dataVersion) {
        roomHeads.clear()
        inboxHeads.clear()
        dataVersion = version
      }
      for (const [id, op, arg] of jobs) {
        try { results.push([id, true, run(op, arg)]) } catch (error) { results.push([id, false, describe(error)]) }
      }
    }).immediate()
  } catch (error) {
    // Nothing of this batch is stored: forget heads that counted its rows.
    roomHeads.clear()
    inboxHeads.clear()
    const failed = describe(error)
    port.postMessage({ type: 'done', results: jobs.map(([id]) => [id, false, failed]) })
    return
  }
  port.postMessage({ type: 'done', results })
}

port.on('message', (/** @type {{ type: string, jobs?: Array<[number, string, unknown]>, job?: [number, string, unknown] }} */ msg) => {
  if (msg.type === 'read') {
    const [id, op, arg] = /** @type {[number, string, unknown]} */ (msg.job)
    /** @type {[number, boolean, unknown]} */
    let result
    try { result = [id, true, read(op, arg)] } catch (error) { result = [id, false, describe(error)] }
    port.postMessage({ type: 'done', results: [result] })
  } else if (msg.type === 'jobs') {
    if (queue.length === 0) {
      if (commitDelayMs > 0) setTimeout(flush, commitDelayMs)
      else setImmediate(flush)
    }
    for (const job of /** @type {Array<[number, string, unknown]>} */ (msg.jobs)) queue.push(job)
  } else if (msg.type === 'close') {
    flush()
    db.close()
    port.postMessage({ type: 'closed' })
    port.close()
  }
})

port.postMessage({ type: 'ready', epoch: s.epoch.get() })
