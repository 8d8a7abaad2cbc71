// Crash durability: SIGKILL the server at random points while clients send
// with ids; after each restart on the same data directory every acknowledged
// message is in history exactly once, and re-sends are deduplicated.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import type { ChatMessage, ServerFrame } from '../../protocol/index.ts'
import { startChildServer } from '../helpers/child-server.ts'
import { RawClient } from '../helpers/raw-client.ts'

const CLIENTS = 3
const ROUNDS = 4
const PER_ROUND = 60

// Deterministic "random" kill points (mulberry32).
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296
  }
}

t.test('every acknowledged message survives SIGKILL exactly once; re-sends are deduplicated', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'wirechat-crash-'))
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }))
  const env = { DATA_DIR: dataDir, RATE_PER_SECOND: '100000', RATE_BURST: '100000' }
  const random = prng(20261122)
  const acked = new Map<string, ChatMessage>() // clientMsgId → acknowledged copy
  const sent = new Set<string>()
  const sessions: string[] = []
  let port: number | undefined

  for (let round = 0; round < ROUNDS; round++) {
    const server = await startChildServer(t, env, { port })
    port = server.port
    const clients = await Promise.all(
      Array.from({ length: CLIENTS }, async (_, i) => {
        const { client, login } = await RawClient.login(t, server.url, sessions[i] ? { session: sessions[i] } : { name: `writer${i}` })
        sessions[i] = login.session
        return client
      }),
    )

    // First re-send everything sent before (acked or not): acked ones must come back as duplicates.
    for (const [i, client] of clients.entries()) {
      const ids = [...sent].filter((id) => id.startsWith(`w${i}-`))
      const replies = await Promise.all(ids.map((id) => client.request({ type: 'chat', room: 'lobby', text: `msg ${id}`, clientMsgId: id })))
      for (const [k, reply] of replies.entries()) {
        const id = ids[k]!
        if (reply.type !== 'chat-ok') throw new Error(`re-send failed: ${JSON.stringify(reply)}`)
        const before = acked.get(id)
        if (before && (reply.duplicate !== true || reply.message.msgId !== before.msgId)) t.fail(`${id} was acknowledged before but not deduplicated`)
        acked.set(id, reply.message)
      }
    }

    // Then send new messages, pipelined, and kill the server at a random point.
    const killAfter = Math.floor(random() * PER_ROUND * CLIENTS)
    let acks = 0
    const killed = new Promise<void>((resolve) => {
      for (const [i, client] of clients.entries()) {
        client.ws.on('message', (data) => {
          const frame = JSON.parse(data.toString()) as ServerFrame
          if (frame.type === 'chat-ok' && frame.message.clientMsgId?.startsWith(`w${i}-`)) {
            acked.set(frame.message.clientMsgId, frame.message)
            if (++acks === killAfter) {
              server.process.kill('SIGKILL')
              resolve()
            }
          }
        })
      }
    })
    for (let n = 0; n < PER_ROUND; n++) {
      for (const [i, client] of clients.entries()) {
        const id = `w${i}-r${round}-n${String(n).padStart(3, '0')}`
        sent.add(id)
        client.send({ type: 'chat', room: 'lobby', text: `msg ${id}`, clientMsgId: id })
      }
    }
    if (killAfter === 0) server.process.kill('SIGKILL')
    else await Promise.race([killed, server.exited])
    if (server.process.exitCode === null && server.process.signalCode === null) server.process.kill('SIGKILL')
    await server.exited
    for (const client of clients) client.terminate()
  }

  // Final restart: read the whole room and check it against what was acknowledged.
  const server = await startChildServer(t, env, port === undefined ? {} : { port })
  const { client } = await RawClient.login(t, server.url, { session: sessions[0]! })
  const history: ChatMessage[] = []
  for (let after = 0; ; ) {
    const page = await client.request({ type: 'history', room: 'lobby', after, limit: 100 })
    if (page.type !== 'history-ok') throw new Error(JSON.stringify(page))
    history.push(...page.messages)
    if (!page.hasMore) break
    after = page.messages.at(-1)!.seq
  }
  t.same(
    history.map((m) => m.seq),
    history.map((_, i) => i + 1),
    'history is gapless',
  )
  const counts = new Map<string, number>()
  for (const m of history) counts.set(m.clientMsgId!, (counts.get(m.clientMsgId!) ?? 0) + 1)
  const duplicates = [...counts].filter(([, n]) => n > 1)
  t.same(duplicates, [], 'no message stored twice')
  const lost = [...acked.keys()].filter((id) => !counts.has(id))
  t.same(lost, [], 'every acknowledged message is in history')
  for (const [id, copy] of acked) {
    const stored = history.find((m) => m.clientMsgId === id)
    if (stored?.msgId !== copy.msgId) t.fail(`${id}: stored copy differs from the acknowledged one`)
  }
  t.ok(acked.size > 0, `${acked.size} acknowledged messages checked across ${ROUNDS} kills`)
})
