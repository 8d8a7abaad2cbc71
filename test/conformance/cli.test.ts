// The conformance command from the outside: argument parsing, exit codes,
// the four report formats, and a run against a deliberately broken server
// (test/fixtures/broken-server.ts) that must fail with a report naming the
// failing checks and sections. The kit runs under plain Node here (its
// TypeScript is erasable), with no tsx and no tap.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { PROTOCOL_VERSION } from '../../protocol/index.ts'
import { main, parseCommandLine } from '../../conformance/cli.ts'
import { xmlText, type KitResults } from '../../conformance/index.ts'
import { startBrokenServer } from '../fixtures/broken-server.ts'
import { tapProblems, xmlProblem } from '../helpers/report-formats.ts'

const root = fileURLToPath(new URL('../../', import.meta.url))

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

/** Runs a command as its own process (bounded), for the real exit code. */
function spawnRun(args: string[], timeoutMs = 120_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=wirechat-source', ...args], { cwd: root })
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
      reject(new Error(`still running after ${timeoutMs} ms: ${stdout.slice(-2000)}`))
    }, timeoutMs)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
}

/** A loopback port where nothing listens: bind port 0, read it, release it. */
async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise((resolve) => server.close(resolve))
  if (address === null || typeof address === 'string') throw new Error('no port')
  return address.port
}

t.test('arguments: unknown flags, bad values and bad URLs print the usage on stderr and exit 2', async (t) => {
  const bad = [
    ['ws://127.0.0.1:1/ws', '--bogus'],
    ['ws://127.0.0.1:1/ws', '--tap'],
    ['ws://127.0.0.1:1/ws', '--format', 'html'],
    ['ws://127.0.0.1:1/ws', '--jobs', '0'],
    ['ws://127.0.0.1:1/ws', '--jobs', 'two'],
    ['ws://127.0.0.1:1/ws', '--section', '14'],
    ['ws://127.0.0.1:1/ws', '--section', '2,x'],
    ['ws://127.0.0.1:1/ws', '--max-replay', '-1'],
    ['ws://127.0.0.1:1/ws', '--abuse-strikes'],
    ['ws://127.0.0.1:1/ws', '--bad-origin', 'has space'],
    ['ws://127.0.0.1:1/ws', '--output', ''],
    ['http://127.0.0.1:1/ws'],
    ['not a url'],
    [],
    ['ws://a/ws', 'ws://b/ws'],
  ]
  for (const args of bad) {
    const { code, stdout, stderr } = await run(args)
    t.equal(code, 2, `${JSON.stringify(args)} exits 2`)
    t.match(stderr, /usage: wirechat-conformance <ws-url>/, 'with the usage')
    t.equal(stdout, '', 'and nothing on stdout')
  }
})

t.test('arguments: the options are parsed into run options', async (t) => {
  t.same(
    parseCommandLine([
      'wss://chat.example/ws',
      '--format',
      'junit',
      '--output',
      'r.xml',
      '--jobs',
      '3',
      '--section',
      '2,5',
      '--section',
      '13',
      '--max-replay',
      '8',
      '--abuse-strikes',
      '30',
      '--bad-origin',
      'https://evil.example',
    ]),
    {
      options: { url: 'wss://chat.example/ws', jobs: 3, maxReplay: 8, abuseStrikes: 30, badOrigin: 'https://evil.example', sections: ['2', '5', '13'] },
      format: 'junit',
      output: 'r.xml',
    },
  )
  t.same(parseCommandLine(['ws://h/ws']), { options: { url: 'ws://h/ws' }, format: 'pretty', output: undefined })
  const help = await run(['--help'])
  t.same([help.code, /--format pretty\|tap\|json\|junit/.test(help.stdout)], [0, true], '--help prints the usage and exits 0')
  const version = await run(['--version'])
  const kitVersion = (JSON.parse(readFileSync(new URL('../../conformance/package.json', import.meta.url), 'utf8')) as { version: string }).version
  t.same([version.code, version.stdout], [0, `wirechat-conformance ${kitVersion} for chat.v1 ${PROTOCOL_VERSION}\n`], '--version names the kit and the protocol')
})

t.test('a URL where no chat.v1 server answers exits 2 with a clear message', async (t) => {
  const { code, stderr } = await run([`ws://127.0.0.1:${await freePort()}/ws`])
  t.equal(code, 2)
  t.match(stderr, /cannot reach a chat\.v1 server at ws:\/\/127\.0\.0\.1:\d+\/ws: /)
})

t.test('the program rejects an unknown flag', async (t) => {
  const { code, stderr } = await spawnRun(['conformance/cli.ts', 'ws://127.0.0.1:1/ws', '--nope'])
  t.equal(code, 2)
  t.match(stderr, /Unknown option '--nope'/)
})

t.test('against a broken server', async (t) => {
  const broken = await startBrokenServer()
  t.teardown(() => broken.close())
  const dir = mkdtempSync(join(tmpdir(), 'wirechat-kit-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))

  t.test('the kit, run as a plain Node process, exits 1 and names the failing checks and sections', async (t) => {
    const { code, stdout } = await spawnRun(['conformance/cli.ts', broken.url, '--section', '3,6,12', '--jobs', '3'])
    t.equal(code, 1, 'exit code 1')
    t.match(stdout, /§3 Envelope +\d+ +[1-9]\d* +\d+ +FAIL/, 'the §3 row fails')
    t.match(stdout, /§6 Chat +\d+ +[1-9]\d* +\d+ +FAIL/, 'the §6 row fails')
    t.match(stdout, /§12 Close codes +\d+ +1 +\d+ +FAIL/, 'the §12 row fails once')
    t.match(
      stdout,
      /§3 Envelope: §3 an error reply echoes the request id too \[ENV-2, ERR-2, SES-2\]\n {6}- should match pattern: \/: missing key id/,
      'the missing error id, with the clauses it breaks and the failing assertion',
    )
    t.match(stdout, /§6 Chat: §6 seq starts at 1 and grows by exactly 1/, 'the seq check fails')
    t.match(stdout, /\n {6}- server frame violates its schema \(bad-frame: Invalid "chat(-ok)?" frame\. \/message\/seq: must be >= 1\)/, 'a chat with seq 0 is named a schema violation')
    t.match(stdout, /§12 Close codes: §12 1000 normal[^\n]*\n {6}- closed with 1000: expected 1000, got 1001/, 'the wrong close code')
    t.match(stdout, /Skipped:\n(.*\n)* {2}§12 1001 going-away[^\n]*: needs a server to shut down/, 'skips are listed with their reason')
  })

  t.test('--format tap writes valid TAP 14', async (t) => {
    const file = join(dir, 'report.tap')
    t.equal((await run([broken.url, '--section', '12', '--format', 'tap', '--output', file])).code, 1)
    const tap = readFileSync(file, 'utf8')
    t.same(tapProblems(tap), [], 'every line is TAP 14')
    t.match(tap, /^TAP version 14\n/)
    t.match(tap, /^ {4}not ok \d+ - §12 1000 normal/m, 'the failing check is a failed test point')
    t.match(tap, /^ {4}ok \d+ - §12 1011 internal-error: .* # SKIP needs an unexpected server failure/m, 'a skip has its reason')
    t.match(tap, /^not ok 1 - §12 Close codes$/m, 'the section fails')
  })

  t.test('--format json writes the documented shape', async (t) => {
    const file = join(dir, 'report.json')
    const listeners = process.listenerCount('unhandledRejection')
    t.equal((await run([broken.url, '--section', '12', '--format', 'json', '--output', file])).code, 1)
    t.equal(process.listenerCount('unhandledRejection'), listeners, "the run removed its process-wide 'unhandledRejection' listener")
    const results = JSON.parse(readFileSync(file, 'utf8')) as KitResults
    t.match(results, {
      url: broken.url,
      protocol: 'chat.v1',
      protocolVersion: String,
      serverVersion: String,
      startedAt: String,
      durationMs: Number,
      summary: { total: Number, passed: Number, failed: 1, skipped: Number },
      checks: Array,
    })
    t.equal(results.summary.total, results.checks.length)
    const failed = results.checks.find((c) => c.status === 'fail')
    t.match(failed, {
      section: '12',
      file: '12-close-codes',
      name: /^§12 1000 normal/,
      durationMs: Number,
      assertions: Number,
      failures: [{ message: 'closed with 1000', detail: 'expected 1000, got 1001' }, { message: 'reason "normal"' }],
      subtests: [],
    })
    t.match(
      results.checks.find((c) => c.status === 'skip'),
      { skipReason: String },
    )
  })

  t.test('--format junit writes well-formed XML', async (t) => {
    const file = join(dir, 'report.xml')
    t.equal((await run([broken.url, '--section', '12', '--format', 'junit', '--output', file])).code, 1)
    const xml = readFileSync(file, 'utf8')
    t.equal(xmlProblem(xml), undefined, 'well-formed')
    t.match(xml, /<testsuite name="§12 Close codes" tests="\d+" failures="1" errors="0" skipped="\d+"/)
    t.match(xml, /<failure message="closed with 1000: expected 1000, got 1001" type="assertion">/)
    t.match(xml, /<skipped message="needs an unexpected server failure: not provokable by a client"\/>/)
  })
})

t.test('XML escaping covers markup, quotes and characters XML cannot hold', async (t) => {
  t.equal(xmlText(`<a href="x">&'</a>\u0000\u0008\ud800ok😀`), '&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;\\u0000\\u0008\\ud800ok😀')
  t.equal(xmlProblem(`<r a="${xmlText('"<&\u0001')}">${xmlText('<&>\u001b')}</r>`), undefined)
  t.not(xmlProblem('<r>a & b</r>'), undefined, 'the checker finds a bare &')
  t.not(xmlProblem('<r><s></r></s>'), undefined, 'and bad nesting')
})

t.test('the TAP checker finds what TAP 14 forbids', async (t) => {
  t.same(tapProblems('TAP version 14\n1..1\nok 1 - fine\n'), [])
  t.not(tapProblems('TAP version 14\n1..2\nok 1 - a\n').length, 0, 'a plan that does not match')
  t.not(tapProblems('TAP version 14\n1..1\nok 1 - a # b\n').length, 0, 'an unescaped # that is no directive')
  t.not(tapProblems('1..1\nok 1\n').length, 0, 'no version line')
})
