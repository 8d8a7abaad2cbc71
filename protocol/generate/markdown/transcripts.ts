// Renders golden transcripts as `→`/`←` lines per client, each under its
// title. A transcript appears in full in the section it names; §15 lists
// every transcript and shows in full those that name §15.
import type { TranscriptStep } from '../../transcripts/format.ts'
import type { LoadedTranscript } from '../transcripts.ts'

/** The HTML anchor of a transcript. */
export const transcriptAnchor = (t: LoadedTranscript): string => `transcript-${t.slug}`

function stepLine(step: TranscriptStep, width: number): string {
  if ('connect' in step) return `${step.connect.padEnd(width)}   connects to ws://HOST:PORT/ws (subprotocol chat.v1)`
  const who = step.client.padEnd(width)
  if ('send' in step) return `${who} → ${JSON.stringify(step.send)}`
  if ('expect' in step) return `${who} ← ${JSON.stringify(step.expect)}`
  if ('close' in step) return `${who} → closes the socket with ${step.close}`
  const reason = step.expectClose.reason === undefined ? '' : ` "${step.expectClose.reason}"`
  return `${who} ← connection closed: ${step.expectClose.code}${reason}`
}

/** One transcript: anchor, heading, description and its exchange. */
export function renderTranscript(t: LoadedTranscript, heading: string): string {
  const clients = t.steps.map((s) => ('connect' in s ? s.connect : s.client))
  const width = Math.max(...clients.map((c) => c.length), 1)
  return [
    `<a id="${transcriptAnchor(t)}"></a>`,
    '',
    `${heading} ${t.title}`,
    '',
    t.description,
    '',
    '```text',
    ...t.steps.map((s) => stepLine(s, width)),
    '```',
  ].join('\n')
}

/** Transcripts that name `section`, rendered in full ('' when none). */
export function renderSectionTranscripts(all: LoadedTranscript[], section: string): string {
  return all.filter((t) => t.section === section).map((t) => renderTranscript(t, '#### Example:')).join('\n\n')
}

/** §15: an index of every transcript, then those that name §15 in full. */
export function renderTranscriptIndex(all: LoadedTranscript[], ownSection: string): string {
  if (all.length === 0) return '_No golden transcripts yet._'
  const index = all.map((t) => `- [${t.title}](#${transcriptAnchor(t)}) — §${t.section}`)
  const own = all.filter((t) => t.section === ownSection).map((t) => renderTranscript(t, '###'))
  return [...index, ...(own.length > 0 ? ['', own.join('\n\n')] : [])].join('\n')
}
