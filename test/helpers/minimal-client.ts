// The minimal client of PROTOCOL.md §16, extracted from the document itself,
// so the tests run exactly what a reader copies.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { REPO_ROOT } from '../../protocol/generate/index.ts'

export function minimalClientCode(): string {
  const md = readFileSync(join(REPO_ROOT, 'PROTOCOL.md'), 'utf8')
  const section = md.slice(md.indexOf('## 16 '), md.indexOf('## 17 '))
  const m = /```js\n([\s\S]*?)```/.exec(section)
  if (!m) throw new Error('no js block in PROTOCOL.md §16')
  return m[1]!
}
