// `npm run bench` (or bench:smoke): runs every scenario against our server,
// Socket.IO 4.8 and a raw `ws` ceiling, one after another in this process's
// run, and writes the table and chart under bench/results/.
//   --smoke          tiny loads, a few seconds; exits non-zero on insane numbers
//   --out DIR        where to write (default bench/results, smoke: bench/results/smoke)
//   --only a,b       scenario ids (fan-out, fan-out-cluster, many-rooms, room-size-10/100/1000/5000, idle-1000, idle-5000, idle-10000, idle-20000, saturation, hot-room-cluster);
//                    a word that is no id takes its group (room-size, idle)
//   --targets a,b    wirechat, socketio, raw-ws
//   --profile DIR    run our server with --cpu-prof, profiles into DIR
//   --nice=N         run servers and load at nice N (e.g. --nice=-20 as root on a shared machine)
//   --rounds N       rounds of the fixed-rate scenarios, interleaved across targets (default 3; smoke 1)
//   --env K=V,K=V    extra environment for our server (experiments; shown in the report header)
import { mkdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { TARGETS, type Target } from './load/commands.ts'
import { environment } from './report/environment.ts'
import { renderMarkdown } from './report/markdown.ts'
import { renderSvg } from './report/svg.ts'
import { sanityProblems } from './report/sanity.ts'
import type { Results } from './report/results.ts'
import { pinSelf, setNiceness } from './process.ts'
import { loadavg } from 'node:os'
import { LOAD_CORE, releaseTarget } from './scenarios/harness.ts'
import { scenarios } from './scenarios/index.ts'
import { medianTraffic, type Figures } from './scenarios/types.ts'

const { values } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    out: { type: 'string' },
    only: { type: 'string' },
    targets: { type: 'string' },
    profile: { type: 'string' },
    nice: { type: 'string' },
    env: { type: 'string' },
    rounds: { type: 'string' },
  },
})
const smoke = values.smoke!
const outDir = resolve(values.out ?? (smoke ? 'bench/results/smoke' : 'bench/results'))
const targets = (values.targets?.split(',') ?? [...TARGETS]) as Target[]
const only = values.only?.split(',')
const all = scenarios(smoke)
// An exact id selects that scenario; a word that is no id selects its group (room-size → room-size-10, …).
const selected = all.filter((s) => !only || only.some((o) => s.id === o || (!all.some((x) => x.id === o) && s.id.startsWith(`${o}-`))))
const wirechatNodeArgs = values.profile ? ['--cpu-prof', `--cpu-prof-dir=${resolve(values.profile)}`] : []

setNiceness(Number(values.nice ?? 0))
// The orchestrator waits most of the time; keep it off the server's core.
pinSelf(LOAD_CORE)
const env = environment(process.argv.slice(2), smoke)
const results: Results = { env, scenarios: [] }
const started = Date.now()

const wirechatEnv = Object.fromEntries((values.env?.split(',') ?? []).filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]))
const options = { wirechatNodeArgs, wirechatEnv, reuse: smoke }
// Smoke: all scenarios of one target on one server (start-up would dominate).
// Full run: each scenario runs all targets back to back, so they share the
// machine's conditions as closely as possible; the fixed-rate ones do that
// `rounds` times (wirechat, Socket.IO, raw ws, wirechat, …) and report
// medians, so one noisy window does not decide a ratio.
const rounds = smoke ? 1 : Math.max(1, Number(values.rounds ?? 3))
const order = smoke
  ? targets.flatMap((target) => selected.map((scenario) => ({ scenario, target, round: 1 })))
  : selected.flatMap((scenario) => {
      const own = targets.filter((t) => !scenario.targets || scenario.targets.includes(t))
      return Array.from({ length: scenario.repeatable ? rounds : 1 }, (_, i) => own.map((target) => ({ scenario, target, round: i + 1 }))).flat()
    })
for (const { scenario, target, round } of order) {
  let entry = results.scenarios.find((s) => s.id === scenario.id)
  if (!entry) results.scenarios.push((entry = { id: scenario.id, title: scenario.title, describe: scenario.describe, figures: {}, loadAverage: {} }))
  const of = scenario.repeatable && rounds > 1 ? ` (round ${round} of ${rounds})` : ''
  process.stderr.write(`${scenario.title} / ${target}${of}: ${scenario.describe}\n`)
  const t0 = Date.now()
  if (round === 1) entry.loadAverage[target] = loadavg()[0]!
  let figures: Figures
  try {
    figures = await scenario.run(target, options)
  } catch (err) {
    process.stderr.write(`  FAILED ${(err as Error).stack}\n`)
    figures = { kind: 'failed', error: String((err as Error).message) }
  }
  if (scenario.repeatable && rounds > 1) {
    // A failed round fails the target; otherwise its figures are the medians so far.
    const kept = ((entry.rounds ??= {})[target] ??= [])
    if (figures.kind === 'traffic') kept.push(figures.traffic)
    if (figures.kind !== 'traffic') entry.figures[target] = figures
    else if (entry.figures[target]?.kind !== 'failed') entry.figures[target] = { kind: 'traffic', traffic: medianTraffic(kept) }
  } else {
    entry.figures[target] = figures
  }
  process.stderr.write(`  done in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`)
  if (smoke && scenario === selected.at(-1)) await releaseTarget(target)
}
env.durationS = Math.round((Date.now() - started) / 1000)

mkdirSync(outDir, { recursive: true })
const markdown = renderMarkdown(results)
const svg = renderSvg(results)
const stamp = env.date.replace(/[:]/g, '').replace(/\..*$/, '')
// The dated copy keeps history; smoke numbers are not worth keeping.
for (const name of smoke ? ['latest'] : ['latest', stamp]) {
  writeFileSync(join(outDir, `${name}.md`), markdown)
  writeFileSync(join(outDir, `${name}.svg`), svg)
}
writeFileSync(join(outDir, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`)
process.stderr.write(`wrote ${join(outDir, 'latest.md')} and latest.svg (${env.durationS} s)\n`)

if (smoke) {
  const problems = sanityProblems(results)
  for (const p of problems) process.stderr.write(`smoke: ${p}\n`)
  process.exitCode = problems.length > 0 ? 1 : 0
}
