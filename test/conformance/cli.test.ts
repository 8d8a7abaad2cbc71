// The conformance command end to end: against our server started as a
// separate process (settings from the environment, as an implementer would
// run it), and against a port where nothing listens.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { formatReport, parseTap } from '../../conformance/cli.ts'

const root = fileURLToPath(new URL('../../', import.meta.url))
// The whole suite runs inside one check: allow it the time.
t.setTimeout(900_000)

/** A free loopback port: bind port 0, read it, release it. */
async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise((resolve) => server.close(resolve))
  if (address === null || typeof address === 'string') throw new Error('no port')
  return address.port
}

function run(args: string[], env: Record<string, string>, timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=wirechat-source', 'conformance/cli.ts', ...args], { cwd: root, env: { ...process.env, CONFORMANCE_URL: '', ...env } })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c) => { stdout += c })
    child.stderr.on('data', (c) => { stderr += c })
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`CLI still running after ${timeoutMs} ms; output: ${stdout.slice(-2000)}`)) }, timeoutMs)
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }) })
  })
}

t.test('the report names the section and the failing assertions of each failed check, and counts a crashed file as failed', async (t) => {
  const tap = [
    '# Subtest: test/conformance/06-chat.test.ts',
    '    # Subtest: §6 a chat reaches every other member',
    '        ok 1 - chat-ok',
    '        not ok 2 - the push is the server copy',
    '        1..2',
    '    not ok 1 - §6 a chat reaches every other member # time=12ms',
    '    ok 2 - §6 seq grows by one # time=3ms',
    '    ok 3 - §6 something optional # SKIP not announced',
    'not ok 1 - test/conformance/06-chat.test.ts # time=99ms',
    'not ok 2 - test/conformance/07-history.test.ts # time=5ms',
  ].join('\n')
  const results = parseTap(tap)
  t.match(results, [
    { section: '6', status: 'fail', detail: ['the push is the server copy'] },
    { section: '6', status: 'pass' },
    { section: '6', status: 'skip', detail: ['not announced'] },
    { section: '?', status: 'fail', name: /07-history/ },
  ])
  const report = formatReport('ws://x/ws', results)
  t.match(report, /§6 Chat +1 +1 +1  FAIL/)
  t.match(report, /§6 Chat: §6 a chat reaches every other member\n {6}- the push is the server copy/)
  t.match(report, /Total: 1 passed, 2 failed, 1 skipped/)
})

t.test('the CLI runs every section against a server in another process and exits 0', async (t) => {
  const port = await freePort()
  const dataDir = mkdtempSync(join(tmpdir(), 'wirechat-cli-'))
  const server = spawn(process.execPath, ['--conditions=wirechat-source', 'server/main.ts'], {
    cwd: root,
    stdio: 'ignore',
    env: {
      ...process.env,
      PORT: String(port), HOST: '127.0.0.1', STORE: 'memory', LOG_LEVEL: 'silent', DATA_DIR: dataDir,
      LOGIN_TIMEOUT_MS: '1000', TYPING_TTL_MS: '300', HEARTBEAT_MS: '2500', MAX_ROOMS: '4', HISTORY_PAGE_MAX: '5', MAX_REPLAY: '8',
      RATE_PER_SECOND: '50', RATE_BURST: '40', ABUSE_STRIKES: '30', MAX_FRAME_BYTES: '8192', ALLOWED_ORIGINS: 'https://allowed.example',
    },
  })
  t.teardown(() => {
    server.kill()
    rmSync(dataDir, { recursive: true, force: true })
  })
  // Ready when /healthz answers (bounded). Timers are as long as the kit allows,
  // so a loaded machine does not turn a slow pong into a failure.
  const deadline = Date.now() + 30_000
  for (;;) {
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false)
    if (ok) break
    if (Date.now() > deadline || server.exitCode !== null) throw new Error('the server process did not become ready')
    await new Promise((resolve) => setTimeout(resolve, 200))
  }

  const { code, stdout } = await run([`ws://127.0.0.1:${port}/ws`], { CONFORMANCE_MAX_REPLAY: '8', CONFORMANCE_ABUSE_STRIKES: '30' }, 840_000)
  t.equal(code, 0, 'exit code 0', { report: stdout })
  for (const section of ['Transport', 'Envelope', 'Session lifecycle', 'Rooms', 'Chat', 'History and resume', 'Direct messages', 'Typing', 'Heartbeat', 'Errors', 'Close codes', 'Limits']) {
    t.match(stdout, new RegExp(`§\\d+ ${section} +\\d+ +0 +\\d+`), `the report has a row for ${section}`)
  }
  t.match(stdout, /Total: \d+ passed, 0 failed/)
})

t.test('the CLI exits non-zero when nothing listens at the URL', async (t) => {
  const port = await freePort()
  const { code, stderr } = await run([`ws://127.0.0.1:${port}/ws`], {}, 60_000)
  t.not(code, 0)
  t.match(stderr, /cannot reach a chat\.v1 server/)
})

t.test('the CLI exits non-zero without a ws:// URL', async (t) => {
  const { code, stderr } = await run(['http://example.com'], {}, 60_000)
  t.equal(code, 2)
  t.match(stderr, /usage:/)
})
