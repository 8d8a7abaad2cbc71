// What the terminal printed, read back as the client kit's shown lines
// (docs/conformance.md, "Testing a client"): the conformance adapter judges
// the terminal by what it shows a person, so it parses the plain (uncoloured)
// lines of render.ts. Pure, so the unit test pins each form.
import { ContinuationPrefix } from './render.ts'

/** One line of the adapter protocol: `{"shown":"message",…}` and the like. */
export type ShownLine = { shown: string } & Record<string, unknown>

const CHAT = /^\[\d{2}:\d{2}\] #(\S+) <(.+?)( \(you\))?> (.*)$/u
const DM = /^\[\d{2}:\d{2}\] \[dm (from|to) (.+?)\] (.*)$/u
const STOPPED = /^-!- disconnected for good: (\S+)(?: \((\d+)[^)]*\))?/u
const ERROR = /^-!- error: ([a-z][a-z-]*): /u

/** The shown lines of one printed block (a message may continue over several lines). */
export function shownLines(block: string): ShownLine[] {
  const out: ShownLine[] = []
  for (const line of block.split('\n')) {
    const last = out.at(-1)
    if (line.startsWith(ContinuationPrefix) && last !== undefined && typeof last.text === 'string' && (last.shown === 'message' || last.shown === 'dm')) {
      last.text = `${last.text}\n${line.slice(ContinuationPrefix.length)}`
      continue
    }
    out.push(shownLine(line))
  }
  return out
}

function shownLine(line: string): ShownLine {
  let m = CHAT.exec(line)
  if (m) return { shown: 'message', room: m[1]!, name: m[2]!, own: m[3] !== undefined, text: m[4]! }
  if ((m = DM.exec(line))) return { shown: 'dm', [m[1] === 'from' ? 'from' : 'to']: m[2]!, text: m[3]! }
  if ((m = STOPPED.exec(line))) return { shown: 'stopped', reason: m[1]!, code: m[2] === undefined ? null : Number(m[2]) }
  if ((m = ERROR.exec(line))) return { shown: 'error', code: m[1]!, text: line }
  if (/^-!- (connection lost|could not connect).*reconnecting…$/u.test(line)) return { shown: 'status', state: 'reconnecting', text: line }
  if (line.startsWith('-!- connected to ')) return { shown: 'status', state: 'open', text: line }
  return { shown: 'line', text: line }
}
