// Where the server finds the page: next to its code when installed from the
// package, in client/ from every place the repository runs it, and an error
// (not a server answering 404 at /) when there is none.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { pageDirs } from '../../../server/app.ts'

const root = mkdtempSync(join(tmpdir(), 'wirechat-page-'))
t.teardown(() => rmSync(root, { recursive: true, force: true }))
const file = (path: string) => {
  mkdirSync(join(root, path, '..'), { recursive: true })
  writeFileSync(join(root, path), '<!doctype html>')
}

t.test('in the repository: from server/, server/dist/ and dist/', async (t) => {
  file('repo/client/public/index.html')
  const repo = join(root, 'repo')
  const expected = [join(repo, 'client', 'public'), join(repo, 'client', 'page-dist')]
  t.same(pageDirs(join(repo, 'server')), expected, 'sources')
  t.same(pageDirs(join(repo, 'server', 'dist')), expected, 'built server')
  t.same(pageDirs(join(repo, 'dist')), expected, 'test bundle')
})

t.test('installed: the page copied next to the code wins', async (t) => {
  file('pkg/dist/public/index.html')
  t.same(pageDirs(join(root, 'pkg', 'dist')), [join(root, 'pkg', 'dist', 'public')])
})

t.test('nowhere: an error that says how to build it', async (t) => {
  mkdirSync(join(root, 'empty', 'dist'), { recursive: true })
  t.throws(() => pageDirs(join(root, 'empty', 'dist')), /npm run build/)
})
