// The kits' results as text: a per-section report for people (pretty), TAP
// 14 and JUnit XML for CI systems, and JSON (the results object itself,
// documented in docs/conformance.md). The server kit's KitResults and the
// client kit's ClientKitResults share the shape of their checks; only the
// heading and the section titles differ, and the server kit's say which
// conformance levels the server meets: a block in pretty, comment lines in
// TAP, the `levels` and `meets` fields in JSON, properties in JUnit. Every
// check names the PROTOCOL.md clauses it proves (schema/clauses.json): after
// its name in pretty and TAP (`[SES-4, ERR-not-found]`), the `clauses` field
// in JSON, the `conformance.clauses` property in JUnit.
import { CLIENT_SECTIONS } from './client-kit/ids.ts'
import type { ClientKitResults } from './client-kit/run.ts'
import type { Failure, TestResult } from './harness.ts'
import { LEVEL_MEANING, levelPhrase } from './levels.ts'
import { SECTIONS, type CheckResult, type KitResults } from './run.ts'

export const FORMATS = ['pretty', 'tap', 'json', 'junit'] as const
export type Format = (typeof FORMATS)[number]

/** Results of either kit. */
export type AnyKitResults = KitResults | ClientKitResults

const isClientKit = (results: AnyKitResults): results is ClientKitResults => 'kit' in results && results.kit === 'client'

/** A command line as one string, arguments with spaces or quotes quoted. */
export const commandText = (command: readonly string[]): string => command.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ')

/** What was tested: the server's URL, or the client's command. */
const subject = (results: AnyKitResults): string => (isClientKit(results) ? commandText(results.command) : results.url)

const bySection = (checks: readonly CheckResult[]): Map<string, CheckResult[]> => {
  const map = new Map<string, CheckResult[]>()
  // "7a" comes after "7" and before "8"; "?" (no section) last.
  const key = (s: string): number => (/^\d/.test(s) ? Number.parseFloat(s) : 99)
  const order = [...new Set(checks.map((c) => c.section))].sort((a, b) => key(a) - key(b) || a.localeCompare(b))
  for (const s of order)
    map.set(
      s,
      checks.filter((c) => c.section === s),
    )
  return map
}

/** "§6 Chat"; the client kit's adapter checks are "The adapter". */
function sectionTitler(results: AnyKitResults): (s: string) => string {
  if (!isClientKit(results)) return (s) => `§${s} ${SECTIONS[s] ?? '(no section)'}`
  return (s) => (s === 'adapter' ? (CLIENT_SECTIONS[s] ?? s) : `§${s} ${CLIENT_SECTIONS[s] ?? SECTIONS[s] ?? '(no section)'}`)
}
const count = (checks: readonly CheckResult[], status: CheckResult['status']): number => checks.filter((c) => c.status === status).length

/** " [SES-4, ERR-not-found]": the clauses a check proves, after its name; nothing when it cites none. */
export const clauseSuffix = (c: Pick<CheckResult, 'clauses'>): string => (c.clauses.length === 0 ? '' : ` [${c.clauses.join(', ')}]`)

/** A failure on one line, with how the values differed. */
const failureLine = (f: Failure): string => `${f.message}${f.detail === undefined ? '' : `: ${f.detail}`}`.replace(/\s+/g, ' ').slice(0, 400)

/** A failure in full: message, difference, stack. */
const failureText = (f: Failure): string => [f.detail === undefined ? f.message : `${f.message}: ${f.detail}`, ...(f.stack === undefined ? [] : [f.stack])].join('\n')

/** Failures of a check and of its subtests, with the subtest path. */
function allFailures(result: TestResult, prefix = ''): Failure[] {
  return [
    ...result.failures.map((f) => (prefix === '' ? f : { ...f, message: `${prefix}: ${f.message}` })),
    ...result.subtests.flatMap((s) => allFailures(s, prefix === '' ? s.name : `${prefix} > ${s.name}`)),
  ]
}

/** Section table, then failed checks with their failing assertions, then skipped checks with the reason. */
export function formatPretty(results: AnyKitResults): string {
  const { checks } = results
  const sectionTitle = sectionTitler(results)
  const sections = bySection(checks)
  const width = Math.max(25, ...[...sections.keys()].map((s) => sectionTitle(s).length))
  const out = [
    isClientKit(results)
      ? `wirechat client conformance report for ${subject(results)} (kit for ${results.protocol} ${results.protocolVersion}; backoff hints ${results.hints.backoffBaseMs}–${results.hints.backoffMaxMs} ms)`
      : `wirechat conformance report for ${results.url} (kit for ${results.protocol} ${results.protocolVersion}, server ${results.serverVersion})`,
    '',
    `${'Section'.padEnd(width)}  Passed  Failed  Skipped`,
    `${'-'.repeat(width)}  ------  ------  -------`,
  ]
  for (const [s, rs] of sections) {
    const failed = count(rs, 'fail')
    out.push(`${sectionTitle(s).padEnd(width)}  ${String(count(rs, 'pass')).padStart(6)}  ${String(failed).padStart(6)}  ${String(count(rs, 'skip')).padStart(7)}${failed > 0 ? '  FAIL' : ''}`)
  }
  const { passed, failed, skipped } = results.summary
  out.push('', `Total: ${passed} passed, ${failed} failed, ${skipped} skipped (${(results.durationMs / 1000).toFixed(1)} s)`)
  if (!isClientKit(results)) {
    out.push('', `Conformance level: ${meetsLine(results)}`)
    for (const report of results.levels) out.push(`  ${levelPhrase(report)} — ${LEVEL_MEANING[report.level]}`)
  }
  const failedChecks = checks.filter((c) => c.status === 'fail')
  if (failedChecks.length > 0) {
    out.push('', 'Failed (PROTOCOL.md section, check, failing assertions):')
    for (const c of failedChecks) {
      out.push(`  ${sectionTitle(c.section)}: ${c.name}${clauseSuffix(c)}`)
      const failures = allFailures(c)
      for (const f of failures.slice(0, 5)) out.push(`      - ${failureLine(f)}`)
      if (failures.length > 5) out.push(`      … and ${failures.length - 5} more`)
    }
    if (isClientKit(results)) out.push('', 'Each failed check comes with the transcript of its scenario (wire, instructions, shown lines) in --format json.')
  }
  const skippedChecks = checks.filter((c) => c.status === 'skip')
  if (skippedChecks.length > 0) {
    out.push('', 'Skipped:')
    for (const c of skippedChecks) out.push(`  ${c.name}${clauseSuffix(c)}: ${c.skipReason ?? ''}`)
  }
  return `${out.join('\n')}\n`
}

/** What the server meets, in one phrase. */
function meetsLine(results: KitResults): string {
  if (results.meets !== undefined) return `meets ${results.meets}`
  const partial = results.levels.some((r) => r.status === 'incomplete')
  return partial ? 'not assessed: the run left checks out (--section or a name filter)' : 'meets no level (core not met)'
}

/** A TAP 14 description: one line, with "#" and "\" escaped. */
const tapText = (s: string): string =>
  s
    .replace(/[\r\n]+/g, ' ')
    .replace(/\\/g, '\\\\')
    .replace(/#/g, '\\#')

/** TAP 14: one subtest per section, one test point per check; failures as YAML diagnostics; a server's levels as comments. */
export function formatTap(results: AnyKitResults): string {
  const sectionTitle = sectionTitler(results)
  const out = ['TAP version 14', `# wirechat ${isClientKit(results) ? 'client conformance' : 'conformance'} for ${tapText(subject(results))}`]
  if (!isClientKit(results)) {
    out.push(`# conformance level: ${tapText(meetsLine(results))}`)
    for (const report of results.levels) out.push(`# level ${tapText(levelPhrase(report))}`)
  }
  const sections = bySection(results.checks)
  out.push(`1..${sections.size}`)
  let n = 0
  for (const [s, checks] of sections) {
    n++
    out.push(`# Subtest: ${tapText(sectionTitle(s))}`)
    checks.forEach((c, i) => {
      const directive = c.status === 'skip' ? ` # SKIP ${tapText(c.skipReason ?? '')}` : ''
      out.push(`    ${c.status === 'fail' ? 'not ok' : 'ok'} ${i + 1} - ${tapText(`${c.name}${clauseSuffix(c)}`)}${directive}`)
      if (c.status === 'fail') {
        // JSON is valid YAML (flow style), and escapes everything a YAML block could trip on.
        out.push('      ---', `      failures: ${JSON.stringify(allFailures(c).map(failureText))}`, `      duration_ms: ${c.durationMs}`, '      ...')
      }
    })
    out.push(`    1..${checks.length}`)
    const failed = checks.some((c) => c.status === 'fail')
    out.push(`${failed ? 'not ok' : 'ok'} ${n} - ${tapText(sectionTitle(s))}`)
  }
  return `${out.join('\n')}\n`
}

/** Text safe in XML 1.0: markup escaped, characters XML cannot hold shown as \uXXXX. */
export function xmlText(s: string): string {
  return s
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
}

/** JUnit XML: one testsuite per section, one testcase per check. */
export function formatJunit(results: AnyKitResults): string {
  const seconds = (ms: number): string => (ms / 1000).toFixed(3)
  const sectionTitle = sectionTitler(results)
  const { total, failed, skipped } = results.summary
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="wirechat ${isClientKit(results) ? 'client conformance' : 'conformance'} ${xmlText(subject(results))}" tests="${total}" failures="${failed}" errors="0" skipped="${skipped}" time="${seconds(results.durationMs)}" timestamp="${xmlText(results.startedAt)}">`,
  ]
  // The run's levels, repeated in every suite (JUnit puts properties on suites, not on the root).
  const levelProperties = isClientKit(results)
    ? []
    : [
        `      <property name="conformance.level.run" value="${results.level}"/>`,
        `      <property name="conformance.level.meets" value="${results.meets ?? 'none'}"/>`,
        ...results.levels.map((r) => `      <property name="conformance.level.${r.level}" value="${r.status}"/>`),
      ]
  for (const [s, checks] of bySection(results.checks)) {
    const suite = xmlText(sectionTitle(s))
    const time = checks.reduce((sum, c) => sum + c.durationMs, 0)
    out.push(`  <testsuite name="${suite}" tests="${checks.length}" failures="${count(checks, 'fail')}" errors="0" skipped="${count(checks, 'skip')}" time="${seconds(time)}">`)
    if (levelProperties.length > 0) out.push('    <properties>', ...levelProperties, '    </properties>')
    for (const c of checks) {
      const head = `    <testcase classname="${suite}" name="${xmlText(c.name)}" time="${seconds(c.durationMs)}">`
      // Each check's own level and clauses, as testcase properties (JUnit 5 and most CI readers show them).
      const properties = [
        ...(c.level === undefined ? [] : [`<property name="conformance.level" value="${c.level}"/>`]),
        ...(c.clauses.length === 0 ? [] : [`<property name="conformance.clauses" value="${xmlText(c.clauses.join(' '))}"/>`]),
      ]
      const caseProperties = properties.length === 0 ? [] : [`      <properties>${properties.join('')}</properties>`]
      if (c.status === 'pass') out.push(head, ...caseProperties, '    </testcase>')
      else if (c.status === 'skip') out.push(head, ...caseProperties, `      <skipped message="${xmlText(c.skipReason ?? '')}"/>`, '    </testcase>')
      else {
        const failures = allFailures(c)
        out.push(
          head,
          ...caseProperties,
          `      <failure message="${xmlText(failures[0] === undefined ? 'failed' : failureLine(failures[0]))}" type="assertion">${xmlText(failures.map(failureText).join('\n\n'))}</failure>`,
          '    </testcase>',
        )
      }
    }
    out.push('  </testsuite>')
  }
  out.push('</testsuites>')
  return `${out.join('\n')}\n`
}

export function formatResults(results: AnyKitResults, format: Format): string {
  switch (format) {
    case 'pretty':
      return formatPretty(results)
    case 'tap':
      return formatTap(results)
    case 'json':
      return `${JSON.stringify(results, null, 2)}\n`
    case 'junit':
      return formatJunit(results)
  }
}
