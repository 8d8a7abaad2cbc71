// Prometheus metrics, named after the protocol's own frame types and codes.
// Hot-path calls are plain counter increments with pre-resolved label values.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import { ERROR_CODES, type ErrorCode } from '../protocol/index.ts'

export interface MetricsSources {
  loggedInUsers(): number
  rooms(): number
}

export class Metrics {
  readonly registry = new Registry()
  readonly connections = new Gauge({ name: 'wirechat_connections_open', help: 'Open WebSocket connections.', registers: [this.registry] })
  readonly framesIn = new Counter({ name: 'wirechat_frames_in_total', help: 'Valid client frames received, by type.', labelNames: ['type'], registers: [this.registry] })
  readonly framesOut = new Counter({ name: 'wirechat_frames_out_total', help: 'Server frames sent, by type (a push to N members counts N).', labelNames: ['type'], registers: [this.registry] })
  readonly errors = new Counter({ name: 'wirechat_errors_total', help: 'Error frames sent, by code.', labelNames: ['code'], registers: [this.registry] })
  readonly closes = new Counter({ name: 'wirechat_closes_total', help: 'Connections closed, by close code.', labelNames: ['code'], registers: [this.registry] })
  readonly slowConsumers = new Counter({ name: 'wirechat_slow_consumer_drops_total', help: 'Connections closed with 4100 because their outgoing buffer passed its bound.', registers: [this.registry] })
  readonly storeAppend = new Histogram({
    name: 'wirechat_store_append_seconds', help: 'Time from append request to durable commit.',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1], registers: [this.registry],
  })
  readonly fanout = new Histogram({
    name: 'wirechat_broadcast_fanout', help: 'Local recipients of one delivery.',
    buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 5000], registers: [this.registry],
  })

  constructor(sources: MetricsSources) {
    collectDefaultMetrics({ register: this.registry, prefix: 'wirechat_process_' })
    new Gauge({ name: 'wirechat_users_logged_in', help: 'Users with at least one logged-in connection on this node.', registers: [this.registry], collect() { this.set(sources.loggedInUsers()) } })
    new Gauge({ name: 'wirechat_rooms', help: 'Rooms with at least one member on this node.', registers: [this.registry], collect() { this.set(sources.rooms()) } })
    // Zero series for every error code, so dashboards see them before the first one happens.
    for (const code of ERROR_CODES) this.errors.inc({ code }, 0)
  }

  error(code: ErrorCode): void {
    this.errors.inc({ code })
  }
}

/** The `type` of an encoded server frame: every frame the server encodes starts with {"type":"…". */
export function frameType(data: string): string {
  const end = data.indexOf('"', 9)
  return end > 9 ? data.slice(9, end) : 'unknown'
}
