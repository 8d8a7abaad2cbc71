// What a scenario measures for one target, in the units the report prints.
import type { SendReply, Target, Topology } from '../load/commands.ts'
import type { HarnessOptions } from './harness.ts'

/** Room-size scenarios (room-size-10, …) share this prefix; the report sums them up in one table. */
export const ROOM_SIZE_PREFIX = 'room-size-'

/** A load generator above this share of one core may be the bottleneck itself. */
export const LOAD_BOUND_PCT = 90

/** Figures of one send window. */
export interface Traffic {
  sent: number
  received: number
  lost: number
  refused: number
  dropped: number
  /** Deliveries per second over the window. */
  deliveredPerSec: number
  p50Ms: number
  p99Ms: number
  maxMs: number
  /** Server CPU (user + system) per delivered message, microseconds. */
  serverCpuUsPerDelivery: number
  /** Server and load-generator CPU as a share of one core over the window. */
  serverCpuPct: number
  loadCpuPct: number
  /** True when the load generator, not the server, was probably the limit. */
  loadBound: boolean
  rate: number
  /** Our server's store over the window (from its /metrics), when it has a group-committing store. */
  store?: StoreFigures
}

/** What the store did over a window (SQLite group commit). */
export interface StoreFigures {
  commitsPerSec: number
  /** Writes per commit: messages (and other writes) sharing one transaction and one flush. */
  writesPerCommit: number
  flushesPerSec: number
  /** Mean time of one flush (fdatasync of the WAL), ms. */
  flushMs: number
}

export interface IdleFigures {
  connections: number
  connected: number
  /** Still open after the hold, and closed by the server meanwhile. */
  open: number
  dropped: number
  rssBeforeBytes: number
  rssAfterBytes: number
  rssPerConnectionBytes: number
  setupMs: number
}

export interface SaturationFigures {
  steps: Traffic[]
  /** Index of the last step with p99 ≤ limit and nothing lost; -1 for none. */
  lastPassing: number
  /** Why the ramp stopped. */
  stoppedBy: 'p99' | 'loss' | 'end of ramp'
}

export type Figures = { kind: 'traffic'; traffic: Traffic } | { kind: 'idle'; idle: IdleFigures } | { kind: 'saturation'; saturation: SaturationFigures } | { kind: 'failed'; error: string }

export interface Scenario {
  id: string
  title: string
  /** One line on the load, for the report. */
  describe: string
  /** Targets this scenario applies to (default: all). */
  targets?: Target[]
  /** Short enough to run several rounds, interleaved across targets, and report medians. */
  repeatable?: boolean
  run(target: Target, options: HarnessOptions): Promise<Figures>
}

/**
 * One Traffic of several rounds: the median of each figure (latencies and
 * CPU included), except losses, which add up so that any loss shows.
 */
export function medianTraffic(rounds: Traffic[]): Traffic {
  const median = (get: (t: Traffic) => number) => {
    const v = rounds
      .map(get)
      .filter(Number.isFinite)
      .sort((a, b) => a - b)
    if (v.length === 0) return Number.NaN
    const mid = v.length >> 1
    return v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2
  }
  const sum = (get: (t: Traffic) => number) => rounds.reduce((n, t) => n + get(t), 0)
  const store = rounds.every((t) => t.store !== undefined)
    ? {
        commitsPerSec: median((t) => t.store!.commitsPerSec),
        writesPerCommit: median((t) => t.store!.writesPerCommit),
        flushesPerSec: median((t) => t.store!.flushesPerSec),
        flushMs: median((t) => t.store!.flushMs),
      }
    : undefined
  return {
    rate: rounds[0]!.rate,
    sent: sum((t) => t.sent),
    received: sum((t) => t.received),
    lost: sum((t) => t.lost),
    refused: sum((t) => t.refused),
    dropped: sum((t) => t.dropped),
    deliveredPerSec: median((t) => t.deliveredPerSec),
    p50Ms: median((t) => t.p50Ms),
    p99Ms: median((t) => t.p99Ms),
    maxMs: median((t) => t.maxMs),
    serverCpuUsPerDelivery: median((t) => t.serverCpuUsPerDelivery),
    serverCpuPct: median((t) => t.serverCpuPct),
    loadCpuPct: median((t) => t.loadCpuPct),
    loadBound: rounds.some((t) => t.loadBound),
    ...(store && { store }),
  }
}

/** Turns a send reply and CPU deltas into report figures. */
export function toTraffic(rate: number, reply: SendReply, serverCpuMs: number, loadCpuMs: number, store?: StoreFigures): Traffic {
  const loadCpuPct = (100 * loadCpuMs) / reply.windowMs
  return {
    rate,
    sent: reply.sent,
    received: reply.received,
    lost: reply.lost,
    refused: reply.refused,
    dropped: reply.dropped,
    deliveredPerSec: (reply.received * 1000) / reply.windowMs,
    // JSON carries NaN (no sample) as null.
    p50Ms: reply.p50Ms ?? Number.NaN,
    p99Ms: reply.p99Ms ?? Number.NaN,
    maxMs: reply.maxMs ?? Number.NaN,
    serverCpuUsPerDelivery: reply.received > 0 ? (serverCpuMs * 1000) / reply.received : Number.NaN,
    serverCpuPct: (100 * serverCpuMs) / reply.windowMs,
    loadCpuPct,
    loadBound: loadCpuPct >= LOAD_BOUND_PCT,
    ...(store && { store }),
  }
}

export function describeTopology(t: Topology): string {
  return `${t.rooms} room${t.rooms > 1 ? 's' : ''} × ${t.membersPerRoom} members, ${t.sendersPerRoom * t.rooms} senders`
}
