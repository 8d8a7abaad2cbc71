// Fixed-rate scenarios (fan-out, many rooms): one topology, one send window
// at a constant total rate, CPU of server and load generator over the window.
import type { SendReply, SetupReply, Topology } from '../load/commands.ts'
import { withCpu, withTarget } from './harness.ts'
import { scrapeStoreCounters, storeFigures } from './store-metrics.ts'
import { describeTopology, toTraffic, type Scenario } from './types.ts'

export interface FixedRateParams {
  id: string
  title: string
  topology: Topology
  /** Lines per second, all senders together. */
  rate: number
  durationMs: number
  drainMs: number
  /** Run our server as this many nodes on Redis + PostgreSQL (only our server can). */
  nodes?: number
}

export function fixedRate(p: FixedRateParams): Scenario {
  return {
    id: p.id,
    title: p.title,
    describe: `${describeTopology(p.topology)}; ${p.rate} lines/s in total for ${p.durationMs / 1000} s${p.nodes ? `; our server as ${p.nodes} processes on Redis + PostgreSQL, members spread over them` : ''}`,
    repeatable: true,
    ...(p.nodes ? { targets: ['wirechat' as const] } : {}),
    run: (target, options) =>
      withTarget(target, p.nodes ? { ...options, wirechatNodes: p.nodes, reuse: false } : options, async (server, load) => {
        const ready = await load.request<SetupReply>({ cmd: 'setup', ...p.topology }, 120_000)
        if (ready.failed > 0) throw new Error(`${target}: ${ready.failed} clients failed to connect: ${ready.firstError}`)
        // Our server's store counters, read just outside the CPU window (a scrape costs CPU too).
        const storeStart = target === 'wirechat' && !p.nodes ? await scrapeStoreCounters(server.url) : undefined
        const window = await withCpu(server.pids, load.pid, () =>
          load.request<SendReply>({ cmd: 'send', rate: p.rate, durationMs: p.durationMs, drainMs: p.drainMs }, p.durationMs + p.drainMs + 30_000),
        )
        const storeEnd = storeStart && (await scrapeStoreCounters(server.url))
        const store = storeStart && storeEnd && storeFigures(storeStart, storeEnd, window.result.windowMs)
        return { kind: 'traffic', traffic: toTraffic(p.rate, window.result, window.serverCpuMs, window.loadCpuMs, store) }
      }),
  }
}
