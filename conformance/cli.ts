#!/usr/bin/env node
// The conformance command: runs the kit against any chat.v1 server and
// reports per PROTOCOL.md section. Exit code 0 when every check that ran
// passed, 1 when a check failed (or none ran), 2 for bad arguments or when
// no chat.v1 server answers at the URL.
//
//   npx @wirechat/conformance ws://127.0.0.1:3000/ws [--format tap] [--jobs 4] …
//   npm run conformance -- ws://127.0.0.1:3000/ws …    (inside the repository)
import { readFileSync, realpathSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { PROTOCOL_VERSION, SUBPROTOCOL } from '@wirechat/protocol'
import { isLevel, LEVEL_MEANING, LEVELS } from './levels.ts'
import { FORMATS, formatResults, type Format } from './report.ts'
import { runKit, SECTIONS, type RunOptions } from './run.ts'
import { UnreachableError } from './target.ts'

export const USAGE = `usage: wirechat-conformance <ws-url> [options]

Runs the ${SUBPROTOCOL} conformance kit against the server whose WebSocket
endpoint is <ws-url> (ws:// or wss://) and reports per PROTOCOL.md section.

Options:
  --format pretty|tap|json|junit  report format (default pretty)
  --output FILE                   write the report to FILE instead of stdout
  --jobs N                        check files run at once (default 2; 1 for a slow server)
  --section N[,N]                 only the checks of these PROTOCOL.md sections (1-13, 7a)
  --level core|durable|full       only the checks of this conformance level and those
                                  below it (default full: every check):
${LEVELS.map((l) => `                                    ${l.padEnd(8)} ${LEVEL_MEANING[l]}`).join('\n')}
  --max-replay N                  the server's replay bound; runs the §7 too-far-behind check
  --abuse-strikes N               the server's abuse limit: the N-th refused frame on a
                                  connection closes it with 4008; the kit sends at most
                                  N-1 per connection (default 10 assumed)
  --bad-origin ORIGIN             an Origin the server refuses
                                  (default https://conformance-disallowed.invalid)
  --help                          show this text
  --version                       show the kit's version

The report says which levels the server meets: a level is met when every
check of it and of the levels below passed (skips, each with its reason, are
allowed) in a run without --section.

Exit code: 0 every check that ran passed, 1 a check failed (or none ran),
2 bad arguments or no ${SUBPROTOCOL} server at <ws-url>. Documentation:
https://github.com/wirechat/wirechat/blob/main/docs/conformance.md
`

export interface Io {
  stdout: (text: string) => void
  stderr: (text: string) => void
}

const processIo: Io = {
  stdout: (text) => {
    process.stdout.write(text)
  },
  stderr: (text) => {
    process.stderr.write(text)
  },
}

class UsageError extends Error {}

/** The kit's own package version (the package resolves itself by name, from the sources and when installed). */
function kitVersion(): string {
  const manifest = readFileSync(fileURLToPath(import.meta.resolve('@wirechat/conformance/package.json')), 'utf8')
  return (JSON.parse(manifest) as { version: string }).version
}

function positiveInt(flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined
  if (!/^[1-9]\d{0,8}$/.test(raw)) throw new UsageError(`${flag} must be a positive integer, got "${raw}"`)
  return Number(raw)
}

/** Turns the command line into run options; throws UsageError on anything it does not know. */
export function parseCommandLine(argv: string[]): { help: true } | { version: true } | { options: RunOptions; format: Format; output: string | undefined } {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: {
        format: { type: 'string' },
        output: { type: 'string' },
        jobs: { type: 'string' },
        section: { type: 'string', multiple: true },
        level: { type: 'string' },
        'max-replay': { type: 'string' },
        'abuse-strikes': { type: 'string' },
        'bad-origin': { type: 'string' },
        help: { type: 'boolean' },
        version: { type: 'boolean' },
      },
    })
  } catch (err) {
    throw new UsageError((err as Error).message)
  }
  const { values, positionals } = parsed
  if (values.help === true) return { help: true }
  if (values.version === true) return { version: true }
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'the server URL is missing' : `one server URL expected, got ${positionals.length} arguments`)
  const url = positionals[0]!
  let protocol: string
  try {
    protocol = new URL(url).protocol
  } catch {
    throw new UsageError(`"${url}" is not a URL`)
  }
  if (protocol !== 'ws:' && protocol !== 'wss:') throw new UsageError(`the URL must start with ws:// or wss://, got "${url}"`)
  const format = values.format ?? 'pretty'
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, got "${format}"`)
  if (values.output === '') throw new UsageError('--output needs a file name')
  const options: RunOptions = { url }
  const jobs = positiveInt('--jobs', values.jobs)
  if (jobs !== undefined) options.jobs = jobs
  const maxReplay = positiveInt('--max-replay', values['max-replay'])
  if (maxReplay !== undefined) options.maxReplay = maxReplay
  const abuseStrikes = positiveInt('--abuse-strikes', values['abuse-strikes'])
  if (abuseStrikes !== undefined) options.abuseStrikes = abuseStrikes
  const badOrigin = values['bad-origin']
  if (badOrigin !== undefined) {
    if (!/^[\x21-\x7e]+$/.test(badOrigin)) throw new UsageError(`--bad-origin must be an Origin such as https://evil.example, got "${badOrigin}"`)
    options.badOrigin = badOrigin
  }
  const level = values.level
  if (level !== undefined) {
    if (!isLevel(level)) throw new UsageError(`--level must be one of ${LEVELS.join(', ')}, got "${level}"`)
    options.level = level
  }
  if (values.section !== undefined) {
    const sections = values.section.flatMap((s) => s.split(','))
    // Leading zeros are dropped ("07a" is "7a").
    const normal = (s: string): string => s.replace(/^0+(?=\d)/, '')
    for (const s of sections) if (!/^\d{1,2}[a-z]?$/.test(s) || !(normal(s) in SECTIONS)) throw new UsageError(`--section takes PROTOCOL.md section numbers 1-13 and 7a, got "${s}"`)
    options.sections = sections.map(normal)
  }
  return { options, format: format as Format, output: values.output }
}

/** Runs the command; resolves with the exit code. */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  let command
  try {
    command = parseCommandLine(argv)
  } catch (err) {
    if (!(err instanceof UsageError)) throw err
    io.stderr(`wirechat-conformance: ${err.message}\n\n${USAGE}`)
    return 2
  }
  if ('help' in command) {
    io.stdout(USAGE)
    return 0
  }
  if ('version' in command) {
    io.stdout(`wirechat-conformance ${kitVersion()} for ${SUBPROTOCOL} ${PROTOCOL_VERSION}\n`)
    return 0
  }
  const { options, format, output } = command
  io.stderr(`wirechat conformance: running against ${options.url} …\n`)
  let results
  try {
    results = await runKit(options)
  } catch (err) {
    if (!(err instanceof UnreachableError)) throw err
    io.stderr(`wirechat-conformance: ${err.message}\n`)
    return 2
  }
  const text = formatResults(results, format)
  const { passed, failed, skipped } = results.summary
  if (output === undefined) io.stdout(text)
  else {
    try {
      writeFileSync(output, text)
    } catch (err) {
      io.stderr(`wirechat-conformance: cannot write ${output}: ${(err as Error).message}\n`)
      return 2
    }
  }
  if (output !== undefined || format !== 'pretty') io.stderr(`${passed} passed, ${failed} failed, ${skipped} skipped; ${results.meets === undefined ? 'no level met' : `meets ${results.meets}`}\n`)
  return failed > 0 || results.summary.total === 0 ? 1 : 0
}

// Run when started as a program: directly, or through the symlink npm puts in node_modules/.bin.
if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === realpathSync(process.argv[1])) {
  process.exitCode = await main(process.argv.slice(2))
}
