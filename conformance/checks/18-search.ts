// PROTOCOL.md §7a Search (protocol 1.3.0): all words must appear, "phrases"
// in order; case, accents and width do not matter; Chinese, Japanese and
// Korean words are found inside longer runs (회의 finds 회의가); newest first,
// in pages with an opaque cursor; deleted messages and events are never
// found, an edited message by its current text only; nothing in a query is
// an operator; only rooms the user belongs to (and their DMs). Skipped
// against a server before 1.3.0, and against one that answers `search` with
// `unavailable` (a deployment without search).
import { randomBytes } from 'node:crypto'
import type { ChatMessage, SearchHit, ServerFrame, ServerFrameOf } from '@wirechat/protocol'
import type { Test } from '../harness.ts'
import { type Target, uniqueRoom } from '../target.ts'
import type { Teardown, Wire } from '../wire.ts'
import { lifecycleSkip } from './lifecycle-version.ts'
import { member } from './life-helpers.ts'

/** A word no other message of this run has: letters only, so it is one search token. */
const nonce = (): string => `kit${[...randomBytes(6)].map((b) => String.fromCharCode(97 + (b % 26))).join('')}`

/** Why the search checks cannot run, or false: the protocol version, then a probe `search`. */
async function searchSkip(target: Target): Promise<string | false> {
  const skip = lifecycleSkip(target.welcome)
  if (skip) return skip
  const closers: Array<() => unknown> = []
  const tt: Teardown = { teardown: (fn) => closers.push(fn) }
  try {
    const { wire } = await member(target, tt, 'probe')
    const reply = await wire.request({ type: 'search', query: nonce() })
    return reply.type === 'error' && reply.code === 'unavailable' ? `the server answers search with unavailable ("${reply.message}"): it has no search, or its search is down` : false
  } finally {
    for (const close of closers.reverse()) await close()
  }
}

export default async function checks(t: Test, target: Target): Promise<void> {
  const skip = await searchSkip(target)

  const say = async (wire: Wire, room: string, text: string): Promise<ChatMessage> => {
    const { message } = await wire.ok('chat-ok', { type: 'chat', room, text })
    // A millisecond apart at least, so "newest first" has one answer even where ties are broken by id.
    await new Promise((resolve) => setTimeout(resolve, 3))
    return message
  }
  const search = (wire: Wire, query: string, extra: Record<string, unknown> = {}) => wire.ok('search-ok', { type: 'search', query, ...extra })
  /** The seqs of the room messages found, in the order found. */
  const seqs = (reply: ServerFrameOf<'search-ok'>): number[] => reply.hits.map((h: SearchHit) => ('message' in h ? h.message.seq : -h.dm.seq))
  /** A user alone in a new room. */
  const alone = async (t: Test, base: string) => {
    const room = uniqueRoom(base)
    return { room, ...(await member(target, t, 'finder', [room])) }
  }

  t.test(
    '§7a search: every word must appear, in any order, "phrases" in order; case, accents and width do not matter; newest first, as {message} hits',
    { clauses: ['SRCH-1', 'SRCH-3', 'SRCH-4'], skip },
    async (t) => {
      const { room, wire } = await alone(t, 'words')
      const w = nonce()
      const a = await say(wire, room, `Quarterly BUDGET review ${w}`)
      const b = await say(wire, room, `budget meeting moved ${w}`)
      const c = await say(wire, room, `Café opening ${w}`)
      const d = await say(wire, room, `ＦＵＬＬ width ${w}`)
      const found = await search(wire, `budget ${w}`, { id: 'sr1', room })
      t.match(
        found,
        { type: 'search-ok', id: 'sr1', hits: [{ message: { room, seq: b.seq, msgId: b.msgId, text: b.text } }, { message: { room, seq: a.seq, msgId: a.msgId } }], next: undefined },
        'newest first',
      )
      t.same(seqs(await search(wire, `${w} REVIEW budget`, { room })), [a.seq], 'all words, in any order, any case')
      t.same(seqs(await search(wire, `"budget review" ${w}`, { room })), [a.seq], 'a phrase')
      t.same(seqs(await search(wire, `"review budget" ${w}`, { room })), [], 'a phrase is in order')
      t.same(seqs(await search(wire, `cafe ${w}`, { room })), [c.seq], 'accents do not matter')
      t.same(seqs(await search(wire, `CAFÉ ${w}`, { room })), [c.seq])
      t.same(seqs(await search(wire, `full ${w}`, { room })), [d.seq], 'width does not matter')
      t.same(seqs(await search(wire, w)), [d.seq, c.seq, b.seq, a.seq], 'without room: the rooms the user belongs to, newest first')
    },
  )

  t.test('§7a search: Korean, Japanese and Chinese words are found inside longer runs (회의 finds 회의가, 東京 finds 東京都に)', { clauses: ['SRCH-5'], skip }, async (t) => {
    const { room, wire } = await alone(t, 'cjk')
    const w = nonce()
    const ko = await say(wire, room, `회의가 3시에 시작합니다 ${w}`)
    const ja = await say(wire, room, `東京都に住んでいます ${w}`)
    const zh = await say(wire, room, `我们明天开会 ${w}`)
    t.same(seqs(await search(wire, `회의 ${w}`, { room })), [ko.seq], '회의 finds 회의가 (a particle attached)')
    t.same(seqs(await search(wire, `시작 ${w}`, { room })), [ko.seq], 'a word inside a run')
    t.same(seqs(await search(wire, `東京 ${w}`, { room })), [ja.seq], '東京 finds 東京都に')
    t.same(seqs(await search(wire, `开会 ${w}`, { room })), [zh.seq], '开会 inside a Chinese sentence')
    t.same(seqs(await search(wire, `회의실 ${w}`, { room })), [], 'a longer word is not found in a shorter one')
  })

  t.test(
    '§7a search: pages of at most limit, newest first; next asks for older ones without overlap; a cursor the server did not make is bad-frame',
    { clauses: ['SRCH-1', 'SRCH-7'], skip },
    async (t) => {
      const { room, wire } = await alone(t, 'pages')
      const w = nonce()
      const sent: number[] = []
      for (let i = 0; i < 5; i++) sent.push((await say(wire, room, `page ${i} ${w}`)).seq)
      const first = await search(wire, w, { room, limit: 2 })
      t.same(seqs(first), [sent[4], sent[3]], 'the newest two')
      t.type(first.next, 'string', 'and a cursor')
      const second = await search(wire, w, { room, limit: 2, cursor: first.next })
      t.same(seqs(second), [sent[2], sent[1]])
      const third = await search(wire, w, { room, limit: 2, cursor: second.next })
      t.same(seqs(third), [sent[0]], 'the last page')
      t.equal(third.next, undefined, 'no cursor after it')
      t.match(await wire.request({ type: 'search', id: 'sc1', query: w, room, cursor: 'not-a-cursor-of-the-server' }), { type: 'error', id: 'sc1', code: 'bad-frame', retryable: false })
      t.equal((await wire.request({ type: 'ping' })).type, 'pong', 'the connection keeps working')
    },
  )

  t.test('§7a search: a deleted message is not found; an edited one only by its current text; events (edits, reactions, kicks) never', { clauses: ['SRCH-6', 'LIFE-19'], skip }, async (t) => {
    const { room, wire, ok } = await alone(t, 'life')
    const bob = await member(target, t, 'bob', [room])
    const w = nonce()
    const secret = await say(wire, room, `secret plans ${w}`)
    await wire.ok('delete-ok', { type: 'delete', room, seq: secret.seq })
    t.same(seqs(await search(wire, `secret ${w}`, { room })), [], 'deleted: gone')
    const draft = await say(wire, room, `draft wording ${w}`)
    await wire.ok('edit-ok', { type: 'edit', room, seq: draft.seq, text: `final wording ${w}` })
    t.same(seqs(await search(wire, `draft ${w}`, { room })), [], 'not by the old text')
    const final = await search(wire, `final ${w}`, { room })
    t.same(seqs(final), [draft.seq], 'by the new text, once: the edit entry is not a hit')
    t.match(final.hits[0], { message: { seq: draft.seq, text: `final wording ${w}` } }, 'the hit is the message as it is now')
    await bob.wire.ok('react-ok', { type: 'react', room, seq: draft.seq, emoji: '👍' })
    await wire.ok('kick-ok', { type: 'kick', room, userId: bob.ok.userId, reason: `kickreason ${w}` })
    t.same(seqs(await search(wire, `kickreason ${w}`, { room })), [], 'the text of a kick is no hit')
    t.same(seqs(await search(wire, w, { room })), [draft.seq], `only the one message for ${ok.name}`)
  })

  t.test('§7a search: nothing is an operator: a query of only operators or punctuation is answered (no hits or bad-frame); -, OR and * are plain text', { clauses: ['SRCH-3'], skip }, async (t) => {
    const { room, wire } = await alone(t, 'ops')
    const w = nonce()
    const withBudget = await say(wire, room, `budget talk ${w}`)
    await say(wire, room, `other talk ${w}`)
    for (const query of ['*', '%', '"', '-:()', '* OR -', '   ', '😀']) {
      const reply: ServerFrame = await wire.request({ type: 'search', query, room })
      const sensible = (reply.type === 'search-ok' && reply.hits.length === 0) || (reply.type === 'error' && reply.code === 'bad-frame')
      t.ok(sensible, `${JSON.stringify(query)}: search-ok without hits or bad-frame, got ${JSON.stringify(reply).slice(0, 200)}`)
    }
    t.same(seqs(await search(wire, `talk -budget ${w}`, { room })), [withBudget.seq], '-budget is the word budget, not "without budget"')
    t.same(seqs(await search(wire, `talk OR nothing ${w}`, { room })), [], 'OR is a word that must appear too')
    t.same(seqs(await search(wire, `tal* ${w}`, { room })), [], 'tal* is the word tal: no prefix matching')
    t.equal((await wire.request({ type: 'ping' })).type, 'pong', 'the connection keeps working')
  })

  t.test('§7a search: only what the user may read: another room is not-found with room and absent without; DMs are found without room', { clauses: ['SRCH-2'], skip }, async (t) => {
    const { room, wire, ok } = await alone(t, 'scope')
    const elsewhere = uniqueRoom('closed')
    const bob = await member(target, t, 'bob', [elsewhere])
    const w = nonce()
    await say(bob.wire, elsewhere, `hidden from ana ${w}`)
    const mine = await say(wire, room, `mine ${w}`)
    const dm = await bob.wire.ok('dm-ok', { type: 'dm', to: ok.userId, text: `a direct word ${w}` })
    t.match(await wire.request({ type: 'search', id: 'ss1', query: w, room: elsewhere }), { type: 'error', id: 'ss1', code: 'not-found', retryable: false }, 'a room the user does not belong to')
    const all = await search(wire, w)
    t.match(all.hits, [{ dm: { from: bob.ok.userId, text: dm.message.text } }, { message: { room, seq: mine.seq } }], 'the DM and the message of their own room, newest first; not the other room')
    t.same(seqs(await search(wire, w, { room })), [mine.seq], 'with room: that room only, no DMs')
  })
}
