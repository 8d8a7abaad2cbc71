// The embedded default store: one SQLite file in WAL mode, written on this
// thread with group commit (sqlite-group-commit.ts): writes queue up while the
// previous batch is being made durable; the queue is then committed as one
// transaction and the WAL is flushed with fdatasync on libuv's thread pool.
// Each promise resolves only after that flush, so an acknowledgement always
// follows durability, and the event loop never waits for the disk.
//
// Why not SQLite's own synchronous=FULL: it fsyncs inside COMMIT, which
// blocks the event loop (or, in a worker, costs two thread hand-offs and two
// structured clones per batch: about twice the CPU per commit, measured).
// synchronous=NORMAL plus our fdatasync of the WAL before releasing results
// gives the same guarantee: a commit record reaches the disk before anyone
// hears of the commit. Checkpoints (which fsync the WAL and the database file
// themselves) run in a small worker on its own connection
// (sqlite-checkpoints.ts), so they never stall the loop either.
//
// One process per file: another process's connection would see our rows
// between COMMIT and the flush (several processes share PostgreSQL instead).
// Two on one file stay gapless (IMMEDIATE transactions, head cache checked
// against data_version: sqlite-appends.ts) for the overlap of a restart.
//
// The parts: sqlite-migrations.ts (schema), sqlite-statements.ts (SQL),
// sqlite-appends.ts (seqs, dedup), sqlite-group-commit.ts (batches, flush,
// rows hidden until released), sqlite-checkpoints.ts; this file opens them
// in order and answers reads.
import { closeSync, fdatasync, mkdirSync, openSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { hashKey } from './ids.ts'
import { toChat, toDm, toPage } from './rows.ts'
import { Appends } from './sqlite-appends.ts'
import { Checkpoints } from './sqlite-checkpoints.ts'
import { type Batch, GroupCommit, type Job, type JobResult, runJobs } from './sqlite-group-commit.ts'
import { migrate } from './sqlite-migrations.ts'
import { prepareStatements, type Statements } from './sqlite-statements.ts'
import type { HistoryStore } from './store.ts'

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

/** What an open store holds; made once by open(). */
interface Opened {
  db: Database.Database
  s: Statements
  appends: Appends
  commits: GroupCommit
  checkpoints: Checkpoints
  walFd: number
  epoch: string
}

async function openStore(options: SqliteStoreOptions): Promise<Opened> {
  mkdirSync(dirname(options.file), { recursive: true })
  const db = new Database(options.file)
  db.pragma('journal_mode = WAL')
  // Durability comes from the flush after each commit; see the top of this file.
  db.pragma('synchronous = NORMAL')
  db.pragma('busy_timeout = 5000')
  db.pragma('wal_autocheckpoint = 0')
  migrate(db)
  const s = prepareStatements(db)
  const appends = new Appends(db, s)
  // One transaction function for every batch, made once.
  const transaction = db.transaction((jobs: Job[], results: JobResult[], batch: Batch) => {
    appends.checkDataVersion()
    runJobs(jobs, results, batch, db)
  })
  const epoch = s.epoch.get()!
  // SQLite keeps the -wal file while any connection is open, and takes no
  // lock on it: an fd of our own flushes the same file.
  const walFd = openSync(`${options.file}-wal`, 'r')
  const checkpoints: Checkpoints = new Checkpoints({ file: options.file, every: options.checkpointEvery ?? 500, wake: () => commits.wake() })
  const commits: GroupCommit = new GroupCommit({
    commitDelayMs: options.commitDelayMs ?? 0,
    transaction(jobs, results, batch) {
      try {
        // IMMEDIATE: take the write lock at BEGIN (waiting up to busy_timeout for
        // another process), so the heads read or cached in the jobs cannot go stale.
        transaction.immediate(jobs, results, batch)
      } catch (error) {
        // Nothing of this batch is stored: forget heads that counted its rows.
        appends.forgetHeads()
        throw error
      }
    },
    flush: (options.synchronous ?? 'full') === 'normal' ? undefined : (done) => fdatasync(walFd, done),
    committed: () => checkpoints.committed(),
    pause: (resume) => checkpoints.pause(resume),
  })
  await checkpoints.start()
  return { db, s, appends, commits, checkpoints, walFd, epoch }
}

/** Commits what is queued (refusing new writes), stops the checkpointer, closes the file. */
async function closeStore(o: Opened): Promise<void> {
  await o.commits.close()
  await o.checkpoints.close()
  // Closing the last connection checkpoints the WAL into the file and removes it.
  o.db.close()
  closeSync(o.walFd)
}

export function createSqliteStore(options: SqliteStoreOptions): HistoryStore {
  let o: Opened
  let closing: Promise<void> | undefined

  // Reads stop below the rows of unreleased batches (see sqlite-group-commit.ts).
  const read = <T>(run: () => T): Promise<T> => o.commits.read(run)

  return {
    get epoch() {
      return o === undefined ? '' : o.epoch
    },

    async open() {
      o = await openStore(options)
    },

    close() {
      if (o === undefined) return Promise.resolve()
      closing ??= closeStore(o)
      return closing
    },

    appendChat: (input) => o.commits.write((batch) => o.appends.appendChat(input, batch)),
    appendDm: (input) => o.commits.write((batch) => o.appends.appendDm(input, batch)),
    saveSession: (key, record) =>
      o.commits.write(() => {
        o.s.saveSession.run(hashKey(key), record.userId, record.name, Date.now())
      }),
    renameUser: (userId, name) =>
      o.commits.write(() => {
        o.s.renameUser.run(name, userId)
      }),

    head: (room) =>
      read(() => {
        const bound = o.commits.roomBound(room)
        return bound !== Number.MAX_SAFE_INTEGER ? bound - 1 : (o.s.head.get(room) ?? 0)
      }),
    tail: (room) =>
      read(() => {
        const tail = o.s.tail.get(room) ?? 0
        return tail < o.commits.roomBound(room) ? tail : 0
      }),
    range: (room, query) =>
      read(() => {
        const bound = o.commits.roomBound(room)
        if (query.after !== undefined) return toPage(o.s.after.all(room, query.after, bound, query.limit + 1), query.limit, toChat)
        return toPage(o.s.before.all(room, Math.min(query.before ?? Number.MAX_SAFE_INTEGER, bound), query.limit + 1), query.limit, toChat, true)
      }),
    inboxHead: (userId) =>
      read(() => {
        const bound = o.commits.inboxBound(userId)
        return bound !== Number.MAX_SAFE_INTEGER ? bound - 1 : (o.s.inboxHead.get(userId) ?? 0)
      }),
    inboxRange: (userId, after, limit) => read(() => toPage(o.s.inboxAfter.all(userId, after, o.commits.inboxBound(userId), limit + 1), limit, (r) => ({ ...toDm(r), seq: r.seq }))),
    findSession: (key) =>
      read(() => {
        const row = o.s.findSession.get(hashKey(key))
        return row && { userId: row.user_id, name: row.name }
      }),
    hasUser: (userId) => read(() => o.s.hasUser.get(userId) !== undefined),
    createAccount: () => Promise.reject(new Error('not implemented')),
    findAccountByNameKey: () => Promise.reject(new Error('not implemented')),
    findAccount: () => Promise.reject(new Error('not implemented')),
    renameAccount: () => Promise.reject(new Error('not implemented')),
    setPasswordHash: () => Promise.reject(new Error('not implemented')),
    deleteAccount: () => Promise.reject(new Error('not implemented')),
    findAccountsByPrefix: () => Promise.reject(new Error('not implemented')),
    createSession: () => Promise.reject(new Error('not implemented')),
    findSessionByKey: () => Promise.reject(new Error('not implemented')),
    touchSession: () => Promise.reject(new Error('not implemented')),
    listSessions: () => Promise.reject(new Error('not implemented')),
    revokeSession: () => Promise.reject(new Error('not implemented')),
    revokeUserSessions: () => Promise.reject(new Error('not implemented')),
    addMembership: () => Promise.reject(new Error('not implemented')),
    removeMembership: () => Promise.reject(new Error('not implemented')),
    listMemberships: () => Promise.reject(new Error('not implemented')),
    listDmConversations: () => Promise.reject(new Error('not implemented')),
    markDmRead: () => Promise.reject(new Error('not implemented')),
  }
}
