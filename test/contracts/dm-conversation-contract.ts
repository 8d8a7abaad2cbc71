// The HistoryStore contract of dmConversation (server/store/store.ts): one DM
// conversation read a page at a time, backwards, with the requesting user's
// inbox seqs. store.test.ts (memory, SQLite) and store-postgres.test.ts run it.
import type { Test } from 'tap'
import type { DmInput, HistoryStore } from '../../server/store/store.ts'
import type { MakeStore } from './store-contract.ts'

const T0 = 1_700_000_000_000
const dm = (from: string, to: string, n: number, extra: Partial<DmInput> = {}): DmInput => ({ from, fromName: from.slice(2), to, text: `dm ${n}`, ts: T0 + n, ...extra })

export function dmConversationContract(t: Test, makeStore: MakeStore): void {
  async function fresh(t: Test): Promise<{ store: HistoryStore; sameData?: (() => HistoryStore) | undefined }> {
    const made = await makeStore(t)
    const { store } = made
    await store.open()
    // Closed once: in teardown unless the test closed it.
    let closed = false
    const close = store.close.bind(store)
    store.close = async () => {
      if (closed) return
      closed = true
      await close()
    }
    t.teardown(() => store.close())
    return made
  }
  /** [inbox seq, text] of each DM of a page. */
  const lines = (page: { messages: Array<{ seq: number; text: string }> }) => page.messages.map((m) => [m.seq, m.text])

  // ana's inbox: 1 bob→ana, 2 ana→cy, 3 ana→bob, 4 ana→ana, 5 cy→ana, 6 bob→ana, 7 ana→ana, 8 ana→bob.
  // bob's inbox: 1 bob→ana, 2 ana→bob (3), 3 bob→cy, 4 bob→ana (6), 5 ana→bob (8).
  async function conversations(store: HistoryStore): Promise<void> {
    await store.appendDm(dm('u-bob', 'u-ana', 1))
    await store.appendDm(dm('u-ana', 'u-cy', 2))
    await store.appendDm(dm('u-ana', 'u-bob', 3, { clientMsgId: 'c-3' }))
    await store.appendDm(dm('u-ana', 'u-ana', 4))
    await store.appendDm(dm('u-cy', 'u-ana', 5))
    await store.appendDm(dm('u-bob', 'u-cy', 65))
    await store.appendDm(dm('u-bob', 'u-ana', 6))
    await store.appendDm(dm('u-ana', 'u-ana', 7))
    await store.appendDm(dm('u-ana', 'u-bob', 8))
  }

  t.test('dmConversation: only the two users’ DMs, both ways, oldest first, with the requesting user’s inbox seqs', async (t) => {
    const { store } = await fresh(t)
    t.same(await store.dmConversation('u-ana', 'u-bob', { limit: 10 }), { messages: [], hasMore: false }, 'no DMs yet')
    await conversations(store)
    const page = await store.dmConversation('u-ana', 'u-bob', { limit: 10 })
    t.same(lines(page), [
      [1, 'dm 1'],
      [3, 'dm 3'],
      [6, 'dm 6'],
      [8, 'dm 8'],
    ])
    t.equal(page.hasMore, false)
    const inbox = (await store.inboxRange('u-ana', 0, 20)).messages
    t.same(
      page.messages,
      inbox.filter((m) => [1, 3, 6, 8].includes(m.seq)),
      'each DM exactly as the inbox has it (clientMsgId, names, times)',
    )
    t.same(
      lines(await store.dmConversation('u-bob', 'u-ana', { limit: 10 })),
      [
        [1, 'dm 1'],
        [2, 'dm 3'],
        [4, 'dm 6'],
        [5, 'dm 8'],
      ],
      "the peer's view: the same DMs at the seqs of the peer's inbox",
    )
    t.same(lines(await store.dmConversation('u-ana', 'u-cy', { limit: 10 })), [
      [2, 'dm 2'],
      [5, 'dm 5'],
    ])
    t.same(lines(await store.dmConversation('u-bob', 'u-cy', { limit: 10 })), [[3, 'dm 65']], "a conversation ana is not in is not in ana's")
    t.same(await store.dmConversation('u-ana', 'u-dan', { limit: 10 }), { messages: [], hasMore: false }, 'a user never written to: an empty page')
    t.same(await store.dmConversation('u-dan', 'u-ana', { limit: 10 }), { messages: [], hasMore: false }, 'a user without an inbox: an empty page')
  })

  t.test('dmConversation: the DMs to oneself are a conversation of their own', async (t) => {
    const { store } = await fresh(t)
    await conversations(store)
    const page = await store.dmConversation('u-ana', 'u-ana', { limit: 10 })
    t.same(lines(page), [
      [4, 'dm 4'],
      [7, 'dm 7'],
    ])
    t.match(page.messages, [
      { from: 'u-ana', to: 'u-ana' },
      { from: 'u-ana', to: 'u-ana' },
    ])
    t.notOk(
      (await store.dmConversation('u-ana', 'u-bob', { limit: 10 })).messages.some((m) => m.to === m.from),
      'and are in no other conversation',
    )
  })

  t.test('dmConversation: pages backwards with before, hasMore until the first DM', async (t) => {
    const { store } = await fresh(t)
    await conversations(store)
    const newest = await store.dmConversation('u-ana', 'u-bob', { limit: 3 })
    t.same(lines(newest), [
      [3, 'dm 3'],
      [6, 'dm 6'],
      [8, 'dm 8'],
    ])
    t.equal(newest.hasMore, true, 'one older DM')
    const older = await store.dmConversation('u-ana', 'u-bob', { before: newest.messages[0]!.seq, limit: 3 })
    t.same(lines(older), [[1, 'dm 1']])
    t.equal(older.hasMore, false)
    const pages: number[][] = []
    let before: number | undefined
    for (;;) {
      const page = await store.dmConversation('u-ana', 'u-bob', { before, limit: 1 })
      pages.unshift(page.messages.map((m) => m.seq))
      if (!page.hasMore) break
      before = page.messages[0]!.seq
    }
    t.same(pages, [[1], [3], [6], [8]], 'a page at a time, nothing skipped, nothing twice')
    t.equal((await store.dmConversation('u-ana', 'u-bob', { limit: 4 })).hasMore, false, 'exactly limit DMs: no more')
    t.same(lines(await store.dmConversation('u-ana', 'u-bob', { before: 6, limit: 10 })), [
      [1, 'dm 1'],
      [3, 'dm 3'],
    ])
    t.same(lines(await store.dmConversation('u-ana', 'u-bob', { before: 7, limit: 10 })), [
      [1, 'dm 1'],
      [3, 'dm 3'],
      [6, 'dm 6'],
    ])
    t.same(await store.dmConversation('u-ana', 'u-bob', { before: 1, limit: 10 }), { messages: [], hasMore: false }, 'nothing before the first seq')
    t.same(lines(await store.dmConversation('u-ana', 'u-bob', { before: 1_000_000, limit: 10 })).length, 4, 'a before past the head: from the newest')
  })

  t.test('dmConversation: a long conversation among others reads back whole, page by page', async (t) => {
    const { store, sameData } = await fresh(t)
    for (let n = 1; n <= 60; n++) {
      await store.appendDm(n % 2 === 0 ? dm('u-ana', 'u-bob', n) : dm('u-bob', 'u-ana', n))
      if (n % 5 === 0) await store.appendDm(dm('u-cy', 'u-ana', 1000 + n))
    }
    const read = async (s: HistoryStore) => {
      const texts: string[] = []
      let before: number | undefined
      let pages = 0
      for (;;) {
        const page = await s.dmConversation('u-ana', 'u-bob', { before, limit: 25 })
        pages++
        texts.unshift(...page.messages.map((m) => m.text))
        if (!page.hasMore) return { texts, pages }
        before = page.messages[0]!.seq
      }
    }
    const whole = Array.from({ length: 60 }, (_, i) => `dm ${i + 1}`)
    t.same(await read(store), { texts: whole, pages: 3 })
    if (!sameData) return
    await store.close()
    const again = sameData()
    await again.open()
    t.teardown(() => again.close())
    t.same((await read(again)).texts, whole, 'the same after a restart')
  })
}
