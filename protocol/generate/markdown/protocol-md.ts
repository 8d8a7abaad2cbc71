// Fills the generated regions of PROTOCOL.md: the transcript index (§1),
// transcripts (in the sections they name), code tables (§11, §12), limits
// (§13), shared types (§14) and the frame reference (§15).
import { fillRegions, regionNames } from './regions.ts'
import { renderCloseCodes, renderErrorCodes } from './code-tables.ts'
import { renderFrameReference } from './frame-reference.ts'
import { renderLimits } from './limits.ts'
import { renderSharedTypes } from './shapes.ts'
import { renderSectionTranscripts, renderTranscriptIndex } from './transcripts.ts'
import type { LoadedTranscript } from '../transcripts.ts'

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
    [TRANSCRIPT_INDEX]: renderTranscriptIndex(transcripts),
  }
  const present = new Set(regionNames(template))
  for (const name of present) {
    const m = /^transcripts-(\d+)$/.exec(name)
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
