// The targets, judged from one run's figures (ratios against the
// Socket.IO target measured in the same run).
import { figuresOf, type Results } from './results.ts'

export interface Goal {
  name: string
  goal: string
  wirechat: string
  socketio: string
  /** wirechat ÷ Socket.IO where the goal is a ratio. */
  ratio?: number
  /** undefined: could not be judged (a scenario missing or failed). */
  met: boolean | undefined
}

const us = (n: number) => `${n.toFixed(2)} µs`
const ms = (n: number) => `${n.toFixed(1)} ms`
const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`

function ratioGoal(name: string, goal: string, a: number | undefined, b: number | undefined, max: number, fmt: (n: number) => string): Goal {
  if (a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b)) {
    return { name, goal, wirechat: '—', socketio: '—', met: undefined }
  }
  const ratio = a / b
  return { name, goal, wirechat: fmt(a), socketio: fmt(b), ratio, met: ratio <= max }
}

export function judgeGoals(results: Results): Goal[] {
  const goals: Goal[] = []
  // Issue 15: fan-out at most 0.8× Socket.IO's CPU, many rooms (the store's worst shape) at most 1.0×.
  for (const [id, cpuMax] of [
    ['fan-out', 0.8],
    ['many-rooms', 1.0],
  ] as const) {
    const w = figuresOf(results, id, 'wirechat', 'traffic')?.traffic
    const s = figuresOf(results, id, 'socketio', 'traffic')?.traffic
    goals.push(ratioGoal(`${id}: server CPU per delivered message`, `≤ ${cpuMax.toFixed(1)}× Socket.IO`, w?.serverCpuUsPerDelivery, s?.serverCpuUsPerDelivery, cpuMax, us))
    goals.push(ratioGoal(`${id}: p99 latency at the fixed load`, '≤ Socket.IO', w?.p99Ms, s?.p99Ms, 1, ms))
  }
  const idleIds = results.scenarios.filter((s) => s.id.startsWith('idle-')).map((s) => s.id)
  for (const id of idleIds) {
    const w = figuresOf(results, id, 'wirechat', 'idle')?.idle
    const s = figuresOf(results, id, 'socketio', 'idle')?.idle
    goals.push(ratioGoal(`${id}: RSS per idle logged-in connection`, '≤ 0.6× Socket.IO', w?.rssPerConnectionBytes, s?.rssPerConnectionBytes, 0.6, kib))
  }
  // The largest idle scenario must keep every connection (10,000 in the full run).
  const largest = idleIds.at(-1) ?? 'idle-10000'
  const held = figuresOf(results, largest, 'wirechat', 'idle')?.idle
  const heldS = figuresOf(results, largest, 'socketio', 'idle')?.idle
  const heldText = (i: typeof held) => (i ? `${i.open} open, ${i.dropped} dropped` : '—')
  goals.push({
    name: `${largest}: every idle connection held`,
    goal: 'all open, none dropped',
    wirechat: heldText(held),
    socketio: heldText(heldS),
    met: held ? held.open === held.connections && held.dropped === 0 : undefined,
  })
  const w = figuresOf(results, 'saturation', 'wirechat', 'saturation')?.saturation
  const s = figuresOf(results, 'saturation', 'socketio', 'saturation')?.saturation
  const lostText = (x: typeof w) => (x ? `${x.steps.reduce((n, st) => n + st.lost + st.refused, 0)} lost (stopped by ${x.stoppedBy})` : '—')
  goals.push({
    name: 'saturation: no message lost at any step',
    goal: 'ramp ends on p99, never on a loss',
    wirechat: lostText(w),
    socketio: lostText(s),
    met: w ? w.stoppedBy !== 'loss' : undefined,
  })
  const rateAt = (x: typeof w) => (x && x.lastPassing >= 0 ? x.steps[x.lastPassing]!.deliveredPerSec : x ? 0 : undefined)
  const rw = rateAt(w)
  const rs = rateAt(s)
  goals.push({
    name: 'saturation: delivered msgs/s at the last passing step',
    goal: '≥ Socket.IO',
    wirechat: rw === undefined ? '—' : `${Math.round(rw)}/s`,
    socketio: rs === undefined ? '—' : `${Math.round(rs)}/s`,
    ...(rw !== undefined && rs !== undefined && rs > 0 && { ratio: rw / rs }),
    met: rw === undefined || rs === undefined ? undefined : rw >= rs,
  })
  return goals
}
