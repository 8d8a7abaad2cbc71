// Where and how the run happened, for the report header.
import { readFileSync } from 'node:fs'
import { cpus, loadavg, release } from 'node:os'
import { canPin, getNiceness } from '../process.ts'
import { LOAD_CORE, SERVER_CORE, WIRECHAT_ENV } from '../scenarios/harness.ts'

export interface Environment {
  date: string
  command: string
  node: string
  cpuModel: string
  cores: number
  kernel: string
  loadAverage: string
  pinning: string
  versions: string
  wirechatSettings: string
  smoke: boolean
  durationS?: number
}

function versionOf(pkg: string): string {
  const json = JSON.parse(readFileSync(new URL(`../../node_modules/${pkg}/package.json`, import.meta.url), 'utf8')) as { version: string }
  return `${pkg} ${json.version}`
}

export function environment(args: string[], smoke: boolean): Environment {
  const npm = process.env.npm_lifecycle_event
  const direct = `node --conditions=wirechat-source bench/run.ts${args.length ? ` ${args.join(' ')}` : ''}`
  return {
    date: new Date().toISOString(),
    command: npm ? `npm run ${npm}${args.length && npm === 'bench' ? ` -- ${args.join(' ')}` : ''} (${direct})` : direct,
    node: process.version,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    kernel: `Linux ${release()}`,
    loadAverage: loadavg()
      .map((l) => l.toFixed(2))
      .join(' '),
    pinning:
      (canPin ? `taskset: every server on core ${SERVER_CORE}; every load generator and the orchestrator on core ${LOAD_CORE}` : 'none (taskset missing): server and load share the cores') +
      (getNiceness() !== 0 ? `; all at nice ${getNiceness()}` : ''),
    versions: ['socket.io', 'socket.io-client', 'ws', 'fastify', 'better-sqlite3'].map(versionOf).join(', '),
    wirechatSettings: `${Object.entries(WIRECHAT_ENV)
      .map(([k, v]) => `${k}=${v}`)
      .join(
        ', ',
      )}; plus PORT=0, HOST=127.0.0.1, DATA_DIR=<fresh temp dir>, LOG_LEVEL=warn. Everything else default: SQLite history (WAL, flushed with fdatasync before every acknowledgement), rate limits, slow-consumer close at 1 MiB, heartbeat.`,
    smoke,
  }
}
