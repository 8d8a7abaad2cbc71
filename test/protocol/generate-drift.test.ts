// The committed generated files (schema/, asyncapi.json, PROTOCOL.md) must be
// exactly what the generator writes now: run `npm run generate` after
// changing frames, codes, examples or transcripts, and commit the result.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { generate, listFiles, REPO_ROOT, SCHEMA_DIR } from '../../protocol/generate/index.ts'

t.test('regenerating into a fresh folder reproduces every committed file', async (t) => {
  const out = mkdtempSync(join(tmpdir(), 'wirechat-generate-'))
  t.teardown(() => rmSync(out, { recursive: true, force: true }))
  const written = generate(out)
  t.ok(written.length > 0, 'the generator wrote files')
  for (const path of written) {
    let committed: string | undefined
    try {
      committed = readFileSync(join(REPO_ROOT, path), 'utf8')
    } catch {
      committed = undefined
    }
    t.ok(committed !== undefined, `${path} is committed`)
    if (committed !== undefined) t.ok(committed === readFileSync(join(out, path), 'utf8'), `${path} is up to date (run npm run generate)`)
  }
})

t.test('schema/ holds no file the generator no longer writes', async (t) => {
  const out = mkdtempSync(join(tmpdir(), 'wirechat-generate-'))
  t.teardown(() => rmSync(out, { recursive: true, force: true }))
  generate(out)
  t.same(listFiles(REPO_ROOT, SCHEMA_DIR), listFiles(out, SCHEMA_DIR))
})

t.test('a second run changes nothing', async (t) => {
  const out = mkdtempSync(join(tmpdir(), 'wirechat-generate-'))
  t.teardown(() => rmSync(out, { recursive: true, force: true }))
  generate(out)
  t.same(generate(out), [])
})
