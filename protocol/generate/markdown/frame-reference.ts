// PROTOCOL.md §14: one entry per frame, client frames first, in registry
// order: name, direction, kind, reply, description, field table, errors, example.
import { clientExamples, serverExamples, type Example } from '../examples.ts'
import { COMMON_ERRORS, FRAME_ERRORS } from '../frame-errors.ts'
import { frameEntries, plainSchema, type FrameEntry } from '../json-schema.ts'
import { fieldTable } from './field-table.ts'

/** The HTML anchor of a frame's entry, unique across directions. */
export const frameAnchor = (direction: 'client' | 'server', type: string): string => `${direction}-${type}`

const link = (direction: 'client' | 'server', type: string): string => `[\`${type}\`](#${frameAnchor(direction, type)})`

function examplesOf(entry: FrameEntry): Example<unknown>[] {
  const table = (entry.direction === 'client' ? clientExamples : serverExamples) as Record<string, Example<unknown>[]>
  return table[entry.type] ?? []
}

/** Client frames whose success reply is this server frame. */
function requestsAnswered(type: string): string[] {
  return frameEntries().filter((e) => e.direction === 'client' && e.reply === type).map((e) => e.type)
}

function headerLine(entry: FrameEntry): string {
  const direction = entry.direction === 'client' ? 'client → server' : 'server → client'
  const parts = [`**Direction:** ${direction}`, `**Kind:** ${entry.kind}`]
  if (entry.reply !== undefined) parts.push(`**Reply:** ${link('server', entry.reply)} or ${link('server', 'error')}`)
  if (entry.kind === 'reply') {
    const answered = entry.type === 'error' ? 'any request' : requestsAnswered(entry.type).map((t) => link('client', t)).join(', ')
    parts.push(`**Answers:** ${answered}`)
  }
  return parts.join(' · ')
}

function errorsLine(entry: FrameEntry): string | undefined {
  if (entry.direction !== 'client') return undefined
  const specific = (FRAME_ERRORS as Record<string, readonly string[]>)[entry.type] ?? []
  const all = [...specific, ...COMMON_ERRORS.filter((c) => c !== 'bad-json' && c !== 'unknown-type')]
  return `**Errors:** ${all.map((c) => `\`${c}\``).join(', ')} (see §11).`
}

function renderEntry(entry: FrameEntry): string {
  const schema = plainSchema(entry.schema)
  const arrow = entry.direction === 'client' ? '→' : '←'
  const out = [
    `<a id="${frameAnchor(entry.direction, entry.type)}"></a>`,
    '',
    `### ${arrow} \`${entry.type}\` (${entry.direction === 'client' ? 'client' : 'server'})`,
    '',
    headerLine(entry),
    '',
    typeof schema.description === 'string' ? schema.description : '',
    '',
    fieldTable(schema),
    '',
  ]
  const errors = errorsLine(entry)
  if (errors !== undefined) out.push(errors, '')
  for (const example of examplesOf(entry)) {
    out.push(`Example — ${example.summary}`, '', '```json', JSON.stringify(example.payload), '```', '')
  }
  return out.join('\n')
}

/** The whole frame reference. */
export function renderFrameReference(): string {
  const entries = frameEntries()
  const index = (direction: 'client' | 'server') =>
    entries.filter((e) => e.direction === direction).map((e) => link(direction, e.type)).join(' · ')
  return [
    `Client frames: ${index('client')}`,
    '',
    `Server frames: ${index('server')}`,
    '',
    ...entries.map(renderEntry),
  ].join('\n').trimEnd()
}
