// Units of the PROTOCOL.md generator: marker regions, shapes with shared
// types, transcript rendering, on small inputs; and the committed file has no
// empty generated region.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { REPO_ROOT } from '../../protocol/generate/index.ts'
import { renderProtocolMd } from '../../protocol/generate/markdown/protocol-md.ts'
import { fillRegions, regionNames } from '../../protocol/generate/markdown/regions.ts'
import { renderShape, renderSharedTypes, sharedName, SHARED_TYPES } from '../../protocol/generate/markdown/shapes.ts'
import { ANY_WELCOME, ANY_WELCOME_SHORT, renderTranscript, renderTranscriptIndex } from '../../protocol/generate/markdown/transcripts.ts'
import { loadTranscripts, parseTranscript, type LoadedTranscript } from '../../protocol/generate/transcripts.ts'
import { plainSchema } from '../../protocol/generate/json-schema.ts'
import { LoginOk, Welcome } from '../../protocol/frames.ts'
import { PROTOCOL_VERSION, RoomName } from '../../protocol/primitives.ts'

const region = (name: string, body = '') => `<!-- generated:${name}:start -->${body}<!-- generated:${name}:end -->`

t.test('a region is replaced and the narrative around it kept', async (t) => {
  const doc = `# Title\n\nHand-written.\n\n${region('a', '\nold\n')}\n\nMore prose.\n`
  const out = fillRegions(doc, { a: 'new' })
  t.equal(out, '# Title\n\nHand-written.\n\n<!-- generated:a:start -->\nnew\n<!-- generated:a:end -->\n\nMore prose.\n')
  t.equal(fillRegions(out, { a: 'new' }), out, 'filling again changes nothing')
})

t.test('unbalanced, duplicate or unknown regions are errors', async (t) => {
  t.throws(() => regionNames('<!-- generated:a:start -->'), /not closed/)
  t.throws(() => regionNames('<!-- generated:a:end -->'), /does not close/)
  t.throws(() => regionNames(`${region('a')}${region('a')}`), /twice/)
  t.throws(() => fillRegions(region('a'), {}), /no content for region: a/)
  t.throws(() => fillRegions(region('a'), { a: '', b: '' }), /no region for: b/)
  t.throws(() => fillRegions(region('a', '\nold\n'), { a: ' \n' }), /empty content for region: a/)
})

t.test('a shape names shared types and notes only what they do not cover', async (t) => {
  const shape = renderShape(plainSchema(LoginOk), 'login-ok')
  t.match(
    shape,
    '`{ type: "login-ok", id?: RequestId, userId: UserId, name: Name, session: SessionKey, rooms: RoomState[], inbox: InboxState, sessionId?: SessionId, registered?: boolean, dms?: DmConversation[], namespaces?: Namespace[], blocked?: UserId[] }`',
  )
  t.match(shape, '- `rooms`: One entry per joined room')
  t.notMatch(shape, 'pattern', 'no rule of a shared type is repeated')
  t.match(renderShape(plainSchema(Welcome), 'welcome'), 'limits: Limits')
  t.equal(sharedName(plainSchema(RoomName)), 'RoomName')
  t.equal(sharedName({ ...plainSchema(RoomName), maxLength: 10 }), undefined, 'a narrowed type is not the shared one')
})

t.test('every shared type is listed once, with its rules', async (t) => {
  const types = renderSharedTypes()
  for (const { name, section } of SHARED_TYPES) if (section === '14') t.match(types, `id="type-${name.toLowerCase()}"`)
  t.match(types, '`^(?:[a-z][a-z0-9-]{0,15}:)?[\\p{Ll}\\p{Lo}\\p{N}_]')
  t.throws(() => renderShape({ type: 'object', properties: { a: { type: 'object', properties: {} } } }, 'x'), /x\.a: inline object/)
})

const sample: LoadedTranscript = parseTranscript(
  JSON.stringify({
    title: 'Ana says hi',
    section: '6',
    description: 'Two clients.',
    steps: [
      { connect: 'ana' },
      { client: 'ana', expect: { type: 'welcome', name: '<string>' } },
      { client: 'ana', send: { type: 'login', id: '1', name: 'ana' } },
      { client: 'bob', expect: { type: 'chat', message: { seq: '$seq' } } },
      { client: 'ana', close: 1000 },
      { client: 'bob', expectClose: { code: 4001, reason: 'login-timeout' } },
    ],
  }),
  '06-hi',
)

t.test('a transcript renders as arrows per client under its title', async (t) => {
  const out = renderTranscript(sample, '####')
  t.match(out, '<a id="transcript-06-hi"></a>\n#### Ana says hi\n\nTwo clients.\n\n```text\n')
  t.match(out, 'ana   connects\n')
  t.match(out, 'ana ← {"type":"welcome","name":"<string>"}')
  t.match(out, 'ana → {"type":"login","id":"1","name":"ana"}')
  t.match(out, 'bob ← {"type":"chat","message":{"seq":"$seq"}}')
  t.match(out, 'bob ← connection closed: 4001 "login-timeout"')
})

t.test('a welcome checked only for the kind of its fields is shortened', async (t) => {
  const anyWelcome = JSON.parse(ANY_WELCOME) as Record<string, unknown>
  const welcome = parseTranscript(
    JSON.stringify({
      title: 'w',
      section: '4',
      description: 'd',
      steps: [{ connect: 'ana' }, { client: 'ana', expect: anyWelcome }, { client: 'ana', expect: { ...anyWelcome, name: 'ana' } }],
    }),
    '04-w',
  )
  const out = renderTranscript(welcome, '####')
  t.match(out, `ana ← ${ANY_WELCOME_SHORT}\n`)
  t.match(out, 'ana ← {"type":"welcome","connectionId":"<string>","name":"ana"', 'any other welcome pattern is shown in full')
  // The shortening is worth having only if the golden transcripts use that very pattern.
  const welcomes = loadTranscripts(join(REPO_ROOT, 'protocol', 'transcripts')).flatMap((tr) => tr.steps.flatMap((s) => ('expect' in s && s.expect.type === 'welcome' ? [s.expect] : [])))
  t.ok(welcomes.length > 0, 'the golden transcripts expect welcomes')
  t.same(
    welcomes.filter((w) => JSON.stringify(w) !== ANY_WELCOME),
    [],
    'every welcome of the golden transcripts is the shortened pattern',
  )
})

const fixedRegions = ['frames', 'shared-types', 'error-codes', 'close-codes', 'limits', 'transcript-index', 'versions'].map((n) => region(n)).join('')

t.test('a transcript shows in its section and in the index', async (t) => {
  const doc = `## 1\n${region('transcript-index')}\n## 6 Chat\n${region('transcripts-6')}\n${fixedRegions.replace(region('transcript-index'), '')}`
  const out = renderProtocolMd(doc, [sample])
  t.match(out, /## 6 Chat\n<!-- generated:transcripts-6:start -->\n<a id="transcript-06-hi"><\/a>\n#### Example: Ana says hi/)
  t.match(out, '[Ana says hi](#transcript-06-hi) (§6)')
  t.match(renderTranscriptIndex([]), 'No golden transcripts yet')
})

t.test('the version table names the version the code speaks', async (t) => {
  const out = renderProtocolMd(fixedRegions, [])
  t.match(out, `| Protocol version (\`welcome.version\`) | \`${PROTOCOL_VERSION}\``)
})

t.test('a transcript naming a section without a region is an error', async (t) => {
  t.throws(() => renderProtocolMd(fixedRegions, [sample]), /names section 6/)
})

t.test('a transcript region that no transcript names is an error, not an empty region', async (t) => {
  const doc = `${fixedRegions}${region('transcripts-6')}${region('transcripts-3')}`
  t.throws(() => renderProtocolMd(doc, [sample]), /transcripts-3 would be empty/)
})

t.test('no generated region of the committed PROTOCOL.md is empty', async (t) => {
  const md = readFileSync(join(REPO_ROOT, 'PROTOCOL.md'), 'utf8')
  const names = regionNames(md)
  t.ok(names.length > 0)
  for (const name of names) {
    const body = md
      .slice(md.indexOf(`<!-- generated:${name}:start -->`), md.indexOf(`<!-- generated:${name}:end -->`))
      .split('\n')
      .slice(1)
      .join('\n')
    t.ok(body.trim().length > 0, `region ${name} has content`)
  }
})

t.test('malformed transcripts are refused with their name', async (t) => {
  t.throws(() => parseTranscript('{"title":"x","section":"6","description":"d","steps":[{"client":"a"}]}', '07-bad'), /07-bad step 1/)
  t.throws(() => parseTranscript('{"title":"x","steps":[]}', '08-bad'), /08-bad/)
})
