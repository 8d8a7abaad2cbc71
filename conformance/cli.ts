#!/usr/bin/env node
// The conformance command: runs the server kit against any chat.v1 server,
// or the client kit against any client driven through the adapter protocol,
// and reports per PROTOCOL.md section. Exit code 0 when every check that ran
// passed, 1 when a check failed (or none ran), 2 for bad arguments, when no
// chat.v1 server answers at the URL, or when the client command cannot start.
//
//   npx @wirechat/conformance ws://127.0.0.1:3000/ws [--format tap] [--jobs 4] …
//   npx @wirechat/conformance server ws://127.0.0.1:3000/ws …     (the same)
//   npx @wirechat/conformance client [--format tap] -- node my-adapter.js …
//   npm run conformance -- ws://127.0.0.1:3000/ws …    (inside the repository)
import { readFileSync, realpathSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { PROTOCOL_VERSION, SUBPROTOCOL } from '@wirechat/protocol'
import { CommandError, DEFAULT_HINTS } from './client-kit/client-process.ts'
import { CLIENT_CHECK_IDS } from './client-kit/ids.ts'
import { type ClientRunOptions, knownCheckFilter, runClientKit } from './client-kit/run.ts'
import { isLevel, LEVEL_MEANING, LEVELS } from './levels.ts'
import { type AnyKitResults, commandText, FORMATS, formatResults, type Format } from './report.ts'
import { runKit, SECTIONS, type RunOptions } from './run.ts'
import { UnreachableError } from './target.ts'

export const USAGE = `usage: wirechat-conformance <ws-url> [options]
       wirechat-conformance server <ws-url> [options]        (the same)
       wirechat-conformance client [options] -- <command> [args…]
                                      tests a client instead: see client --help

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
  --allowed-origin ORIGIN         an Origin on the server's allowlist (ALLOWED_ORIGINS);
                                  runs the §2 check that a listed Origin is served
  --clock URL                     the server's fake clock control (a server in deterministic
                                  mode: http://HOST:PORT/_test/clock): the timer checks move
                                  it forward instead of waiting, so none is skipped for a long
                                  timer; check files then run one at a time
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

export const CLIENT_USAGE = `usage: wirechat-conformance client [options] -- <command> [args…]

Runs the ${SUBPROTOCOL} client kit: starts <command> once per scenario with
WIRECHAT_URL set to a scripted fake server, drives it with JSON instructions on
its stdin, reads what it shows as JSON lines on its stdout (the adapter
protocol), judges the client from the wire and reports per PROTOCOL.md section.

Options:
  --format pretty|tap|json|junit  report format (default pretty)
  --output FILE                   write the report to FILE instead of stdout
  --jobs N                        scenarios run at once (default 4; 1 for a slow client)
  --check ID[,ID]                 only these checks (ids such as CLI-RECONNECT-1006, or
                                  prefixes such as CLI-BACKOFF); repeatable
  --backoff-base MS               WIRECHAT_BACKOFF_BASE_MS told to the client (default 200)
  --backoff-max MS                WIRECHAT_BACKOFF_MAX_MS told to the client (default 1600)
  --help                          show this text
  --version                       show the kit's version

Checks: ${CLIENT_CHECK_IDS.join(', ')}.

Exit code: 0 every check that ran passed, 1 a check failed (or none ran),
2 bad arguments or <command> cannot be started. Documentation (the adapter
protocol): https://github.com/wirechat/wirechat/blob/main/docs/conformance.md#testing-a-client
`

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
        'allowed-origin': { type: 'string' },
        clock: { type: 'string' },
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
  const clock = values.clock
  if (clock !== undefined) {
    if (!/^https?:\/\/\S+$/.test(clock)) throw new UsageError(`--clock must be an http(s) URL such as http://127.0.0.1:3000/_test/clock, got "${clock}"`)
    options.clock = clock
  }
  const badOrigin = values['bad-origin']
  if (badOrigin !== undefined) {
    if (!/^[\x21-\x7e]+$/.test(badOrigin)) throw new UsageError(`--bad-origin must be an Origin such as https://evil.example, got "${badOrigin}"`)
    options.badOrigin = badOrigin
  }
  const allowedOrigin = values['allowed-origin']
  if (allowedOrigin !== undefined) {
    if (!/^https?:\/\/[\x21-\x7e]+$/.test(allowedOrigin)) throw new UsageError(`--allowed-origin must be an Origin such as https://chat.example, got "${allowedOrigin}"`)
    options.allowedOrigin = allowedOrigin
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

/** Turns the arguments after `client` into client kit options; throws UsageError on anything it does not know. */
export function parseClientCommandLine(argv: string[]): { help: true } | { version: true } | { options: ClientRunOptions; format: Format; output: string | undefined } {
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
        check: { type: 'string', multiple: true },
        'backoff-base': { type: 'string' },
        'backoff-max': { type: 'string' },
        help: { type: 'boolean' },
        version: { type: 'boolean' },
      },
    })
  } catch (err) {
    throw new UsageError(`${(err as Error).message} (put the client's own options after --)`)
  }
  const { values, positionals } = parsed
  if (values.help === true) return { help: true }
  if (values.version === true) return { version: true }
  if (positionals.length === 0) throw new UsageError('the client command is missing (wirechat-conformance client -- <command> [args…])')
  if (positionals[0] === '') throw new UsageError('the client command is empty')
  const format = values.format ?? 'pretty'
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, got "${format}"`)
  if (values.output === '') throw new UsageError('--output needs a file name')
  const options: ClientRunOptions = { command: positionals }
  const jobs = positiveInt('--jobs', values.jobs)
  if (jobs !== undefined) options.jobs = jobs
  if (values.check !== undefined) {
    const checks = values.check.flatMap((c) => c.split(','))
    for (const c of checks) if (!knownCheckFilter(c)) throw new UsageError(`--check takes check ids or their prefixes (e.g. CLI-RECONNECT-1006, CLI-BACKOFF), got "${c}"`)
    options.checks = checks
  }
  const base = positiveInt('--backoff-base', values['backoff-base'])
  const max = positiveInt('--backoff-max', values['backoff-max'])
  if (base !== undefined || max !== undefined) {
    const hints = { backoffBaseMs: base ?? Math.min(DEFAULT_HINTS.backoffBaseMs, max!), backoffMaxMs: max ?? Math.max(DEFAULT_HINTS.backoffMaxMs, base!) }
    if (hints.backoffBaseMs > hints.backoffMaxMs) throw new UsageError(`--backoff-base (${hints.backoffBaseMs}) must not exceed --backoff-max (${hints.backoffMaxMs})`)
    options.hints = hints
  }
  return { options, format: format as Format, output: values.output }
}

/** Writes the report; returns the exit code (2 when the output file cannot be written). */
function report(io: Io, results: AnyKitResults, format: Format, output: string | undefined): number {
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
  const level = 'levels' in results ? `; ${results.meets === undefined ? 'no level met' : `meets ${results.meets}`}` : ''
  if (output !== undefined || format !== 'pretty') io.stderr(`${passed} passed, ${failed} failed, ${skipped} skipped${level}\n`)
  return failed > 0 || results.summary.total === 0 ? 1 : 0
}

/** The client kit's command line. */
async function mainClient(argv: string[], io: Io): Promise<number> {
  let command
  try {
    command = parseClientCommandLine(argv)
  } catch (err) {
    if (!(err instanceof UsageError)) throw err
    io.stderr(`wirechat-conformance: ${err.message}\n\n${CLIENT_USAGE}`)
    return 2
  }
  if ('help' in command) {
    io.stdout(CLIENT_USAGE)
    return 0
  }
  if ('version' in command) {
    io.stdout(`wirechat-conformance ${kitVersion()} for ${SUBPROTOCOL} ${PROTOCOL_VERSION}\n`)
    return 0
  }
  const { options, format, output } = command
  io.stderr(`wirechat conformance: testing the client ${commandText(options.command)} …\n`)
  let results
  try {
    results = await runClientKit(options)
  } catch (err) {
    if (!(err instanceof CommandError)) throw err
    io.stderr(`wirechat-conformance: cannot start the client command ${commandText(options.command)}: ${err.message}\n`)
    return 2
  }
  return report(io, results, format, output)
}

/** Runs the command; resolves with the exit code. */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  if (argv[0] === 'client') return mainClient(argv.slice(1), io)
  if (argv[0] === 'server') argv = argv.slice(1)
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
  return report(io, results, format, output)
}

// Run when started as a program: directly, or through the symlink npm puts in node_modules/.bin.
if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === realpathSync(process.argv[1])) {
  process.exitCode = await main(process.argv.slice(2))
}
