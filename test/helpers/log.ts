// A log stream for a server under test (startServer's `logStream`): keeps what
// pino writes, as text and as parsed lines.
import { Writable } from 'node:stream'

export interface CapturedLog {
  stream: Writable
  /** Everything written so far. */
  text(): string
  /** The complete JSON lines written so far. */
  lines(): Array<Record<string, unknown>>
}

export function captureLog(): CapturedLog {
  let text = ''
  const stream = new Writable({
    write(chunk, _enc, done) {
      text += chunk.toString()
      done()
    },
  })
  return {
    stream,
    text: () => text,
    lines: () =>
      text
        .split('\n')
        .slice(0, -1)
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  }
}
