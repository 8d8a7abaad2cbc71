// The kit's timer checks against our server in deterministic mode with the
// DEFAULT timers (login deadline 10 s, heartbeat 30 s, typing 5 s): given the
// server's fake clock (--clock), the kit moves time forward instead of waiting,
// so none of these checks is skipped for a long timer, and they take
// milliseconds of real time.
import t from 'tap'
import { formatResults, runKit } from '../../conformance/index.ts'
import { parseCommandLine } from '../../conformance/cli.ts'
import { defaultConfig } from '../../server/config.ts'
import { disableDeterminism } from '../../server/determinism.ts'
import { startServer } from '../helpers/server.ts'

t.setTimeout(300_000)
t.teardown(disableDeterminism)

/** The checks that wait out a server timer. */
const TIMER_CHECKS = /loginTimeoutMs|login deadline|WebSocket ping|typing indicator expires|^§12 4001 |timed ban ends/

t.test('with --clock, the timer checks run against the default timers and pass', async (t) => {
  const server = await startServer(t, { deterministicSeed: 7, store: 'memory' })
  for (const key of ['loginTimeoutMs', 'heartbeatMs', 'typingTtlMs'] as const) t.equal(server.config[key], defaultConfig[key], `the default ${key}`)
  const results = await runKit({ url: server.url, clock: `${server.httpUrl}/_test/clock`, only: TIMER_CHECKS })
  const failed = results.checks.filter((c) => c.status === 'fail')
  t.same(
    failed.map((c) => c.name),
    [],
    `no failed check\n${failed.length > 0 ? formatResults({ ...results, checks: failed }, 'pretty') : ''}`,
  )
  t.same(
    results.checks.filter((c) => c.status === 'skip').map((c) => `${c.name}: ${c.skipReason}`),
    [],
    'none skipped',
  )
  const ran = results.checks.filter((c) => c.status === 'pass').map((c) => c.name)
  for (const wanted of [
    /^§4 no successful login/,
    /^§4 a failed login/,
    /^§4 a logged-in connection outlives/,
    /^§9 a typing indicator expires/,
    /^§10 the server sends WebSocket pings/,
    /^§10 a peer that answers no/,
    /^§12 4001 /,
    /timed ban ends/,
  ]) {
    t.ok(
      ran.some((name) => wanted.test(name)),
      `ran ${wanted}`,
    )
  }
  t.comment(`${ran.length} timer checks passed in ${results.durationMs} ms`)
})

t.test('without --clock the same checks are skipped against the default timers', async (t) => {
  const server = await startServer(t, { store: 'memory' })
  const results = await runKit({ url: server.url, only: /^§4 .*login deadline|^§4 .*loginTimeoutMs|WebSocket ping|^§12 4001 / })
  const skipped = results.checks.filter((c) => c.status === 'skip')
  t.equal(skipped.length, 6, `the login deadline and heartbeat checks are skipped for their long timer: ${skipped.map((c) => c.name).join('; ')}`)
})

t.test('--clock is parsed from the command line', async (t) => {
  const parsed = parseCommandLine(['ws://127.0.0.1:1/ws', '--clock', 'http://127.0.0.1:1/_test/clock'])
  t.match(parsed, { options: { clock: 'http://127.0.0.1:1/_test/clock' } })
  t.throws(() => parseCommandLine(['ws://127.0.0.1:1/ws', '--clock', 'ftp://x']), /--clock/)
})
