// A server in its own process, as operators run it: for crash and
// multi-process tests. Waits for the "listening" log line, never a sleep.
import { spawn, type ChildProcess } from 'node:child_process'
import { rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildServer } from '../../server/build.ts'
import type { Teardown } from './server.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))

// One bundle per test process (built in ~0.2 s), started with plain node: a
// server process then starts in well under a second instead of compiling its
// TypeScript every time. It lives in dist/ so its relative paths and packages resolve.
let bundle: Promise<string> | undefined
function serverBundle(): Promise<string> {
  if (!bundle) {
    const file = join(root, 'dist', `test-server-${process.pid}.mjs`)
    process.once('exit', () => {
      rmSync(file, { force: true })
      rmSync(`${file}.map`, { force: true })
    })
    bundle = buildServer(file)
  }
  return bundle
}

export interface ChildServer {
  process: ChildProcess
  port: number
  url: string
  httpUrl: string
  /** Resolves when the process has exited. */
  exited: Promise<number | null>
  /** Log lines printed so far. */
  output: string[]
}

/** A port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}

export interface ChildServerOptions {
  port?: number | undefined
  timeoutMs?: number
  /** Script to run instead of the bundle of the sources (e.g. a packed package's bin), and its working folder. */
  entry?: string
  cwd?: string
}

export async function startChildServer(t: Teardown, env: Record<string, string>, { port, timeoutMs = 20_000, entry, cwd = root }: ChildServerOptions = {}): Promise<ChildServer> {
  const chosen = port ?? (await freePort())
  const child = spawn(process.execPath, ['--enable-source-maps', entry ?? (await serverBundle())], {
    cwd,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(chosen), LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const output: string[] = []
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  t.teardown(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    await exited
  })
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start within ${timeoutMs} ms:\n${output.join('')}`)), timeoutMs)
    const onData = (chunk: Buffer) => {
      output.push(chunk.toString())
      if (chunk.toString().includes('Server listening')) {
        clearTimeout(timer)
        resolve()
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', (c: Buffer) => output.push(c.toString()))
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`server exited with ${code} before listening:\n${output.join('')}`))
    })
  })
  return { process: child, port: chosen, url: `ws://127.0.0.1:${chosen}/ws`, httpUrl: `http://127.0.0.1:${chosen}`, exited, output }
}
