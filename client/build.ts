// Bundles the chat page: client/page/main.ts (and the CSS it imports) into
// client/page-dist/app.js and app.css, and the inspector (client/inspect/main.ts)
// into inspect.js and inspect.css, which the server serves next to client/public.
//   node client/build.ts             build now
//   node client/build.ts --if-stale  build only when a source is newer than the bundle
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))

/** Where the bundle goes (gitignored; built by `npm run build` and `npm start`). */
export const distDir = join(root, 'client', 'page-dist')
/** Bundle name → entry; each bundle also gets a .css of the styles it imports. */
const entries = { app: join(root, 'client', 'page', 'main.ts'), inspect: join(root, 'client', 'inspect', 'main.ts') }
/** Everything the bundle may be made of. */
const sourceDirs = [join(root, 'client'), join(root, 'protocol'), join(root, 'schema')]

function newestSourceMs(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) {
      if (path !== distDir && entry.name !== 'node_modules' && entry.name !== 'dist') newest = Math.max(newest, newestSourceMs(path))
    } else if (/\.(ts|css|json)$/.test(entry.name)) {
      newest = Math.max(newest, statSync(path).mtimeMs)
    }
  }
  return newest
}

/** True when the bundle is missing or older than any client or protocol source. */
export function isBundleStale(): boolean {
  let builtMs: number
  try {
    builtMs = Math.min(...Object.keys(entries).flatMap((name) => [statSync(join(distDir, `${name}.js`)).mtimeMs, statSync(join(distDir, `${name}.css`)).mtimeMs]))
  } catch {
    return true
  }
  return sourceDirs.some((dir) => newestSourceMs(dir) > builtMs)
}

/** Builds the page bundle; resolves with the output files. */
export async function buildPage(options: { minify?: boolean } = {}): Promise<string[]> {
  // Imported lazily so that serving a prebuilt bundle never needs esbuild.
  const { build } = await import('esbuild')
  const result = await build({
    entryPoints: entries,
    outdir: distDir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    conditions: ['wirechat-source'],
    target: ['es2022', 'chrome110', 'firefox110', 'safari16'],
    minify: options.minify ?? true,
    sourcemap: 'linked',
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
  })
  return Object.keys(result.metafile.outputs)
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv.includes('--if-stale') && !isBundleStale()) {
    console.log('page bundle is up to date')
  } else {
    const files = await buildPage()
    console.log(`built ${files.filter((f) => !f.endsWith('.map')).join(', ')}`)
  }
}
