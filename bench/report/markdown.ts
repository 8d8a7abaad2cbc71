// The results as a markdown report: environment, the issue's targets, then
// one table per scenario with every figure as a ratio against Socket.IO and
// against raw ws from the same run.
import { TARGETS, type Target } from '../load/commands.ts'
import { LOAD_BOUND_PCT, ROOM_SIZE_PREFIX, type Figures, type StoreFigures, type Traffic } from '../scenarios/types.ts'
import { judgeGoals } from './goals.ts'
import { TARGET_LABELS, type Results, type ScenarioResult } from './results.ts'

interface Row {
  label: string
  values: Partial<Record<Target, number>>
  format: (n: number) => string
  /** Marks a cell, e.g. a load-bound window. */
  note?: Partial<Record<Target, string>>
}

const fixed = (digits: number) => (n: number) => (Number.isFinite(n) ? n.toFixed(digits) : '—')
const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en') : '—')

function ratio(a: number | undefined, b: number | undefined): string {
  if (a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b)) return '—'
  if (b === 0) return a === 0 ? '1.00×' : '∞'
  return `${(a / b).toFixed(2)}×`
}

function table(rows: Row[]): string {
  const head = `| Figure | ${TARGET_LABELS.wirechat} | ÷ Socket.IO | ÷ raw ws | ${TARGET_LABELS.socketio} | ÷ raw ws | ${TARGET_LABELS['raw-ws']} |`
  const lines = [head, '|---|--:|--:|--:|--:|--:|--:|']
  for (const r of rows) {
    const cell = (t: Target) => (r.values[t] === undefined ? '—' : r.format(r.values[t]!) + (r.note?.[t] ?? ''))
    const v = r.values
    lines.push(
      `| ${r.label} | ${cell('wirechat')} | ${ratio(v.wirechat, v.socketio)} | ${ratio(v.wirechat, v['raw-ws'])} | ${cell('socketio')} | ${ratio(v.socketio, v['raw-ws'])} | ${cell('raw-ws')} |`,
    )
  }
  return lines.join('\n')
}

function pick<T>(s: ScenarioResult, get: (f: Figures) => T | undefined): Partial<Record<Target, T>> {
  const out: Partial<Record<Target, T>> = {}
  for (const t of TARGETS) {
    const f = s.figures[t]
    const v = f && get(f)
    if (v !== undefined) out[t] = v
  }
  return out
}

function trafficRows(byTarget: Partial<Record<Target, Traffic>>): Row[] {
  const of = (get: (t: Traffic) => number) => Object.fromEntries(Object.entries(byTarget).map(([k, t]) => [k, get(t)])) as Partial<Record<Target, number>>
  const loadNote = Object.fromEntries(Object.entries(byTarget).map(([k, t]) => [k, t.loadBound ? ' ⚠ load-bound' : ''])) as Partial<Record<Target, string>>
  return [
    { label: 'delivered msgs/s', values: of((t) => t.deliveredPerSec), format: int },
    { label: 'latency p50 (ms)', values: of((t) => t.p50Ms), format: fixed(2) },
    { label: 'latency p99 (ms)', values: of((t) => t.p99Ms), format: fixed(2) },
    { label: 'latency max (ms)', values: of((t) => t.maxMs), format: fixed(1) },
    { label: 'messages lost (+ refused, dropped)', values: of((t) => t.lost + t.refused + t.dropped), format: int },
    { label: 'server CPU per delivery (µs)', values: of((t) => t.serverCpuUsPerDelivery), format: fixed(2) },
    { label: 'server CPU (% of a core)', values: of((t) => t.serverCpuPct), format: fixed(0) },
    { label: 'load generator CPU (% of a core)', values: of((t) => t.loadCpuPct), format: fixed(0), note: loadNote },
  ]
}

function scenarioSection(s: ScenarioResult): string {
  const out = [`## ${s.title}`, '', s.describe, '']
  const failed = TARGETS.filter((t) => s.figures[t]?.kind === 'failed').map((t) => `${TARGET_LABELS[t]}: ${(s.figures[t] as { error: string }).error}`)
  const traffic = pick(s, (f) => (f.kind === 'traffic' ? f.traffic : undefined))
  const idle = pick(s, (f) => (f.kind === 'idle' ? f.idle : undefined))
  const sat = pick(s, (f) => (f.kind === 'saturation' ? f.saturation : undefined))
  if (Object.keys(traffic).length > 0) out.push(table(trafficRows(traffic)))
  const rounds = s.rounds
  if (rounds !== undefined) {
    const n = Math.max(...Object.values(rounds).map((r) => r.length))
    const each = (get: (t: Traffic) => number, digits: number) =>
      TARGETS.filter((t) => rounds[t])
        .map((t) => `${TARGET_LABELS[t]} ${rounds[t]!.map((r) => fixed(digits)(get(r))).join(', ')}`)
        .join('; ')
    out.push(
      '',
      `${n} rounds, interleaved across targets; the table shows the median of each figure (losses: the sum).`,
      `Server CPU per delivery (µs) in each round: ${each((t) => t.serverCpuUsPerDelivery, 2)}.`,
      `Latency p99 (ms) in each round: ${each((t) => t.p99Ms, 1)}.`,
    )
  }
  // A store that does not group-commit (STORE=memory) has no commits to show.
  const store = traffic.wirechat?.store
  if (store !== undefined && store.commitsPerSec > 0) out.push('', storeLines(store, rounds?.wirechat))
  if (Object.keys(idle).length > 0) {
    const of = (get: (i: NonNullable<(typeof idle)[Target]>) => number) => Object.fromEntries(Object.entries(idle).map(([k, i]) => [k, get(i)])) as Partial<Record<Target, number>>
    out.push(
      table([
        { label: 'RSS per connection (KiB)', values: of((i) => i.rssPerConnectionBytes / 1024), format: fixed(2) },
        { label: 'RSS before, after GC (MiB)', values: of((i) => i.rssBeforeBytes / 2 ** 20), format: fixed(1) },
        { label: 'RSS with connections, after GC (MiB)', values: of((i) => i.rssAfterBytes / 2 ** 20), format: fixed(1) },
        { label: 'connections open after the hold', values: of((i) => i.open), format: int },
        { label: 'connections dropped or refused', values: of((i) => i.dropped), format: int },
        { label: 'time to connect and log in all (s)', values: of((i) => i.setupMs / 1000), format: fixed(1) },
      ]),
    )
  }
  if (Object.keys(sat).length > 0) {
    const last = Object.fromEntries(
      Object.entries(sat)
        .filter(([, x]) => x.lastPassing >= 0)
        .map(([k, x]) => [k, x.steps[x.lastPassing]!]),
    ) as Partial<Record<Target, Traffic>>
    out.push('At the last passing step (p99 within the ramp’s limit, nothing lost):', '')
    out.push(table([{ label: 'offered lines/s', values: Object.fromEntries(Object.entries(last).map(([k, t]) => [k, t.rate])), format: int }, ...trafficRows(last)]))
    out.push('', 'Every step (delivered msgs/s · p99 ms · server CPU % · load CPU %):', '')
    const rates = [...new Set(Object.values(sat).flatMap((x) => x.steps.map((st) => st.rate)))].sort((a, b) => a - b)
    out.push(`| lines/s | ${TARGETS.map((t) => TARGET_LABELS[t]).join(' | ')} |`, `|--:|${TARGETS.map(() => '--:').join('|')}|`)
    for (const rate of rates) {
      const cells = TARGETS.map((t) => {
        const st = sat[t]?.steps.find((x) => x.rate === rate)
        if (!st) return ''
        const lost = st.lost + st.refused + st.dropped
        return `${int(st.deliveredPerSec)} · ${fixed(1)(st.p99Ms)} · ${fixed(0)(st.serverCpuPct)}% · ${fixed(0)(st.loadCpuPct)}%${lost ? ` · **${lost} lost**` : ''}${st.loadBound ? ' ⚠' : ''}`
      })
      out.push(`| ${int(rate)} | ${cells.join(' | ')} |`)
    }
    out.push(
      '',
      `Stopped by: ${TARGETS.filter((t) => sat[t])
        .map((t) => `${TARGET_LABELS[t]} ${sat[t]!.stoppedBy}`)
        .join('; ')}.`,
    )
  }
  out.push(
    '',
    `Machine load average (1 min) when each target started: ${TARGETS.filter((t) => s.loadAverage[t] !== undefined)
      .map((t) => `${TARGET_LABELS[t]} ${s.loadAverage[t]!.toFixed(2)}`)
      .join(', ')}.`,
  )
  if (failed.length > 0) out.push('', `Failed: ${failed.join('; ')}`)
  return out.join('\n')
}

/** Room sizes side by side: server CPU per delivery and p99 of each target, with wirechat's ratio to Socket.IO. */
function roomSizeSection(results: Results): string | undefined {
  const sized = results.scenarios.filter((s) => s.id.startsWith(ROOM_SIZE_PREFIX))
  if (sized.length === 0) return undefined
  const traffic = (s: ScenarioResult, t: Target) => (s.figures[t]?.kind === 'traffic' ? (s.figures[t] as { traffic: Traffic }).traffic : undefined)
  const lines = [
    '## Room size',
    '',
    'The same total delivery rate in rooms of each size (the rate per room falls as rooms grow); each size is its own scenario above. Server CPU per delivery (µs) · p99 (ms):',
    '',
    `| members per room | ${TARGETS.map((t) => TARGET_LABELS[t]).join(' | ')} | wirechat ÷ Socket.IO (CPU · p99) |`,
    `|--:|${TARGETS.map(() => '--:').join('|')}|--:|`,
  ]
  for (const s of sized) {
    const cells = TARGETS.map((t) => {
      const x = traffic(s, t)
      return x ? `${fixed(2)(x.serverCpuUsPerDelivery)} · ${fixed(1)(x.p99Ms)}` : '—'
    })
    const w = traffic(s, 'wirechat')
    const io = traffic(s, 'socketio')
    lines.push(`| ${int(Number(s.id.slice(ROOM_SIZE_PREFIX.length)))} | ${cells.join(' | ')} | ${ratio(w?.serverCpuUsPerDelivery, io?.serverCpuUsPerDelivery)} · ${ratio(w?.p99Ms, io?.p99Ms)} |`)
  }
  return lines.join('\n')
}

/** Our store over the window: commits, writes per commit, flushes (median and each round). */
function storeLines(store: StoreFigures, rounds: Traffic[] | undefined): string {
  const each = (get: (f: StoreFigures) => number, format: (n: number) => string) =>
    rounds !== undefined && rounds.length > 1 ? ` (${rounds.map((r) => (r.store ? format(get(r.store)) : '—')).join(', ')})` : ''
  return [
    'wirechat store over the window (SQLite group commit, from its /metrics)' + (rounds !== undefined && rounds.length > 1 ? '; median, each round in brackets' : '') + ':',
    '',
    '| commits/s | messages per commit | flushes/s | mean flush (ms) |',
    '|--:|--:|--:|--:|',
    `| ${int(store.commitsPerSec)}${each((f) => f.commitsPerSec, int)} | ${fixed(2)(store.writesPerCommit)}${each((f) => f.writesPerCommit, fixed(2))} | ${int(store.flushesPerSec)}${each((f) => f.flushesPerSec, int)} | ${fixed(2)(store.flushMs)}${each((f) => f.flushMs, fixed(2))} |`,
  ].join('\n')
}

export function renderMarkdown(results: Results): string {
  const e = results.env
  const goals = judgeGoals(results)
  const status = (m: boolean | undefined) => (m === undefined ? 'not judged' : m ? '**met**' : '**missed**')
  return [
    `# wirechat benchmark${e.smoke ? ' (smoke: tiny loads, numbers mean nothing)' : ''}`,
    '',
    '| | |',
    '|---|---|',
    `| Date | ${e.date} |`,
    `| Command | \`${e.command}\` |`,
    `| Node | ${e.node} |`,
    `| CPU | ${e.cpuModel}, ${e.cores} cores |`,
    `| Kernel | ${e.kernel} |`,
    `| Load average at start | ${e.loadAverage} |`,
    `| Pinning | ${e.pinning} |`,
    `| Versions | ${e.versions} |`,
    `| wirechat settings changed | ${e.wirechatSettings} |`,
    `| Duration | ${e.durationS ?? '?'} s |`,
    '',
    "Each target runs as its own process, started fresh for each scenario; load comes from a separate process on 127.0.0.1–4 speaking that target's protocol. " +
      "Latency is end to end (send time carried in the line's text, same clock). Server CPU is utime+stime from /proc/PID/stat over the window divided by deliveries. " +
      'Deliveries count the other members only; each sender also gets one ack per line (raw ws: its own copy). ' +
      `⚠ load-bound: the load generator used ≥ ${LOAD_BOUND_PCT}% of its core, so it, not the server, may have been the limit.`,
    '',
    '## Targets from the issue',
    '',
    '| Target | Goal | wirechat | Socket.IO | wirechat ÷ Socket.IO | Status |',
    '|---|---|--:|--:|--:|---|',
    ...goals.map((g) => `| ${g.name} | ${g.goal} | ${g.wirechat} | ${g.socketio} | ${g.ratio === undefined ? '—' : `${g.ratio.toFixed(2)}×`} | ${status(g.met)} |`),
    '',
    ...results.scenarios.map(scenarioSection).flatMap((s) => [s, '']),
    ...[roomSizeSection(results)].filter((s) => s !== undefined).flatMap((s) => [s, '']),
    '![chart](latest.svg)',
    '',
  ].join('\n')
}
