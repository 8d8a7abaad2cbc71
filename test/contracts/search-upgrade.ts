// What a store opened on data written before search (schema 5) must show
// after the upgrade to schema 6: the messages and DMs already stored are
// found, and new ones too. Shared by the SQLite and PostgreSQL upgrade tests,
// which write that data each in their own dialect:
// - room "tea": seq 1 "meeting at noon" (m-1, ts 1000), seq 2 "내일 회의가 있어요"
//   (m-2, ts 2000), seq 3 "明日の会議は" (m-3, ts 3000), all by u-ana; seq 4 a
//   kick entry (m-4, ts 3100, event KICK_EVENT) with the text "ana kicked bo:
//   meeting spam"; seq 5 a tombstone (m-5, ts 3200, deleted) "(deleted)";
// - a DM d-1 "secret Meeting" from u-ana to u-bo (ts 4000), inbox seq 1 of both.
import type { Test } from 'tap'
import { parseSearchQuery } from '../../server/store/search-terms.ts'
import type { HistoryStore, SearchHitRow, SearchTerm } from '../../server/store/store.ts'

const terms = (query: string): SearchTerm[] => {
  const parsed = parseSearchQuery(query)
  if (!parsed.ok) throw new Error(parsed.reason)
  return parsed.terms
}
const texts = (hits: SearchHitRow[]) => hits.map((h) => (h.kind === 'room' ? `${h.message.room} ${h.message.seq}: ${h.message.text}` : `dm ${h.dm.seq}: ${h.dm.text}`))

/** The event of the kick entry at seq 4, as the stores keep it (JSON text). */
export const KICK_EVENT = JSON.stringify({ kind: 'kick', userId: 'u-bo', name: 'bo', reason: 'meeting spam' })

export async function checkSearchUpgrade(t: Test, store: HistoryStore): Promise<void> {
  const search = async (query: string, userId = 'u-ana') => texts((await store.search({ userId, rooms: ['tea'], dms: true, terms: terms(query), limit: 10 })).hits)
  t.same(await search('meeting'), ['dm 1: secret Meeting', 'tea 1: meeting at noon'], 'old messages and DMs are found')
  t.same(await search('회의'), ['tea 2: 내일 회의가 있어요'])
  t.same(await search('会議'), ['tea 3: 明日の会議は'])
  t.same(await search('会'), ['tea 3: 明日の会議は'])
  t.same(await search('secret', 'u-bo'), ['dm 1: secret Meeting'], 'by both participants')
  t.same(await search('spam'), [], 'an event entry is not indexed')
  t.same(await search('deleted'), [], 'a tombstone is not indexed')
  await store.appendChat({ room: 'tea', userId: 'u-bo', name: 'bo', text: 'another meeting', ts: 5000 })
  await store.appendDm({ from: 'u-bo', fromName: 'bo', to: 'u-ana', text: 'meeting?', ts: 6000 })
  t.same(await search('meeting'), ['dm 2: meeting?', 'tea 6: another meeting', 'dm 1: secret Meeting', 'tea 1: meeting at noon'], 'new ones are indexed as they come')
}
