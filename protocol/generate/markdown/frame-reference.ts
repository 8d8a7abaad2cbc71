// PROTOCOL.md §15: one entry per frame, client frames first, in registry
// order: name, kind, reply or requests answered, errors, description, shape
// (fields typed by the shared types of §14). Example frames are left to
// asyncapi.json and the transcripts, except the welcome's, which shows
// announced limits with the reference server's values.
import { clientExamples, serverExamples, type Example } from '../examples.ts'
import { FRAME_ERRORS } from '../frame-errors.ts'
import { frameEntries, plainSchema, type FrameEntry } from '../json-schema.ts'
import { renderShape } from './shapes.ts'

/** The HTML anchor of a frame's entry, unique across directions. */
export const frameAnchor = (direction: 'client' | 'server', type: string): string => `${direction}-${type}`

const link = (direction: 'client' | 'server', type: string): string => `[\`${type}\`](#${frameAnchor(direction, type)})`

/** Frames whose examples PROTOCOL.md shows. */
const SHOWN_EXAMPLES = new Set(['server/welcome'])

function examplesOf(entry: FrameEntry): Example<unknown>[] {
  if (!SHOWN_EXAMPLES.has(`${entry.direction}/${entry.type}`)) return []
  const table = (entry.direction === 'client' ? clientExamples : serverExamples) as Record<string, Example<unknown>[]>
  return table[entry.type] ?? []
}

/** Client frames whose success reply is this server frame. */
function requestsAnswered(type: string): string[] {
  return frameEntries()
    .filter((e) => e.direction === 'client' && e.reply === type)
    .map((e) => e.type)
}

function headerLine(entry: FrameEntry): string {
  if (entry.direction === 'client') {
    const specific = (FRAME_ERRORS as Record<string, readonly string[]>)[entry.type] ?? []
    const errors = specific.length === 0 ? 'none of its own' : specific.map((c) => `\`${c}\``).join(', ')
    return `Request → ${link('server', entry.reply!)} · errors: ${errors}`
  }
  if (entry.kind === 'push') return 'Push'
  const answered =
    entry.type === 'error'
      ? 'any request'
      : requestsAnswered(entry.type)
          .map((t) => link('client', t))
          .join(', ')
  return `Reply to ${answered}`
}

function renderEntry(entry: FrameEntry): string {
  const schema = plainSchema(entry.schema)
  const arrow = entry.direction === 'client' ? '→' : '←'
  const out = [
    `<a id="${frameAnchor(entry.direction, entry.type)}"></a>`,
    `### ${arrow} ${entry.type}`,
    '',
    `${headerLine(entry)}. ${typeof schema.description === 'string' ? schema.description : ''}`.trimEnd(),
    '',
    renderShape(schema, `${entry.direction}/${entry.type}`),
    '',
  ]
  for (const example of examplesOf(entry)) out.push(`Example — ${example.summary.replace(/\.$/, '')}: \`${JSON.stringify(example.payload)}\``, '')
  return out.join('\n')
}

/** The whole frame reference. */
export function renderFrameReference(): string {
  const entries = frameEntries()
  const index = (direction: 'client' | 'server') =>
    entries
      .filter((e) => e.direction === direction)
      .map((e) => link(direction, e.type))
      .join(' · ')
  return [`Client frames: ${index('client')}`, '', `Server frames: ${index('server')}`, '', ...entries.map(renderEntry)].join('\n').trimEnd()
}
