// Bundles the server (server/main.ts and everything it imports from protocol/
// and server/) into one ES module, npm packages left as imports. Starting the
// bundle with plain `node` takes a fraction of the time of compiling the
// TypeScript sources on every start, which matters for restarts and for
// tests that start many server processes.
//   node --import tsx server/build.ts [outfile]   (default dist/server.mjs)
import { copyFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))

/** Default output; it sits one folder below the root, like server/, so paths resolved from it hold. */
export const serverBundle = join(root, 'dist', 'server.mjs')

export async function buildServer(outfile = serverBundle): Promise<string> {
  const { build } = await import('esbuild')
  await build({
    entryPoints: [join(root, 'server', 'main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'warning',
  })
  // The SQLite store checkpoints in a worker loaded from a file next to the code (plain JS, not bundled).
  copyFileSync(join(root, 'server', 'store', 'sqlite-checkpointer.js'), join(dirname(outfile), 'sqlite-checkpointer.js'))
  return outfile
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildServer(process.argv[2])
