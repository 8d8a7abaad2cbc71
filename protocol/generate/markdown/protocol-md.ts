// Fills the generated regions of PROTOCOL.md: frame reference (§14), code
// tables (§11, §12), welcome limits (§13) and transcripts (their sections, §15).
import { fillRegions, regionNames } from './regions.ts'
import { renderCloseCodes, renderErrorCodes } from './code-tables.ts'
import { renderFrameReference } from './frame-reference.ts'
import { renderLimits } from './limits.ts'
import { renderSectionTranscripts, renderTranscriptIndex } from './transcripts.ts'
import type { LoadedTranscript } from '../transcripts.ts'

/** The section that lists every transcript. */
export const TRANSCRIPT_SECTION = '15'

/** Region name holding the transcripts of one section. */
export const transcriptRegion = (section: string): string => `transcripts-${section}`

/** PROTOCOL.md with every generated region filled from the registry and the transcripts. */
export function renderProtocolMd(template: string, transcripts: LoadedTranscript[]): string {
  const content: Record<string, string> = {
    frames: renderFrameReference(),
    'error-codes': renderErrorCodes(),
    'close-codes': renderCloseCodes(),
    limits: renderLimits(),
    [transcriptRegion(TRANSCRIPT_SECTION)]: renderTranscriptIndex(transcripts, TRANSCRIPT_SECTION),
  }
  const present = new Set(regionNames(template))
  for (const name of present) {
    const m = /^transcripts-(\d+)$/.exec(name)
    if (m && m[1] !== TRANSCRIPT_SECTION) content[name] = renderSectionTranscripts(transcripts, m[1]!)
  }
  for (const t of transcripts) {
    if (!present.has(transcriptRegion(t.section))) {
      throw new Error(`transcript "${t.slug}" names section ${t.section}, which has no <!-- generated:${transcriptRegion(t.section)}:start --> region`)
    }
  }
  return fillRegions(template, content)
}
