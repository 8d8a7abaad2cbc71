// PROTOCOL.md's clauses and the checks that prove them (issue 16). Every
// normative rule of PROTOCOL.md carries a stable id (protocol/generate/
// clauses.ts); every check of both kits names the ids it proves. This test
// fails the build when an id appears twice, when a check cites an id that
// does not exist, when a check declares no clauses at all, or when a clause
// has neither a check nor a reason: a clause is proved by a check of either
// kit, or, where the kit cannot provoke it on an arbitrary server (it needs the
// server's configuration, or the server's own sockets), by a test of our
// server in SERVER_TEST_FILES that cites it in its name (`… [TRAN-9]`), or it
// is listed in NOT_PROVOKABLE with the reason no client can cause it. There is
// no list of clauses merely not covered yet: a clause a check could prove has one.
//
// The server kit's checks are listed without being run (listChecks), against
// our server with the settings of kit.test.ts: some check files ask the
// server what to declare (its namespaces, whether a client may create rooms).
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { CLIENT_CHECKS, type CheckResult, formatJunit, formatPretty, formatTap, type KitResults, listChecks } from '../../conformance/index.ts'
import { CLOSE_CODES, ERROR_CODES } from '../../protocol/codes.ts'
import { type Clause, parseClauses, untaggedKeywords } from '../../protocol/generate/clauses.ts'
import { REPO_ROOT } from '../../protocol/generate/index.ts'
import { kitSettings } from '../helpers/kit-settings.ts'
import { startServer } from '../helpers/server.ts'

/**
 * Clauses no conformance check can prove, each with the reason. Only what is
 * true: a server's behaviour when its own dependencies fail, an operator's
 * action outside the protocol, timers longer than any kit run, what the kit
 * cannot observe or sign.
 */
const NOT_PROVOKABLE: Readonly<Record<string, string>> = {
  'OVR-5': 'a rule on how the protocol evolves (what needs a new major version), not on an implementation; test/protocol/compat.test.ts holds the schemas to it',
  'OVR-7': 'the kit cannot know which version a client implements: a login without `version` is a valid 1.0.0 client',
  'SES-10': "needs a valid signed token (its sub and name claims): only the token issuer can make one, and the kit has no issuer's key",
  'SES-11': 'needs valid signed tokens of two subjects: only the token issuer can make them',
  'SES-19': 'session keys expire after a time without use that is not announced and is days long (30 by default): a timer longer than a kit run',
  'ACC-3': 'needs a connection logged in with a valid signed token: only the token issuer can make one',
  'ACC-13': 'needs a signed token whose exp passes while connected: only the token issuer can make one',
  'CLOSE-4012': 'needs a signed token whose exp passes while connected: only the token issuer can make one',
  'ROOM-3': 'an operator deletes a room through the admin HTTP API, outside the protocol: no client can cause it',
  'HIST-8': "the epoch changes when the server's history is wiped (an operator's action, or a store without durability restarting): no client can cause it",
  'CHAT-8': "the server's answer when its history store fails: no client can make the store fail",
  'CHAT-9': "the server's answer when the store succeeds and the broker fails: no client can make the broker fail",
  'DM-4': "the server's answer when its store or broker fails: no client can make them fail",
  'ERR-unavailable': 'a dependency of the server (history store or broker) unreachable: no client can cause it',
  'ERR-internal': 'an unexpected failure of the server (a bug): no client can cause it on purpose',
  'CLOSE-1011': 'an unexpected condition in the server (a bug): no client can cause it on purpose',
}

/**
 * Tests of our server that prove clauses the kit cannot provoke on an
 * arbitrary server without knowing its configuration (connection caps, the
 * Origin rule, TRUST_PROXY, login failure limits) or without filling its
 * socket buffers (the slow consumer). Each cites its clauses at the end of its
 * name, as the kits' reports do: `t.test('the total cap answers 503 [TRAN-8]', …)`.
 */
const SERVER_TEST_FILES = ['test/security/handshake.test.ts', 'test/security/slow-consumer.test.ts', 'test/server/accounts.test.ts']

/** The clause ids cited by the tests of a file: `t.test('… [ID, ID]'`, in any quotes. */
function citedByTests(source: string): Array<{ name: string; clauses: string[] }> {
  const out: Array<{ name: string; clauses: string[] }> = []
  for (const m of source.matchAll(/\bt\.test\(\s*(['"`])((?:(?!\1).)*?) \[([A-Z]+-[\w-]+(?:, [A-Z]+-[\w-]+)*)\]\1/g)) out.push({ name: m[2]!, clauses: m[3]!.split(', ') })
  return out
}

const clauses: Clause[] = parseClauses(readFileSync(join(REPO_ROOT, 'PROTOCOL.md'), 'utf8')).clauses
const ids = new Set(clauses.map((c) => c.id))

t.test('every clause id of PROTOCOL.md appears once, with a well-formed tag', async (t) => {
  const { problems } = parseClauses(readFileSync(join(REPO_ROOT, 'PROTOCOL.md'), 'utf8'))
  t.same(problems, [], 'no duplicate id, no tag that disagrees with its anchor')
  t.ok(clauses.length > 200, `${clauses.length} clauses`)
  for (const c of clauses) t.match(c.id, /^[A-Z]+-(\d+|[a-z0-9-]+)$/, `${c.id}: AREA-N, or ERR-<code> / CLOSE-<code>`)
  t.same(
    clauses.filter((c) => c.text.length < 10).map((c) => c.id),
    [],
    'every clause has its rule as text',
  )
})

t.test('every MUST, SHOULD and REQUIRED of PROTOCOL.md stands in a tagged clause', async (t) => {
  t.same(untaggedKeywords(readFileSync(join(REPO_ROOT, 'PROTOCOL.md'), 'utf8')), [], 'a new rule gets the next free id of its area')
  t.same(untaggedKeywords('## 9 Typing\n\nThe client SHOULD refresh.\n\n<a id="TYP-1"></a>**[TYP-1]** The server MUST push.'), ['§9: The client SHOULD refresh.'], 'an untagged rule is found')
})

t.test('schema/clauses.json is the list read from PROTOCOL.md', async (t) => {
  const json = JSON.parse(readFileSync(join(REPO_ROOT, 'schema', 'clauses.json'), 'utf8')) as { clauses: Clause[] }
  t.same(json.clauses, clauses)
})

t.test('each error code and each close code is a clause: its row of the table', async (t) => {
  for (const code of ERROR_CODES) t.ok(ids.has(`ERR-${code}`), `ERR-${code}`)
  for (const code of CLOSE_CODES) t.ok(ids.has(`CLOSE-${code}`), `CLOSE-${code}`)
})

t.test('parsing: a duplicate id and a tag that disagrees with its anchor are problems', async (t) => {
  const doc = [
    '## 4 Session',
    '',
    '<a id="SES-1"></a>**[SES-1]** First rule. <a id="SES-2"></a>**[SES-2 client]** A client SHOULD do this;',
    '',
    '- <a id="SES-1"></a>**[SES-1]** Again.',
    '- <a id="SES-3"></a>**[SES-9]** Wrong tag.',
    '',
    '| <a id="ERR-nope"></a>`nope` | no | A row. |',
  ].join('\n')
  const parsed = parseClauses(doc)
  t.same(
    parsed.clauses.map((c) => [c.id, c.section, c.level, c.party, c.text]),
    [
      ['SES-1', '4', 'MUST', 'server', 'First rule.'],
      ['SES-2', '4', 'SHOULD', 'client', 'A client SHOULD do this'],
      ['SES-1', '4', 'MUST', 'server', 'Again.'],
      ['SES-3', '4', 'MUST', 'server', 'Wrong tag.'],
      ['ERR-nope', '4', 'MUST', 'both', '`nope` | no | A row.'],
    ],
  )
  t.same(parsed.problems, ['SES-1: the id appears twice', 'SES-3: the anchor is followed by the tag **[SES-9]**'])
})

t.test('server tests cite clauses at the end of their names', async (t) => {
  t.same(citedByTests("t.test('the total cap answers 503 [TRAN-8]', async () => {})\nt.test(\"own origin [TRAN-11, TRAN-12]\", f)\nt.test('no citation', f)"), [
    { name: 'the total cap answers 503', clauses: ['TRAN-8'] },
    { name: 'own origin', clauses: ['TRAN-11', 'TRAN-12'] },
  ])
})

t.test('every clause is proved by a check of either kit or a server test, or listed as not provokable with the reason', async (t) => {
  const server = await startServer(t, kitSettings)
  const declared = await listChecks({
    url: server.url,
    maxReplay: server.config.maxReplay,
    abuseStrikes: server.config.abuseStrikes,
    allowedOrigin: server.config.allowedOrigins[0]!,
    startServer: async () => ({ url: server.url, close: async () => {} }),
  })
  const client = Object.entries(CLIENT_CHECKS).map(([id, check]) => ({ name: id, clauses: [...check.clauses], skip: undefined as string | undefined }))
  const tests = SERVER_TEST_FILES.flatMap((file) =>
    citedByTests(readFileSync(join(REPO_ROOT, file), 'utf8')).map((c) => ({ name: `${file}: ${c.name}`, clauses: c.clauses, skip: undefined as string | undefined })),
  )
  t.ok(tests.length >= SERVER_TEST_FILES.length, `${tests.length} server tests cite clauses`)
  t.same(
    readdirSync(join(REPO_ROOT, 'test'), { recursive: true, encoding: 'utf8' })
      .filter(
        (f) => f.endsWith('.test.ts') && f !== 'protocol/clauses.test.ts' && !SERVER_TEST_FILES.includes(`test/${f}`) && citedByTests(readFileSync(join(REPO_ROOT, 'test', f), 'utf8')).length > 0,
      )
      .map((f) => `test/${f}`),
    [],
    'every test file that cites clauses is in SERVER_TEST_FILES (else its citations would not count)',
  )
  const checks = [...declared, ...client, ...tests]
  t.ok(declared.length >= 150, `${declared.length} server checks, ${client.length} client checks`)

  t.same(
    declared.filter((c) => c.clauses === undefined).map((c) => c.name),
    [],
    'every server check declares the clauses it proves (`clauses: [...]`; [] for a check of the kit itself)',
  )
  const unknown = checks.flatMap((c) => (c.clauses ?? []).filter((id) => !ids.has(id)).map((id) => `${c.name}: ${id}`))
  t.same(unknown, [], 'every cited clause exists in PROTOCOL.md')

  const cited = new Map<string, string[]>()
  for (const c of checks) for (const id of c.clauses ?? []) cited.set(id, [...(cited.get(id) ?? []), c.name])
  const listed = NOT_PROVOKABLE
  t.same(
    clauses.filter((c) => !cited.has(c.id) && !(c.id in listed)).map((c) => `${c.id} (§${c.section}): ${c.text.slice(0, 100)}`),
    [],
    'every clause has a check, or is listed as not provokable with the reason',
  )
  t.same(
    Object.keys(listed)
      .filter((id) => cited.has(id))
      .map((id) => `${id}: cited by ${cited.get(id)!.join('; ')}`),
    [],
    'no listed clause has a check: take it off the list',
  )
  t.same(
    Object.keys(listed).filter((id) => !ids.has(id)),
    [],
    'every listed clause exists',
  )
  t.same(
    Object.entries(listed)
      .filter(([, reason]) => reason.trim().length < 20)
      .map(([id]) => id),
    [],
    'every reason says why',
  )

  // Clauses whose every check is skipped against our server: they run against servers configured otherwise (token authentication).
  const running = new Set(checks.filter((c) => c.skip === undefined).flatMap((c) => c.clauses ?? []))
  const onlySkipped = [...cited.keys()].filter((id) => !running.has(id))
  const covered = clauses.filter((c) => cited.has(c.id)).length
  const byTests = new Set(tests.flatMap((c) => c.clauses))
  const byKits = new Set([...declared, ...client].flatMap((c) => c.clauses ?? []))
  const onlyByTests = [...byTests].filter((id) => !byKits.has(id))
  t.comment(
    `${clauses.length} clauses: ${covered} covered by a check (${onlySkipped.length} only by checks our server's settings skip: ${onlySkipped.join(', ') || 'none'}; ${onlyByTests.length} only by server tests: ${onlyByTests.join(', ') || 'none'}), ${Object.keys(NOT_PROVOKABLE).length} not provokable`,
  )
})

t.test('the reports cite the clauses of each check: pretty and TAP after its name, JSON a field, JUnit a property', async (t) => {
  const check = (status: CheckResult['status'], name: string, clauses: string[]): CheckResult => ({
    name,
    status,
    section: '4',
    clauses,
    file: '04-session',
    level: 'core',
    durationMs: 1,
    assertions: 1,
    failures: status === 'fail' ? [{ message: 'name-taken expected' }] : [],
    subtests: [],
    ...(status === 'skip' && { skipReason: 'not today' }),
  })
  const results: KitResults = {
    url: 'ws://127.0.0.1:1/ws',
    protocol: 'chat.v1',
    protocolVersion: '1.3.0',
    serverVersion: '1.3.0',
    startedAt: new Date(0).toISOString(),
    durationMs: 3,
    summary: { total: 3, passed: 1, failed: 1, skipped: 1 },
    level: 'full',
    levels: [],
    checks: [check('pass', '§4 passes', ['SES-1']), check('fail', '§4 names are unique', ['SES-4', 'ERR-name-taken']), check('skip', '§4 waits', ['SES-30'])],
  }
  t.match(formatPretty(results), /^ {2}§4 Session lifecycle: §4 names are unique \[SES-4, ERR-name-taken\]$/m, 'pretty: a failed check with its clauses')
  t.match(formatPretty(results), /^ {2}§4 waits \[SES-30\]: not today$/m, 'pretty: a skipped one too')
  const tap = formatTap(results)
  t.match(tap, /^ {4}ok 1 - §4 passes \[SES-1\]$/m, 'TAP: in the test point description')
  t.match(tap, /^ {4}not ok 2 - §4 names are unique \[SES-4, ERR-name-taken\]$/m)
  t.match(formatJunit(results), /<property name="conformance\.clauses" value="SES-4 ERR-name-taken"\/>/, 'JUnit: a testcase property')
  t.same((JSON.parse(JSON.stringify(results)) as KitResults).checks[1]!.clauses, ['SES-4', 'ERR-name-taken'], 'JSON: the clauses field')
})
