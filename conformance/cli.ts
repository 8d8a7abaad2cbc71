// The conformance command: runs every check of test/conformance against any
// chat.v1 server and prints a per-section report naming the PROTOCOL.md
// section of each failure. Exit code 0 when nothing failed, 1 when a check
// failed, 2 when the server cannot be reached or the arguments are wrong.
//
//   npm run conformance -- ws://127.0.0.1:3000/ws
//   npx wirechat conformance ws://127.0.0.1:3000/ws [--tap] [--jobs=N]
import { spawn } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { SUBPROTOCOL } from '@wirechat/protocol'
import { Wire } from '../test/conformance/wire.ts'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const suiteDir = join(root, 'test', 'conformance')

/** PROTOCOL.md section titles, for the report. */
export const SECTIONS: Record<string, string> = {
  1: 'Overview', 2: 'Transport', 3: 'Envelope', 4: 'Session lifecycle', 5: 'Rooms', 6: 'Chat', 7: 'History and resume',
  8: 'Direct messages', 9: 'Typing', 10: 'Heartbeat', 11: 'Errors', 12: 'Close codes', 13: 'Limits',
}

const USAGE = `usage: conformance [conformance] <ws://host:port/ws> [--tap] [--jobs=N]

Runs the wirechat conformance suite against a chat.v1 server and prints a
per-section report. --tap also prints the raw TAP output (on stderr);
--jobs=N runs N test files at once (default 2; 1 for a slow server).
Optional environment: CONFORMANCE_MAX_REPLAY, CONFORMANCE_ABUSE_STRIKES,
CONFORMANCE_BAD_ORIGIN (see docs/conformance.md).`

export interface CheckResult {
  section: string
  name: string
  status: 'pass' | 'fail' | 'skip'
  /** Skip reason, or the failing assertions. */
  detail: string[]
}

/**
 * Reads the TAP of `tap -R tap`: level 0 is a test file, level 1 a check
 * (`t.test` named "§N …"), level 2 its assertions. A file that fails without
 * a failing check (a crash, an unreachable target) becomes a failed check of
 * its own, so it cannot vanish from the report.
 */
export function parseTap(text: string): CheckResult[] {
  const results: CheckResult[] = []
  const line = /^((?: {4})*)(not ok|ok) \d+ - (.*?)(?: # (SKIP|TODO)\b ?(.*?))?(?: # time=[\d.]+m?s)?$/
  let failedAsserts: string[] = []
  let fileHadFailingCheck = false
  for (const raw of text.split('\n')) {
    const m = line.exec(raw)
    if (!m) continue
    const depth = m[1]!.length / 4
    const ok = m[2] === 'ok'
    const name = m[3]!.replace(/\\#/g, '#')
    if (depth === 2 && !ok) failedAsserts.push(name)
    if (depth === 1) {
      const section = /^§(\d+)/.exec(name)?.[1]
      const status = m[4] === 'SKIP' ? 'skip' : ok ? 'pass' : 'fail'
      if (section !== undefined) {
        results.push({ section, name, status, detail: status === 'skip' ? [m[5] ?? ''] : status === 'fail' ? failedAsserts : [] })
        if (status === 'fail') fileHadFailingCheck = true
      }
      failedAsserts = []
    }
    if (depth === 0) {
      if (!ok && !fileHadFailingCheck) results.push({ section: '?', name: `${name} did not complete`, status: 'fail', detail: failedAsserts })
      failedAsserts = []
      fileHadFailingCheck = false
    }
  }
  return results
}

/** The report table and failure list. */
export function formatReport(url: string, results: CheckResult[]): string {
  const bySection = new Map<string, CheckResult[]>()
  for (const r of results) bySection.set(r.section, [...(bySection.get(r.section) ?? []), r])
  const order = [...bySection.keys()].sort((a, b) => (Number(a) || 99) - (Number(b) || 99))
  const count = (rs: CheckResult[], s: CheckResult['status']) => rs.filter((r) => r.status === s).length
  const out = [`wirechat conformance report for ${url}`, '', 'Section                    Passed  Failed  Skipped', '-------------------------  ------  ------  -------']
  for (const s of order) {
    const rs = bySection.get(s)!
    const label = `§${s} ${SECTIONS[s] ?? '(no section)'}`.padEnd(25)
    out.push(`${label}  ${String(count(rs, 'pass')).padStart(6)}  ${String(count(rs, 'fail')).padStart(6)}  ${String(count(rs, 'skip')).padStart(7)}${count(rs, 'fail') > 0 ? '  FAIL' : ''}`)
  }
  const failed = results.filter((r) => r.status === 'fail')
  const skipped = results.filter((r) => r.status === 'skip')
  out.push('', `Total: ${count(results, 'pass')} passed, ${failed.length} failed, ${skipped.length} skipped`)
  if (failed.length > 0) {
    out.push('', 'Failed (PROTOCOL.md section, check, failing assertions):')
    for (const r of failed) {
      out.push(`  §${r.section} ${SECTIONS[r.section] ?? ''}: ${r.name}`)
      for (const d of r.detail.slice(0, 5)) out.push(`      - ${d}`)
    }
  }
  if (skipped.length > 0) {
    out.push('', 'Skipped:')
    for (const r of skipped) out.push(`  ${r.name.split(':')[0]}: ${r.detail[0] ?? ''}`)
  }
  return out.join('\n')
}

/** Test files of the suite, in section order. */
export function suiteFiles(): string[] {
  return readdirSync(suiteDir)
    .filter((f) => /^\d{2}-.*\.test\.ts$/.test(f) || f === 'malformed.test.ts' || f === 'transcripts.test.ts')
    .sort()
    .map((f) => join('test', 'conformance', f))
}

async function reachable(url: string): Promise<string | undefined> {
  const cleanups: Array<() => unknown> = []
  try {
    const wire = await Wire.open({ teardown: (fn) => cleanups.push(fn) }, url, { pace: false })
    wire.close()
    return undefined
  } catch (err) {
    return (err as Error).message || String(err)
  } finally {
    for (const fn of cleanups) fn()
  }
}

async function main(argv: string[]): Promise<number> {
  const args = argv.filter((a) => !a.startsWith('--'))
  if (args[0] === 'conformance') args.shift()
  const url = args[0]
  if (argv.includes('--help') || url === undefined || !/^wss?:\/\//.test(url) || args.length > 1) {
    console.error(USAGE)
    return 2
  }
  const problem = await reachable(url)
  if (problem !== undefined) {
    console.error(`cannot reach a ${SUBPROTOCOL} server at ${url}: ${problem}`)
    return 2
  }
  console.error(`running ${suiteFiles().length} conformance files against ${url} …`)
  const tapBin = join(root, 'node_modules', 'tap', 'dist', 'esm', 'run.mjs')
  // Files are independent (unique user and room names), so they may run side by side.
  const jobs = /^--jobs=(\d+)$/.exec(argv.find((a) => a.startsWith('--jobs=')) ?? '')?.[1] ?? '2'
  const child = spawn(process.execPath, [tapBin, '-R', 'tap', `--jobs=${jobs}`, '--timeout=300', '--disable-coverage', ...suiteFiles()], {
    cwd: root,
    env: { ...process.env, CONFORMANCE_URL: url },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  let tap = ''
  child.stdout.setEncoding('utf8')
  child.stdout.on('data', (chunk: string) => {
    tap += chunk
    if (argv.includes('--tap')) process.stderr.write(chunk)
  })
  const exitCode = await new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 1)))
  const results = parseTap(tap)
  console.log(formatReport(url, results))
  const failed = results.some((r) => r.status === 'fail')
  if (!failed && exitCode !== 0) console.log(`\ntap exited with ${exitCode} although no check failed: treating the run as failed`)
  return failed || exitCode !== 0 || results.length === 0 ? 1 : 0
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = await main(process.argv.slice(2))
}

export { main }
