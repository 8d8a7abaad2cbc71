// Prometheus metrics, named after the protocol's own frame types and codes.
// Hot-path calls are plain counter increments with pre-resolved label values.
import { Counter, Gauge, Registry, collectDefaultMetrics, type Metric } from 'prom-client'
import { ERROR_CODES, type ErrorCode } from '@wirechat/protocol'
import { BATCH_SIZE_BUCKETS, type CommitStats } from './store/store.ts'

export interface MetricsSources {
  loggedInUsers(): number
  rooms(): number
  /** The store's group-commit counters, when it batches its writes (SQLite). */
  commitStats?(): CommitStats | undefined
}

export class Metrics {
  readonly registry = new Registry()
  readonly connections = new Gauge({ name: 'wirechat_connections_open', help: 'Open WebSocket connections.', registers: [this.registry] })
  readonly framesIn = new Counter({ name: 'wirechat_frames_in_total', help: 'Valid client frames received, by type.', labelNames: ['type'], registers: [this.registry] })
  readonly framesOut = new Counter({ name: 'wirechat_frames_out_total', help: 'Server frames sent, by type (a push to N members counts N).', labelNames: ['type'], registers: [this.registry] })
  readonly errors = new Counter({ name: 'wirechat_errors_total', help: 'Error frames sent, by code.', labelNames: ['code'], registers: [this.registry] })
  readonly closes = new Counter({ name: 'wirechat_closes_total', help: 'Connections closed, by close code.', labelNames: ['code'], registers: [this.registry] })
  readonly slowConsumers = new Counter({ name: 'wirechat_slow_consumer_drops_total', help: 'Connections closed with 4100 because their outgoing buffer passed its bound.', registers: [this.registry] })
  readonly pruned = new Counter({ name: 'wirechat_history_pruned_total', help: "Room entries removed by housekeeping (their namespace's historyDays).", registers: [this.registry] })
  readonly sessionsPurged = new Counter({ name: 'wirechat_sessions_purged_total', help: 'Rows of ended sessions deleted by housekeeping.', registers: [this.registry] })
  readonly storeAppend = new HotHistogram(
    this.registry,
    'wirechat_store_append_seconds',
    'Time from append request to durable commit.',
    [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
  )
  readonly fanout = new HotHistogram(this.registry, 'wirechat_broadcast_fanout', 'Local recipients of one delivery.', [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 5000])

  constructor(sources: MetricsSources) {
    collectDefaultMetrics({ register: this.registry, prefix: 'wirechat_process_' })
    new Gauge({
      name: 'wirechat_users_logged_in',
      help: 'Users with at least one logged-in connection on this node.',
      registers: [this.registry],
      collect() {
        this.set(sources.loggedInUsers())
      },
    })
    new Gauge({
      name: 'wirechat_rooms',
      help: 'Rooms with at least one member on this node.',
      registers: [this.registry],
      collect() {
        this.set(sources.rooms())
      },
    })
    const stats = () => sources.commitStats?.()
    new MirroredCounter(this.registry, 'wirechat_store_commits_total', 'Transactions the SQLite store committed (each a batch of writes sharing one flush).', () => stats()?.commits)
    new MirroredCounter(this.registry, 'wirechat_store_writes_total', 'Writes (messages, events, account and session changes) in those transactions.', () => stats()?.writes)
    new MirroredCounter(this.registry, 'wirechat_store_flushes_total', 'Flushes (fdatasync of the WAL) the SQLite store completed.', () => stats()?.flushes)
    new MirroredCounter(this.registry, 'wirechat_store_flush_seconds_total', 'Time those flushes took, in all.', () => stats()?.flushSeconds)
    new BatchSizeHistogram(this.registry, stats)
    // Zero series for every error code, so dashboards see them before the first one happens.
    for (const code of ERROR_CODES) this.errors.inc({ code }, 0)
  }

  error(code: ErrorCode): void {
    this.errors.inc({ code })
  }
}

/**
 * A histogram without labels for once-per-message paths: observe() is a
 * bucket search and three additions, where prom-client's hashes a label
 * object on every call. The registry reads it in prom-client's format.
 */
export class HotHistogram {
  readonly type = 'histogram'
  readonly aggregator = 'sum'
  readonly #counts: Float64Array
  #sum = 0
  #count = 0

  readonly name: string
  readonly help: string
  readonly buckets: readonly number[]

  constructor(registry: Registry, name: string, help: string, buckets: readonly number[]) {
    this.name = name
    this.help = help
    this.buckets = buckets
    this.#counts = new Float64Array(buckets.length)
    registry.registerMetric(this as unknown as Metric)
  }

  observe(value: number): void {
    const { buckets } = this
    let i = 0
    while (i < buckets.length && value > buckets[i]!) i++
    if (i < buckets.length) this.#counts[i]!++
    this.#sum += value
    this.#count++
  }

  /** Starts a timer; calling the result observes the seconds elapsed. */
  startTimer(): () => void {
    const start = performance.now()
    return () => this.observe((performance.now() - start) / 1000)
  }

  get() {
    const bucket = `${this.name}_bucket`
    let cumulative = 0
    const values: Array<{ labels: Record<string, string | number>; value: number; metricName: string }> = this.buckets.map((le, i) => ({
      labels: { le },
      value: (cumulative += this.#counts[i]!),
      metricName: bucket,
    }))
    values.push(
      { labels: { le: '+Inf' }, value: this.#count, metricName: bucket },
      { labels: {}, value: this.#sum, metricName: `${this.name}_sum` },
      { labels: {}, value: this.#count, metricName: `${this.name}_count` },
    )
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator }
  }
}

/** A counter whose value lives elsewhere (the store's own counts), read at each scrape. */
class MirroredCounter {
  readonly type = 'counter'
  readonly aggregator = 'sum'
  readonly name: string
  readonly help: string
  readonly read: () => number | undefined

  constructor(registry: Registry, name: string, help: string, read: () => number | undefined) {
    this.name = name
    this.help = help
    this.read = read
    registry.registerMetric(this as unknown as Metric)
  }

  get() {
    return { name: this.name, help: this.help, type: this.type, values: [{ labels: {}, value: this.read() ?? 0 }], aggregator: this.aggregator }
  }
}

/** wirechat_store_batch_size: writes per commit, from the store's bucket counts, read at each scrape. */
class BatchSizeHistogram {
  readonly type = 'histogram'
  readonly aggregator = 'sum'
  readonly name = 'wirechat_store_batch_size'
  readonly help = 'Writes per SQLite commit (group commit batch size).'
  readonly read: () => CommitStats | undefined

  constructor(registry: Registry, read: () => CommitStats | undefined) {
    this.read = read
    registry.registerMetric(this as unknown as Metric)
  }

  get() {
    const stats = this.read()
    const counts = stats?.batchSizes ?? []
    const bucket = `${this.name}_bucket`
    let cumulative = 0
    const values: Array<{ labels: Record<string, string | number>; value: number; metricName: string }> = BATCH_SIZE_BUCKETS.map((le, i) => ({
      labels: { le },
      value: (cumulative += counts[i] ?? 0),
      metricName: bucket,
    }))
    const count = cumulative + (counts[BATCH_SIZE_BUCKETS.length] ?? 0)
    values.push(
      { labels: { le: '+Inf' }, value: count, metricName: bucket },
      { labels: {}, value: stats?.writes ?? 0, metricName: `${this.name}_sum` },
      { labels: {}, value: count, metricName: `${this.name}_count` },
    )
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator }
  }
}

// Label children bound once per (counter, type): `inc({ type })` hashes the
// label object on every call, and these run once or more per frame.
const boundCounters = new WeakMap<Counter<'type'>, Map<string, Counter.Internal>>()

/** The child of a counter for one frame type, made on first use. */
export function counterFor(counter: Counter<'type'>, type: string): Counter.Internal {
  let children = boundCounters.get(counter)
  if (children === undefined) boundCounters.set(counter, (children = new Map()))
  let child = children.get(type)
  if (child === undefined) children.set(type, (child = counter.labels({ type })))
  return child
}

/** The `type` of an encoded server frame: every frame the server encodes starts with {"type":"…". */
export function frameType(data: string): string {
  const end = data.indexOf('"', 9)
  return end > 9 ? data.slice(9, end) : 'unknown'
}
