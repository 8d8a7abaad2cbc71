// A quick A/B of our server's settings on the many-rooms shape, for work in
// progress: short windows, wirechat only, variants interleaved. Indicative
// only (no Socket.IO beside it); the real comparison is `bench/run.ts`.
//   node --conditions=wirechat-source bench/probe.ts --variant '' --variant 'COMMIT_DELAY_MS=1' [--seconds 4] [--rate 1000] [--rounds 2]
// Each variant is K=V,K=V of environment for our server ('' for the defaults);
// --profile DIR writes a CPU profile of each server run there.
import { parseArgs } from 'node:util'
import type { SendReply, SetupReply } from './load/commands.ts'
import { pinSelf, setNiceness } from './process.ts'
import { LOAD_CORE, withCpu, withTarget } from './scenarios/harness.ts'
import { scrapeStoreCounters, storeFigures } from './scenarios/store-metrics.ts'
import { toTraffic } from './scenarios/types.ts'

const { values } = parseArgs({
  options: {
    variant: { type: 'string', multiple: true, default: [''] },
    seconds: { type: 'string', default: '4' },
    rate: { type: 'string', default: '1000' },
    rounds: { type: 'string', default: '2' },
    rooms: { type: 'string', default: '100' },
    members: { type: 'string', default: '10' },
    nice: { type: 'string', default: '0' },
    profile: { type: 'string' },
  },
})
setNiceness(Number(values.nice))
pinSelf(LOAD_CORE)
const durationMs = Number(values.seconds) * 1000
const rate = Number(values.rate)
const topology = { rooms: Number(values.rooms), membersPerRoom: Number(values.members), sendersPerRoom: 1 }
const envOf = (v: string) =>
  Object.fromEntries(
    v
      .split(',')
      .filter(Boolean)
      .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
  )

for (let round = 1; round <= Number(values.rounds); round++) {
  for (const variant of values.variant!) {
    await withTarget('wirechat', { wirechatNodeArgs: values.profile ? ['--cpu-prof', `--cpu-prof-dir=${values.profile}`] : [], wirechatEnv: envOf(variant), reuse: false }, async (server, load) => {
      const ready = await load.request<SetupReply>({ cmd: 'setup', ...topology }, 120_000)
      if (ready.failed > 0) throw new Error(`${ready.failed} clients failed: ${ready.firstError}`)
      // Warm-up: JIT, head caches, first checkpoint.
      await load.request<SendReply>({ cmd: 'send', rate, durationMs: 1000, drainMs: 2000 }, 30_000)
      const start = await scrapeStoreCounters(server.url)
      const w = await withCpu(server.pids, load.pid, () => load.request<SendReply>({ cmd: 'send', rate, durationMs, drainMs: 3000 }, durationMs + 30_000))
      const end = await scrapeStoreCounters(server.url)
      const t = toTraffic(rate, w.result, w.serverCpuMs, w.loadCpuMs, start && end && storeFigures(start, end, w.result.windowMs))
      const s = t.store
      process.stdout.write(
        `round ${round} [${variant || 'defaults'}] cpu ${t.serverCpuUsPerDelivery.toFixed(2)} µs/delivery (${t.serverCpuPct.toFixed(0)}%), p50 ${t.p50Ms.toFixed(2)} p99 ${t.p99Ms.toFixed(2)} ms, lost ${t.lost + t.refused + t.dropped}` +
          (s ? `; ${s.commitsPerSec.toFixed(0)} commits/s, ${s.writesPerCommit.toFixed(2)} per commit, flush ${s.flushMs.toFixed(2)} ms` : '') +
          `\n`,
      )
    })
  }
}
