// Group commit: writes queue up while the previous batch is being made
// durable; the queue is then committed as one transaction (on this thread)
// and flushed (fdatasync of the WAL, on libuv's thread pool). The invariant
// this module owns: a write's promise settles only after the flush of its
// batch, so an acknowledgement always follows durability, and the event loop
// never waits for the disk.
//
// Rows of a batch are committed before they are durable. Reads hide them
// until their batch is released and its publishes have run (one turn of the
// loop later), so no read returns a message that could still vanish in a
// power loss, or one that a join would replay and then receive live again.
// A batch records the first hidden seq of each room and inbox it wrote to;
// reads stop below it. Rows without a seq (accounts, sessions, memberships,
// read markers) are hidden by key instead: the batch names what it changed
// (e.g. a user's sessions), and a read of those rows waits for the release
// (one flush at most, and only while such a write is in flight). A write can
// also announce keys when it is queued, so that reads made while it waits
// for its batch wait too (a chat's mute check after a queued mute).
//
// A batch commits on the next turn of the loop, or, while writes arrive fast,
// a little later so that more of them share its commit and flush
// (commit-delay.ts); either way nobody hears of a write before its flush.
//
// Between two batches someone else may take a turn (the checkpointer's
// pause): writes keep queuing meanwhile and commit as the next batch.
import { type ArrivalRate, type CommitDelayPolicy, NO_ARRIVALS, commitDelay, gatherTurn, nextRate } from './commit-delay.ts'
import { BATCH_SIZE_BUCKETS, type CommitStats } from './store.ts'

/** One result per job of a batch, in order. */
export interface JobResult {
  ok: boolean
  value: unknown
}

/** A write waiting for its batch: runs inside the batch's transaction, settles when the batch is released. */
export interface Job<T = unknown> {
  run(batch: Batch): T
  resolve(value: T): void
  reject(err: unknown): void
}

/** Committed rows not yet released: the first hidden seq per room and per inbox. */
export class Batch {
  readonly rooms = new Map<string, number>()
  readonly inboxes = new Map<string, number>()
  readonly keys = new Set<string>()

  /** Hides `seq` and every later seq of the room until the batch is released. */
  hideRoom(room: string, seq: number): void {
    if (!this.rooms.has(room)) this.rooms.set(room, seq)
  }

  /** Hides `seq` and every later seq of the user's inbox until the batch is released. */
  hideInbox(userId: string, seq: number): void {
    if (!this.inboxes.has(userId)) this.inboxes.set(userId, seq)
  }

  /** Hides the rows named by `key` (rows without a seq: see GroupCommit.readReleased) until the batch is released. */
  hide(key: string): void {
    this.keys.add(key)
  }
}

/**
 * Runs a batch's jobs inside its transaction, one result per job. A job that
 * fails leaves the others in: a failed statement is undone by SQLite, and a
 * job of several statements runs in a savepoint of its own. Some errors (disk
 * full, I/O) end the whole transaction: later jobs would run in autocommit,
 * unflushed, so those fail the batch instead (they are thrown).
 */
export function runJobs(jobs: Job[], results: JobResult[], batch: Batch, db: { readonly inTransaction: boolean }): void {
  for (const job of jobs) {
    try {
      results.push({ ok: true, value: job.run(batch) })
    } catch (error) {
      if (!db.inTransaction) throw error
      results.push({ ok: false, value: error })
    }
  }
}

export interface GroupCommitOptions {
  /** When a batch waits for more writes before committing (commit-delay.ts). */
  delay: CommitDelayPolicy
  /** The clock the arrival rate is measured with (ms; default performance.now). */
  now?: () => number
  /** Runs the jobs in one transaction (see runJobs); throws when nothing of the batch was stored. */
  transaction(jobs: Job[], results: JobResult[], batch: Batch): void
  /** Makes what was committed durable; undefined leaves durability to checkpoints (survives a process crash, not a power loss). */
  flush: ((done: (err: Error | null) => void) => void) | undefined
  /** Told after each commit, before its flush. */
  committed(): void
  /** Asked between batches whether to take a turn: returns true and calls `resume` once done; writes queue meanwhile. */
  pause(resume: () => void): boolean
}

export class GroupCommit {
  readonly #options: GroupCommitOptions
  readonly #stats: CommitStats = { commits: 0, writes: 0, flushes: 0, flushSeconds: 0, batchSizes: new Array(BATCH_SIZE_BUCKETS.length + 1).fill(0) }
  #queue: Job[] = []
  /** Keys the queued writes announced (see write); from the commit on, their batch hides them. */
  #queuedKeys = new Set<string>()
  /** A commit is scheduled or being flushed, or a pause runs: new jobs wait for the next batch. */
  #busy = false
  /** Batches committed and not yet visible to reads, oldest first (at most a few). */
  readonly #unreleased: Batch[] = []
  /** Why writes and reads are refused, once they are. */
  #stopped: Error | undefined
  /** Set when closing starts: queued writes still commit, new ones are refused. */
  #refusing = false
  #idle: (() => void) | undefined
  /** Keyed reads waiting for a release (see readReleased). */
  #waiting: Array<() => void> = []
  /** Recent arrivals (for the delay); writes since the last commit that found a batch busy; when that commit started. */
  #rate: ArrivalRate = NO_ARRIVALS
  #overlapping = 0
  readonly #now: () => number
  #lastCommitAt: number
  /** The timer of a batch waiting for company, while it waits. */
  #delayed: ReturnType<typeof setTimeout> | undefined

  constructor(options: GroupCommitOptions) {
    this.#options = options
    this.#now = options.now ?? (() => performance.now())
    this.#lastCommitAt = this.#now()
  }

  /**
   * Queues `run` for the next batch; resolves with its result once the batch
   * is durable. `hiding` names keys the write may hide, known before it runs:
   * hides() counts them from now on, not only once the batch commits.
   */
  write<T>(run: (batch: Batch) => T, hiding?: readonly string[]): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.#stopped !== undefined) return reject(this.#stopped)
      if (this.#refusing) return reject(new Error('history store closing'))
      if (hiding !== undefined) for (const key of hiding) this.#queuedKeys.add(key)
      this.#queue.push({ run, resolve, reject } as Job)
      if (this.#busy) this.#overlapping++
      if (!this.#busy) this.#schedule()
      // Company enough: the waiting batch commits now.
      else if (this.#queue.length >= this.#options.delay.targetBatch) this.#commitNow()
    })
  }

  // A read runs one turn of the loop later, after releases already queued:
  // a read made once an append resolved sees that append (as if the read
  // had queued behind the write).
  /** Runs `run` on a later turn of the loop; it must stop below roomBound/inboxBound. */
  read<T>(run: () => T): Promise<T> {
    return new Promise((resolve, reject) => {
      setImmediate(() => {
        if (this.#stopped !== undefined) return reject(this.#stopped)
        try {
          resolve(run())
        } catch (error) {
          reject(error)
        }
      })
    })
  }

  /**
   * Like read, for rows hidden by key: runs `run`, and while an unreleased
   * batch (or a queued write that announced it) hides one of the keys
   * `keysOf` names for the result, runs it again after the next release.
   * Keys come from the result so that a lookup by a secret (a session key)
   * can wait on the user the row belongs to.
   */
  readReleased<T>(run: () => T, keysOf: (value: T) => readonly string[]): Promise<T> {
    return new Promise((resolve, reject) => {
      const attempt = () => {
        if (this.#stopped !== undefined) return reject(this.#stopped)
        try {
          const value = run()
          if (!this.#hidesAny(keysOf(value))) return resolve(value)
          this.#waiting.push(attempt)
        } catch (error) {
          reject(error)
        }
      }
      setImmediate(attempt)
    })
  }

  /** Whether a queued write announced `key`, or a committed batch not yet released hides it; always, once stopped (reads then reject). */
  hides(key: string): boolean {
    return this.#stopped !== undefined || this.#hidesAny([key])
  }

  #hidesAny(keys: readonly string[]): boolean {
    for (const key of keys) if (this.#queuedKeys.has(key)) return true
    for (const b of this.#unreleased) for (const key of keys) if (b.keys.has(key)) return true
    return false
  }

  /** Reads of the room see seqs below this (MAX_SAFE_INTEGER when nothing is hidden). */
  roomBound(room: string): number {
    let bound = Number.MAX_SAFE_INTEGER
    for (const b of this.#unreleased) {
      const first = b.rooms.get(room)
      if (first !== undefined && first < bound) bound = first
    }
    return bound
  }

  /** Reads of the inbox see seqs below this (MAX_SAFE_INTEGER when nothing is hidden). */
  inboxBound(userId: string): number {
    let bound = Number.MAX_SAFE_INTEGER
    for (const b of this.#unreleased) {
      const first = b.inboxes.get(userId)
      if (first !== undefined && first < bound) bound = first
    }
    return bound
  }

  /** A copy of the counters so far. */
  stats(): CommitStats {
    return { ...this.#stats, batchSizes: [...this.#stats.batchSizes] }
  }

  #count(writes: number): void {
    const stats = this.#stats
    stats.commits++
    stats.writes += writes
    let i = 0
    while (i < BATCH_SIZE_BUCKETS.length && writes > BATCH_SIZE_BUCKETS[i]!) i++
    stats.batchSizes[i]!++
  }

  /** Lets a waiting pause run now if no batch is in flight (else it runs after the batch). */
  wake(): void {
    if (!this.#busy) this.#next()
  }

  /** Commits what is queued while refusing new writes, then stops. */
  async close(): Promise<void> {
    this.#refusing = true
    this.#commitNow()
    if (this.#busy)
      await new Promise<void>((resolve) => {
        this.#idle = resolve
      })
    this.#stop(new Error('history store closed'))
  }

  /** Ends the wait of a batch waiting for company, if one is. */
  #commitNow(): void {
    if (this.#delayed === undefined) return
    clearTimeout(this.#delayed)
    this.#delayed = undefined
    setImmediate(this.#commit)
  }

  #schedule(): void {
    this.#busy = true
    // The rate as it would be with this batch: a quiet spell since the last commit counts at once.
    const rate = nextRate(this.#rate, this.#queue.length, this.#overlapping, this.#now() - this.#lastCommitAt)
    const delayMs = commitDelay(this.#queue.length, rate, this.#options.delay)
    if (delayMs > 0) this.#delayed = setTimeout(this.#commit, delayMs)
    else {
      this.#turn = 0
      this.#queuedBefore = this.#queue.length
      setImmediate(this.#gather)
    }
  }

  /** Extra turns a batch took so far, and its size at the last one (see gatherTurn). */
  #turn = 0
  #queuedBefore = 0

  readonly #gather = (): void => {
    const queued = this.#queue.length
    if (this.#stopped === undefined && !this.#refusing && gatherTurn(++this.#turn, queued, this.#queuedBefore, this.#options.delay)) {
      this.#queuedBefore = queued
      setImmediate(this.#gather)
    } else this.#commit()
  }

  // One transaction for every job queued since the last one.
  readonly #commit = (): void => {
    this.#delayed = undefined
    const jobs = this.#queue
    this.#queue = []
    if (this.#queuedKeys.size > 0) this.#queuedKeys = new Set()
    const now = this.#now()
    this.#rate = nextRate(this.#rate, jobs.length, this.#overlapping, now - this.#lastCommitAt)
    this.#overlapping = 0
    this.#lastCommitAt = now
    if (jobs.length === 0 || this.#stopped !== undefined) return this.#settle([], undefined)
    const results: JobResult[] = []
    const batch = new Batch()
    try {
      this.#options.transaction(jobs, results, batch)
    } catch (error) {
      for (const job of jobs) job.reject(error)
      // Reads waiting on keys this batch announced would wait for a release that never comes.
      setImmediate(() => this.#retryWaiting())
      return this.#settle([], undefined)
    }
    this.#unreleased.push(batch)
    this.#count(jobs.length)
    this.#options.committed()
    const release = () => this.#settle(jobs, results, batch)
    if (this.#options.flush === undefined) return release()
    const flushStarted = performance.now()
    this.#options.flush((err) => {
      this.#stats.flushes++
      this.#stats.flushSeconds += (performance.now() - flushStarted) / 1000
      if (err) {
        // The disk refused the flush: nothing of this batch can be called durable.
        this.#stop(Object.assign(new Error(`history store flush failed: ${err.message}`), { cause: err }))
        for (const job of jobs) job.reject(this.#stopped)
        return this.#settle([], undefined)
      }
      release()
    })
  }

  /** Answers a batch, then makes its rows readable once its publishes ran; starts the next batch. */
  #settle(jobs: Job[], results: JobResult[] | undefined, released?: Batch): void {
    for (let i = 0; i < jobs.length; i++) {
      const { ok, value } = results![i]!
      if (ok) jobs[i]!.resolve(value)
      else jobs[i]!.reject(value)
    }
    // Publishes follow the resolutions within this turn of the loop (microtasks).
    if (released !== undefined)
      setImmediate(() => {
        this.#unreleased.splice(this.#unreleased.indexOf(released) >>> 0, 1)
        this.#retryWaiting()
      })
    this.#next()
  }

  readonly #resume = (): void => this.#next()

  #next(): void {
    if (this.#stopped === undefined) {
      if (this.#options.pause(this.#resume)) {
        this.#busy = true
        return
      }
      if (this.#queue.length > 0) return this.#schedule()
    }
    this.#busy = false
    this.#idle?.()
  }

  #retryWaiting(): void {
    const waiting = this.#waiting
    this.#waiting = []
    for (const attempt of waiting) attempt()
  }

  #stop(reason: Error): void {
    this.#stopped ??= reason
    for (const job of this.#queue) job.reject(this.#stopped)
    this.#queue = []
    this.#queuedKeys = new Set()
    // Waiting reads are refused with the reason (no release will come).
    this.#retryWaiting()
  }
}
