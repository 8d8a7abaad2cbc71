// The search part of the HistoryStore contract (store.ts `search`), run for
// every implementation by store.test.ts next to store-contract.ts. Queries go
// through parseSearchQuery as the server's handler does, so these tests hold
// each store to the meaning search-terms.ts gives them: European words folded
// (case, accents, width), Chinese, Japanese and Korean words found inside
// longer runs, one CJK character anywhere.
import type { Test } from 'tap'
import { parseSearchQuery } from '../../server/store/search-terms.ts'
import type { RoomEvent } from '@wirechat/protocol'
import type { AppendedEvent, ChatInput, DmInput, EventInput, HistoryStore, SearchHitRow, SearchQuery, SearchTerm } from '../../server/store/store.ts'
import type { MakeStore } from './store-contract.ts'

const T0 = 1_700_000_000_000

/** The terms of a query that must parse. */
function terms(query: string): SearchTerm[] {
  const parsed = parseSearchQuery(query)
  if (!parsed.ok) throw new Error(`"${query}" did not parse: ${parsed.reason}`)
  return parsed.terms
}

/** An event entry by ana at T0 + n. */
const ev = (room: string, event: RoomEvent, text: string, n: number): EventInput => ({ room, userId: 'u-ana', name: 'ana', text, ts: T0 + n, event })

/** Fails the test when the store refused the event. */
function appended(t: Test, result: AppendedEvent): void {
  if (!result.appended) t.fail(`event refused: ${result.refusal}`)
}

/** Texts of hits, newest first: room hits as `room: text`, DMs as `dm: text`. */
const texts = (hits: SearchHitRow[]): string[] => hits.map((h) => (h.kind === 'room' ? `${h.message.room}: ${h.message.text}` : `dm: ${h.dm.text}`))

export function searchContract(t: Test, makeStore: MakeStore): void {
  async function fresh(t: Test): Promise<HistoryStore> {
    const { store } = await makeStore(t)
    await store.open()
    t.teardown(() => store.close())
    return store
  }

  /** A store holding `lines` in room "lobby" (ts T0 + 1, + 2 …) by ana. */
  async function withLines(t: Test, lines: string[], room = 'lobby'): Promise<HistoryStore> {
    const store = await fresh(t)
    for (const [i, text] of lines.entries()) await store.appendChat(chat(room, text, i + 1))
    return store
  }

  const chat = (room: string, text: string, n: number, extra: Partial<ChatInput> = {}): ChatInput => ({ room, userId: 'u-ana', name: 'ana', text, ts: T0 + n, ...extra })
  const dm = (from: string, to: string, text: string, n: number): DmInput => ({ from, fromName: from.slice(2), to, text, ts: T0 + n })
  const query = (q: string, extra: Partial<SearchQuery> = {}): SearchQuery => ({ userId: 'u-ana', rooms: ['lobby'], dms: false, terms: terms(q), limit: 20, ...extra })
  /** The texts a query finds in "lobby" (ana's view, no DMs). */
  const find = async (store: HistoryStore, q: string, extra: Partial<SearchQuery> = {}): Promise<string[]> => texts((await store.search(query(q, extra))).hits).map((s) => s.replace(/^lobby: /, ''))

  t.test('search: English words are found whole, all of them, in any order; quoted words as a phrase', async (t) => {
    const store = await withLines(t, ['The quick brown fox', 'a brown dog, quick!', 'quickly browned', 'fox'])
    t.same(await find(store, 'quick'), ['a brown dog, quick!', 'The quick brown fox'], 'newest first')
    t.same(await find(store, 'brown quick'), ['a brown dog, quick!', 'The quick brown fox'], 'every word, in any order')
    t.same(await find(store, '"quick brown"'), ['The quick brown fox'], 'a phrase: adjacent and in order')
    t.same(await find(store, '"brown quick"'), [])
    t.same(await find(store, '"dog quick"'), ['a brown dog, quick!'], 'punctuation between words does not break a phrase')
    t.same(await find(store, 'quick cat'), [], 'a missing word finds nothing')
    t.same(await find(store, 'quic'), [], 'no prefix matching: words match whole')
  })

  t.test('search: case, accents and width do not matter', async (t) => {
    const store = await withLines(t, ['Un CAFÉ crème', 'Łódź und Straße', 'ＦＵＬＬ width', 'naive', 'Привет из МОСКВЫ, ёлка'])
    t.same(await find(store, 'cafe'), ['Un CAFÉ crème'])
    t.same(await find(store, 'Café CREME'), ['Un CAFÉ crème'])
    t.same(await find(store, 'lodz strasse'), ['Łódź und Straße'])
    t.same(await find(store, 'full'), ['ＦＵＬＬ width'])
    t.same(await find(store, 'naïve'), ['naive'])
    t.same(await find(store, 'москвы елка'), ['Привет из МОСКВЫ, ёлка'], 'other scripts too')
  })

  t.test('search: a Korean word is found with its particles, not inside another word', async (t) => {
    const store = await withLines(t, ['내일 회의가 있어요', '회의를 시작합니다', '오늘 회식 어때요', '회의실에서 봐요'])
    t.same(await find(store, '회의'), ['회의실에서 봐요', '회의를 시작합니다', '내일 회의가 있어요'])
    t.same(await find(store, '회식'), ['오늘 회식 어때요'])
    t.same(await find(store, '회의실'), ['회의실에서 봐요'])
  })

  t.test('search: Japanese and Chinese words are found inside sentences', async (t) => {
    const store = await withLines(t, ['明日の会議は十時から', '今天天气很好', '議会で会う', '天很好'])
    t.same(await find(store, '会議'), ['明日の会議は十時から'])
    t.same(await find(store, '天气'), ['今天天气很好'])
    t.same(await find(store, '"天气很好"'), ['今天天气很好'])
    t.same(await find(store, '很好'), ['天很好', '今天天气很好'])
    t.same(await find(store, '気'), [], 'a character that is nowhere')
  })

  t.test('search: one CJK character finds every message containing it', async (t) => {
    const store = await withLines(t, ['大会', '会議', '社会の窓', '회의', 'plain'])
    t.same(await find(store, '会'), ['社会の窓', '会議', '大会'])
    t.same(await find(store, '의'), ['회의'])
    t.same(await find(store, '会 議'), ['会議'], 'two characters apart: both anywhere')
  })

  t.test('search: results come newest first, paged with before, with hasMore', async (t) => {
    const store = await fresh(t)
    // Three messages share one millisecond: msgId orders them.
    const ts = [1, 2, 3, 3, 3, 4, 5]
    for (const [i, n] of ts.entries()) await store.appendChat(chat('lobby', `word ${i}`, n))
    await store.appendChat(chat('lobby', 'other', 6))
    const all = await store.search(query('word', { limit: 50 }))
    t.equal(all.hits.length, 7)
    t.equal(all.hasMore, false)
    const positions = all.hits.map((h) => (h.kind === 'room' ? { ts: h.message.ts, msgId: h.message.msgId } : { ts: 0, msgId: '' }))
    t.same(
      positions.map((p) => p.ts),
      [5, 4, 3, 3, 3, 2, 1].map((n) => T0 + n),
      'ts descending',
    )
    const tied = positions.slice(2, 5).map((p) => p.msgId)
    t.same(
      tied,
      [...tied].sort((a, b) => Buffer.compare(Buffer.from(b), Buffer.from(a))),
      'msgId descending within one ts',
    )
    const seen: string[] = []
    let before: SearchQuery['before']
    for (let page = 0; page < 10; page++) {
      const result = await store.search(query('word', { limit: 2, before }))
      seen.push(...texts(result.hits))
      if (result.hasMore) t.equal(result.hits.length, 2, 'a page with more is full')
      if (!result.hasMore) break
      const last = result.hits.at(-1)!
      before = last.kind === 'room' ? { ts: last.message.ts, msgId: last.message.msgId } : undefined
    }
    t.same(seen, texts(all.hits), 'pages of 2 walk the same order, ties included, with nothing twice or missing')
  })

  t.test('search: only the rooms asked for', async (t) => {
    const store = await fresh(t)
    await store.appendChat(chat('lobby', 'secret plan', 1))
    await store.appendChat(chat('garden', 'plan b', 2))
    await store.appendChat(chat('attic', 'plan c', 3))
    t.same(texts((await store.search(query('plan', { rooms: ['lobby', 'garden'] }))).hits), ['garden: plan b', 'lobby: secret plan'])
    t.same(texts((await store.search(query('plan', { rooms: ['attic', 'attic'] }))).hits), ['attic: plan c'], 'a room named twice counts once')
    t.same((await store.search(query('plan', { rooms: [] }))).hits, [], 'no rooms, no DMs: nothing')
  })

  t.test('search: DMs of the user when asked, never anyone else’s', async (t) => {
    const store = await fresh(t)
    await store.appendChat(chat('lobby', 'lunch in the lobby', 1))
    await store.appendDm(dm('u-bob', 'u-ana', 'lunch at noon?', 2))
    await store.appendDm(dm('u-ana', 'u-bob', 'lunch yes', 3))
    await store.appendDm(dm('u-bob', 'u-cy', 'lunch without ana', 4))
    await store.appendDm(dm('u-ana', 'u-ana', 'note to self: lunch', 5))
    const result = await store.search(query('lunch', { dms: true }))
    t.same(texts(result.hits), ['dm: note to self: lunch', 'dm: lunch yes', 'dm: lunch at noon?', 'lobby: lunch in the lobby'])
    t.match(
      result.hits.filter((h) => h.kind === 'dm').map((h) => h.kind === 'dm' && h.dm),
      [
        { from: 'u-ana', to: 'u-ana', seq: 3 },
        { from: 'u-ana', to: 'u-bob', seq: 2 },
        { from: 'u-bob', to: 'u-ana', seq: 1 },
      ],
      'a DM hit carries its seq in the searching user’s inbox',
    )
    t.same(texts((await store.search(query('lunch', { dms: false }))).hits), ['lobby: lunch in the lobby'], 'without dms: no DMs')
    t.same(texts((await store.search(query('lunch', { userId: 'u-cy', rooms: [], dms: true }))).hits), ['dm: lunch without ana'], 'another user finds only their own')
  })

  t.test('search: terms that are not words of the parser are plain text to the engine, never an error', async (t) => {
    const store = await withLines(t, ['near a b', 'it\'s "quoted" \\ back*slash'])
    const hostile: SearchTerm[][] = [
      [{ tokens: ['NEAR(a', 'b)'], phrase: true }],
      [{ tokens: ['"'], phrase: false }],
      [{ tokens: ["'"], phrase: false }],
      [{ tokens: ['\\'], phrase: false }],
      [{ tokens: ['a*', '-b', 'c:d', '^e', '(f)', '{g}'], phrase: false }],
      [{ tokens: ["x' | 'y", 'z:*'], phrase: true }],
      [{ tokens: ['" OR "'], phrase: false, char: true }],
      [{ tokens: ['', ''], phrase: true }],
      [],
    ]
    for (const terms of hostile) {
      const result = await store.search({ userId: 'u-ana', rooms: ['lobby'], dms: true, terms, limit: 5 })
      t.same(result, { hits: [], hasMore: false }, JSON.stringify(terms))
    }
  })

  // ---- the life of a message (since 1.3.0) ------------------------------------

  t.test('search: an edited message is found by its new words, not its old ones; the edit entry never', async (t) => {
    const store = await withLines(t, ['see you at the meeting', 'unrelated'])
    appended(t, await store.appendEvent(ev('lobby', { kind: 'edit', target: 1 }, 'see you at the 회의실 party', 10)))
    t.same(await find(store, 'meeting'), [], 'the old words are gone')
    const hits = (await store.search(query('party'))).hits
    t.same(texts(hits), ['lobby: see you at the 회의실 party'], 'the new words find the message once (not its edit entry)')
    t.match(hits[0], { kind: 'room', message: { seq: 1, edited: T0 + 10, rev: 3 } }, 'as its snapshot: edited, with its rev')
    t.same(await find(store, '회의'), ['see you at the 회의실 party'], 'CJK words of the new text too')
    appended(t, await store.appendEvent(ev('lobby', { kind: 'edit', target: 1 }, 'final words', 11)))
    t.same(await find(store, 'party'), [], 'edited again: only the newest text counts')
    t.same(await find(store, 'final'), ['final words'])
  })

  t.test('search: a deleted message is never found, nor are event entries', async (t) => {
    const store = await withLines(t, ['secret plans', 'public plans'])
    appended(t, await store.appendEvent(ev('lobby', { kind: 'edit', target: 1 }, 'secret plans revised', 10)))
    appended(t, await store.appendEvent(ev('lobby', { kind: 'delete', target: 1 }, 'ana deleted a message', 11)))
    t.same(await find(store, 'plans'), ['public plans'])
    t.same(await find(store, 'secret'), [], 'neither the text nor its edit')
    t.same(await find(store, 'deleted'), [], 'nor the fallback text of the delete entry')
    t.same(await find(store, 'revised'), [])
    appended(t, await store.appendEvent(ev('lobby', { kind: 'react', target: 2, emoji: '👍', on: true }, 'ana reacted 👍 to plans', 12)))
    appended(t, await store.appendEvent(ev('lobby', { kind: 'kick', userId: 'u-bob', name: 'bob', reason: 'plans' }, 'ana kicked bob: plans', 13)))
    const hits = (await store.search(query('plans'))).hits
    t.same(texts(hits), ['lobby: public plans'], 'events are not messages, whatever their text')
    t.match(hits[0], { kind: 'room', message: { seq: 2, reactions: [{ emoji: '👍', count: 1, users: ['u-ana'] }] } }, 'a hit carries its reactions')
  })

  t.test('search: replies are found like any message, with their reference', async (t) => {
    const store = await withLines(t, ['when is the meeting?'])
    await store.appendChat(chat('lobby', 'the meeting is at ten', 2, { userId: 'u-bob', name: 'bob', replyTo: 1 }))
    const hits = (await store.search(query('ten'))).hits
    t.same(texts(hits), ['lobby: the meeting is at ten'])
    t.match(hits[0], { kind: 'room', message: { seq: 2, replyTo: { seq: 1, userId: 'u-ana' } } })
  })
}
