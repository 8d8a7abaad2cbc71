// After `tsc -b`: copies the generated JSON Schemas and the AsyncAPI document
// (committed at the repository root, written by `npm run generate`) into
// protocol/dist, so the published package carries them
// (`@wirechat/protocol/schema/*.json`, `@wirechat/protocol/asyncapi.json`).
import { cpSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const dist = join(root, 'protocol', 'dist')
cpSync(join(root, 'schema'), join(dist, 'schema'), { recursive: true })
cpSync(join(root, 'asyncapi.json'), join(dist, 'asyncapi.json'))
