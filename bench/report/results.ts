// Everything one run produced: the environment and each scenario's figures per target.
import type { Target } from '../load/commands.ts'
import type { Figures, Traffic } from '../scenarios/types.ts'
import type { Environment } from './environment.ts'

export interface ScenarioResult {
  id: string
  title: string
  describe: string
  /** Per target; for a scenario run in rounds, the medians (see medianTraffic). */
  figures: Partial<Record<Target, Figures>>
  /** Each round's figures, for a scenario run in rounds. */
  rounds?: Partial<Record<Target, Traffic[]>>
  /** Machine load average (1 min) when each target started: others' work shows here. */
  loadAverage: Partial<Record<Target, number>>
}

export interface Results {
  env: Environment
  scenarios: ScenarioResult[]
}

export const TARGET_LABELS: Record<Target, string> = { wirechat: 'wirechat', socketio: 'Socket.IO 4.8', 'raw-ws': 'raw ws' }

/** The figures of one kind for a scenario and target, or undefined. */
export function figuresOf<K extends Figures['kind']>(results: Results, scenarioId: string, target: Target, kind: K): Extract<Figures, { kind: K }> | undefined {
  const f = results.scenarios.find((s) => s.id === scenarioId)?.figures[target]
  return f?.kind === kind ? (f as Extract<Figures, { kind: K }>) : undefined
}
