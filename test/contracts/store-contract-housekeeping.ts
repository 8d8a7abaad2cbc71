// The HistoryStore contract of housekeeping (server/store/store.ts): history
// retention (pruneRoom, roomsWithHistory), the purge of ended sessions, and
// the marker a new member starts reading from (startReading), and the chats
// of a room appended together (appendChats).
// storeContract runs it for every implementation; it lives apart only to keep
// each file readable.
import type { Test } from 'tap'
import { type ChatInput, type EventInput, type HistoryStore, type NewSession, ReplyTargetError } from '../../server/store/store.ts'
import { parseSearchQuery } from '../../server/store/search-terms.ts'
import type { LifeContractTools } from './store-contract-life.ts'

const HOUR = 3_600_000
const DAY = 24 * HOUR
const T0 = 1_700_000_000_000
/** Entry n of a room is written on day n. */
const chat = (room: string, n: number, extra: Partial<ChatInput> = {}): ChatInput => ({ room, userId: 'u-ana', name: 'ana', text: `line ${n}`, ts: T0 + n * DAY, ...extra })
const react = (room: string, target: number, n: number): EventInput => ({
  room,
  userId: 'u-bob',
  name: 'bob',
  text: 'bob reacted 👍',
  ts: T0 + n * DAY,
  event: { kind: 'react', target, emoji: '👍', on: true },
})
/** Before day n: what a retention of "entries older than day n" passes. */
const beforeDay = (n: number) => T0 + n * DAY
const seqs = async (store: HistoryStore, room: string) => (await store.range(room, { after: 0, limit: 100 })).messages.map((m) => m.seq)

export function housekeepingContract(t: Test, { makeStore, open, fresh }: LifeContractTools): void {
  t.test('pruneRoom removes the entries written before a time, oldest first, and numbering goes on', async (t) => {
    const { opened: store } = await fresh(t)
    for (let n = 1; n <= 5; n++) await store.appendChat(chat('lobby', n))
    t.equal(await store.pruneRoom('lobby', beforeDay(3), 100), 2)
    t.equal(await store.tail('lobby'), 3)
    t.equal(await store.head('lobby'), 5)
    t.same(await seqs(store, 'lobby'), [3, 4, 5])
    t.same(
      (await store.range('lobby', { limit: 100 })).messages.map((m) => m.text),
      ['line 3', 'line 4', 'line 5'],
      'the newest page too',
    )
    t.equal(await store.findMessage('lobby', 2), undefined)
    t.match(await store.appendChat(chat('lobby', 6)), { message: { seq: 6 } })
    t.equal(await store.pruneRoom('lobby', beforeDay(3), 100), 0, 'nothing more to prune')
    t.equal(await store.pruneRoom('elsewhere', beforeDay(3), 100), 0, 'a room without history')
  })

  t.test('pruneRoom removes a prefix, never a hole: an old entry after a newer one stays', async (t) => {
    const { opened: store } = await fresh(t)
    await store.appendChat(chat('lobby', 1))
    await store.appendChat(chat('lobby', 5))
    // A clock that went back: seq 3 is older than seq 2.
    await store.appendChat(chat('lobby', 2))
    await store.appendChat(chat('lobby', 6))
    t.equal(await store.pruneRoom('lobby', beforeDay(4), 100), 1)
    t.same(await seqs(store, 'lobby'), [2, 3, 4])
  })

  t.test('pruneRoom removes at most `limit` entries a call', async (t) => {
    const { opened: store } = await fresh(t)
    for (let n = 1; n <= 7; n++) await store.appendChat(chat('lobby', n))
    t.equal(await store.pruneRoom('lobby', beforeDay(7), 4), 4)
    t.equal(await store.tail('lobby'), 5)
    t.equal(await store.pruneRoom('lobby', beforeDay(7), 4), 2)
    t.same(await seqs(store, 'lobby'), [7])
  })

  t.test('a room pruned to nothing keeps its numbering, and is no longer a room with history', async (t) => {
    const made = await makeStore(t)
    const store = await open(t, made.store)
    for (let n = 1; n <= 3; n++) await store.appendChat(chat('lobby', n))
    await store.appendChat(chat('dev', 1))
    t.equal(await store.pruneRoom('lobby', beforeDay(10), 100), 3)
    t.equal(await store.tail('lobby'), 0)
    t.equal(await store.head('lobby'), 3)
    t.same(await store.roomsWithHistory('', 10), ['dev'])
    if (made.sameData) {
      await store.close()
      const reopened = await open(t, made.sameData())
      t.equal(await reopened.head('lobby'), 3, 'after a restart too')
      t.match(await reopened.appendChat(chat('lobby', 11)), { message: { seq: 4 } })
    } else {
      t.match(await store.appendChat(chat('lobby', 11)), { message: { seq: 4 } })
    }
  })

  t.test('what hung on pruned messages goes with them: reactions, reply excerpts, search hits, unread counts', async (t) => {
    const { opened: store } = await fresh(t)
    await store.appendChat(chat('lobby', 1, { text: 'the old pelican', userId: 'u-bob', name: 'bob' }))
    await store.appendEvent(react('lobby', 1, 2))
    await store.appendChat(chat('lobby', 3, { text: 'a reply about it', replyTo: 1 }))
    await store.appendChat(chat('lobby', 4, { text: 'the new pelican', userId: 'u-bob', name: 'bob' }))
    await store.appendEvent(react('lobby', 4, 5))
    await store.markRoomRead('u-ana', 'lobby', 1)
    t.equal(await store.pruneRoom('lobby', beforeDay(3), 100), 2)
    const reply = await store.findMessage('lobby', 3)
    t.same(reply?.replyTo, { msgId: reply?.replyTo?.msgId, seq: 1, userId: 'u-bob', name: 'bob' }, 'the reference stays, the copy of the text goes')
    t.match(await store.findMessage('lobby', 4), { reactions: [{ emoji: '👍', count: 1, users: ['u-bob'] }] }, 'a kept message keeps its reactions')
    const terms = parseSearchQuery('pelican')
    if (!terms.ok) throw new Error('the query parses')
    const hits = await store.search({ userId: 'u-ana', rooms: ['lobby'], dms: false, terms: terms.terms, limit: 10 })
    t.same(
      hits.hits.map((h) => (h.kind === 'room' ? h.message.text : h.dm.text)),
      ['the new pelican'],
    )
    t.same(await store.unreadCounts('u-ana', ['lobby']), [{ room: 'lobby', readSeq: 1, unread: 1, mentions: 0 }], 'the marker stays; only kept messages count')
  })

  t.test('startReading sets a marker only where there is none (or one at 0)', async (t) => {
    const { opened: store } = await fresh(t)
    for (let n = 1; n <= 4; n++) await store.appendChat(chat('lobby', n, { userId: 'u-bob', name: 'bob' }))
    t.equal(await store.startReading('u-ana', 'lobby', 3), 3, 'a new reader starts where the room is')
    t.same(await store.unreadCounts('u-ana', ['lobby']), [{ room: 'lobby', readSeq: 3, unread: 1, mentions: 0 }])
    t.equal(await store.startReading('u-ana', 'lobby', 4), 3, 'a marker in force stays')
    await store.markRoomRead('u-cy', 'lobby', 0)
    t.equal(await store.startReading('u-cy', 'lobby', 4), 4, 'a marker at 0 is no marker')
    t.equal(await store.markRoomRead('u-ana', 'lobby', 4), 4, 'reading moves it on as before')
  })

  t.test("appendChats appends a room's waiting chats in order, each with its own outcome", async (t) => {
    const { opened: store } = await fresh(t)
    const first = (await store.appendChat(chat('lobby', 1, { clientMsgId: 'c-1' }))).message
    const outcomes = await store.appendChats([
      chat('lobby', 2, { clientMsgId: 'c-2', mentions: ['u-bob'] }),
      chat('lobby', 3, { clientMsgId: 'c-3' }),
      chat('lobby', 4, { userId: 'u-bob', name: 'bob' }),
    ])
    t.same(
      outcomes.map((o) => (o.ok ? [o.value.message.seq, o.value.message.text, o.value.duplicate] : 'error')),
      [
        [2, 'line 2', false],
        [3, 'line 3', false],
        [4, 'line 4', false],
      ],
    )
    t.same(outcomes[0]?.ok && outcomes[0].value.message.mentions, ['u-bob'])
    t.same(await seqs(store, 'lobby'), [1, 2, 3, 4])

    // A repeat in the middle is a duplicate and takes no seq; a reply to nothing is refused alone.
    const mixed = await store.appendChats([chat('lobby', 5), chat('lobby', 6, { clientMsgId: 'c-1' }), chat('lobby', 7, { replyTo: 999 }), chat('lobby', 8, { replyTo: 2 })])
    t.match(mixed[0], { ok: true, value: { duplicate: false, message: { seq: 5, text: 'line 5' } } })
    t.match(mixed[1], { ok: true, value: { duplicate: true, message: { seq: first.seq, msgId: first.msgId } } })
    t.match(mixed[2], { ok: false, error: ReplyTargetError })
    t.match(mixed[3], { ok: true, value: { duplicate: false, message: { seq: 6, replyTo: { seq: 2 } } } })
    t.same(await seqs(store, 'lobby'), [1, 2, 3, 4, 5, 6], 'gapless')
    const plainRepeat = await store.appendChats([chat('lobby', 9), chat('lobby', 10, { clientMsgId: 'c-3' })])
    t.match(
      plainRepeat,
      [
        { ok: true, value: { message: { seq: 7 } } },
        { ok: true, value: { duplicate: true, message: { seq: 3 } } },
      ],
      'a plain batch that meets a repeat',
    )
    t.same(await seqs(store, 'lobby'), [1, 2, 3, 4, 5, 6, 7])
  })

  t.test('roomsWithHistory lists rooms in name order, a page at a time', async (t) => {
    const { opened: store } = await fresh(t)
    for (const room of ['news:b', 'lobby', 'news:a', 'dev', 'news-x']) await store.appendChat(chat(room, 1))
    t.same(await store.roomsWithHistory('', 3), ['dev', 'lobby', 'news-x'])
    t.same(await store.roomsWithHistory('news-x', 3), ['news:a', 'news:b'])
    t.same(await store.roomsWithHistory('news:b', 3), [])
  })

  const session = (userId: string, at: number, expiresAt: number): NewSession => ({ userId, name: userId.slice(2), createdAt: at, expiresAt })
  t.test('purgeSessions deletes sessions that ended before a time, but each user keeps their newest row', async (t) => {
    const { opened: store } = await fresh(t)
    const now = Date.now()
    await store.createSession('k-ana-1', session('u-ana', now - 40 * DAY, now - 30 * DAY))
    await store.createSession('k-ana-2', session('u-ana', now - 20 * DAY, now - 10 * DAY))
    const live = await store.createSession('k-ana-3', session('u-ana', now - 2 * DAY, now + DAY))
    const revoked = await store.createSession('k-ana-4', session('u-ana', now - 3 * DAY, now + DAY))
    await store.revokeSession('u-ana', revoked)
    // bob's only session ended long ago: his row stays, so he is still known.
    await store.createSession('k-bob-1', session('u-bob', now - 40 * DAY, now - 30 * DAY))
    t.equal(await store.purgeSessions(now - 15 * DAY, 100), 1, 'only ana’s session that ended before the cut')
    t.equal(await store.findSessionByKey('k-ana-1', now - 35 * DAY), undefined, 'its row is gone')
    t.match(await store.findSessionByKey('k-ana-2', now - 15 * DAY), { userId: 'u-ana' }, 'ended after the cut: kept')
    t.equal(await store.purgeSessions(now + HOUR, 100), 2, 'ended ones (expired, revoked) go; the live one stays')
    t.same(
      (await store.listSessions('u-ana', now)).map((s) => s.sessionId),
      [live],
    )
    t.equal(await store.hasUser('u-bob'), true)
    t.equal(await store.purgeSessions(now + HOUR, 100), 0)
  })

  t.test('purgeSessions deletes at most `limit` rows a call', async (t) => {
    const { opened: store } = await fresh(t)
    const now = Date.now()
    for (let i = 1; i <= 4; i++) await store.createSession(`k-${i}`, session('u-ana', now - (50 - i) * DAY, now - (40 - i) * DAY))
    await store.createSession('k-live', session('u-ana', now, now + DAY))
    t.equal(await store.purgeSessions(now, 3), 3)
    t.equal(await store.purgeSessions(now, 3), 1)
  })
}
