// Units of the PROTOCOL.md generator: marker regions, field tables and
// transcript rendering, on small inputs.
import t from 'tap'
import { fieldRows, fieldTable } from '../../protocol/generate/markdown/field-table.ts'
import { renderProtocolMd } from '../../protocol/generate/markdown/protocol-md.ts'
import { fillRegions, regionNames } from '../../protocol/generate/markdown/regions.ts'
import { renderTranscript, renderTranscriptIndex } from '../../protocol/generate/markdown/transcripts.ts'
import { parseTranscript, type LoadedTranscript } from '../../protocol/generate/transcripts.ts'
import { plainSchema } from '../../protocol/generate/json-schema.ts'
import { LoginOk } from '../../protocol/frames.ts'

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
})

t.test('field rows flatten nested objects and arrays with required flags', async (t) => {
  const rows = fieldRows(plainSchema(LoginOk))
  const paths = rows.map((r) => r.path)
  t.ok(paths.includes('rooms[].members[].userId'))
  t.ok(paths.includes('rooms[].resume.reason'))
  t.ok(paths.includes('inbox.seq'))
  t.match(rows.find((r) => r.path === 'rooms[].resume.reason'), { required: false, rules: ['one of `"epoch-changed"`, `"too-far-behind"`, `"ahead-of-server"`'] })
  t.match(rows.find((r) => r.path === 'session'), { type: 'string', required: true, rules: ['16–128 characters', 'pattern `^[A-Za-z0-9_-]+$`'] })
  t.match(rows.find((r) => r.path === 'type'), { rules: ['always `"login-ok"`'], description: 'Frame type.' })
})

t.test('pipes in rules are escaped in the table', async (t) => {
  const table = fieldTable({ type: 'object', properties: { a: { type: 'string', pattern: '^(x|y)$' } } })
  t.match(table, '`^(x\\|y)$`')
})

const sample: LoadedTranscript = parseTranscript(JSON.stringify({
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
}), '06-hi')

t.test('a transcript renders as arrows per client under its title', async (t) => {
  const out = renderTranscript(sample, '####')
  t.match(out, '<a id="transcript-06-hi"></a>\n\n#### Ana says hi\n\nTwo clients.\n\n```text\n')
  t.match(out, 'ana ← {"type":"welcome","name":"<string>"}')
  t.match(out, 'ana → {"type":"login","id":"1","name":"ana"}')
  t.match(out, 'bob ← {"type":"chat","message":{"seq":"$seq"}}')
  t.match(out, 'bob ← connection closed: 4001 "login-timeout"')
})

t.test('a transcript shows in its section and in the §15 index', async (t) => {
  const doc = `## 6 Chat\n${region('transcripts-6')}\n## 15\n${region('transcripts-15')}\n${region('frames')}${region('error-codes')}${region('close-codes')}${region('limits')}`
  const out = renderProtocolMd(doc, [sample])
  t.match(out, /## 6 Chat\n<!-- generated:transcripts-6:start -->\n<a id="transcript-06-hi"><\/a>\n\n#### Example: Ana says hi/)
  t.match(out, '- [Ana says hi](#transcript-06-hi) — §6')
  t.match(renderTranscriptIndex([], '15'), 'No golden transcripts yet')
})

t.test('a transcript naming a section without a region is an error', async (t) => {
  const doc = `${region('transcripts-15')}${region('frames')}${region('error-codes')}${region('close-codes')}${region('limits')}`
  t.throws(() => renderProtocolMd(doc, [sample]), /names section 6/)
})

t.test('malformed transcripts are refused with their name', async (t) => {
  t.throws(() => parseTranscript('{"title":"x","section":"6","description":"d","steps":[{"client":"a"}]}', '07-bad'), /07-bad step 1/)
  t.throws(() => parseTranscript('{"title":"x","steps":[]}', '08-bad'), /08-bad/)
})
