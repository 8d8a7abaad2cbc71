// Child processes of the benchmark: spawned pinned to a core with a raised
// file-descriptor limit, and observed through /proc (CPU time, RSS).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createInterface } from 'node:readline'

/** True when `taskset` can pin processes here. */
export const canPin = spawnSync('taskset', ['-c', '0', 'true']).status === 0

const CLOCK_TICKS_PER_SECOND = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100

let niceness = 0

/**
 * Runs every child at this nice value. On a shared machine other work
 * competes for the cores; a negative value (root only) keeps it from
 * stretching the measured windows. With the kernel's autogroup scheduling,
 * nice only ranks processes within one session, so each child also gets a
 * session of its own (setsid) whose autogroup is given the same value.
 */
export function setNiceness(value: number): void {
  niceness = value
}

export function getNiceness(): number {
  return niceness
}

export interface SpawnOptions {
  /** CPU core to pin to (ignored when taskset is missing). */
  core: number
  env?: NodeJS.ProcessEnv
  /** Prefix for the child's stderr lines on our stderr. */
  label: string
}

/**
 * Spawns `node args…` through bash so `ulimit -n` can be raised first (10,000
 * sockets need more than the usual 1,024 descriptors), then `exec`s taskset
 * and node: the returned pid is node's own.
 */
export function spawnNode(args: string[], options: SpawnOptions): ChildProcess {
  const pin = [...(niceness !== 0 ? ['nice', '-n', String(niceness)] : []), ...(canPin ? ['taskset', '-c', String(options.core)] : [])]
  const autogroup = niceness !== 0 ? `echo ${niceness} > /proc/$$/autogroup 2>/dev/null; ` : ''
  const script = `ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"; ${autogroup}exec "$@"`
  const child = spawn('bash', ['-c', script, 'bench', ...pin, process.execPath, ...args], {
    env: { ...process.env, ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
    // A session of its own (see setNiceness); children still end with their stdin.
    detached: niceness !== 0,
  })
  createInterface({ input: child.stderr! }).on('line', (line) => process.stderr.write(`[${options.label}] ${line}\n`))
  return child
}

/** Pins the calling process (the orchestrator) to a core. */
export function pinSelf(core: number): void {
  if (canPin) spawnSync('taskset', ['-cp', String(core), String(process.pid)])
}

/** User + system CPU time of a process so far, in milliseconds (from /proc/PID/stat). */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // Fields after the command name, which may contain spaces, start after ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const utime = Number(fields[11])
  const stime = Number(fields[12])
  return ((utime + stime) * 1000) / CLOCK_TICKS_PER_SECOND
}

/** Resident set size of a process, in bytes (VmRSS from /proc/PID/status). */
export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(status)
  if (!match) throw new Error(`no VmRSS for pid ${pid}`)
  return Number(match[1]) * 1024
}

/** Resolves with the first stdout line matching `pattern`, or rejects after `timeoutMs`. */
export function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! })
    const timer = setTimeout(() => finish(new Error(`no line matching ${pattern} within ${timeoutMs} ms`)), timeoutMs)
    const onExit = (code: number | null) => finish(new Error(`process exited (${code}) before printing ${pattern}`))
    function finish(err: Error | undefined, match?: RegExpExecArray) {
      clearTimeout(timer)
      lines.off('line', onLine)
      child.off('exit', onExit)
      if (err) reject(err)
      else resolve(match!)
    }
    function onLine(line: string) {
      const match = pattern.exec(line)
      if (match) finish(undefined, match)
    }
    lines.on('line', onLine)
    child.once('exit', onExit)
  })
}

/** Sends SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
export function stop(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve()
    })
    child.kill('SIGTERM')
  })
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))
