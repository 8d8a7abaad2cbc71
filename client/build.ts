// Bundles the chat page: client/page/main.ts (and the CSS it imports) into
// client/page-dist/app.js and app.css, and the inspector (client/inspect/main.ts)
// into inspect.js and inspect.css, which the server serves next to client/public,
// each with its compressed siblings (.br, .gz: scripts/precompress.ts).
//   node client/build.ts             build now
//   node client/build.ts --if-stale  build only when a source is newer than the bundle
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type CompressedSizes, removeSiblings, SIBLING_ENDINGS, sizeReport, writeSiblings } from '../scripts/precompress.ts'

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

/** True when the bundle or one of its compressed siblings is missing, or older than any client or protocol source. */
export function isBundleStale(): boolean {
  const built = Object.keys(entries)
    .flatMap((name) => [`${name}.js`, `${name}.css`])
    .flatMap((file) => [file, ...SIBLING_ENDINGS.map((end) => file + end)])
  let builtMs: number
  try {
    builtMs = Math.min(...built.map((file) => statSync(join(distDir, file)).mtimeMs))
  } catch {
    return true
  }
  return sourceDirs.some((dir) => newestSourceMs(dir) > builtMs)
}

export interface PageBuild {
  /** The files esbuild wrote (source maps included). */
  files: string[]
  /** Raw, gzip and brotli size of each compressed file. */
  sizes: CompressedSizes[]
}

/** Builds the page bundle and its compressed siblings; resolves with the output files. */
export async function buildPage(options: { minify?: boolean } = {}): Promise<PageBuild> {
  // Imported lazily so that serving a prebuilt bundle never needs esbuild.
  const { build } = await import('esbuild')
  // The old siblings go first: while esbuild rewrites a file, the server falls back to it
  // uncompressed rather than to a compressed copy of the previous build.
  removeSiblings(distDir)
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
  return { files: Object.keys(result.metafile.outputs), sizes: await writeSiblings(distDir) }
}

/** The page as a browser loads it: app.js and app.css together. */
export function pageTotal(sizes: CompressedSizes[]): CompressedSizes {
  const page = sizes.filter((s) => s.file === 'app.js' || s.file === 'app.css')
  const sum = (key: 'raw' | 'gzip' | 'brotli') => page.reduce((total, s) => total + s[key], 0)
  return { file: 'app.js+app.css', raw: sum('raw'), gzip: sum('gzip'), brotli: sum('brotli') }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv.includes('--if-stale') && !isBundleStale()) {
    console.log('page bundle is up to date')
  } else {
    const { files, sizes } = await buildPage()
    console.log(`built ${files.filter((f) => !f.endsWith('.map')).join(', ')}`)
    console.log(sizeReport([...sizes, pageTotal(sizes)]))
  }
}
