import t from 'tap'
import type { ServerFrameOf } from '../../protocol/index.ts'
import { RawClient } from '../helpers/raw-client.ts'
import { startServer, type Teardown, type TestServer } from '../helpers/server.ts'

async function sendAll(client: RawClient, count: number, prefix: string): Promise<number[]> {
  const seqs: number[] = []
  for (let i = 0; i < count; i++) {
    const ack = await client.request({ type: 'chat', room: 'lobby', text: `${prefix} ${i}` })
    if (ack.type !== 'chat-ok') throw new Error(JSON.stringify(ack))
    seqs.push(ack.message.seq)
  }
  return seqs
}

async function resumeLogin(t: Teardown, server: TestServer, session: string, since: { epoch: string; seq: number }) {
  const client = await RawClient.connect(t, server.url)
  const reply = await client.request({ type: 'login', session, rooms: [{ room: 'lobby', since }] })
  if (reply.type !== 'login-ok') throw new Error(JSON.stringify(reply))
  return { client, state: reply.rooms[0]! }
}

t.test('a dropped receiver resumes with exactly the missed messages, in order, then live', async (t) => {
  const server = await startServer(t, { messagesPerSecond: 1000, messageBurst: 1000 })
  const { client: sender } = await RawClient.login(t, server.url, { name: 'sender' })
  const { client: reader, login } = await RawClient.login(t, server.url, { name: 'reader' })
  await sendAll(sender, 3, 'before')
  let last = 0
  for (let i = 0; i < 3; i++) last = (await reader.next('chat')).message.seq
  reader.terminate()

  const missedSeqs = await sendAll(sender, 25, 'missed')
  const { client: back, state } = await resumeLogin(t, server, login.session, { epoch: login.rooms[0]!.epoch, seq: last })
  t.same(state.resume, { resumed: true, missed: 25 })
  t.same(state.history, [], 'a resumed room carries no history snapshot')
  const replayed: number[] = []
  for (let i = 0; i < 25; i++) replayed.push((await back.next('chat')).message.seq)
  t.same(replayed, missedSeqs, 'exactly the missed seqs, in order')
  const live = await sendAll(sender, 1, 'live')
  t.equal((await back.next('chat')).message.seq, live[0], 'then live, with no gap')
  t.same(await back.framesBeforePong(), [], 'and nothing twice')
})

t.test('messages published during the replay arrive once, after it, with no gap', async (t) => {
  const server = await startServer(t, { messagesPerSecond: 1000, messageBurst: 1000 })
  const { client: sender } = await RawClient.login(t, server.url, { name: 'sender' })
  const { client: reader, login } = await RawClient.login(t, server.url, { name: 'reader' })
  reader.terminate()
  await sendAll(sender, 50, 'missed')
  // Keep publishing (pipelined) while the reader resumes.
  for (let i = 0; i < 50; i++) sender.send({ type: 'chat', room: 'lobby', text: `during ${i}` })
  const { client: back } = await resumeLogin(t, server, login.session, { epoch: login.rooms[0]!.epoch, seq: 0 })
  const seqs: number[] = []
  while (seqs.length < 100) seqs.push((await back.next('chat', 5000)).message.seq)
  t.same(
    seqs,
    Array.from({ length: 100 }, (_, i) => i + 1),
  )
  t.same(await back.framesBeforePong(), [])
})

t.test('a recovery storm: receivers dropped repeatedly during constant publishing see 0 gaps, 0 duplicates', async (t) => {
  const TOTAL = 300
  const RECEIVERS = 12
  const server = await startServer(t, { messagesPerSecond: 10_000, messageBurst: 10_000 })
  const { client: sender } = await RawClient.login(t, server.url, { name: 'sender' })
  const readers = await Promise.all(Array.from({ length: RECEIVERS }, (_, i) => RawClient.login(t, server.url, { name: `r${i}` })))
  const epoch = readers[0]!.login.rooms[0]!.epoch

  // Publisher: TOTAL messages in batches of 10, each batch waiting for its acks.
  const publishing = (async () => {
    for (let b = 0; b < TOTAL / 10; b++) {
      await Promise.all(Array.from({ length: 10 }, (_, i) => sender.request({ type: 'chat', room: 'lobby', text: `m${b * 10 + i}` })))
    }
  })()

  // Each reader: read a few messages, drop, resume from the last seq it has; 3 drops each.
  const follow = async (index: number) => {
    let { client } = readers[index]!
    const session = readers[index]!.login.session
    const seen: number[] = []
    for (let drop = 0; drop <= 3; drop++) {
      const budget = drop < 3 ? 5 + index * 3 + drop * 7 : Number.POSITIVE_INFINITY
      for (let n = 0; n < budget && seen.length < TOTAL; n++) seen.push(((await client.take((f) => f.type === 'chat', 'chat', 10_000)) as ServerFrameOf<'chat'>).message.seq)
      if (seen.length >= TOTAL) break
      client.terminate()
      const resumed = await resumeLogin(t, server, session, { epoch, seq: seen.at(-1) ?? 0 })
      if (!resumed.state.resume?.resumed) throw new Error(`resume refused: ${JSON.stringify(resumed.state.resume)}`)
      client = resumed.client
    }
    return seen
  }
  const views = await Promise.all(readers.map((_, i) => follow(i)))
  await publishing
  const expected = Array.from({ length: TOTAL }, (_, i) => i + 1)
  for (const [i, seen] of views.entries()) t.same(seen, expected, `reader ${i}: every seq once, in order`)
})

t.test('positions that cannot be resumed are answered explicitly and the socket stays usable', async (t) => {
  const server = await startServer(t, { maxReplay: 10, historyPageMax: 10, messagesPerSecond: 1000, messageBurst: 1000 })
  const { client: sender, login } = await RawClient.login(t, server.url, { name: 'sender' })
  const epoch = login.rooms[0]!.epoch
  await sendAll(sender, 15, 'm')
  const { client } = await RawClient.login(t, server.url, { name: 'reader', rooms: [] })

  const join = async (since: unknown) => client.request({ type: 'join-room', room: 'lobby', since } as Record<string, unknown>)
  const leave = async () => client.request({ type: 'leave-room', room: 'lobby' })

  const cases: Array<[string, { epoch: string; seq: number }, string]> = [
    ['another epoch', { epoch: 'not-this-one', seq: 3 }, 'epoch-changed'],
    ['a seq beyond the newest', { epoch, seq: 99 }, 'ahead-of-server'],
    ['a gap larger than MAX_REPLAY', { epoch, seq: 2 }, 'too-far-behind'],
  ]
  for (const [what, since, reason] of cases) {
    const reply = (await join(since)) as ServerFrameOf<'join-room-ok'>
    t.equal(reply.type, 'join-room-ok', what)
    t.same(reply.state.resume, { resumed: false, missed: 0, reason }, `${what}: ${reason}`)
    t.equal(reply.state.history.length, 10, `${what}: recent history to reload from`)
    t.equal(reply.state.history.at(-1)!.seq, 15)
    t.same(await client.framesBeforePong(), [], `${what}: no partial replay`)
    await leave()
  }

  for (const bad of [{ epoch, seq: -1 }, { seq: 3 }, { epoch, seq: 'x' }, { epoch, seq: 1.5 }, { epoch, seq: 3, extra: 1 }]) {
    const reply = await join(bad)
    t.match(reply, { type: 'error', code: 'bad-frame', retryable: false }, `malformed position ${JSON.stringify(bad)}`)
  }
  t.match(await client.request({ type: 'ping' }), { type: 'pong' }, 'socket still usable')
  const ok = (await join({ epoch, seq: 12 })) as ServerFrameOf<'join-room-ok'>
  t.same(ok.state.resume, { resumed: true, missed: 3 })
})
