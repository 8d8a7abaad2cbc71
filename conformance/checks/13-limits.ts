// PROTOCOL.md §13 Limits: the limits announced in welcome are the ones
// enforced — sizes, the request rate (rate-limited with retryAfterMs) and the
// abuse close 4008. maxRooms and historyPageMax are checked in §5 and §7.
import { CloseCodes } from '@wirechat/protocol'
import type { Test } from '../harness.ts'
import { type Target, uniqueName, uniqueRoom } from '../target.ts'

export default async function checks(t: Test, target: Target): Promise<void> {
  const { limits } = target
  const skipFlood = limits.messageBurst > 500 ? `messageBurst ${limits.messageBurst} > 500: set a lower rate limit on the server to run this check` : false
  const FLOOD_BOUND = 2_000

  /** A ping frame padded with JSON whitespace to exactly `bytes` bytes. */
  const pingOfBytes = (bytes: number): string => {
    const head = '{"type":"ping","id":"big"'
    return head + ' '.repeat(bytes - head.length - 1) + '}'
  }

  t.test('§13 a message of exactly limits.maxFrameBytes bytes is accepted', { clauses: ['TRAN-15'] }, async (t) => {
    const wire = await target.open(t)
    wire.send(pingOfBytes(limits.maxFrameBytes))
    t.match(await wire.next('pong'), { id: 'big' })
  })

  t.test('§13 chat text of limits.maxTextChars is accepted; one more is bad-frame', { clauses: ['ENV-10', 'ENV-13'] }, async (t) => {
    const room = uniqueRoom('long')
    const { wire } = await target.login(t, { name: uniqueName('ana'), rooms: [{ room }] })
    const text = 'x'.repeat(limits.maxTextChars)
    t.equal((await wire.ok('chat-ok', { type: 'chat', room, text })).message.text, text)
    t.match(await wire.request({ type: 'chat', id: 'long', room, text: `${text}y` }), { type: 'error', id: 'long', code: 'bad-frame' })
  })

  t.test('§13 names of limits.maxNameChars are accepted; one more is bad-frame', { clauses: ['ENV-10', 'ENV-13'] }, async (t) => {
    const name = uniqueName('n').padEnd(limits.maxNameChars, 'z')
    const wire = await target.open(t)
    t.match(await wire.request({ type: 'login', id: 'toolong', name: `${name}z`, rooms: [] }), { type: 'error', id: 'toolong', code: 'bad-frame' })
    t.match(await wire.request({ type: 'login', name, rooms: [] }), { type: 'login-ok', name })
    const room = uniqueRoom('r').padEnd(limits.maxNameChars, 'z')
    t.match(await wire.request({ type: 'join-room', room: `${room}z` }), { type: 'error', code: 'bad-frame' }, 'room name too long')
    t.match(await wire.request({ type: 'join-room', room }), { type: 'join-room-ok', state: { room } })
  })

  t.test(
    '§13 past messageBurst requests at once the rest are rate-limited, each answered in order; after retryAfterMs requests work again',
    { clauses: ['ENV-3', 'LIM-3', 'LIM-5'], skip: skipFlood },
    async (t) => {
      // Logged in, so the login deadline cannot close it while it waits; the login spent one token.
      const { wire } = await target.login(t, { name: uniqueName('fast'), rooms: [] }, { pace: false })
      const count = limits.messageBurst + 3
      for (let i = 0; i < count; i++) wire.sendNow(JSON.stringify({ type: 'ping', id: `f${i}` }))
      const replies = []
      for (let i = 0; i < count; i++) replies.push(await wire.next())
      t.same(
        replies.map((r) => 'id' in r && r.id),
        Array.from({ length: count }, (_, i) => `f${i}`),
        'one reply per request, in order',
      )
      t.ok(
        replies.slice(0, limits.messageBurst - 1).every((r) => r.type === 'pong'),
        `the first messageBurst − 1 (${limits.messageBurst - 1}) are served`,
      )
      const limited = replies.filter((r) => r.type === 'error')
      t.ok(limited.length > 0, 'some are refused')
      for (const r of limited) t.match(r, { type: 'error', code: 'rate-limited', retryable: true, retryAfterMs: Number })
      const wait = Math.max(...limited.map((r) => (r.type === 'error' ? (r.retryAfterMs ?? 0) : 0)))
      await new Promise((resolve) => setTimeout(resolve, wait + 50))
      t.equal((await wire.request({ type: 'ping' })).type, 'pong', 'served again after retryAfterMs')
      t.notOk(wire.isClosed)
    },
  )

  const ownBuckets =
    limits.joinBurst === undefined || limits.typingBurst === undefined || limits.joinsPerSecond === undefined || limits.typingPerSecond === undefined
      ? 'the server announces no join or typing bucket'
      : limits.joinBurst + limits.typingBurst + 8 > limits.messageBurst || limits.joinsPerSecond > 20 || limits.typingPerSecond > 20
        ? 'the join and typing buckets are not below the request bucket: a flood of them would meet the general limit first'
        : false
  t.test(
    '§13 join-room and typing spend their own buckets: past joinBurst new rooms, or typingBurst typing requests, at once they are rate-limited while pings pass',
    { clauses: ['LIM-4', 'LIM-5'], skip: ownBuckets },
    async (t) => {
      const room = uniqueRoom('own')
      const { wire } = await target.login(t, { name: uniqueName('buckets'), rooms: [{ room }] }, { pace: false })
      const joins = limits.joinBurst! + 3
      for (let i = 0; i < joins; i++) wire.sendNow(JSON.stringify({ type: 'join-room', id: `j${i}`, room: uniqueRoom('j') }))
      const joined = []
      for (let i = 0; i < joins; i++) joined.push(await wire.next())
      t.ok(
        joined.slice(0, limits.joinBurst!).every((r) => !(r.type === 'error' && r.code === 'rate-limited')),
        `the first joinBurst (${limits.joinBurst}) joins are not rate-limited (joined, or too-many-rooms)`,
      )
      t.ok(
        joined.slice(limits.joinBurst!).some((r) => r.type === 'error' && r.code === 'rate-limited'),
        'the ones past it are',
      )
      t.equal((await wire.request({ type: 'ping' })).type, 'pong', 'a ping still passes: the request bucket is not empty')
      const typings = limits.typingBurst! + 3
      for (let i = 0; i < typings; i++) wire.sendNow(JSON.stringify({ type: 'typing', id: `t${i}`, room, typing: i % 2 === 0 }))
      const replies = []
      for (let i = 0; i < typings; i++) replies.push(await wire.next())
      t.ok(
        replies.slice(0, limits.typingBurst!).every((r) => r.type === 'typing-ok'),
        `the first typingBurst (${limits.typingBurst}) typing requests are answered typing-ok`,
      )
      t.ok(
        replies.slice(limits.typingBurst!).some((r) => r.type === 'error' && r.code === 'rate-limited'),
        'the ones past it are rate-limited',
      )
      t.equal((await wire.request({ type: 'ping' })).type, 'pong', 'and a ping still passes')
    },
  )

  t.test('§13 a client that keeps flooding after rate-limited errors is closed with 4008', { clauses: ['LIM-7', 'LIM-8', 'CLOSE-4008'], skip: skipFlood }, async (t) => {
    const { wire } = await target.login(t, { name: uniqueName('flood'), rooms: [] }, { pace: false })
    for (let i = 0; i < FLOOD_BOUND && !wire.isClosed; i++) {
      wire.sendNow(JSON.stringify({ type: 'ping', id: `x${i}` }))
      if (i % 50 === 49) await new Promise((resolve) => setImmediate(resolve))
    }
    t.same(await wire.closed(), { code: 4008, reason: CloseCodes[4008].name })
    t.ok(
      wire.received.some((f) => f.type === 'error' && f.code === 'rate-limited'),
      'rate-limited errors came first',
    )
  })
}
