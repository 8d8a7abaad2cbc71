// The page's compressed siblings (app.js.br next to app.js), written by the build and
// sent as they are by @fastify/static's `preCompressed`. A sibling is trusted only
// if it is at least as new as its original in the same folder: a page edited or
// copied after its build must never be answered with the previous version's bytes.
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

/** The endings @fastify/static looks for, by encoding (it also knows .deflate, which the build does not write). */
const SIBLING = /\.(br|gz|deflate)$/

/** The siblings in `dirs` whose original is missing or newer than they are; empty when every one is fresh. */
export function staleSiblings(dirs: readonly string[]): string[] {
  const stale: string[] = []
  for (const dir of dirs) {
    let names: string[]
    try {
      names = readdirSync(dir)
    } catch {
      continue // a missing bundle folder: nothing compressed to trust or distrust
    }
    for (const name of names) {
      if (!SIBLING.test(name)) continue
      const sibling = join(dir, name)
      const original = sibling.replace(SIBLING, '')
      let originalMs: number
      try {
        originalMs = statSync(original).mtimeMs
      } catch {
        stale.push(sibling)
        continue
      }
      if (statSync(sibling).mtimeMs < originalMs) stale.push(sibling)
    }
  }
  return stale
}
