// runKit: the whole kit as a function. It probes the server, runs the check
// files (a few at once: they use unique user and room names, so they do not
// interfere), and returns every check's result as data.
import { PROTOCOL_VERSION, SUBPROTOCOL } from '@wirechat/protocol'
import { CHECK_FILES, type CheckFile } from './checks/index.ts'
import { DEFAULT_TIMEOUT_MS, runTest, Test, type TestResult } from './harness.ts'
import { assessLevels, compareLevels, highestMet, type Level, type LevelReport, LEVELS, levelOf, lowestLevel } from './levels.ts'
import { connectTarget, type TargetOptions } from './target.ts'

/** PROTOCOL.md section titles, for the reports. */
export const SECTIONS: Readonly<Record<string, string>> = {
  1: 'Overview',
  2: 'Transport',
  3: 'Envelope',
  4: 'Session lifecycle',
  5: 'Rooms',
  6: 'Chat',
  7: 'History and resume',
  '7a': 'The life of a message',
  8: 'Direct messages',
  9: 'Typing',
  10: 'Heartbeat',
  11: 'Errors',
  12: 'Close codes',
  13: 'Limits',
}

export interface RunOptions extends TargetOptions {
  /** Check files run at once (default 2; 1 for a slow server). */
  jobs?: number
  /** Run only the checks of these PROTOCOL.md sections. */
  sections?: ReadonlyArray<string | number>
  /** Run only the checks whose name matches. */
  only?: RegExp
  /** Run only the checks of this conformance level and the levels below (default full: every check). */
  level?: Level
  /** Bound of one check that sets none itself (default 120 s). */
  timeoutMs?: number
  /** Called as each check file finishes, with its checks. */
  onProgress?: (checks: CheckResult[]) => void
}

/** One check (a test directly under a check file), with its PROTOCOL.md section. */
export interface CheckResult extends TestResult {
  /** Section number as a string ("2" … "13", "7a"); "?" when a check names none. */
  section: string
  /** The check file it belongs to (e.g. "06-chat"); for the client kit, the scenario (e.g. "reconnect-1006"). */
  file: string
  /** The check's stable id (client kit: e.g. "CLI-RECONNECT-1006"). */
  id?: string
  /** Client kit, failed checks: the scenario's wire, instructions and shown lines in time order. */
  transcript?: string[]
  /** Its conformance level (levels.ts); server kit only. */
  level?: Level
}

export interface KitResults {
  url: string
  /** Subprotocol and protocol version the kit checks. */
  protocol: string
  protocolVersion: string
  /** The version the server announced in welcome. */
  serverVersion: string
  startedAt: string
  durationMs: number
  summary: { total: number; passed: number; failed: number; skipped: number }
  /** The highest level the run included (--level; full when not limited). */
  level: Level
  /** Each level, lowest first: met, not met, not assessed (a partial run) or not run. */
  levels: LevelReport[]
  /** The highest level the server meets; absent when it meets none (or the run was partial). */
  meets?: Level
  checks: CheckResult[]
}

const sectionOf = (name: string, fallback: string): string => /^§(\d+[a-z]?)/.exec(name)?.[1] ?? fallback

async function pool<T>(items: readonly T[], jobs: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]!)
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, items.length)) }, worker))
}

/**
 * Runs the kit against `options.url`. Throws UnreachableError (from
 * target.ts) when no chat.v1 server answers there; a failing check is a
 * result, never an exception.
 *
 * For a host that embeds the kit: while the checks run, runKit listens to the
 * process-wide 'unhandledRejection' event, and removes its listener when the
 * run ends, however it ends. A promise a check dropped then becomes a failed
 * check instead of ending the process. The listener sees every unhandled
 * rejection of the process, so during the run one from the host's own code
 * is reported as a failed kit check too, and Node's default (ending the
 * process) does not apply to it; the host's own listeners still get it.
 */
export async function runKit(options: RunOptions): Promise<KitResults> {
  const started = new Date()
  const t0 = performance.now()
  const target = await connectTarget(options)
  const wanted = options.sections === undefined ? undefined : new Set(options.sections.map(String))
  const upTo = options.level ?? 'full'
  const acceptIn =
    (file: CheckFile) =>
    (name: string): boolean => {
      if (options.only !== undefined && !options.only.test(name)) return false
      if (compareLevels(levelOf(file, name), upTo) > 0) return false
      return wanted === undefined || wanted.has(sectionOf(name, '?'))
    }
  const files = CHECK_FILES.filter((f) => (wanted === undefined || f.sections === undefined || f.sections.some((s) => wanted.has(s))) && compareLevels(lowestLevel(f), upTo) <= 0)

  // A promise a check dropped can reject after its check ended: report it rather than crash the process.
  const strays: unknown[] = []
  const onStray = (reason: unknown): void => {
    strays.push(reason)
  }
  process.on('unhandledRejection', onStray)

  const byFile = new Map<string, CheckResult[]>()
  try {
    // Moving a fake clock fires every connection's timers (login deadlines, heartbeats): with one,
    // the files run one at a time, so no check's time jumps under another's feet.
    await pool(files, options.clock === undefined ? (options.jobs ?? 2) : 1, async (file) => {
      const fallback = file.sections?.[0] ?? '?'
      const root = new Test(file.file, { timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS, accept: acceptIn(file) })
      // The file's own setup is bounded by the waits it makes; each check has its timeout.
      const result = await runTest(root, (t) => file.run(t, target), 2 ** 31 - 1)
      const checks: CheckResult[] = result.subtests.map((s) => ({ ...s, section: sectionOf(s.name, fallback), file: file.file, level: levelOf(file, s.name) }))
      if (result.failures.length > 0) {
        const name = `§${fallback} ${file.file}: the file's setup did not complete`
        checks.push({
          name,
          section: fallback,
          file: file.file,
          // The level of the file's own checks: their setup failed.
          level: levelOf(file, name),
          status: 'fail',
          durationMs: result.durationMs,
          assertions: result.assertions,
          failures: result.failures,
          subtests: [],
        })
      }
      byFile.set(file.file, checks)
      options.onProgress?.(checks)
    })
  } finally {
    process.off('unhandledRejection', onStray)
  }

  const checks = files.flatMap((f) => byFile.get(f.file) ?? [])
  if (strays.length > 0) {
    checks.push({
      name: 'an error no check caught (a dropped promise rejected)',
      section: '?',
      file: '',
      // Which check dropped it is unknown: no level can be claimed.
      level: LEVELS[0],
      status: 'fail',
      durationMs: 0,
      assertions: strays.length,
      subtests: [],
      failures: strays.map((err) => ({ message: err instanceof Error ? err.message : String(err), ...(err instanceof Error && err.stack !== undefined && { detail: err.stack }) })),
    })
  }
  const count = (status: CheckResult['status']): number => checks.filter((c) => c.status === status).length
  // A level is claimed only by a run of every check up to it.
  const levels = assessLevels(checks, upTo, wanted === undefined && options.only === undefined)
  const meets = highestMet(levels)
  return {
    url: target.url,
    protocol: SUBPROTOCOL,
    protocolVersion: PROTOCOL_VERSION,
    serverVersion: target.welcome.version,
    startedAt: started.toISOString(),
    durationMs: Math.round(performance.now() - t0),
    summary: { total: checks.length, passed: count('pass'), failed: count('fail'), skipped: count('skip') },
    level: upTo,
    levels,
    ...(meets === undefined ? {} : { meets }),
    checks,
  }
}
