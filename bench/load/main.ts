// A load process: `node --conditions=wirechat-source bench/load/main.ts TARGET URL`. Opens the
// clients of a topology, then sends chat lines at a fixed total rate when told,
// measuring delivery latency (the send time travels in the line's text) and
// counting what never arrived. Commands and replies: see commands.ts.
import { createInterface } from 'node:readline'
import type { BenchClient, Connect } from './client.ts'
import type { Command, Reply, SendReply, Target, Topology } from './commands.ts'
import { connect as connectRaw } from './raw-ws-client.ts'
import { connect as connectSocketIo } from './socketio-client.ts'
import { Samples, quantile } from './stats.ts'
import { connect as connectWirechat } from './wirechat-client.ts'

const CONNECTORS: Record<Target, Connect> = { wirechat: connectWirechat, socketio: connectSocketIo, 'raw-ws': connectRaw }
/** Concurrent connection attempts while setting up. */
const CONNECT_CONCURRENCY = 100
const LOGIN_TIMEOUT_MS = 15_000
/** Lines are padded to this many characters, like Centrifugo's 100-byte messages. */
const TEXT_CHARS = 100
/** Spread sockets over source addresses so no single one runs out of ports. */
const SOURCE_ADDRESSES = ['127.0.0.1', '127.0.0.2', '127.0.0.3', '127.0.0.4']
const TICK_MS = 5

// URL may be a comma-separated list (a cluster): clients are spread over it round-robin.
const [target, url] = process.argv.slice(2) as [Target, string]
const urls = url?.split(',') ?? []
const connectClient = CONNECTORS[target]
if (!connectClient || !url) throw new Error('usage: main.ts wirechat|socketio|raw-ws URL')

interface Member {
  client: BenchClient
  room: number
  sender: boolean
  leaving: boolean
}
let members: Member[] = []
let topology: Topology = { rooms: 0, membersPerRoom: 0, sendersPerRoom: 0 }
let open = 0
let dropped = 0

// Per-step counters; a line from an earlier step (late) is not counted.
let step = 0
let acked = 0
let refused = 0
let received = 0
let lastReceiptAt = 0
let latencies = new Samples()

function reply(r: Reply): void {
  process.stdout.write(`${JSON.stringify(r)}\n`)
}

function onChat(text: string): void {
  const now = performance.now()
  const space = text.indexOf(' ')
  if (Number(text.slice(0, space)) !== step) return
  received++
  lastReceiptAt = now
  latencies.push(now - Number(text.slice(space + 1, text.indexOf(' ', space + 1))))
}

/** Closes every client of the previous topology (a reused load process). */
async function teardown(): Promise<void> {
  for (const m of members) {
    m.leaving = true
    m.client.close()
  }
  members = []
  const deadline = performance.now() + 5000
  while (open > 0 && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20))
}

async function setup(t: Topology): Promise<void> {
  await teardown()
  const started = performance.now()
  topology = t
  const total = t.rooms * t.membersPerRoom
  let next = 0
  let failed = 0
  let firstError: string | undefined
  async function worker() {
    while (next < total) {
      const i = next++
      const room = Math.floor(i / t.membersPerRoom)
      const member: Member = { client: undefined!, room, sender: i % t.membersPerRoom < t.sendersPerRoom, leaving: false }
      try {
        member.client = await connectClient(
          {
            url: urls[i % urls.length]!,
            name: `u${i}`,
            room: `room${room}`,
            localAddress: SOURCE_ADDRESSES[i % SOURCE_ADDRESSES.length]!,
            onChat,
            onAck: () => {
              acked++
            },
            onError: () => {
              refused++
            },
            onClose: () => {
              open--
              if (!member.leaving) dropped++
            },
          },
          LOGIN_TIMEOUT_MS,
        )
        open++
        members.push(member)
      } catch (err) {
        failed++
        firstError ??= String(err)
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(CONNECT_CONCURRENCY, total) }, worker))
  reply({ event: 'ready', connected: members.length, failed, ...(firstError && { firstError }), ms: Math.round(performance.now() - started) })
}

async function send(rate: number, durationMs: number, drainMs: number): Promise<void> {
  step++
  acked = refused = received = 0
  latencies = new Samples()
  const droppedBefore = dropped
  const senders = members.filter((m) => m.sender)
  const padding = 'x'.repeat(TEXT_CHARS)
  let sent = 0
  let expected = 0
  const started = performance.now()
  lastReceiptAt = started
  // Open loop: each tick sends what the rate says is due by now, round-robin.
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const elapsed = performance.now() - started
      const due = Math.floor((rate * Math.min(elapsed, durationMs)) / 1000)
      while (sent < due) {
        const sender = senders[sent % senders.length]!
        const head = `${step} ${performance.now().toFixed(3)} ${sent} `
        sender.client.chat(head + padding.slice(head.length), `m${step}_${String(sent).padStart(8, '0')}`)
        expected += topology.membersPerRoom - 1
        sent++
      }
      if (elapsed >= durationMs) {
        clearInterval(timer)
        resolve()
      }
    }, TICK_MS)
  })
  const sendEnd = performance.now()
  while ((received < expected || acked + refused < sent) && performance.now() - sendEnd < drainMs) {
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  const sorted = latencies.sorted()
  const result: SendReply = {
    event: 'sent',
    sent,
    acked,
    refused,
    expected,
    received,
    lost: Math.max(0, expected - received),
    windowMs: Math.max(durationMs, lastReceiptAt - started),
    p50Ms: quantile(sorted, 0.5),
    p99Ms: quantile(sorted, 0.99),
    maxMs: quantile(sorted, 1),
    dropped: dropped - droppedBefore,
  }
  reply(result)
}

const lines = createInterface({ input: process.stdin })
lines.on('line', async (line) => {
  const command = JSON.parse(line) as Command
  switch (command.cmd) {
    case 'setup':
      return setup(command)
    case 'send':
      return send(command.rate, command.durationMs, command.drainMs)
    case 'status':
      return reply({ event: 'status', open, dropped })
    case 'exit':
      for (const m of members) {
        m.leaving = true
        m.client.close()
      }
      setTimeout(() => process.exit(0), 500)
  }
})
lines.on('close', () => process.exit(0))
