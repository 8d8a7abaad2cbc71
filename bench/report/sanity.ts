// Smoke-mode checks: the harness produced numbers that can be real. Not
// performance goals: a tiny load on a CI machine proves only that it works.
import { TARGETS } from '../load/commands.ts'
import type { Traffic } from '../scenarios/types.ts'
import type { Results } from './results.ts'

function trafficProblems(where: string, t: Traffic): string[] {
  const problems: string[] = []
  if (!(t.sent > 0)) problems.push(`${where}: nothing sent`)
  if (!(t.received > 0)) problems.push(`${where}: nothing delivered`)
  if (t.lost > 0 || t.refused > 0 || t.dropped > 0) problems.push(`${where}: ${t.lost} lost, ${t.refused} refused, ${t.dropped} dropped at a tiny load`)
  if (!(t.p50Ms > 0 && t.p99Ms >= t.p50Ms && t.maxMs >= t.p99Ms && t.maxMs < 5000)) problems.push(`${where}: odd latencies p50 ${t.p50Ms} p99 ${t.p99Ms} max ${t.maxMs}`)
  if (!(t.serverCpuUsPerDelivery >= 0 && Number.isFinite(t.serverCpuUsPerDelivery))) problems.push(`${where}: server CPU per delivery ${t.serverCpuUsPerDelivery}`)
  if (!(t.deliveredPerSec > 0)) problems.push(`${where}: delivered/s ${t.deliveredPerSec}`)
  return problems
}

/** Every reason to fail the smoke run; empty when the numbers are sane. */
export function sanityProblems(results: Results): string[] {
  const problems: string[] = []
  for (const s of results.scenarios) {
    for (const target of TARGETS) {
      const f = s.figures[target]
      const where = `${s.id}/${target}`
      if (!f) problems.push(`${where}: not run`)
      else if (f.kind === 'failed') problems.push(`${where}: failed: ${f.error}`)
      else if (f.kind === 'traffic') problems.push(...trafficProblems(where, f.traffic))
      else if (f.kind === 'saturation') {
        if (f.saturation.steps.length === 0) problems.push(`${where}: no ramp step`)
        f.saturation.steps.forEach((st, i) => problems.push(...trafficProblems(`${where} step ${i + 1}`, st)))
      } else {
        const i = f.idle
        if (i.open !== i.connections || i.dropped !== 0) problems.push(`${where}: ${i.open}/${i.connections} open, ${i.dropped} dropped`)
        if (!(i.rssAfterBytes > 0 && i.rssBeforeBytes > 0 && Number.isFinite(i.rssPerConnectionBytes))) problems.push(`${where}: RSS not measured`)
      }
    }
  }
  return problems
}
