// Namespaces configuration for tests: one namespace with the defaults of an
// open one, and a NAMESPACES_FILE written to a folder removed at teardown.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Namespace } from '../../protocol/index.ts'

interface Teardown {
  teardown(fn: () => unknown): void
}

/** A namespace where anyone creates public rooms and members post, with `rules` on top. */
export const namespace = (name: string, rules: Partial<Namespace> = {}): Namespace => ({
  name,
  description: name,
  create: 'anyone',
  post: 'members',
  visibility: 'public',
  historyDays: null,
  limits: {},
  ...rules,
})

/** Writes a namespaces file (an object as JSON, a string as is); resolves with its path. */
export function namespacesFile(t: Teardown, content: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'wirechat-ns-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const file = join(dir, 'namespaces.json')
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content))
  return file
}
