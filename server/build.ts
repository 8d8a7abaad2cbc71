// Build steps of the server that tsc does not do.
//   node server/build.ts --assets   after `tsc -b`: copies what the published
//                                   package needs next to its JavaScript (the
//                                   page with its compressed siblings, the
//                                   checkpointer worker) into server/dist
// `buildServer` (no command: test/helpers/child-server.ts calls it) bundles
// the TypeScript sources into one ES module for tests that start many server
// processes: a bundle starts in a fraction of the time of stripping types
// from every source file at each start.
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, renameSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { removeSiblings, SIBLING_ENDINGS, writeSiblings } from '../scripts/precompress.ts'

const root = fileURLToPath(new URL('..', import.meta.url))
const dist = join(root, 'server', 'dist')
/** Plain JavaScript files loaded as workers from next to the code (paths relative to server/). */
const workers = ['store/sqlite-checkpointer.js']

export async function buildServer(outfile: string): Promise<string> {
  const { build } = await import('esbuild')
  await build({
    entryPoints: [join(root, 'server', 'main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    conditions: ['wirechat-source'],
    // Third-party packages stay imports (resolved from node_modules at run time);
    // the workspace's own packages are bundled from their sources.
    plugins: [
      {
        name: 'external-dependencies',
        setup(b) {
          b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@wirechat/') ? undefined : { path: args.path, external: true }))
        },
      },
    ],
    sourcemap: 'linked',
    logLevel: 'warning',
  })
  // Test processes build their bundles side by side and servers may be loading the worker
  // meanwhile: copy, then rename over, so nobody ever reads a half-written file.
  for (const worker of workers) {
    const target = join(dirname(outfile), worker.split('/').pop()!)
    const partial = `${target}.${process.pid}.tmp`
    copyFileSync(join(root, 'server', worker), partial)
    renameSync(partial, target)
  }
  return outfile
}

/**
 * Copies the page (hand-written files and the bundle) and the workers into server/dist, then
 * compresses the page's files there: the HTML gets its siblings only here, and every sibling is
 * written after the copy of its original, so none is older than the file it stands for.
 */
export async function copyAssets(): Promise<void> {
  const page = join(root, 'client', 'page-dist')
  if (!existsSync(join(page, 'app.js'))) throw new Error('the page bundle is missing: run `node client/build.ts` first')
  const pub = join(dist, 'public')
  mkdirSync(pub, { recursive: true })
  removeSiblings(pub)
  cpSync(join(root, 'client', 'public'), pub, { recursive: true })
  for (const file of readdirSync(page)) if (!SIBLING_ENDINGS.some((end) => file.endsWith(end)) && !file.endsWith('.tmp')) cpSync(join(page, file), join(pub, file))
  await writeSiblings(pub)
  for (const worker of workers) copyFileSync(join(root, 'server', worker), join(dist, worker))
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.length === 3 && process.argv[2] === '--assets') await copyAssets()
  else {
    process.stderr.write('usage: node server/build.ts --assets\n')
    process.exitCode = 2
  }
}
