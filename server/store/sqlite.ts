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
// Accounts, sessions, memberships and read markers are written through the
// same batches (a reply that follows them follows their flush), and their
// rows are hidden by key until released: a read of a user's sessions waits
// while a batch that changed them is being flushed (GroupCommit.readReleased).
//
// The parts: sqlite-migrations.ts (schema), sqlite-statements.ts (SQL),
// sqlite-appends.ts (seqs, dedup), sqlite-events.ts (what events do, rows as
// snapshots), sqlite-group-commit.ts (batches, flush, rows hidden until
// released) with sqlite-keys.ts (what a write hides), sqlite-checkpoints.ts;
// this file opens them in order and answers reads.
import * as clock from '../determinism.ts'
import { closeSync, fdatasync, mkdirSync, openSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { hashKey, randomToken } from './ids.ts'
import { banInForce, isLive, prefixEnd, toAccount, toBan, toConversation, toDm, toPage, toRestriction, toRoomRecord, toSession } from './rows.ts'
import { Appends, isUniqueViolation } from './sqlite-appends.ts'
import { Checkpoints } from './sqlite-checkpoints.ts'
import { RestrictionCache } from './sqlite-restriction-cache.ts'
import { RESTRICTION_EVENTS, toSnapshots } from './sqlite-events.ts'
import { type Batch, GroupCommit, type Job, type JobResult, runJobs } from './sqlite-group-commit.ts'
import { ACCOUNTS, banOf, blocksOf, eventsOf, membershipsOf, ROOMS, readsOf, restrictionsOf, roomOf, roomOfRestrictions, sessionsOf } from './sqlite-keys.ts'
import { restrictionInForce } from './message-life.ts'
import { migrate } from './sqlite-migrations.ts'
import { prepareSearch } from './sqlite-search.ts'
import { prepareStatements, type Statements } from './sqlite-statements.ts'
import { DEFAULT_SESSION_TTL_MS, type HistoryStore, type RoomRecord } from './store.ts'

export interface SqliteStoreOptions {
  /** Path of the database file. */
  file: string
  /** Flush the WAL before acknowledging (full, default), or leave it to checkpoints (normal: survives process crashes, not power loss). */
  synchronous?: 'full' | 'normal'
  /** While writes arrive fast, a batch waits up to this long for more to share its flush (ms, default 0: never). */
  commitDelayMs?: number
  /** A waiting batch of this many writes commits at once (default 16). */
  commitBatchTarget?: number
  /** Turns of the loop a batch may take while writes keep coming (default 0; the server's default is 4, COMMIT_TURNS). */
  commitTurns?: number
  /** Commits between two checkpoints of the WAL into the database file (default 500; a timer also checkpoints an idle store). */
  checkpointEvery?: number
}

/** What an open store holds; made once by open(). */
interface Opened {
  db: Database.Database
  s: Statements
  appends: Appends
  /** Restriction rows as released, per room (findRestriction). */
  restrictions: RestrictionCache
  commits: GroupCommit
  checkpoints: Checkpoints
  walFd: number
  epoch: string
  search: ReturnType<typeof prepareSearch>
  /** Removes an account and what belongs to its user but messages, all or nothing (a savepoint in the batch). */
  deleteUser: (userId: string) => void
  /** Stores a room record and its owner's role, all or nothing; false when the room has a record. */
  createRoom: (record: RoomRecord) => boolean
  /** Deletes a room's messages (and their reactions), memberships, record, roles, invitations and restrictions, keeping its head; resolves with the members whose memberships went (a savepoint). */
  deleteRoom: (room: string) => { deleted: number; members: string[] }
  pruneRoom: (room: string, before: number, limit: number) => number
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
  const restrictions = new RestrictionCache(s)
  // One transaction function for every batch, made once.
  const transaction = db.transaction((jobs: Job[], results: JobResult[], batch: Batch) => {
    appends.checkDataVersion()
    runJobs(jobs, results, batch, db)
    // Thrown, a failure here fails the whole batch (nothing of it is stored), as a failed COMMIT would.
    appends.indexAppended()
    for (const key of batch.keys) {
      const room = roomOfRestrictions(key)
      if (room !== undefined) restrictions.forget(room)
    }
  })
  const epoch = s.epoch.get()!
  // SQLite keeps the -wal file while any connection is open, and takes no
  // lock on it: an fd of our own flushes the same file.
  const walFd = openSync(`${options.file}-wal`, 'r')
  const checkpoints: Checkpoints = new Checkpoints({ file: options.file, every: options.checkpointEvery ?? 500, wake: () => commits.wake() })
  const commits: GroupCommit = new GroupCommit({
    delay: { maxDelayMs: options.commitDelayMs ?? 0, targetBatch: options.commitBatchTarget ?? 16, maxTurns: options.commitTurns ?? 0 },
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
  const deleteUser = db.transaction((userId: string) => {
    s.deleteAccount.run(userId)
    s.deleteSessions.run(userId)
    s.deleteMemberships.run(userId)
    s.deleteDmReads.run(userId)
    s.deleteRoomReads.run(userId)
  })
  const createRoom = db.transaction((r: RoomRecord): boolean => {
    if (s.createRoom.run(r.room, r.namespace, r.owner ?? null, r.topic, r.public ? 1 : 0, r.createdAt).changes === 0) return false
    if (r.owner !== undefined) s.setRoomRole.run(r.room, r.owner, 'owner')
    return true
  })
  // A prefix of the stream, never a hole: see the pruneRoom contract (store.ts).
  const pruneRoom = db.transaction((room: string, before: number, limit: number): number => {
    const tail = s.tail.get(room)
    if (tail === null || tail === undefined) return 0
    const head = s.head.get(room) ?? 0
    const keepFrom = Math.min(s.firstKept.get(room, before) ?? head + 1, tail + limit)
    if (keepFrom <= tail) return 0
    s.setFloor.run(room, head)
    s.deleteReactionsBelow.run(room, keepFrom)
    s.dropExcerptsBelow.run(room, keepFrom)
    return s.deleteMessagesBelow.run(room, keepFrom).changes
  })
  const deleteRoom = db.transaction((room: string) => {
    s.setFloor.run(room, s.head.get(room) ?? 0)
    const members = s.roomMembers.all(room)
    s.deleteRoomMemberships.run(room)
    s.deleteRoomRecord.run(room)
    s.deleteRoomRoles.run(room)
    s.deleteRoomInvitations.run(room)
    s.deleteRoomReactions.run(room)
    s.deleteRoomRestrictions.run(room)
    return { deleted: s.deleteMessages.run(room).changes, members }
  })
  return { db, s, appends, restrictions, commits, checkpoints, walFd, epoch, search: prepareSearch(db, (rows) => toSnapshots(s, rows)), deleteUser, createRoom, deleteRoom, pruneRoom }
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
  const readAccounts = <T>(run: () => T): Promise<T> => o.commits.readReleased(run, () => [ACCOUNTS])
  const readRoom = <T>(room: string, run: () => T): Promise<T> => o.commits.readReleased(run, () => [roomOf(room)])
  // Snapshots of a room's messages: below its unreleased seqs, and after the
  // release of events that changed rows below them (sqlite-keys.ts eventsOf).
  const readSnapshots = <T>(room: string, run: () => T): Promise<T> => o.commits.readReleased(run, () => [eventsOf(room)])
  const sessionKeys = (row: { user_id: string } | undefined) => (row === undefined ? [] : [sessionsOf(row.user_id)])

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

    commitStats: () => o.commits.stats(),

    appendChat: (input) => o.commits.write((batch) => o.appends.appendChat(input, batch)),
    // Queued in one turn, so they share a batch (one transaction, one flush) and run in order.
    appendChats: (inputs) =>
      Promise.all(
        inputs.map((input) =>
          o.commits
            .write((batch) => o.appends.appendChat(input, batch))
            .then(
              (value) => ({ ok: true as const, value }),
              (error: unknown) => ({ ok: false as const, error }),
            ),
        ),
      ),
    appendDm: (input) => o.commits.write((batch) => o.appends.appendDm(input, batch)),
    saveSession: (key, record) =>
      o.commits.write((batch) => {
        const now = clock.now()
        o.s.saveSession.run(hashKey(key), randomToken(12), record.userId, record.name, now, now, now + DEFAULT_SESSION_TTL_MS)
        batch.hide(sessionsOf(record.userId))
      }),
    renameUser: (userId, name) =>
      o.commits.write((batch) => {
        o.s.renameUser.run(name, userId)
        batch.hide(sessionsOf(userId))
      }),

    createAccount: (a) =>
      o.commits.write((batch) => {
        const created = o.s.createAccount.run(a.userId, a.name, a.nameKey, a.passwordHash, a.createdAt).changes > 0
        if (created) batch.hide(ACCOUNTS)
        return created
      }),
    renameAccount: (userId, name, nameKey) =>
      o.commits.write((batch) => {
        try {
          o.s.renameAccount.run(name, nameKey, userId)
        } catch (error) {
          // Another account holds the nameKey; SQLite undid the statement alone.
          if (isUniqueViolation(error)) return false
          throw error
        }
        batch.hide(ACCOUNTS)
        return true
      }),
    setPasswordHash: (userId, passwordHash) =>
      o.commits.write((batch) => {
        o.s.setPasswordHash.run(passwordHash, userId)
        batch.hide(ACCOUNTS)
      }),
    deleteAccount: (userId) =>
      o.commits.write((batch) => {
        o.deleteUser(userId)
        for (const key of [ACCOUNTS, sessionsOf(userId), membershipsOf(userId), readsOf(userId)]) batch.hide(key)
      }),

    createSession: (key, session) =>
      o.commits.write((batch) => {
        const sessionId = randomToken(12)
        o.s.createSession.run(hashKey(key), sessionId, session.userId, session.name, session.device ?? null, session.createdAt, session.createdAt, session.expiresAt)
        batch.hide(sessionsOf(session.userId))
        return sessionId
      }),
    touchSession: (sessionId, lastSeenAt, expiresAt) =>
      o.commits.write((batch) => {
        const userId = o.s.touchSession.get(lastSeenAt, expiresAt, sessionId)
        if (userId !== undefined) batch.hide(sessionsOf(userId))
      }),
    revokeSession: (userId, sessionId) =>
      o.commits.write((batch) => {
        const found = o.s.revokeSession.run(clock.now(), userId, sessionId).changes > 0
        if (found) batch.hide(sessionsOf(userId))
        return found
      }),
    revokeUserSessions: (userId, exceptSessionId) =>
      o.commits.write((batch) => {
        batch.hide(sessionsOf(userId))
        return o.s.revokeUserSessions.all(clock.now(), userId, exceptSessionId ?? null)
      }),

    addMembership: (userId, room, joinedAt) =>
      o.commits.write((batch) => {
        o.s.addMembership.run(userId, room, joinedAt)
        batch.hide(membershipsOf(userId))
        batch.hide(ROOMS)
      }),
    removeMembership: (userId, room) =>
      o.commits.write((batch) => {
        o.s.removeMembership.run(userId, room)
        batch.hide(membershipsOf(userId))
        batch.hide(ROOMS)
      }),
    createRoom: (r) =>
      o.commits.write((batch) => {
        const created = o.createRoom(r)
        if (created) for (const key of [roomOf(r.room), ROOMS]) batch.hide(key)
        return created
      }),
    updateRoom: (room, changes) =>
      o.commits.write((batch) => {
        if (changes.topic !== undefined) o.s.setTopic.run(changes.topic, room)
        if (changes.public !== undefined) o.s.setPublic.run(changes.public ? 1 : 0, room)
        for (const key of [roomOf(room), ROOMS]) batch.hide(key)
      }),
    setRoomRole: (room, userId, role) =>
      o.commits.write((batch) => {
        if (role === 'member') o.s.removeRoomRole.run(room, userId)
        else o.s.setRoomRole.run(room, userId, role)
        batch.hide(roomOf(room))
      }),
    addInvitation: (room, userId, invitedBy, at) =>
      o.commits.write((batch) => {
        o.s.addInvitation.run(room, userId, invitedBy, at)
        batch.hide(roomOf(room))
      }),
    markDmRead: (userId, peerId, seq) =>
      o.commits.write((batch) => {
        batch.hide(readsOf(userId))
        return o.s.markDmRead.get(userId, peerId, seq)!
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
      readSnapshots(room, () => {
        const bound = o.commits.roomBound(room)
        const rows =
          query.after !== undefined
            ? toPage(o.s.after.all(room, query.after, bound, query.limit + 1), query.limit, (r) => r)
            : toPage(o.s.before.all(room, Math.min(query.before ?? Number.MAX_SAFE_INTEGER, bound), query.limit + 1), query.limit, (r) => r, true)
        return { messages: toSnapshots(o.s, rows.messages), hasMore: rows.hasMore }
      }),
    findMessage: (room, seq) =>
      readSnapshots(room, () => {
        const row = o.s.message.get(room, seq, o.commits.roomBound(room))
        return row && toSnapshots(o.s, [row])[0]
      }),
    inboxHead: (userId) =>
      read(() => {
        const bound = o.commits.inboxBound(userId)
        return bound !== Number.MAX_SAFE_INTEGER ? bound - 1 : (o.s.inboxHead.get(userId) ?? 0)
      }),
    inboxRange: (userId, after, limit) => read(() => toPage(o.s.inboxAfter.all(userId, after, o.commits.inboxBound(userId), limit + 1), limit, (r) => ({ ...toDm(r), seq: r.seq }))),
    dmConversation: (userId, peerId, query) =>
      read(() => {
        const before = Math.min(query.before ?? Number.MAX_SAFE_INTEGER, o.commits.inboxBound(userId))
        const rows = o.s.conversation.all({ user: userId, peer: peerId, before, limit: query.limit + 1 })
        return toPage(rows, query.limit, (r) => ({ ...toDm(r), seq: r.seq }), true)
      }),
    // The row is read whatever its state, so that a revocation or expiry
    // change still being flushed is waited for like any other.
    findSession: async (key) => {
      const row = await o.commits.readReleased(() => o.s.sessionByKey.get(hashKey(key)), sessionKeys)
      return row && isLive(row, clock.now()) ? { userId: row.user_id, name: row.name } : undefined
    },
    findSessionByKey: async (key, now) => {
      const row = await o.commits.readReleased(() => o.s.sessionByKey.get(hashKey(key)), sessionKeys)
      return row && isLive(row, now) ? toSession(row) : undefined
    },
    listSessions: (userId, now) =>
      o.commits.readReleased(
        () => o.s.listSessions.all(userId, now).map(toSession),
        () => [sessionsOf(userId)],
      ),
    hasUser: (userId) =>
      o.commits.readReleased(
        () => o.s.hasUser.get(userId) !== undefined,
        () => [sessionsOf(userId)],
      ),

    findAccountByNameKey: (nameKey) => readAccounts(() => o.s.accountByNameKey.get(nameKey)).then((row) => row && toAccount(row)),
    findAccount: (userId) => readAccounts(() => o.s.account.get(userId)).then((row) => row && toAccount(row)),
    findAccountsByPrefix: (prefix, limit) =>
      readAccounts(() => {
        const end = prefixEnd(prefix)
        return (end === undefined ? o.s.accountsFrom.all(prefix, limit) : o.s.accountsInRange.all(prefix, end, limit)).map(toAccount)
      }),

    countMembers: (room) =>
      o.commits.readReleased(
        () => o.s.countMembers.get(room)!,
        () => [ROOMS],
      ),
    findRoom: (room) => readRoom(room, () => o.s.findRoom.get(room)).then((row) => row && toRoomRecord(row)),
    findRoomRole: (room, userId) => readRoom(room, () => o.s.findRoomRole.get(room, userId)),
    listRoomRoles: (room) => readRoom(room, () => o.s.listRoomRoles.all(room).map((r) => ({ userId: r.user_id, role: r.role }))),
    hasInvitation: (room, userId) => readRoom(room, () => o.s.hasInvitation.get(room, userId) !== undefined),
    listPublicRooms: (q) =>
      o.commits.readReleased(
        () => o.s.publicRooms.all({ namespace: q.namespace ?? null, prefix: q.prefix ?? '', after: q.after ?? '', end: q.prefix === undefined ? null : (prefixEnd(q.prefix) ?? null), limit: q.limit }),
        () => [ROOMS],
      ),

    listMemberships: (userId) =>
      o.commits.readReleased(
        () => o.s.listMemberships.all(userId),
        () => [membershipsOf(userId)],
      ),
    // Peer names come from accounts and sessions too: wait for those as well.
    listDmConversations: async (userId, limit) => {
      const rows = await o.commits.readReleased(
        () => o.s.conversations.all({ user: userId, bound: o.commits.inboxBound(userId), limit }),
        (rows) => [readsOf(userId), ACCOUNTS, ...rows.map((r) => sessionsOf(r.peer_id))],
      )
      return rows.map(toConversation)
    },

    setBan: (ban) =>
      o.commits.write((batch) => {
        o.s.setBan.run(ban.userId, ban.until, ban.reason ?? null, ban.createdAt)
        batch.hide(banOf(ban.userId))
      }),
    removeBan: (userId, now) =>
      o.commits.write((batch) => {
        batch.hide(banOf(userId))
        const row = o.s.removeBan.get(userId)
        return row !== undefined && banInForce(toBan(row), now)
      }),
    findBan: async (userId, now) => {
      const row = await o.commits.readReleased(
        () => o.s.ban.get(userId),
        () => [banOf(userId)],
      )
      return row !== undefined && banInForce(toBan(row), now) ? toBan(row) : undefined
    },
    deleteRoom: (room) =>
      o.commits.write(
        (batch) => {
          const { deleted, members } = o.deleteRoom(room)
          for (const userId of members) batch.hide(membershipsOf(userId))
          for (const key of [roomOf(room), ROOMS, restrictionsOf(room)]) batch.hide(key)
          return deleted
        },
        [restrictionsOf(room)],
      ),
    roomsWithHistory: (after, limit) => read(() => o.s.roomsWithHistory.all(after, limit)),
    pruneRoom: (room, before, limit) => o.commits.write(() => o.pruneRoom(room, before, limit)),
    purgeSessions: (before, limit) => o.commits.write(() => o.s.purgeSessions.run({ before, limit }).changes),
    addBlock: (userId, blockedId, at) =>
      o.commits.write((batch) => {
        o.s.addBlock.run(userId, blockedId, at)
        batch.hide(blocksOf(userId))
      }),
    removeBlock: (userId, blockedId) =>
      o.commits.write((batch) => {
        o.s.removeBlock.run(userId, blockedId)
        batch.hide(blocksOf(userId))
      }),
    listBlocks: (userId) =>
      o.commits.readReleased(
        () => o.s.listBlocks.all(userId),
        () => [blocksOf(userId)],
      ),
    isBlocked: (userId, blockedId) =>
      o.commits.readReleased(
        () => o.s.isBlocked.get(userId, blockedId) !== undefined,
        () => [blocksOf(userId)],
      ),

    // Announced when queued, so a mute check made meanwhile (every chat does one) waits for it.
    appendEvent: (input) => o.commits.write((batch) => o.appends.appendEvent(input, batch), RESTRICTION_EVENTS.has(input.event.kind) ? [restrictionsOf(input.room)] : undefined),
    findRestriction: async (room, userId, kind, now) => {
      // Asked on every chat: from the cache, without a turn of the loop, unless a write hides the room's restrictions.
      const row = o.commits.hides(restrictionsOf(room))
        ? await o.commits.readReleased(
            () => o.s.restriction.get(room, userId, kind),
            () => [restrictionsOf(room)],
          )
        : o.restrictions.get(room, userId, kind)
      return row !== undefined && restrictionInForce(row.until, now) ? toRestriction(row) : undefined
    },
    listRestrictions: (room, now) =>
      o.commits.readReleased(
        () => o.s.listRestrictions.all(room, now).map(toRestriction),
        () => [restrictionsOf(room)],
      ),
    markRoomRead: (userId, room, seq) =>
      o.commits.write((batch) => {
        batch.hide(readsOf(userId))
        return o.s.markRoomRead.get(userId, room, seq)!
      }),
    startReading: (userId, room, seq) =>
      o.commits.write((batch) => {
        batch.hide(readsOf(userId))
        o.s.startReading.run(userId, room, seq)
        return o.s.roomRead.get(userId, room)!
      }),
    // Counts stop below each room's unreleased rows, and wait for events that
    // changed rows below them (a delete takes a message out of the count).
    unreadCounts: (userId, rooms) =>
      o.commits.readReleased(
        () =>
          rooms.map((room) => {
            const readSeq = o.s.roomRead.get(userId, room) ?? 0
            const counts = o.s.unread.get({ room, user: userId, after: readSeq, bound: o.commits.roomBound(room) })!
            return { room, readSeq, unread: counts.unread, mentions: counts.mentions }
          }),
        () => [readsOf(userId), ...rooms.map(eventsOf)],
      ),
    // Hits stop below each room's and the inbox's unreleased rows, and wait
    // for events that changed rows below them (an edit changes what is found).
    search: (query) =>
      o.commits.readReleased(
        () => o.search(query, { room: (room) => o.commits.roomBound(room), inbox: (userId) => o.commits.inboxBound(userId) }),
        () => query.rooms.map(eventsOf),
      ),
  }
}
