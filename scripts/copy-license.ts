// Puts a copy of the repository's LICENSE in every workspace folder (part of
// `npm run build`): npm packs a workspace from its own folder and does not
// take the root's LICENSE, and every published package must carry one. The
// copies are build output (.gitignore), so the text lives in one place.
import { copyFileSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const { workspaces } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { workspaces: string[] }
for (const folder of workspaces) copyFileSync(join(root, 'LICENSE'), join(root, folder, 'LICENSE'))
