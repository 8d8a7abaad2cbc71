// The page's DM history (client/page/dm-history.ts) without a browser: the
// recent page joins the lines a tab has, once per login; older pages go in
// front; a server without dm-history leaves the conversation as it was.
import t from 'tap'
import type { DirectMessage } from '../../protocol/index.ts'
import { ChatError } from '../../client/errors.ts'
import type { DmHistoryQuery } from '../../client/index.ts'
import { Conversations, type Line } from '../../client/page/conversations.ts'
import { DmHistory } from '../../client/page/dm-history.ts'

const ME = 'u_me'
const BOB = 'u_bob'
const dm = (seq: number, from = BOB): DirectMessage => ({ msgId: `m${seq}`, from, fromName: from.slice(2), to: from === ME ? BOB : ME, seq, text: `dm ${seq}`, ts: 1000 + seq })
const lineOf = (m: DirectMessage): Line => ({ kind: 'message', id: m.msgId, userId: m.from, name: m.fromName, text: m.text, ts: m.ts, own: m.from === ME, seq: m.seq })
const texts = (convs: Conversations) => convs.get(`dm:${BOB}`)!.lines.map((l) => l.text)

/** A server holding bob's conversation at these inbox seqs; answers pages of `size`. */
function fakeServer(seqs: number[], size = 3) {
  const asked: DmHistoryQuery[] = []
  let fail: ChatError | undefined
  return {
    asked,
    failWith(err: ChatError | undefined) {
      fail = err
    },
    client: {
      async dmHistory(userId: string, query: DmHistoryQuery = {}) {
        asked.push(query)
        if (fail) throw fail
        const below = seqs.filter((s) => s < (query.before ?? Number.MAX_SAFE_INTEGER))
        const page = below.slice(-size)
        return { type: 'dm-history-ok' as const, userId, messages: page.map((s) => dm(s, s % 2 ? BOB : ME)), hasMore: below.length > page.length }
      },
    },
  }
}

async function settle(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve))
}

t.test('opening loads the newest page once; live lines stay, one per DM, in inbox order; older pages go in front', async (t) => {
  const server = fakeServer([1, 3, 4, 7, 9, 12])
  const convs = new Conversations()
  const history = new DmHistory({ client: server.client, convs, lineOf })
  const conv = convs.ensureDm(BOB, 'bob')
  convs.add(conv.key, lineOf(dm(12, ME))) // login's `last`
  convs.add(conv.key, lineOf(dm(13))) // a live DM while the page is on its way
  history.open(conv)
  history.open(conv)
  await settle()
  t.same(texts(convs), ['dm 7', 'dm 9', 'dm 12', 'dm 13'])
  t.equal(conv.hasOlder, true)
  t.same(server.asked, [{}], 'asked once')

  history.older(convs.get(conv.key)!)
  await settle()
  t.same(texts(convs), ['dm 1', 'dm 3', 'dm 4', 'dm 7', 'dm 9', 'dm 12', 'dm 13'])
  t.equal(convs.get(conv.key)!.hasOlder, false)
  t.same(server.asked.at(-1), { before: 7 })
  history.older(convs.get(conv.key)!)
  await settle()
  t.equal(server.asked.length, 2, 'nothing older to ask for')

  history.forget()
  history.open(convs.get(conv.key)!)
  await settle()
  t.equal(server.asked.length, 3, 'asked again after a new login')
  t.same(texts(convs), ['dm 1', 'dm 3', 'dm 4', 'dm 7', 'dm 9', 'dm 12', 'dm 13'], 'and nothing doubled')
})

t.test('a failed read is tried at the next opening, except on a server without dm-history', async (t) => {
  const server = fakeServer([1, 2])
  const convs = new Conversations()
  const history = new DmHistory({ client: server.client, convs, lineOf })
  const conv = convs.ensureDm(BOB, 'bob')
  convs.add(conv.key, lineOf(dm(2, ME)))
  server.failWith(new ChatError('timeout', 'no answer'))
  history.open(conv)
  await settle()
  t.same(texts(convs), ['dm 2'], 'what the tab had')
  server.failWith(new ChatError('unknown-type', 'no such frame'))
  history.open(conv)
  await settle()
  server.failWith(undefined)
  history.open(conv)
  await settle()
  t.equal(server.asked.length, 2, 'an old server is not asked again')
  t.same(texts(convs), ['dm 2'])
})
