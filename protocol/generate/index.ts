// `npm run generate`: writes schema/, asyncapi.json and the generated regions
// of PROTOCOL.md from the frame registry, codes.ts and the golden
// transcripts, then schema/clauses.json from the clause tags of the
// PROTOCOL.md it wrote. Pure rendering (renderAll) is separate from writing, so the
// drift test can render into a temporary root and compare.
//
// Usage: node --conditions=wirechat-source protocol/generate/index.ts [OUT_ROOT]
//   OUT_ROOT defaults to the repository root. PROTOCOL.md's narrative and the
//   transcripts are always read from the repository root.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { PROTOCOL_VERSION, SUBPROTOCOL } from '../primitives.ts'
import { asyncApiDocument } from './asyncapi.ts'
import { toJsonText } from './canonical-json.ts'
import { clausesDocument } from './clauses.ts'
import { schemaFiles } from './json-schema.ts'
import { renderProtocolMd } from './markdown/protocol-md.ts'
import { loadTranscripts } from './transcripts.ts'

/** The repository root (two folders up from this file). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')

/** Folder of generated JSON Schema files, relative to the root. */
export const SCHEMA_DIR = 'schema'

/** Every generated file, keyed by its path relative to the root (`/` separators), in a stable order. */
export function renderAll(sourceRoot: string = REPO_ROOT): Map<string, string> {
  const files = new Map<string, string>()
  for (const [path, json] of schemaFiles()) files.set(`${SCHEMA_DIR}/${path}`, toJsonText(json))
  files.set('asyncapi.json', toJsonText(asyncApiDocument()))
  const template = readFileSync(join(sourceRoot, 'PROTOCOL.md'), 'utf8')
  const protocolMd = renderProtocolMd(template, loadTranscripts(join(sourceRoot, 'protocol', 'transcripts')))
  files.set('PROTOCOL.md', protocolMd)
  // Key order as declared (id first), not the schema keyword order of toJsonText.
  files.set(`${SCHEMA_DIR}/clauses.json`, `${JSON.stringify(clausesDocument(protocolMd, SUBPROTOCOL, PROTOCOL_VERSION), null, 2)}\n`)
  return files
}

/** Every file under a folder, as `/`-separated paths relative to `root`. */
export function listFiles(root: string, dir: string): string[] {
  const full = join(root, dir)
  if (!existsSync(full)) return []
  return readdirSync(full, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => relative(root, join(d.parentPath, d.name)).split('\\').join('/'))
    .sort()
}

/**
 * Writes the files under `outRoot`, touching only those whose text changed,
 * and deletes files in schema/ that are no longer generated (a removed frame).
 * Returns the paths written or deleted.
 */
export function writeAll(outRoot: string, files: Map<string, string>): string[] {
  const changed: string[] = []
  for (const stale of listFiles(outRoot, SCHEMA_DIR)) {
    if (!files.has(stale)) {
      rmSync(join(outRoot, stale))
      changed.push(stale)
    }
  }
  for (const [path, text] of files) {
    const target = join(outRoot, path)
    if (existsSync(target) && readFileSync(target, 'utf8') === text) continue
    mkdirSync(dirname(target), { recursive: true })
    writeFileSync(target, text)
    changed.push(path)
  }
  return changed
}

/** Renders from the repository and writes under `outRoot`. */
export function generate(outRoot: string = REPO_ROOT, sourceRoot: string = REPO_ROOT): string[] {
  return writeAll(outRoot, renderAll(sourceRoot))
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const outRoot = resolve(process.argv[2] ?? REPO_ROOT)
  const changed = generate(outRoot)
  console.log(changed.length === 0 ? 'generate: everything up to date' : `generate: wrote ${changed.join(', ')}`)
}
