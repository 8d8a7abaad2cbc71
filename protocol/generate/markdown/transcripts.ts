// Renders golden transcripts as `→`/`←` lines per client, each under its
// title, in the section the transcript names; §1 lists them all. The
// notation (explained in §1) shortens the two lines every transcript repeats:
// a connect, and a welcome whose fields are only checked for their kind.
import type { TranscriptStep } from '../../transcripts/format.ts'
import type { LoadedTranscript } from '../transcripts.ts'

/** The HTML anchor of a transcript. */
export const transcriptAnchor = (t: LoadedTranscript): string => `transcript-${t.slug}`

/** The welcome pattern shown as `{"type":"welcome",…}`: every field present, of its kind, authentication off. */
export const ANY_WELCOME = JSON.stringify({
  type: 'welcome',
  connectionId: '<string>',
  name: '<string>',
  protocol: 'chat.v1',
  version: '<string>',
  serverTime: '<integer>',
  heartbeatMs: '<integer>',
  loginTimeoutMs: '<integer>',
  authRequired: false,
  limits: '<any>',
})
export const ANY_WELCOME_SHORT = '{"type":"welcome",…}'

function stepLine(step: TranscriptStep, width: number): string {
  if ('connect' in step) return `${step.connect.padEnd(width)}   connects`
  const who = step.client.padEnd(width)
  if ('send' in step) return `${who} → ${JSON.stringify(step.send)}`
  if ('expect' in step) {
    const text = JSON.stringify(step.expect)
    return `${who} ← ${text === ANY_WELCOME ? ANY_WELCOME_SHORT : text}`
  }
  if ('close' in step) return `${who} → closes the socket with ${step.close}`
  const reason = step.expectClose.reason === undefined ? '' : ` "${step.expectClose.reason}"`
  return `${who} ← connection closed: ${step.expectClose.code}${reason}`
}

/** One transcript: anchor, heading, description and its exchange. */
export function renderTranscript(t: LoadedTranscript, heading: string): string {
  const clients = t.steps.map((s) => ('connect' in s ? s.connect : s.client))
  const width = Math.max(...clients.map((c) => c.length), 1)
  return [`<a id="${transcriptAnchor(t)}"></a>`, `${heading} ${t.title}`, '', t.description, '', '```text', ...t.steps.map((s) => stepLine(s, width)), '```'].join('\n')
}

/** Transcripts that name `section`, rendered in full ('' when none). */
export function renderSectionTranscripts(all: LoadedTranscript[], section: string): string {
  return all
    .filter((t) => t.section === section)
    .map((t) => renderTranscript(t, '#### Example:'))
    .join('\n\n')
}

/** An index of every transcript with the section that shows it. */
export function renderTranscriptIndex(all: LoadedTranscript[]): string {
  if (all.length === 0) return '_No golden transcripts yet._'
  return all.map((t) => `[${t.title}](#${transcriptAnchor(t)}) (§${t.section})`).join(' · ')
}
