// A server in its own process, as operators run it: for crash and
// multi-process tests. Waits for the "listening" log line, never a sleep.
import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import type { Teardown } from './server.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))

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

export async function startChildServer(t: Teardown, env: Record<string, string>, { port, timeoutMs = 20_000 }: { port?: number; timeoutMs?: number } = {}): Promise<ChildServer> {
  const chosen = port ?? (await freePort())
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: root,
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
