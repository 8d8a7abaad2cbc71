// `npm run bench:storm -- --clients 5000`: a reconnect storm (issue 15, "how
// cost grows"). N clients are logged in, in rooms of 10, each holding its
// session key and its room position; a few messages are posted while they are
// away; then every socket is cut at once and every client comes back at once
// with its session and `since`. Reported: the time until all have resumed
// (login-ok with resumed: true and exactly the missed messages replayed),
// how many were refused or failed, and the server's CPU and RSS across the
// storm. Our server with its defaults (SQLite), on 127.0.0.1 (clients spread
// over 127.0.0.1–4 as the main bench does). Socket.IO has no resume with
// positions to compare with, so it is not run here.
//   --clients N   default 5,000
//   --out DIR     default bench/results
import { mkdirSync, writeFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import WebSocket from 'ws'
import { SUBPROTOCOL } from '@wirechat/protocol'
import { cpuMs, rssBytes } from './process.ts'
import { environment } from './report/environment.ts'
import { startServer } from './scenarios/harness.ts'

const { values } = parseArgs({ options: { clients: { type: 'string', default: '5000' }, out: { type: 'string', default: 'bench/results' } } })
const CLIENTS = Number(values.clients)
const ROOM_SIZE = 10
const MISSED = 3

interface Client {
  i: number
  room: string
  session?: string
  epoch?: string
  seq: number
  ws?: WebSocket
}

/** Opens a socket from one of 127.0.0.1–4 and resolves with the frames of its first reply to `login`. */
function connect(url: string, i: number, login: Record<string, unknown>, onPush?: (frame: Record<string, unknown>) => void): Promise<{ ws: WebSocket; ok: Record<string, unknown> }> {
  return new Promise((resolvePromise, reject) => {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/ws`, [SUBPROTOCOL], { localAddress: `127.0.0.${1 + (i % 4)}`, handshakeTimeout: 60_000 })
    const timer = setTimeout(() => reject(new Error('no login-ok within 120 s')), 120_000)
    ws.once('error', (err) => {
      clearTimeout(timer)
      reject(err)
    })
    ws.once('unexpected-response', (_req, res) => {
      clearTimeout(timer)
      reject(new Error(`HTTP ${res.statusCode}`))
    })
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as Record<string, unknown>
      if (frame.type === 'welcome') return ws.send(JSON.stringify({ ...login, type: 'login', id: 'l' }))
      if (frame.id === 'l') {
        clearTimeout(timer)
        if (frame.type === 'login-ok') resolvePromise({ ws, ok: frame })
        else reject(new Error(`${frame.code}`))
        return
      }
      onPush?.(frame)
    })
  })
}

/** Runs `work` for every item, at most `width` at a time. */
async function inWaves<T>(items: T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await work(items[next++]!)
    }),
  )
}

async function main(): Promise<void> {
  const load0 = loadavg()[0]!
  const server = await startServer('wirechat', {
    wirechatNodeArgs: [],
    wirechatEnv: { MAX_CONNECTIONS_PER_IP: '100000', MAX_CONNECTIONS: '100000', RATE_PER_SECOND: '10000', RATE_BURST: '10000' },
    reuse: false,
  })
  const clients: Client[] = Array.from({ length: CLIENTS }, (_, i) => ({ i, room: `storm${Math.floor(i / ROOM_SIZE)}`, seq: 0 }))
  try {
    // Everyone logs in (in waves of 200: this part is not what is measured).
    const t0 = performance.now()
    await inWaves(clients, 200, async (c) => {
      const { ws, ok } = await connect(server.url, c.i, { name: `s${c.i}`, version: '1.3.0', rooms: [{ room: c.room }] })
      const state = (ok.rooms as Array<{ epoch: string; seq: number }>)[0]!
      Object.assign(c, { ws, session: ok.session as string, epoch: state.epoch, seq: state.seq })
    })
    const setupMs = performance.now() - t0
    // While they are away, each room gets MISSED messages from a poster of its own.
    for (const c of clients) c.ws!.terminate()
    const rooms = [...new Set(clients.map((c) => c.room))]
    await inWaves(rooms, 50, async (room) => {
      const { ws } = await connect(server.url, 0, { name: `poster-${room}`, rooms: [{ room }] })
      for (let m = 0; m < MISSED; m++) {
        await new Promise<void>((done) => {
          const onMessage = (data: WebSocket.RawData) => {
            if ((JSON.parse(String(data)) as { id?: string }).id === `p${m}`) {
              ws.off('message', onMessage)
              done()
            }
          }
          ws.on('message', onMessage)
          ws.send(JSON.stringify({ type: 'chat', id: `p${m}`, room, text: `while you were away ${m}` }))
        })
      }
      ws.close()
    })
    await new Promise((r) => setTimeout(r, 1000))

    // The storm: every client at once, with its session and position.
    const cpu0 = cpuMs(server.pid)
    const rss0 = rssBytes(server.pid)
    let rssPeak = rss0
    const sampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, rssBytes(server.pid))
    }, 100)
    const outcomes = { resumed: 0, notResumed: 0, failed: new Map<string, number>() }
    const latencies: number[] = []
    const s0 = performance.now()
    await Promise.all(
      clients.map(async (c) => {
        let replayed = 0
        let resolveReplay: () => void = () => {}
        const replayDone = new Promise<void>((r) => {
          resolveReplay = r
        })
        try {
          const { ws, ok } = await connect(server.url, c.i, { session: c.session, version: '1.3.0', rooms: [{ room: c.room, since: { epoch: c.epoch, seq: c.seq } }] }, (frame) => {
            if (frame.type === 'chat' && ++replayed === MISSED) resolveReplay()
          })
          c.ws = ws
          const resume = (ok.rooms as Array<{ resume?: { resumed: boolean; missed: number } }>)[0]?.resume
          if (resume?.resumed === true && resume.missed === MISSED) {
            await replayDone
            outcomes.resumed++
          } else outcomes.notResumed++
          latencies.push(performance.now() - s0)
        } catch (err) {
          const key = (err as Error).message
          outcomes.failed.set(key, (outcomes.failed.get(key) ?? 0) + 1)
        }
      }),
    )
    const stormMs = performance.now() - s0
    clearInterval(sampler)
    const cpu = cpuMs(server.pid) - cpu0
    const sorted = latencies.sort((a, b) => a - b)
    const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN
    for (const c of clients) c.ws?.terminate()

    const env = environment(process.argv.slice(2), false)
    const failed = [...outcomes.failed].map(([why, n]) => `${n} × ${why}`).join(', ') || 'none'
    const report = [
      `# wirechat reconnect storm: ${CLIENTS.toLocaleString('en')} clients resuming at once`,
      '',
      '| | |',
      '|---|---|',
      `| Date | ${new Date().toISOString()} |`,
      `| Node | ${process.version} |`,
      `| CPU | ${env.cpuModel}, ${env.cores} cores (server pinned to core 0; these clients unpinned) |`,
      `| Load average at start | ${load0.toFixed(2)} (other work on the machine: figures are indicative) |`,
      `| Server | defaults (SQLite, synchronous=FULL), but per-address and total connection caps and the request rate raised (every client comes from 127.0.0.1–4) |`,
      `| Setup | ${CLIENTS.toLocaleString('en')} clients logged in, rooms of ${ROOM_SIZE}, in ${(setupMs / 1000).toFixed(1)} s (waves of 200); all cut; ${MISSED} messages posted in each room meanwhile |`,
      '',
      '| Figure | value |',
      '|---|--:|',
      `| resumed with exactly ${MISSED} replayed | ${outcomes.resumed.toLocaleString('en')} of ${CLIENTS.toLocaleString('en')} |`,
      `| logged in but not resumed | ${outcomes.notResumed} |`,
      `| refused or failed | ${failed} |`,
      `| time until the last client resumed | ${(stormMs / 1000).toFixed(2)} s |`,
      `| time to resume, p50 / p95 / p99 | ${(q(0.5) / 1000).toFixed(2)} s / ${(q(0.95) / 1000).toFixed(2)} s / ${(q(0.99) / 1000).toFixed(2)} s |`,
      `| server CPU during the storm | ${(cpu / 1000).toFixed(2)} s (${((cpu * 1000) / CLIENTS).toFixed(0)} µs per client) |`,
      `| server RSS before → peak | ${(rss0 / 2 ** 20).toFixed(0)} → ${(rssPeak / 2 ** 20).toFixed(0)} MiB |`,
      '',
    ].join('\n')
    process.stdout.write(report)
    const outDir = resolve(values.out!)
    mkdirSync(outDir, { recursive: true })
    const file = join(outDir, `storm-${CLIENTS}-${new Date().toISOString().replace(/[:.]/g, '').slice(0, 15)}.md`)
    writeFileSync(file, report)
    process.stderr.write(`wrote ${file}\n`)
  } finally {
    for (const c of clients) c.ws?.terminate()
    await server.stop()
  }
}

await main()
