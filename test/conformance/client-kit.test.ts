// The client kit end to end: our client library (its adapter in
// conformance/adapters/), the terminal client (terminal/adapter.ts) and the
// chat page in Chromium (scripts/page-adapter.ts) pass every check; the deliberately broken client (test/fixtures/broken-client.ts)
// fails exactly the checks of what it breaks, with a report that says how;
// and the command's formats and exit codes. Every client runs as its own
// process under plain Node, as the kit runs any client.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { main } from '../../conformance/cli.ts'
import { CLIENT_CHECK_IDS, type ClientKitResults, formatPretty, runClientKit } from '../../conformance/index.ts'
import { SCENARIOS } from '../../conformance/client-kit/scenarios/index.ts'
import { chromiumMissing } from '../helpers/browser.ts'
import { tapProblems, xmlProblem } from '../helpers/report-formats.ts'

t.setTimeout(600_000)

const root = fileURLToPath(new URL('../../', import.meta.url))
const node = process.execPath
const LIBRARY = [node, '--conditions=wirechat-source', join(root, 'conformance/adapters/wirechat-client.ts')]
const TERMINAL = [node, '--conditions=wirechat-source', join(root, 'terminal/adapter.ts')]
const BROKEN = [node, join(root, 'test/fixtures/broken-client.ts')]
const PAGE = [node, '--conditions=wirechat-source', join(root, 'scripts/page-adapter.ts')]

/** What the broken fixture breaks, by check id. */
const BROKEN_CHECKS = [
  'CLI-RECONNECT-1001', // reconnects at once
  'CLI-BACKOFF-GROWS',
  'CLI-BACKOFF-JITTER',
  'CLI-TERMINAL-4008', // reconnects after terminal codes
  'CLI-TERMINAL-4011',
  'CLI-TERMINAL-4013',
  'CLI-TERMINAL-4014',
  'CLI-RESUME-SINCE', // logs in again without since or inbox
  'CLI-RESUME-INBOX',
  'CLI-RESUME-REPLAY', // shows the snapshot again
  'CLI-RESEND-SAME-ID', // re-sends with a new clientMsgId
  'CLI-DUPLICATE-ONCE',
  'CLI-RATE-WAIT', // ignores retryAfterMs
  'CLI-HEARTBEAT-DEAD', // never pings
  'CLI-GAP-HISTORY', // shows what comes, in arrival order
  'CLI-GAP-ORDER',
  'CLI-GAP-DM', // ignores direct messages
  'CLI-LIFE-REV', // applies events its snapshot already contains
  'CLI-LIFE-WAIT', // drops events whose message it does not hold (and never fills a gap)
  'CLI-UNREAD-LIVE', // shows no unread counts
  'CLI-ERROR-UNKNOWN', // re-sends a refused chat after a reconnect
  'CLI-TYPING-REFRESH', // never says it is typing
  'CLI-NFC-OUT', // sends what it was given, unnormalized
]

const failedIds = (results: ClientKitResults): string[] => results.checks.filter((c) => c.status === 'fail').map((c) => c.id!)
const skippedIds = (results: ClientKitResults): string[] => results.checks.filter((c) => c.status === 'skip').map((c) => c.id!)

/** The checks of §7a, for clients that announce 1.3.0: a 1.0.0 client skips them, saying why. */
const LIFE_CHECKS = ['CLI-LIFE-APPLY', 'CLI-LIFE-REV', 'CLI-LIFE-WAIT', 'CLI-UNREAD-LIVE']

/** The pretty report and the transcript of every failed check: what a failing assertion needs to say. */
function explain(results: ClientKitResults): string {
  const transcripts = results.checks.filter((c) => c.status === 'fail').map((c) => `${c.id}:\n${(c.transcript ?? []).join('\n')}`)
  return [formatPretty(results), ...transcripts].join('\n\n')
}

t.test('our client library (@wirechat/client on the global WebSocket) passes every check', async (t) => {
  const results = await runClientKit({ command: LIBRARY, jobs: 3 })
  t.same(
    results.checks.map((c) => c.id),
    CLIENT_CHECK_IDS,
    'every check ran, in the order of the id table',
  )
  t.same(failedIds(results), [], explain(results))
  t.same(skippedIds(results), [], 'none skipped: it announces 1.3.0, so the checks of §7a run')
})

t.test('the terminal client (its session, rendering and quitting) passes every check that applies to a 1.0.0 client', async (t) => {
  const results = await runClientKit({ command: TERMINAL, jobs: 3 })
  t.equal(results.checks.length, CLIENT_CHECK_IDS.length)
  t.same(failedIds(results), [], explain(results))
  t.same(skippedIds(results), LIFE_CHECKS, 'it announces 1.0.0: the checks of §7a are skipped')
  for (const c of results.checks.filter((c) => c.status === 'skip')) t.match(c.skipReason, /the client announced version 1\.0\.0 in login; .* is for clients of 1\.3\.0 or later/, `${c.id} says why`)
})

t.test('the chat page (client/page, built, in headless Chromium) passes every check', { skip: chromiumMissing(t) }, async (t) => {
  const results = await runClientKit({ command: PAGE, jobs: 3 })
  t.same(
    results.checks.map((c) => c.id),
    CLIENT_CHECK_IDS,
    'every check ran, in the order of the id table',
  )
  t.same([...new Set(results.checks.map((c) => c.file))].filter((f) => f !== 'all scenarios').sort(), SCENARIOS.map((s) => s.name).sort(), 'the report names every scenario')
  t.same(failedIds(results), [], explain(results))
  t.same(skippedIds(results), [], 'none skipped: the page announces 1.3.0')
  t.comment(`the page: ${results.summary.passed} checks passed in ${results.durationMs} ms`)
})

t.test('the broken client fails exactly the checks of what it breaks, and the report says how', async (t) => {
  const results = await runClientKit({ command: BROKEN, jobs: 3 })
  t.same(failedIds(results), BROKEN_CHECKS, explain(results))
  t.equal(results.summary.failed, BROKEN_CHECKS.length)
  t.equal(results.summary.passed, CLIENT_CHECK_IDS.length - BROKEN_CHECKS.length, 'what it does right passes: compatibility, valid frames, the logout, the cap')
  const report = formatPretty(results)
  for (const id of BROKEN_CHECKS) t.match(report, new RegExp(`^ {2}§\\d+a? [^:]+: ${id} `, 'm'), `the report names ${id} under its section`)
  t.match(report, /^ {2}§12 Close codes: CLI-TERMINAL-4011 .* \[CLOSE-4011, RECON-1\]$/m, 'and the clauses of PROTOCOL.md each failed check breaks')
  t.same(
    results.checks
      .filter((c) => c.status === 'fail')
      .flatMap((c) => c.clauses)
      .filter((id, i, all) => all.indexOf(id) === i)
      .sort(),
    [
      'CHAT-5',
      'CHAT-7',
      'CLOSE-1001',
      'CLOSE-4008',
      'CLOSE-4011',
      'CLOSE-4013',
      'CLOSE-4014',
      'DM-8',
      'ERR-rate-limited',
      'HIST-9',
      'LIM-1',
      'LIM-6',
      'BEAT-3',
      'ENV-15',
      'GUAR-1',
      'LIFE-8',
      'LIFE-10',
      'LIFE-33',
      'LIM-2',
      'TYP-3',
      'OVR-3',
      'RECON-1',
      'RECON-2',
      'RECON-3',
    ].sort(),
    'the clauses the broken client breaks',
  )
  t.match(report, /no backoff: the 4 retries waited \d+ ms in all/)
  t.match(report, /it reconnected after close 4011: attempts \d+ ms after it/)
  t.match(report, /re-sent with another clientMsgId \(broken-\w+ to lobby; the first was broken-\w+\)/)
  t.match(report, /retryAfterMs \(1000 ms\) ignored: "sent too fast" came \d+ ms after the refusal/)
  t.match(report, /no new connection within \d+ ms of the server going silent/)
  t.match(report, /lobby: since = the epoch and seq of the last message shown there/)
  t.match(report, /the snapshot's message \(seq 1, rev 3, with bob's 👍 already in it\) shows as "rev: as it reads now" with 👍 3; expected .* with 👍 2/)
  t.match(report, /no unread count shown for side/)
  const failed = results.checks.find((c) => c.id === 'CLI-RATE-WAIT')!
  t.ok(
    failed.transcript?.some((line) => /conn 1 ← \{"type":"error".*"code":"rate-limited"/.test(line)),
    'a failed check carries its scenario transcript (the refusal on the wire)',
  )
})

/** Runs the kit's command as its own process (bounded), for the real exit code and output. */
function cli(args: string[], timeoutMs = 240_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(node, ['--conditions=wirechat-source', join(root, 'conformance/cli.ts'), ...args], { cwd: root })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c) => {
      stdout += c
    })
    child.stderr.on('data', (c) => {
      stderr += c
    })
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`still running after ${timeoutMs} ms: ${stderr.slice(-2000)}`))
    }, timeoutMs)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
}

/** Runs main() in this process, capturing what it writes. */
async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const code = await main(args, {
    stdout: (s) => {
      stdout += s
    },
    stderr: (s) => {
      stderr += s
    },
  })
  return { code, stdout, stderr }
}

t.test('the command: client arguments, exit codes and the four formats', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'wirechat-client-kit-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const some = ['--check', 'CLI-TERMINAL-4011,CLI-COMPAT-PUSH', '--check', 'CLI-ADAPTER']

  t.test('bad arguments print the client usage on stderr and exit 2', async (t) => {
    for (const args of [
      ['client'],
      ['client', '--check', 'CLI-NOPE', '--', 'x'],
      ['client', '--format', 'html', '--', 'x'],
      ['client', '--backoff-base', '900', '--backoff-max', '800', '--', 'x'],
      ['client', '--bogus', 'x'],
    ]) {
      const { code, stdout, stderr } = await run(args)
      t.equal(code, 2, `${JSON.stringify(args)} exits 2`)
      t.match(stderr, /usage: wirechat-conformance client \[options\] -- <command>/)
      t.equal(stdout, '')
    }
    const help = await run(['client', '--help'])
    t.equal(help.code, 0)
    t.match(help.stdout, /--check ID\[,ID\]/)
    t.match(help.stdout, /CLI-RECONNECT-1006/, 'the help lists the check ids')
    t.match((await run(['--help'])).stdout, /wirechat-conformance client \[options\] -- <command>/, 'the general usage shows both kits')
    t.match((await run(['server', 'not a url'])).stderr, /"not a url" is not a URL/, '`server URL` is the server kit, as the bare URL form')
  })

  t.test('a command that cannot start exits 2 and says so', async (t) => {
    const { code, stderr } = await run(['client', '--', join(dir, 'no-such-adapter')])
    t.equal(code, 2)
    t.match(stderr, /cannot start the client command .*no-such-adapter: .*ENOENT/)
  })

  t.test('exit 0 when every selected check passes', async (t) => {
    const { code, stdout } = await cli(['client', '--check', 'CLI-COMPAT', '--', ...BROKEN])
    t.equal(code, 0, stdout)
    t.match(stdout, /Total: 3 passed, 0 failed, 0 skipped/)
  })

  t.test('--format tap writes valid TAP 14', async (t) => {
    const file = join(dir, 'report.tap')
    const { code, stderr } = await cli(['client', ...some, '--format', 'tap', '--output', file, '--', ...BROKEN])
    t.equal(code, 1, stderr)
    t.match(stderr, /2 passed, 1 failed, 0 skipped/)
    const tap = readFileSync(file, 'utf8')
    t.same(tapProblems(tap), [], 'every line is TAP 14')
    t.match(tap, /^# wirechat client conformance for .*broken-client\.ts$/m)
    t.match(tap, /^ {4}not ok 1 - CLI-TERMINAL-4011 after close 4011/m, 'the failed check is a failed test point')
    t.match(tap, /^not ok \d+ - §12 Close codes$/m)
    t.match(tap, /^ok \d+ - The adapter$/m)
  })

  t.test('--format json writes the results object, transcripts included', async (t) => {
    const file = join(dir, 'report.json')
    t.equal((await cli(['client', ...some, '--format', 'json', '--output', file, '--', ...BROKEN])).code, 1)
    const results = JSON.parse(readFileSync(file, 'utf8')) as ClientKitResults
    t.match(results, {
      kit: 'client',
      command: BROKEN,
      protocol: 'chat.v1',
      hints: { backoffBaseMs: 200, backoffMaxMs: 1600 },
      summary: { total: 3, passed: 2, failed: 1, skipped: 0 },
    })
    t.same(
      results.checks.map((c) => [c.id, c.section, c.file, c.status]),
      [
        ['CLI-TERMINAL-4011', '12', 'terminal-4011', 'fail'],
        ['CLI-COMPAT-PUSH', '1', 'compat', 'pass'],
        ['CLI-ADAPTER-LINES', 'adapter', 'all scenarios', 'pass'],
      ],
    )
    t.match(results.checks[0]!.transcript, Array, 'the failed check has its transcript')
    t.equal(results.checks[1]!.transcript, undefined, 'a passed one has none')
  })

  t.test('--format junit writes well-formed XML', async (t) => {
    const file = join(dir, 'report.xml')
    t.equal((await cli(['client', ...some, '--format', 'junit', '--output', file, '--', ...BROKEN])).code, 1)
    const xml = readFileSync(file, 'utf8')
    t.equal(xmlProblem(xml), undefined, 'well-formed')
    t.match(xml, /<testsuites name="wirechat client conformance [^"]*broken-client\.ts" tests="3" failures="1"/)
    t.match(xml, /<testsuite name="§12 Close codes" tests="1" failures="1"/)
    t.match(xml, /<failure message="it reconnected after close 4011: attempts \d+ ms after it \(none may come\)" type="assertion">/)
  })
})
