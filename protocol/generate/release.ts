// `npm run release-schema`: freezes the current schema/ as
// protocol/released/<PROTOCOL_VERSION>/, the baseline later versions are
// checked against. Refuses to change an existing release: bump
// PROTOCOL_VERSION (primitives.ts) first.
import { cpSync, existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { PROTOCOL_VERSION } from '../primitives.ts'
import { listFiles, REPO_ROOT, SCHEMA_DIR, renderAll } from './index.ts'
import { RELEASED_DIR } from './released.ts'

const target = join(REPO_ROOT, RELEASED_DIR, PROTOCOL_VERSION)
const files = renderAll()
const current = [...files.keys()].filter((p) => p.startsWith(`${SCHEMA_DIR}/`))
const stale = current.filter((p) => !existsSync(join(REPO_ROOT, p)) || readFileSync(join(REPO_ROOT, p), 'utf8') !== files.get(p))
if (stale.length > 0) {
  console.error(`release-schema: schema/ is not up to date (${stale.join(', ')}); run npm run generate first`)
  process.exit(1)
}
if (existsSync(target)) {
  const released = listFiles(target, '.')
  const same =
    released.length === current.length &&
    current.every((p) => {
      const copy = join(target, p.slice(SCHEMA_DIR.length + 1))
      return existsSync(copy) && readFileSync(copy, 'utf8') === files.get(p)
    })
  console.log(same ? `release-schema: ${PROTOCOL_VERSION} already released, identical` : `release-schema: ${PROTOCOL_VERSION} is released and differs; bump PROTOCOL_VERSION`)
  process.exit(same ? 0 : 1)
}
cpSync(join(REPO_ROOT, SCHEMA_DIR), target, { recursive: true })
console.log(`release-schema: froze schema/ as ${RELEASED_DIR}/${PROTOCOL_VERSION}`)
