// Fills the generated regions of PROTOCOL.md: the transcript index (§1),
// transcripts (in the sections they name), code tables (§11, §12), limits
// (§13), shared types (§14), the frame reference (§15) and the version table (§1).
import { fillRegions, regionNames } from './regions.ts'
import { renderCloseCodes, renderErrorCodes } from './code-tables.ts'
import { renderFrameReference } from './frame-reference.ts'
import { renderLimits } from './limits.ts'
import { renderSharedTypes } from './shapes.ts'
import { renderSectionTranscripts, renderTranscriptIndex } from './transcripts.ts'
import type { LoadedTranscript } from '../transcripts.ts'
import { PROTOCOL_VERSION, SUBPROTOCOL } from '../../primitives.ts'

/** The version table of §1, so the document always names the version the code speaks. */
function renderVersions(): string {
  return [
    '| Version | Value |',
    '| --- | --- |',
    `| Subprotocol | \`${SUBPROTOCOL}\` |`,
    `| Protocol version (\`welcome.version\`) | \`${PROTOCOL_VERSION}\` (semantic; the major is the subprotocol's) |`,
    '| Machine-readable schemas | `schema/client/<type>.json`, `schema/server/<type>.json`, `schema/client-frame.json`, `schema/server-frame.json`, `schema/codes.json` (JSON Schema 2020-12) |',
    '| AsyncAPI | `asyncapi.json` (AsyncAPI 3.0.0) |',
  ].join('\n')
}

/** Region name holding the transcripts of one section. */
export const transcriptRegion = (section: string): string => `transcripts-${section}`

/** Region name of the list of every transcript. */
export const TRANSCRIPT_INDEX = 'transcript-index'

/**
 * PROTOCOL.md with every generated region filled from the registry and the
 * transcripts. A transcript region no transcript names would stay empty under
 * its heading, and a transcript naming a section without a region would be
 * shown nowhere: both are errors.
 */
export function renderProtocolMd(template: string, transcripts: LoadedTranscript[]): string {
  const content: Record<string, string> = {
    frames: renderFrameReference(),
    'shared-types': renderSharedTypes(),
    'error-codes': renderErrorCodes(),
    'close-codes': renderCloseCodes(),
    limits: renderLimits(),
    versions: renderVersions(),
    [TRANSCRIPT_INDEX]: renderTranscriptIndex(transcripts),
  }
  const present = new Set(regionNames(template))
  for (const name of present) {
    const m = /^transcripts-(\d+[a-z]?)$/.exec(name)
    if (!m) continue
    content[name] = renderSectionTranscripts(transcripts, m[1]!)
    if (content[name] === '') throw new Error(`region ${name} would be empty: no transcript names section ${m[1]}; remove the region or add a transcript`)
  }
  for (const t of transcripts) {
    if (!present.has(transcriptRegion(t.section))) {
      throw new Error(`transcript "${t.slug}" names section ${t.section}, which has no <!-- generated:${transcriptRegion(t.section)}:start --> region`)
    }
  }
  return fillRegions(template, content)
}
