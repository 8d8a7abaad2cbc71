// A private redis-server on a free loopback port, so a test can stop and
// restart "Redis" without touching the machine's shared instance.
import { spawn, type ChildProcess } from 'node:child_process'
import { freePort } from './child-server.ts'
import type { Teardown } from './server.ts'

export interface PrivateRedis {
  port: number
  url: string
  stop(): Promise<void>
  start(): Promise<void>
}

export async function startPrivateRedis(t: Teardown): Promise<PrivateRedis> {
  const port = await freePort()
  let child: ChildProcess | undefined
  const start = async () => {
    const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] })
    child = proc
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('redis-server did not start within 10 s')), 10_000)
      proc.once('error', (err) => {
        clearTimeout(timer)
        reject(new Error(`redis-server could not start: ${err.message}`))
      })
      proc.stdout!.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('Ready to accept connections')) {
          clearTimeout(timer)
          resolve()
        }
      })
    })
  }
  const stop = async () => {
    const proc = child
    child = undefined
    if (!proc || proc.exitCode !== null) return
    const exited = new Promise((resolve) => proc.once('exit', resolve))
    proc.kill('SIGKILL')
    await exited
  }
  await start()
  t.teardown(stop)
  return { port, url: `redis://127.0.0.1:${port}`, stop, start }
}
