// The terminal client as a child process driven through stdin/stdout, as a
// script would use it: send a line, wait (bounded) for an output line.
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { Teardown } from './server.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))

/** Bound on one expected line. The first start of a child may compile the sources (type stripping). */
export const LINE_WAIT_MS = 15_000

export interface TerminalChild {
  process: ChildProcess
  /** Every stdout line so far. */
  lines: string[]
  /** Raw stdout bytes so far. */
  raw: Buffer[]
  /** Writes one input line. */
  send(line: string): void
  /** Index of the next line: pass it to `waitFor` to match only what comes after now. */
  mark(): number
  /** Resolves with the first line at index ≥ `since` matching `pattern`; rejects with the output after `timeoutMs`. */
  waitFor(pattern: RegExp, since?: number, timeoutMs?: number): Promise<string>
  /** The exit code once the process has exited. */
  exited: Promise<number | null>
}

/** Spawns `node terminal/main.ts ARGS` (from source) with stdin and stdout as pipes; killed at teardown. */
export function spawnTerminal(t: Teardown, args: string[]): TerminalChild {
  const child = spawn(process.execPath, ['--conditions=wirechat-source', 'terminal/main.ts', ...args], {
    cwd: root,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  const lines: string[] = []
  const raw: Buffer[] = []
  const stderr: string[] = []
  const waiters = new Set<() => void>()
  let partial = ''
  child.stdout!.on('data', (chunk: Buffer) => {
    raw.push(chunk)
    partial += chunk.toString('utf8')
    const parts = partial.split('\n')
    partial = parts.pop()!
    lines.push(...parts)
    for (const check of [...waiters]) check()
  })
  child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString('utf8')))
  child.stdin!.on('error', () => {}) // writing after the child quit
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  t.teardown(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    await exited
  })

  const waitFor = (pattern: RegExp, since = 0, timeoutMs = LINE_WAIT_MS): Promise<string> =>
    new Promise((resolve, reject) => {
      let from = since
      const check = () => {
        for (; from < lines.length; from++) {
          const line = lines[from]!
          if (pattern.test(line)) {
            done()
            resolve(line)
            return
          }
        }
      }
      const timer = setTimeout(() => {
        done()
        reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms; output:\n${lines.slice(since).join('\n')}\nstderr:\n${stderr.join('')}`))
      }, timeoutMs)
      const done = () => {
        clearTimeout(timer)
        waiters.delete(check)
      }
      waiters.add(check)
      check()
    })

  return {
    process: child,
    lines,
    raw,
    send: (line) => child.stdin!.write(`${line}\n`),
    mark: () => lines.length,
    waitFor,
    exited,
  }
}

/** Starts a client as `name` on `url` and waits until it has logged in. */
export async function startTerminal(t: Teardown, url: string, name: string, extra: string[] = []): Promise<TerminalChild> {
  const child = spawnTerminal(t, ['--url', url, '--name', name, ...extra])
  await child.waitFor(new RegExp(`^-!- logged in as ${name} \\(id `, 'u'))
  await child.waitFor(/^-!- talking in #/u)
  return child
}
