// A member that never reads: the server must stop queuing for it (close 4100
// once its buffer passes maxBufferedBytes), keep its own memory bounded, and
// keep delivering to healthy members, every message in order.
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import t from 'tap'
import WebSocket from 'ws'
import { SUBPROTOCOL } from '../../protocol/index.ts'
import { RawSocket, textFrame } from '../helpers/raw-frames.ts'
import { WAIT_MS } from '../helpers/raw-client.ts'
import { startServer } from '../helpers/server.ts'

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

/**
 * Server-side memory that queued frames would occupy. V8 frees the backing
 * stores of Buffers (every frame sent or received) in a sweep that can finish
 * after gc() returns, so one sample may still count 18 MB of frames already
 * dropped: the lowest of a few samples, a task apart, is what is really held.
 */
async function serverMemory(): Promise<number> {
  let lowest = Number.POSITIVE_INFINITY
  for (let i = 0; i < 4; i++) {
    gc()
    await new Promise((resolve) => setTimeout(resolve, 10))
    const { heapUsed, external } = process.memoryUsage()
    lowest = Math.min(lowest, heapUsed + external)
  }
  return lowest
}

/** A healthy member that keeps only what it checks (no frame log), so the test's own memory stays flat. */
async function member(t: Tap, url: string, name: string) {
  const ws = new WebSocket(url, [SUBPROTOCOL])
  t.teardown(() => ws.terminate())
  ws.on('error', () => {})
  const state = { acks: 0, lastSeq: 0, outOfOrder: 0, pushes: 0 }
  let onLogin: () => void = () => {}
  const loggedIn = new Promise<void>((resolve) => {
    onLogin = resolve
  })
  ws.on('message', (data) => {
    const frame = JSON.parse(data.toString()) as { type: string; message?: { seq: number } }
    if (frame.type === 'login-ok') onLogin()
    else if (frame.type === 'chat-ok') state.acks++
    else if (frame.type === 'chat') {
      state.pushes++
      if (frame.message!.seq !== state.lastSeq + 1) state.outOfOrder++
      state.lastSeq = frame.message!.seq
    }
  })
  await new Promise((resolve, reject) => {
    ws.once('open', resolve)
    ws.once('error', reject)
  })
  ws.send(JSON.stringify({ type: 'login', name }))
  await loggedIn
  return { ws, state }
}

type Tap = { teardown(fn: () => unknown): void }

async function until(probe: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 4 * WAIT_MS
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`)
    await new Promise((resolve) => setImmediate(resolve))
  }
}

t.test('readers that never read are closed with 4100; memory stays bounded; others get every message in order [LIM-9, CLOSE-4100]', async (t) => {
  const maxBufferedBytes = 256 * 1024
  const server = await startServer(t, { store: 'memory', maxBufferedBytes, messagesPerSecond: 1e6, messageBurst: 1e6, historyPageMax: 1 })

  // Several lurkers, so what an unbounded server would queue for them dwarfs
  // what the memory store legitimately keeps (each message once).
  const lurkers: RawSocket[] = []
  for (let i = 0; i < 8; i++) {
    const lurker = await RawSocket.open(t, server.port)
    await lurker.json((f) => f.type === 'welcome')
    lurker.write(textFrame(JSON.stringify({ type: 'login', name: `lurker${i}` })))
    await lurker.json((f) => f.type === 'login-ok')
    lurker.socket.pause() // from now on it reads nothing
    lurkers.push(lurker)
  }
  const lurkersOnServer = [...server.app.websocketServer.clients]

  const ana = await member(t, server.url, 'ana')
  const bob = await member(t, server.url, 'bob')

  const text = '€'.repeat(2000) // 6000 bytes of UTF-8 per frame
  const total = 3000 // ≈ 18 MB towards each lurker, 144 MB in all: far past any socket buffer
  const before = await serverMemory()
  let peakBuffered = 0
  for (let sent = 0; sent < total; ) {
    for (let i = 0; i < 100; i++, sent++) ana.ws.send(JSON.stringify({ type: 'chat', room: 'lobby', text }))
    await until(() => ana.state.acks === sent, `ack ${sent}`)
    for (const ws of lurkersOnServer) peakBuffered = Math.max(peakBuffered, ws.bufferedAmount)
  }
  await until(() => bob.state.pushes === total, 'bob received everything')
  const after = await serverMemory()

  t.ok(
    lurkersOnServer.every((ws) => ws.readyState === WebSocket.CLOSING),
    'the server is closing every lurker',
  )
  t.ok(peakBuffered <= maxBufferedBytes + 2 * 6100, `the server stopped queuing near the bound (peak ${peakBuffered} bytes)`)
  // The memory store keeps ≈ 12 MiB of history (3000 × 4 KB strings); each
  // lurker may add its 256 KiB bound. What the kernel's socket buffers do not
  // absorb of an unbounded queue would come on top, for each of 8 lurkers.
  const grownMiB = (after - before) / 2 ** 20
  t.ok(grownMiB < 22, `heap + external memory grew by ${grownMiB.toFixed(1)} MiB while 144 MB were addressed to lurkers`)
  t.equal(bob.state.outOfOrder, 0, 'bob saw seqs 1, 2, 3 … with no gap or reordering')
  t.equal(bob.state.lastSeq, total)

  for (const lurker of lurkers) {
    lurker.socket.resume()
    const closed = await lurker.closed(4 * WAIT_MS)
    t.same(closed, { code: 4100, reason: 'slow-consumer' }, 'once it reads again, a lurker finds close 4100 behind what was queued')
    t.ok(lurker.receivedBytes < 12 * 2 ** 20, `it never got the whole backlog (${(lurker.receivedBytes / 2 ** 20).toFixed(1)} MiB)`)
  }
})
