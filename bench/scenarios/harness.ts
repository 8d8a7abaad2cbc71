// Starting a target server and a load process for one scenario, and
// measuring CPU over a window. Every target runs on core 0, every load
// process on core 1 (the orchestrator shares core 1: it is idle while measuring).
import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import type { Command, Reply, Target } from '../load/commands.ts'
import { cpuMs, sleep, spawnNode, stop, waitForLine } from '../process.ts'

export const SERVER_CORE = 0
export const LOAD_CORE = 1

/**
 * The only settings changed on our server, all because every load socket comes
 * from 127.0.0.x on one machine: per-connection request rate and burst (the
 * saturation ramp sends up to 100 lines/s per socket) and the per-address cap.
 * Everything else is the default: SQLite history (synchronous=FULL), every limit on.
 */
export const WIRECHAT_ENV = { RATE_PER_SECOND: '10000', RATE_BURST: '10000', MAX_CONNECTIONS_PER_IP: '20000' }

const SCRIPTS: Record<Target, string> = {
  wirechat: 'bench/targets/wirechat-server.ts',
  socketio: 'bench/targets/socketio-server.ts',
  'raw-ws': 'bench/targets/raw-ws-server.ts',
}

export interface HarnessOptions {
  /** Extra node flags for our server only (e.g. --cpu-prof). */
  wirechatNodeArgs: string[]
  /** Extra environment for our server only (experiments, e.g. STORE=memory). */
  wirechatEnv?: Record<string, string>
  /**
   * Keep one server and one load process per target across scenarios (smoke
   * mode: process start-up would dominate). Otherwise every scenario gets
   * fresh processes, so state and memory of one cannot leak into the next.
   */
  reuse: boolean
  /** Our server as this many processes on Redis + PostgreSQL (cluster scenarios). Default 1. */
  wirechatNodes?: number
}

/** Services a cluster run uses: the machine's Redis and PostgreSQL on loopback. */
export const CLUSTER_REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379'
export const CLUSTER_DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

export interface RunningServer {
  /** The (first) server process. */
  pid: number
  /** Every server process (several for a cluster); CPU is summed over them. */
  pids: number[]
  url: string
  gc(): Promise<void>
  stop(): Promise<void>
}

export async function startServer(target: Target, options: HarnessOptions): Promise<RunningServer> {
  const nodes = target === 'wirechat' ? (options.wirechatNodes ?? 1) : 1
  if (nodes > 1) return startCluster(nodes, options)
  const dataDir = mkdtempSync(join(tmpdir(), 'wirechat-bench-'))
  const env = target === 'wirechat' ? { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...WIRECHAT_ENV, ...options.wirechatEnv } : { PORT: '0' }
  const nodeArgs = ['--expose-gc', ...(target === 'wirechat' ? options.wirechatNodeArgs : []), '--conditions=wirechat-source', SCRIPTS[target]]
  const child = spawnNode(nodeArgs, { core: SERVER_CORE, env, label: `${target} server` })
  const [, port] = await waitForLine(child, /^LISTENING (\d+)$/, 20_000)
  return {
    pid: child.pid!,
    pids: [child.pid!],
    url: `http://127.0.0.1:${port}`,
    async gc() {
      // Twice: the first pass may only schedule finalisers of freed sockets.
      for (let i = 0; i < 2; i++) {
        child.kill('SIGUSR2')
        await sleep(300)
      }
    },
    async stop() {
      await stop(child)
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** Our server as `nodes` processes sharing Redis (fan-out, presence) and PostgreSQL (history). */
async function startCluster(nodes: number, options: HarnessOptions): Promise<RunningServer> {
  const { default: pg } = await import('pg')
  const schema = `wirechat_bench_${process.pid}_${Date.now()}`
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: CLUSTER_DATABASE_URL })
    await client.connect()
    try {
      await client.query(sql)
    } finally {
      await client.end()
    }
  }
  const env = {
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    ...WIRECHAT_ENV,
    ...options.wirechatEnv,
    REDIS_URL: CLUSTER_REDIS_URL,
    DATABASE_URL: CLUSTER_DATABASE_URL,
    DATABASE_SCHEMA: schema,
    CLUSTER_PREFIX: `${schema}:`,
  }
  const children: ChildProcess[] = []
  const urls: string[] = []
  try {
    for (let n = 0; n < nodes; n++) {
      const child = spawnNode(['--expose-gc', ...options.wirechatNodeArgs, '--conditions=wirechat-source', SCRIPTS.wirechat], {
        core: SERVER_CORE,
        env: { ...env, NODE_ID: `bench-${n}` },
        label: `wirechat node ${n}`,
      })
      children.push(child)
      const [, port] = await waitForLine(child, /^LISTENING (\d+)$/, 20_000)
      urls.push(`http://127.0.0.1:${port}`)
    }
  } catch (err) {
    for (const child of children) await stop(child)
    await admin(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
    throw err
  }
  return {
    pid: children[0]!.pid!,
    pids: children.map((c) => c.pid!),
    url: urls.join(','),
    async gc() {
      for (let i = 0; i < 2; i++) {
        for (const child of children) child.kill('SIGUSR2')
        await sleep(300)
      }
    },
    async stop() {
      for (const child of children) await stop(child)
      await admin(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
    },
  }
}

export interface LoadProcess {
  pid: number
  request<R extends Reply>(command: Command, timeoutMs: number): Promise<R>
  exit(): Promise<void>
}

export function startLoad(target: Target, url: string): LoadProcess {
  const child: ChildProcess = spawnNode(['--conditions=wirechat-source', 'bench/load/main.ts', target, url], { core: LOAD_CORE, label: `${target} load` })
  const waiting: Array<(reply: Reply) => void> = []
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (line.startsWith('{')) waiting.shift()?.(JSON.parse(line) as Reply)
  })
  return {
    pid: child.pid!,
    request<R extends Reply>(command: Command, timeoutMs: number) {
      return new Promise<R>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`load ${target}: no reply to ${command.cmd} in ${timeoutMs} ms`)), timeoutMs)
        waiting.push((reply) => {
          clearTimeout(timer)
          resolve(reply as R)
        })
        child.stdin!.write(`${JSON.stringify(command)}\n`)
      })
    },
    async exit() {
      child.stdin!.write(`${JSON.stringify({ cmd: 'exit' })}\n`)
      await Promise.race([new Promise((resolve) => child.once('exit', resolve)), sleep(5000)])
      await stop(child, 1000)
    },
  }
}

export interface CpuWindow<T> {
  result: T
  serverCpuMs: number
  loadCpuMs: number
}

/** Runs `work` and reports the CPU time both processes spent meanwhile. */
export async function withCpu<T>(serverPids: number[], loadPid: number, work: () => Promise<T>): Promise<CpuWindow<T>> {
  const serverCpu = () => serverPids.reduce((sum, pid) => sum + cpuMs(pid), 0)
  const server0 = serverCpu()
  const load0 = cpuMs(loadPid)
  const result = await work()
  return { result, serverCpuMs: serverCpu() - server0, loadCpuMs: cpuMs(loadPid) - load0 }
}

interface Pair {
  server: RunningServer
  load: LoadProcess
}
const shared = new Map<Target, Pair>()

async function startPair(target: Target, options: HarnessOptions): Promise<Pair> {
  const server = await startServer(target, options)
  return { server, load: startLoad(target, server.url) }
}

async function stopPair({ server, load }: Pair): Promise<void> {
  await load.exit()
  await server.stop()
}

/** Runs `body` with a target server and a load process; stops both unless reused. */
export async function withTarget<T>(target: Target, options: HarnessOptions, body: (server: RunningServer, load: LoadProcess) => Promise<T>): Promise<T> {
  if (options.reuse) {
    let pair = shared.get(target)
    if (!pair) shared.set(target, (pair = await startPair(target, options)))
    return body(pair.server, pair.load)
  }
  const pair = await startPair(target, options)
  try {
    return await body(pair.server, pair.load)
  } finally {
    await stopPair(pair)
  }
}

/** Stops the processes kept by `reuse` for a target. */
export async function releaseTarget(target: Target): Promise<void> {
  const pair = shared.get(target)
  shared.delete(target)
  if (pair) await stopPair(pair)
}
