// Conformance levels (issue 16): the kit puts every check in core, durable
// or full, reports which levels a server meets in every output format, and
// `--level` runs only the checks up to a level. A minimal server that
// implements only the core part honestly (test/fixtures/minimal-server.ts)
// meets core and not durable.
import t from 'tap'
import { main, parseCommandLine } from '../../conformance/cli.ts'
import { CHECK_FILES } from '../../conformance/checks/index.ts'
import { type KitResults, runKit } from '../../conformance/index.ts'
import { assessLevels, frameLevel, highestMet, levelOf, lowestLevel } from '../../conformance/levels.ts'
import { startMinimalServer } from '../fixtures/minimal-server.ts'

t.setTimeout(300_000)

/** Runs the command in this process, capturing what it writes. */
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

t.test('levels are assessed from the checks: a failure below fails every level above; a partial run claims none', async (t) => {
  const check = (level: 'core' | 'durable' | 'full', status: 'pass' | 'fail' | 'skip') => ({ level, status })
  const all = [check('core', 'pass'), check('core', 'skip'), check('durable', 'pass'), check('full', 'fail')]
  t.same(
    assessLevels(all, 'full', true).map((r) => r.status),
    ['met', 'met', 'not-met'],
    'a skip does not count against its level',
  )
  t.equal(highestMet(assessLevels(all, 'full', true)), 'durable')
  t.same(
    assessLevels([check('core', 'fail'), check('durable', 'pass')], 'full', true).map((r) => r.status),
    ['not-met', 'not-met', 'not-met'],
    'durable needs core',
  )
  t.same(
    assessLevels([check('core', 'pass')], 'core', true).map((r) => r.status),
    ['met', 'not-run', 'not-run'],
    'levels above --level are not run',
  )
  t.same(
    assessLevels([check('core', 'pass')], 'full', false).map((r) => r.status),
    ['incomplete', 'incomplete', 'incomplete'],
    'a run limited by section or name claims nothing',
  )
  t.equal(highestMet(assessLevels([check('core', 'pass')], 'full', false)), undefined)
  t.same(assessLevels([check('durable', 'pass')], 'durable', true)[0], { level: 'core', status: 'met', passed: 0, failed: 0, skipped: 0 }, 'counts are per level')
})

t.test('each check file declares its level; frame types have theirs', async (t) => {
  const file = (name: string) => CHECK_FILES.find((f) => f.file === name)!
  t.equal(levelOf(file('06-chat'), '§6 a chat reaches every other connection in the room'), 'core')
  t.equal(levelOf(file('06-chat'), '§6 re-sending a clientMsgId returns the original with duplicate:true and delivers nothing'), 'durable')
  t.equal(levelOf(file('07-history'), '§7 anything'), 'durable')
  t.equal(levelOf(file('11-errors'), '§11 muted: an error frame'), 'full')
  t.equal(levelOf(file('11-errors'), '§11 not-in-room: an error frame'), 'core')
  t.equal(levelOf(file('12-close-codes'), '§12 4008 abuse: …'), 'full')
  t.equal(levelOf(file('12-close-codes'), '§12 4001 login-timeout: …'), 'core')
  t.equal(lowestLevel(file('16-message-life')), 'full')
  t.equal(lowestLevel(file('transcripts')), 'core')
  t.same(['chat', 'history', 'dm', 'edit', 'typing'].map(frameLevel), ['core', 'durable', 'full', 'full', 'full'])
})

t.test('against a minimal server that implements only the core honestly', async (t) => {
  const server = await startMinimalServer()
  t.teardown(() => server.close())

  t.test('a full run: it meets core, not durable, not full', async (t) => {
    const results = await runKit({ url: server.url, jobs: 3 })
    t.same(
      results.levels.map((r) => [r.level, r.status]),
      [
        ['core', 'met'],
        ['durable', 'not-met'],
        ['full', 'not-met'],
      ],
    )
    t.equal(results.meets, 'core')
    t.equal(results.level, 'full')
    t.same(
      results.checks.filter((c) => c.level === 'core' && c.status === 'fail').map((c) => c.name),
      [],
      'no core check fails',
    )
    t.ok(
      results.checks.some((c) => c.level === 'durable' && c.status === 'fail' && /^§7 /.test(c.name)),
      'history checks fail: it keeps no history',
    )
    t.ok(
      results.checks.every((c) => c.status !== 'skip' || (c.skipReason ?? '') !== ''),
      'every skip says why',
    )
    // Every check of every file is declared (skipped when the server lacks the feature), so each
    // exception in checks/index.ts must name at least one: a renamed check cannot silently change level.
    for (const file of CHECK_FILES) {
      for (const [pattern] of file.except ?? []) {
        t.ok(
          results.checks.some((c) => c.file === file.file && pattern.test(c.name)),
          `${file.file}: ${pattern} names a check`,
        )
      }
    }
  })

  t.test('--level core runs the core checks only and says core is met, in every format', async (t) => {
    const json = await run([server.url, '--level', 'core', '--format', 'json', '--jobs', '3'])
    t.equal(json.code, 0, 'every core check passed')
    const results = JSON.parse(json.stdout) as KitResults
    t.match(results, {
      level: 'core',
      meets: 'core',
      levels: [
        { level: 'core', status: 'met' },
        { level: 'durable', status: 'not-run' },
        { level: 'full', status: 'not-run' },
      ],
    })
    t.same([...new Set(results.checks.map((c) => c.level))], ['core'], 'only core checks ran')
    t.ok(results.checks.length >= 80, `${results.checks.length} core checks`)
    t.match(json.stderr, /meets core/)

    const tap = await run([server.url, '--level', 'core', '--format', 'tap', '--section', '3'])
    t.match(tap.stdout, /^# conformance level: not assessed: the run left checks out/m, 'TAP: a partial run claims no level')
    t.match(tap.stdout, /^# level core not assessed \(a partial run\) \(\d+ passed, 0 failed, 0 skipped\)$/m)
    t.match(tap.stdout, /^# level durable not run \(--level\)$/m)

    const junit = await run([server.url, '--level', 'core', '--format', 'junit', '--section', '3'])
    t.match(junit.stdout, /<property name="conformance\.level\.run" value="core"\/>/)
    t.match(junit.stdout, /<property name="conformance\.level\.core" value="incomplete"\/>/)
    t.match(junit.stdout, /<testcase [^>]*>\n {6}<properties><property name="conformance\.level" value="core"\/>/, 'each testcase names its level')

    const pretty = await run([server.url, '--level', 'core', '--section', '3'])
    t.match(pretty.stdout, /\nConformance level: not assessed[^\n]*\n {2}core not assessed/)
  })
})

t.test('--level takes the three level names only; --section takes 7a', async (t) => {
  t.same(parseCommandLine(['ws://h/ws', '--level', 'durable', '--section', '7a,07']), {
    options: { url: 'ws://h/ws', level: 'durable', sections: ['7a', '7'] },
    format: 'pretty',
    output: undefined,
  })
  t.equal((await run(['ws://127.0.0.1:1/ws', '--section', '7b'])).code, 2, 'no §7b')
  const { code, stderr } = await run(['ws://127.0.0.1:1/ws', '--level', 'gold'])
  t.equal(code, 2)
  t.match(stderr, /--level must be one of core, durable, full, got "gold"/)
})
