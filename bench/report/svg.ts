// The chart, written by hand: four grouped-bar panels (server CPU per
// delivery, p99, RSS per idle connection, saturation throughput) and the
// saturation ramp as lines (p99 per offered rate).
import { TARGETS, type Target } from '../load/commands.ts'
import { figuresOf, TARGET_LABELS, type Results } from './results.ts'
import { ROOM_SIZE_PREFIX, type Traffic } from '../scenarios/types.ts'

const COLORS: Record<Target, string> = { wirechat: '#2563eb', socketio: '#d97706', 'raw-ws': '#059669' }
const PANEL_W = 440
const PANEL_H = 230
const PAD = { top: 34, right: 12, bottom: 34, left: 56 }

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
const text = (x: number, y: number, s: string, attrs = '') => `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" ${attrs}>${esc(s)}</text>`
const short = (n: number) => (n >= 10_000 ? `${Math.round(n / 1000)}k` : n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2))

/** A "nice" upper bound for an axis: 1, 2 or 5 × 10^k at or above `max`. */
function niceMax(max: number): number {
  if (!(max > 0)) return 1
  const p = 10 ** Math.floor(Math.log10(max))
  return ([1, 2, 5, 10].find((m) => m * p >= max) ?? 10) * p
}

interface Group {
  label: string
  values: Partial<Record<Target, number>>
}

function barPanel(x0: number, y0: number, title: string, groups: Group[]): string {
  const w = PANEL_W - PAD.left - PAD.right
  const h = PANEL_H - PAD.top - PAD.bottom
  const top = niceMax(Math.max(0, ...groups.flatMap((g) => Object.values(g.values).filter(Number.isFinite))))
  const out = [`<g transform="translate(${x0},${y0})">`, text(PAD.left, 20, title, 'font-weight="bold"')]
  for (let i = 0; i <= 4; i++) {
    const y = PAD.top + h - (h * i) / 4
    out.push(`<line x1="${PAD.left}" x2="${PAD.left + w}" y1="${y}" y2="${y}" stroke="#ddd"/>`, text(PAD.left - 6, y + 4, short((top * i) / 4), 'text-anchor="end"'))
  }
  const groupW = w / Math.max(1, groups.length)
  const barW = (groupW * 0.7) / TARGETS.length
  groups.forEach((g, gi) => {
    const gx = PAD.left + gi * groupW + groupW * 0.15
    TARGETS.forEach((t, ti) => {
      const v = g.values[t]
      if (v === undefined || !Number.isFinite(v)) return
      const bh = (h * Math.max(0, v)) / top
      const bx = gx + ti * barW
      out.push(
        `<rect x="${bx.toFixed(1)}" y="${(PAD.top + h - bh).toFixed(1)}" width="${(barW - 2).toFixed(1)}" height="${bh.toFixed(1)}" fill="${COLORS[t]}"><title>${esc(`${TARGET_LABELS[t]}: ${v}`)}</title></rect>`,
      )
      out.push(text(bx + barW / 2 - 1, PAD.top + h - bh - 3, short(v), 'text-anchor="middle" font-size="10"'))
    })
    out.push(text(PAD.left + gi * groupW + groupW / 2, PAD.top + h + 16, g.label, 'text-anchor="middle"'))
  })
  out.push('</g>')
  return out.join('\n')
}

function rampPanel(x0: number, y0: number, width: number, results: Results): string {
  const w = width - PAD.left - PAD.right
  const h = PANEL_H - PAD.top - PAD.bottom
  const series = TARGETS.map((t) => ({ t, steps: figuresOf(results, 'saturation', t, 'saturation')?.saturation.steps ?? [] }))
  const rates = series.flatMap((s) => s.steps.map((st) => st.rate))
  const xMax = niceMax(Math.max(1, ...rates))
  // p99 on a log scale from 0.1 ms: the interesting part is where it takes off.
  const yMax = niceMax(Math.max(200, ...series.flatMap((s) => s.steps.map((st) => st.p99Ms)).filter(Number.isFinite)))
  const logMin = Math.log10(0.1)
  const yOf = (ms: number) => PAD.top + h - (h * (Math.log10(Math.max(0.1, ms)) - logMin)) / (Math.log10(yMax) - logMin)
  const xOf = (rate: number) => PAD.left + (w * rate) / xMax
  const out = [`<g transform="translate(${x0},${y0})">`, text(PAD.left, 20, 'Saturation ramp: p99 latency (ms, log) per offered lines/s; dashed = 100 ms limit; ✕ = loss', 'font-weight="bold"')]
  for (let e = -1; 10 ** e <= yMax; e++) {
    const y = yOf(10 ** e)
    out.push(`<line x1="${PAD.left}" x2="${PAD.left + w}" y1="${y}" y2="${y}" stroke="#ddd"/>`, text(PAD.left - 6, y + 4, short(10 ** e), 'text-anchor="end"'))
  }
  for (let i = 0; i <= 5; i++) out.push(text(xOf((xMax * i) / 5), PAD.top + h + 16, short((xMax * i) / 5), 'text-anchor="middle"'))
  out.push(`<line x1="${PAD.left}" x2="${PAD.left + w}" y1="${yOf(100)}" y2="${yOf(100)}" stroke="#b91c1c" stroke-dasharray="4 3"/>`)
  for (const { t, steps } of series) {
    if (steps.length === 0) continue
    const points = steps.map((st) => `${xOf(st.rate).toFixed(1)},${yOf(st.p99Ms).toFixed(1)}`).join(' ')
    out.push(`<polyline points="${points}" fill="none" stroke="${COLORS[t]}" stroke-width="2"/>`)
    for (const st of steps) {
      const x = xOf(st.rate)
      const y = yOf(st.p99Ms)
      const lost = st.lost + st.refused + st.dropped > 0
      out.push(
        lost
          ? text(x, y + 4, '✕', `text-anchor="middle" fill="${COLORS[t]}" font-weight="bold"`)
          : `<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="3" fill="${COLORS[t]}"><title>${esc(`${TARGET_LABELS[t]} ${st.rate}/s: p99 ${st.p99Ms.toFixed(1)} ms, ${Math.round(st.deliveredPerSec)} delivered/s`)}</title></circle>`,
      )
    }
  }
  out.push('</g>')
  return out.join('\n')
}

export function renderSvg(results: Results): string {
  const traffic = (id: string, get: (t: NonNullable<ReturnType<typeof figuresOf<'traffic'>>>['traffic']) => number): Group => ({
    label: id,
    values: Object.fromEntries(
      TARGETS.flatMap((t) => {
        const f = figuresOf(results, id, t, 'traffic')
        return f ? [[t, get(f.traffic)]] : []
      }),
    ),
  })
  const idle = (id: string): Group => ({
    label: id,
    values: Object.fromEntries(
      TARGETS.flatMap((t) => {
        const f = figuresOf(results, id, t, 'idle')
        return f ? [[t, f.idle.rssPerConnectionBytes / 1024]] : []
      }),
    ),
  })
  const saturation: Group = {
    label: 'last passing step',
    values: Object.fromEntries(
      TARGETS.flatMap((t) => {
        const s = figuresOf(results, 'saturation', t, 'saturation')?.saturation
        return s ? [[t, s.lastPassing >= 0 ? s.steps[s.lastPassing]!.deliveredPerSec : 0]] : []
      }),
    ),
  }
  const sized = results.scenarios.filter((s) => s.id.startsWith(ROOM_SIZE_PREFIX))
  const bySize = (get: (t: Traffic) => number) => sized.map((s) => ({ ...traffic(s.id, get), label: `${s.id.slice(ROOM_SIZE_PREFIX.length)} per room` }))
  const width = PANEL_W * 2
  const height = 40 + PANEL_H * (sized.length > 0 ? 4 : 3) + 30
  const e = results.env
  const legend = TARGETS.map((t, i) => `<rect x="${20 + i * 150}" y="${height - 24}" width="12" height="12" fill="${COLORS[t]}"/>${text(36 + i * 150, height - 14, TARGET_LABELS[t])}`).join('')
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    text(20, 24, `wirechat vs Socket.IO 4.8 vs raw ws — ${e.date.slice(0, 10)}, Node ${e.node}, ${e.cores} × ${e.cpuModel}${e.smoke ? ' (smoke)' : ''}`, 'font-size="14" font-weight="bold"'),
    barPanel(0, 40, 'Server CPU per delivered message (µs, lower is better)', [traffic('fan-out', (t) => t.serverCpuUsPerDelivery), traffic('many-rooms', (t) => t.serverCpuUsPerDelivery)]),
    barPanel(PANEL_W, 40, 'p99 latency at the fixed loads (ms, lower is better)', [traffic('fan-out', (t) => t.p99Ms), traffic('many-rooms', (t) => t.p99Ms)]),
    barPanel(
      0,
      40 + PANEL_H,
      'RSS per idle logged-in connection (KiB, lower is better)',
      results.scenarios.filter((s) => s.id.startsWith('idle-')).map((s) => idle(s.id)),
    ),
    barPanel(PANEL_W, 40 + PANEL_H, 'Saturation: delivered msgs/s at last passing step', [saturation]),
    rampPanel(0, 40 + PANEL_H * 2, width, results),
    ...(sized.length > 0
      ? [
          barPanel(
            0,
            40 + PANEL_H * 3,
            'Room size: server CPU per delivery (µs)',
            bySize((t) => t.serverCpuUsPerDelivery),
          ),
          barPanel(
            PANEL_W,
            40 + PANEL_H * 3,
            'Room size: p99 latency (ms)',
            bySize((t) => t.p99Ms),
          ),
        ]
      : []),
    legend,
    '</svg>',
    '',
  ].join('\n')
}
