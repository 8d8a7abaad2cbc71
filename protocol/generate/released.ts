// Released schema sets: protocol/released/<version>/ holds a frozen copy of
// schema/ as published with that protocol version. The compatibility test
// compares the current schemas with the newest release.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Schema } from './compat.ts'

/** Folder of released schema sets, relative to the repository root. */
export const RELEASED_DIR = 'protocol/released'

export interface ReleasedSchemas {
  version: string
  client: Record<string, Schema>
  server: Record<string, Schema>
}

function readFrames(dir: string): Record<string, Schema> {
  const frames: Record<string, Schema> = {}
  if (!existsSync(dir)) return frames
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    frames[file.slice(0, -'.json'.length)] = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Schema
  }
  return frames
}

/** Reads one schema folder laid out like schema/ (client/*.json, server/*.json). */
export function readSchemaSet(dir: string, version: string): ReleasedSchemas {
  return { version, client: readFrames(join(dir, 'client')), server: readFrames(join(dir, 'server')) }
}

const compareVersions = (a: string, b: string): number => {
  const pa = a.split('.').map(Number)
  const pb = b.split('.').map(Number)
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0)
  return 0
}

/** Released versions, oldest first. */
export function releasedVersions(root: string): string[] {
  const dir = join(root, RELEASED_DIR)
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .filter((v) => /^\d+\.\d+\.\d+$/.test(v))
    .sort(compareVersions)
}

/** The newest released schema set, if any. */
export function latestRelease(root: string): ReleasedSchemas | undefined {
  const version = releasedVersions(root).at(-1)
  return version === undefined ? undefined : readSchemaSet(join(root, RELEASED_DIR, version), version)
}
