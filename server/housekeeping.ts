// Housekeeping: what the operator's rules say must go, removed a little at a
// time. Messages older than their namespace's `historyDays` leave the store
// (a prefix of each room's stream, so what stays is gapless and numbering
// goes on: store.ts pruneRoom), and the rows of sessions that ended long ago
// are purged. Every node of a cluster runs it: the work is idempotent, and
// PostgreSQL serializes two nodes' prunes of one room on its append lock.
//
// Work goes in bounded batches with a turn of the event loop between them,
// so a first run over a large history never holds the loop or the store's
// writer for long; runs never overlap.
import type { FastifyBaseLogger } from 'fastify'
import * as clock from './determinism.ts'
import type { Metrics } from './metrics.ts'
import type { Namespaces } from './namespaces.ts'
import type { HistoryStore } from './store/store.ts'

const DAY_MS = 86_400_000
/** Entries removed per store call: one short write transaction each. */
export const PRUNE_BATCH = 500
/** Rooms read per page of roomsWithHistory. */
const ROOM_PAGE = 500
/** Session rows deleted per store call. */
const PURGE_BATCH = 500
/** Batches per room or for the sessions in one run: bounds one run; the next run goes on. */
const MAX_BATCHES = 1_000
/** The first run waits this long after start (or one interval, when that is shorter). */
const FIRST_RUN_MS = 60_000

export interface HousekeepingOptions {
  store: HistoryStore
  namespaces: Namespaces
  metrics: Metrics
  log: FastifyBaseLogger
  /** Time between runs (HOUSEKEEPING_MS). */
  intervalMs: number
  /** How long an ended session's row is kept (ENDED_SESSION_KEEP_MS). */
  endedSessionKeepMs: number
}

export interface HousekeepingReport {
  /** Room entries removed. */
  pruned: number
  /** Rooms that lost entries. */
  rooms: number
  /** Session rows deleted. */
  sessions: number
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve))

export class Housekeeping {
  readonly #o: HousekeepingOptions
  #running: Promise<HousekeepingReport> | undefined
  #queued: Promise<HousekeepingReport> | undefined
  #timers: clock.Timer[] = []

  constructor(options: HousekeepingOptions) {
    this.#o = options
  }

  /** Schedules the runs (on the server's clock, so deterministic mode can move them). */
  start(): void {
    const tick = () => void this.run().catch((err) => this.#o.log.error({ err }, 'housekeeping failed'))
    this.#timers.push(clock.setTimer(tick, Math.min(FIRST_RUN_MS, this.#o.intervalMs)).unref(), clock.setRepeating(tick, this.#o.intervalMs).unref())
  }

  stop(): void {
    for (const timer of this.#timers) clock.clearTimer(timer)
    this.#timers = []
  }

  /** Settles when no run is under way (a failure was logged by whoever started the run). */
  async idle(): Promise<void> {
    await (this.#queued ?? this.#running)?.catch(() => undefined)
  }

  /**
   * One run now. While a run is under way, one more follows it (shared by every
   * request made meanwhile), so a run asked for at a later time is never answered
   * by one that read an earlier clock.
   */
  run(): Promise<HousekeepingReport> {
    if (this.#running === undefined) return this.#start()
    this.#queued ??= this.#running
      .catch(() => undefined)
      .then(() => {
        this.#queued = undefined
        return this.#start()
      })
    return this.#queued
  }

  #start(): Promise<HousekeepingReport> {
    this.#running = this.#runOnce().finally(() => {
      this.#running = undefined
    })
    return this.#running
  }

  async #runOnce(): Promise<HousekeepingReport> {
    const report: HousekeepingReport = { pruned: 0, rooms: 0, sessions: 0 }
    const now = clock.now()
    if (this.#o.namespaces.list.some((ns) => ns.historyDays !== null)) await this.#prune(now, report)
    report.sessions = await this.#batches((limit) => this.#o.store.purgeSessions(now - this.#o.endedSessionKeepMs, limit), PURGE_BATCH)
    this.#o.metrics.pruned.inc(report.pruned)
    this.#o.metrics.sessionsPurged.inc(report.sessions)
    if (report.pruned > 0 || report.sessions > 0) this.#o.log.info(report, 'housekeeping')
    return report
  }

  async #prune(now: number, report: HousekeepingReport): Promise<void> {
    const { store, namespaces } = this.#o
    let after = ''
    for (;;) {
      const rooms = await store.roomsWithHistory(after, ROOM_PAGE)
      for (const room of rooms) {
        const days = namespaces.of(room)?.historyDays
        if (days === null || days === undefined) continue
        const removed = await this.#batches((limit) => store.pruneRoom(room, now - days * DAY_MS, limit), PRUNE_BATCH)
        if (removed > 0) report.rooms++
        report.pruned += removed
      }
      if (rooms.length < ROOM_PAGE) return
      after = rooms.at(-1)!
    }
  }

  /** Calls `step` with `size` until it does less than that (or MAX_BATCHES times); the total done. */
  async #batches(step: (limit: number) => Promise<number>, size: number): Promise<number> {
    let total = 0
    for (let i = 0; i < MAX_BATCHES; i++) {
      const done = await step(size)
      total += done
      if (done < size) break
      await nextTurn()
    }
    return total
  }
}
