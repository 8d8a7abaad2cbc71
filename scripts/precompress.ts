// Compressed siblings of the page's files (app.js → app.js.br, app.js.gz), written
// at build time so that the server sends them as they are (@fastify/static's
// `preCompressed`) instead of compressing on every request or not at all.
// Used by client/build.ts (the bundle) and server/build.ts (the published page).
import { readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { brotliCompress, constants, gzip } from 'node:zlib'

/** Files worth compressing. Source maps are left out: only devtools fetch them, and brotli 11 on them costs seconds per build. */
const COMPRESSIBLE = /\.(js|css|html|json|svg)$/
/** The encodings and the file endings @fastify/static looks for. */
export const SIBLING_ENDINGS = ['.br', '.gz'] as const

const brotli = promisify(brotliCompress)
const gz = promisify(gzip)

export interface CompressedSizes {
  file: string
  raw: number
  gzip: number
  brotli: number
}

/** Removes every compressed sibling in `dir`: done before a build rewrites the files, so none outlives its original. */
export function removeSiblings(dir: string): void {
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    return
  }
  for (const name of names) if (SIBLING_ENDINGS.some((end) => name.endsWith(end))) rmSync(join(dir, name), { force: true })
}

/** Writes it under a temporary name, then renames it over: a server reading the file meanwhile gets the old one or the new one, never half of one. */
function writeWhole(path: string, data: Uint8Array): void {
  const partial = `${path}.${process.pid}.tmp`
  writeFileSync(partial, data)
  renameSync(partial, path)
}

/**
 * Writes `.br` (quality 11) and `.gz` (level 9) next to every compressible file of `dir`
 * (not its subfolders), after the file itself so that a sibling is never older than its
 * original. Resolves with the sizes, for the build's report.
 */
export async function writeSiblings(dir: string): Promise<CompressedSizes[]> {
  const files = readdirSync(dir).filter((name) => COMPRESSIBLE.test(name) && statSync(join(dir, name)).isFile())
  return Promise.all(
    files.map(async (file) => {
      const raw = readFileSync(join(dir, file))
      const [br, gzipped] = await Promise.all([brotli(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length } }), gz(raw, { level: 9 })])
      writeWhole(join(dir, `${file}.br`), br)
      writeWhole(join(dir, `${file}.gz`), gzipped)
      return { file, raw: raw.length, gzip: gzipped.length, brotli: br.length }
    }),
  )
}

/** One `app.js  252.1 kB raw  77.4 kB gzip  66.9 kB brotli` line per file. */
export function sizeReport(sizes: CompressedSizes[]): string {
  const kb = (n: number) => `${(n / 1000).toFixed(1)} kB`
  const lines = [...sizes]
    .sort((a, b) => a.file.localeCompare(b.file))
    .map((s) => `  ${s.file.padEnd(14)} ${kb(s.raw).padStart(9)} raw ${kb(s.gzip).padStart(9)} gzip ${kb(s.brotli).padStart(9)} brotli`)
  return lines.join('\n')
}
