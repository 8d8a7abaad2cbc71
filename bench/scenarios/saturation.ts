// Saturation ramp: one topology, the total rate raised step by step until
// p99 passes the limit or a line is lost (refused, dropped or undelivered).
import type { SendReply, SetupReply, Topology } from '../load/commands.ts'
import { withCpu, withTarget } from './harness.ts'
import { describeTopology, toTraffic, type SaturationFigures, type Scenario, type Traffic } from './types.ts'

export interface RampParams {
  /** Scenario id and title (default: the single-node ramp, `saturation`). */
  id?: string
  title?: string
  /** Run our server as this many nodes on Redis + PostgreSQL (only our server can). */
  nodes?: number
  topology: Topology
  /** Lines per second at each step, rising. */
  rates: number[]
  stepMs: number
  drainMs: number
  p99LimitMs: number
}

const lostAny = (t: Traffic) => t.lost > 0 || t.refused > 0 || t.dropped > 0

export function saturation(p: RampParams): Scenario {
  return {
    id: p.id ?? 'saturation',
    title: p.title ?? 'Saturation ramp',
    describe: `${describeTopology(p.topology)}; ${p.rates.join(', ')} lines/s, ${p.stepMs / 1000} s per step, until p99 > ${p.p99LimitMs} ms or a loss${p.nodes ? `; our server as ${p.nodes} processes on Redis + PostgreSQL, members spread over them` : ''}`,
    ...(p.nodes ? { targets: ['wirechat' as const] } : {}),
    run: (target, options) =>
      withTarget(target, p.nodes ? { ...options, wirechatNodes: p.nodes, reuse: false } : options, async (server, load) => {
        const ready = await load.request<SetupReply>({ cmd: 'setup', ...p.topology }, 120_000)
        if (ready.failed > 0) throw new Error(`${target}: ${ready.failed} clients failed to connect: ${ready.firstError}`)
        const steps: Traffic[] = []
        let stoppedBy: SaturationFigures['stoppedBy'] = 'end of ramp'
        for (const rate of p.rates) {
          const window = await withCpu(server.pids, load.pid, () => load.request<SendReply>({ cmd: 'send', rate, durationMs: p.stepMs, drainMs: p.drainMs }, p.stepMs + p.drainMs + 30_000))
          const step = toTraffic(rate, window.result, window.serverCpuMs, window.loadCpuMs)
          steps.push(step)
          process.stderr.write(`  ${target} ${rate}/s: p99 ${step.p99Ms.toFixed(1)} ms, lost ${step.lost}, server ${step.serverCpuPct.toFixed(0)}%, load ${step.loadCpuPct.toFixed(0)}%\n`)
          if (lostAny(step)) {
            stoppedBy = 'loss'
            break
          }
          if (!(step.p99Ms <= p.p99LimitMs)) {
            stoppedBy = 'p99'
            break
          }
        }
        const lastPassing = stoppedBy === 'end of ramp' ? steps.length - 1 : steps.length - 2
        return { kind: 'saturation', saturation: { steps, lastPassing, stoppedBy } }
      }),
  }
}
