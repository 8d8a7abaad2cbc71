// runClientKit: the client kit as a function. It runs every scenario (a few
// at once), each against its own fake server with its own client process,
// judges what the wire and the client's stdout showed, and returns every
// check's result as data, in the order of the id table.
import { PROTOCOL_VERSION, SUBPROTOCOL } from '@wirechat/protocol'
import { runTest, Test } from '../harness.ts'
import type { CheckResult } from '../run.ts'
import { ClientProcess, DEFAULT_HINTS, type Hints } from './client-process.ts'
import { FakeServer } from './fake-server.ts'
import { CLIENT_CHECK_IDS, CLIENT_CHECKS, type ClientCheckId, checkName } from './ids.ts'
import type { Scenario, Stage } from './scenario.ts'
import { SCENARIOS } from './scenarios/index.ts'

export interface ClientRunOptions {
  /** The client under test: the program and its arguments (it speaks the adapter protocol). */
  command: readonly string[]
  /** More environment for the client (WIRECHAT_URL and the hints are set by the kit). */
  env?: Record<string, string>
  /** The backoff scale told to the client (default DEFAULT_HINTS: 200 ms, capped at 1600 ms). */
  hints?: Partial<Hints>
  /** Scenarios run at once (default 4). */
  jobs?: number
  /** Only these checks: ids, or id prefixes such as "CLI-BACKOFF". */
  checks?: readonly string[]
  /** Called as each scenario finishes, with its checks. */
  onProgress?: (checks: CheckResult[]) => void
}

export interface ClientKitResults {
  kit: 'client'
  /** The command that was tested. */
  command: string[]
  protocol: string
  protocolVersion: string
  /** The backoff scale the client was told. */
  hints: Hints
  startedAt: string
  durationMs: number
  summary: { total: number; passed: number; failed: number; skipped: number }
  checks: CheckResult[]
}

/** Bound of one judge: it only reads what the play recorded. */
const JUDGE_MS = 5_000
/** Lines of transcript kept with a failed check. */
const TRANSCRIPT_LINES = 80

const selected = (filter: readonly string[] | undefined, id: string): boolean => filter === undefined || filter.some((f) => id === f || id.startsWith(`${f}-`))

/** True when every given filter names at least one check. */
export function knownCheckFilter(filter: string): boolean {
  return CLIENT_CHECK_IDS.some((id) => selected([filter], id))
}

async function bounded(promise: Promise<void>, ms: number, what: string): Promise<void> {
  promise.catch(() => {}) // a play cut short keeps running briefly against a closed server
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms)
  })
  try {
    await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}

/** The scenario's wire, instructions and shown lines, in time order, for a failure report. */
function transcript(stage: Stage): string[] {
  const lines = [
    ...stage.server.transcript,
    ...stage.client.instructions.map(({ at, instruction }) => ({ at, text: `kit → client stdin: ${JSON.stringify(instruction)}` })),
    ...stage.client.shown.map(({ at, line }) => ({ at, text: `client shows: ${JSON.stringify(line).slice(0, 240)}` })),
  ].sort((a, b) => a.at - b.at)
  const t0 = lines[0]?.at ?? 0
  const out = lines.map(({ at, text }) => `+${String(Math.round(at - t0)).padStart(5)} ms  ${text}`)
  if (stage.client.badLines.length > 0) out.push(`client printed ${stage.client.badLines.length} line(s) outside the adapter protocol, e.g. ${JSON.stringify(stage.client.badLines[0])}`)
  out.push(`client process: ${stage.client.describe()}`)
  return out.length > TRANSCRIPT_LINES ? [`… ${out.length - TRANSCRIPT_LINES} earlier lines`, ...out.slice(-TRANSCRIPT_LINES)] : out
}

const asCheck = (id: ClientCheckId, file: string, result: Awaited<ReturnType<typeof runTest>>): CheckResult => ({
  ...result,
  id,
  section: CLIENT_CHECKS[id].section,
  clauses: [...CLIENT_CHECKS[id].clauses],
  file,
})

interface ScenarioOutcome {
  checks: CheckResult[]
  violations: string[]
  badLines: string[]
  /** Connection attempts that did not offer chat.v1, described. */
  unoffered: string[]
}

async function runScenario(scenario: Scenario<any>, options: ClientRunOptions, hints: Hints): Promise<ScenarioOutcome> {
  const server = await FakeServer.start(scenario.server)
  const env = {
    ...options.env,
    WIRECHAT_URL: server.url,
    WIRECHAT_BACKOFF_BASE_MS: String(hints.backoffBaseMs),
    WIRECHAT_BACKOFF_MAX_MS: String(hints.backoffMaxMs),
  }
  const client = new ClientProcess(options.command, env, () => server.poke())
  const stage: Stage = { server, client, hints, error: undefined, notApplicable: undefined }
  const observed: Record<string, unknown> = {}
  try {
    await bounded(scenario.play(stage, observed), scenario.maxMs ?? 30_000, `the scenario ${scenario.name}`)
  } catch (err) {
    stage.error = err instanceof Error ? err : new Error(String(err))
  } finally {
    await client.stop()
    await server.close()
  }
  const checks: CheckResult[] = []
  for (const check of scenario.checks) {
    if (!selected(options.checks, check.id)) continue
    if (stage.notApplicable !== undefined) {
      checks.push(asCheck(check.id, scenario.name, { name: checkName(check.id), status: 'skip', skipReason: stage.notApplicable, durationMs: 0, assertions: 0, failures: [], subtests: [] }))
      continue
    }
    const result = asCheck(check.id, scenario.name, await runTest(new Test(checkName(check.id)), (t) => check.judge(t, observed, stage), JUDGE_MS))
    if (result.status === 'fail') result.transcript = transcript(stage)
    checks.push(result)
  }
  return {
    checks,
    violations: server.violations.map((v) => `${scenario.name}: ${v}`),
    badLines: client.badLines.map((l) => `${scenario.name}: ${l}`),
    unoffered: server.attempts
      .filter((a) => !a.protocols.includes(SUBPROTOCOL))
      .map((a) => `${scenario.name}: attempt ${a.n} offered ${a.protocols.length === 0 ? 'no subprotocol' : a.protocols.join(', ')}`),
  }
}

/** A check judged over every scenario: the list of problems must be empty. */
async function overall(id: ClientCheckId, problems: string[], what: string): Promise<CheckResult> {
  const result = await runTest(
    new Test(checkName(id)),
    (t) => {
      t.same(problems.slice(0, 20), [], problems.length > 20 ? `${what} (${problems.length} in all, the first 20 shown)` : what)
    },
    JUDGE_MS,
  )
  return asCheck(id, 'all scenarios', result)
}

/**
 * Runs the client kit against `options.command`. Throws CommandError (from
 * client-process.ts) when the command cannot be started at all; a failing
 * check is a result, never an exception.
 */
export async function runClientKit(options: ClientRunOptions): Promise<ClientKitResults> {
  const started = new Date()
  const t0 = performance.now()
  const hints: Hints = { ...DEFAULT_HINTS, ...options.hints }
  // Starting the command once shows at once whether it exists.
  const probe = new ClientProcess(options.command, { ...options.env, WIRECHAT_URL: 'ws://127.0.0.1:9/ws' }, () => {})
  try {
    await probe.started()
  } finally {
    await probe.stop()
  }

  const scenarios = SCENARIOS.filter((s) => s.checks.some((c) => selected(options.checks, c.id)))
  const outcomes: ScenarioOutcome[] = []
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < scenarios.length) {
      const outcome = await runScenario(scenarios[next++]!, options, hints)
      outcomes.push(outcome)
      options.onProgress?.(outcome.checks)
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.jobs ?? 4, scenarios.length)) }, worker))

  const checks = outcomes.flatMap((o) => o.checks)
  if (selected(options.checks, 'CLI-FRAMES-VALID'))
    checks.push(
      await overall(
        'CLI-FRAMES-VALID',
        outcomes.flatMap((o) => o.violations),
        'frames the client sent that are not valid client frames',
      ),
    )
  if (selected(options.checks, 'CLI-SUBPROTOCOL'))
    checks.push(
      await overall(
        'CLI-SUBPROTOCOL',
        outcomes.flatMap((o) => o.unoffered),
        'connection attempts without the subprotocol chat.v1',
      ),
    )
  if (selected(options.checks, 'CLI-ADAPTER-LINES'))
    checks.push(
      await overall(
        'CLI-ADAPTER-LINES',
        outcomes.flatMap((o) => o.badLines),
        'stdout lines that are not JSON objects with a string `shown`',
      ),
    )
  const order = (c: CheckResult): number => CLIENT_CHECK_IDS.indexOf(c.id as ClientCheckId)
  checks.sort((a, b) => order(a) - order(b))

  const count = (status: CheckResult['status']): number => checks.filter((c) => c.status === status).length
  return {
    kit: 'client',
    command: [...options.command],
    protocol: SUBPROTOCOL,
    protocolVersion: PROTOCOL_VERSION,
    hints,
    startedAt: started.toISOString(),
    durationMs: Math.round(performance.now() - t0),
    summary: { total: checks.length, passed: count('pass'), failed: count('fail'), skipped: count('skip') },
    checks,
  }
}
