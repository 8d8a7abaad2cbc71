// Conformance levels (issue 16): every check belongs to one, and a server
// meets a level when every check of that level and of the levels below it
// passed (a skip, which always carries its reason, does not count against
// it). The levels build on each other:
// - core: what a minimal implementation of the classic chat needs: the
//   transport, the envelope, the session (login, rename, session keys, the
//   login deadline, logout), rooms with their alarms, chat delivery,
//   heartbeat, and errors and close codes for all of that;
// - durable: the stream as a record: history, gapless seqs, resume with
//   `since`, deduplication by clientMsgId;
// - full: everything else: limits and rate limits, direct messages, typing,
//   accounts, namespaces and room roles, the life of a message, moderation,
//   search.
// Which level each check has is declared per check file in checks/index.ts
// (a file's level, and the checks of that file that have another one).
import type { CheckResult } from './run.ts'

export const LEVELS = ['core', 'durable', 'full'] as const
export type Level = (typeof LEVELS)[number]

/** One line per level, for the reports and the usage text. */
export const LEVEL_MEANING: Readonly<Record<Level, string>> = {
  core: 'session, rooms, chat, alarms, errors: a minimal classic chat',
  durable: 'core + history, seq, resume, dedup',
  full: 'durable + limits, DMs, typing, accounts, namespaces, moderation, the life of a message, search',
}

/** Below (negative), the same (0) or above (positive). */
export const compareLevels = (a: Level, b: Level): number => LEVELS.indexOf(a) - LEVELS.indexOf(b)

export const isLevel = (s: string): s is Level => (LEVELS as readonly string[]).includes(s)

/** The level of a check file's checks: its own, and the checks (by name) that have another. */
export interface FileLevels {
  level: Level
  /** Checks of this file whose name matches get that level instead (the first match wins). */
  except?: ReadonlyArray<readonly [RegExp, Level]>
}

/** The level of the check `name` of a file. */
export function levelOf(file: FileLevels, name: string): Level {
  return file.except?.find(([pattern]) => pattern.test(name))?.[1] ?? file.level
}

/** The lowest level any check of the file has: a run up to a lower level leaves the file out. */
export function lowestLevel(file: FileLevels): Level {
  return [file.level, ...(file.except ?? []).map(([, level]) => level)].reduce((low, level) => (compareLevels(level, low) < 0 ? level : low))
}

/**
 * - met: every check of this level and of the levels below ran and none failed;
 * - not-met: a check of this level or of one below failed;
 * - incomplete: none failed, but the run left checks out (--section, only), so the level cannot be claimed;
 * - not-run: above the level the run was limited to (--level).
 */
export type LevelStatus = 'met' | 'not-met' | 'incomplete' | 'not-run'

export interface LevelReport {
  level: Level
  status: LevelStatus
  /** Checks of this level alone (not of the levels below). */
  passed: number
  failed: number
  skipped: number
}

/**
 * How a run's checks measure up, level by level. `upTo` is the highest level
 * the run included; `complete` says whether it ran every check up to there
 * (no section or name filter).
 */
export function assessLevels(checks: readonly Pick<CheckResult, 'level' | 'status'>[], upTo: Level, complete: boolean): LevelReport[] {
  let failedBelow = false
  return LEVELS.map((level) => {
    const own = checks.filter((c) => c.level === level)
    const count = (status: CheckResult['status']): number => own.filter((c) => c.status === status).length
    const failed = count('fail')
    failedBelow ||= failed > 0
    const status: LevelStatus = compareLevels(level, upTo) > 0 ? 'not-run' : failedBelow ? 'not-met' : complete ? 'met' : 'incomplete'
    return { level, status, passed: count('pass'), failed, skipped: count('skip') }
  })
}

/** The highest level met, or undefined when not even core is. */
export const highestMet = (reports: readonly LevelReport[]): Level | undefined => reports.filter((r) => r.status === 'met').at(-1)?.level

/** "core met (120 passed, 3 skipped)" and so on: one phrase per level. */
export function levelPhrase(report: LevelReport): string {
  const status = { met: 'met', 'not-met': 'NOT met', incomplete: 'not assessed (a partial run)', 'not-run': 'not run (--level)' }[report.status]
  const counts = report.status === 'not-run' ? '' : ` (${report.passed} passed, ${report.failed} failed, ${report.skipped} skipped)`
  return `${report.level} ${status}${counts}`
}

/** The client frames a core or durable server answers; every other request type belongs to full. */
const FRAME_LEVELS: Readonly<Record<string, Level>> = {
  login: 'core',
  rename: 'core',
  logout: 'core',
  ping: 'core',
  'join-room': 'core',
  'leave-room': 'core',
  presence: 'core',
  chat: 'core',
  history: 'durable',
}

/** The level of a client frame type: the lowest level whose servers must know it. */
export const frameLevel = (type: string): Level => FRAME_LEVELS[type] ?? 'full'
