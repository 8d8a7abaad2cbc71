// The HistoryStore contract (server/store/store.ts), run for every
// implementation by store.test.ts — Centrifuge's map_broker_shared_test.go is
// the model: one suite, a factory per implementation.
import type { Test } from 'tap'
import type { ChatInput, DmInput, HistoryStore } from '../../server/store/store.ts'

/** A store on fresh data, as a factory makes it for one test. */
export interface StoreUnderTest {
  /** Not opened yet; the contract opens and closes it. */
  store: HistoryStore
  /**
   * Another store on the same data: a second node, or the same node after a
   * restart. Absent when the data cannot outlive or be shared by an instance.
   */
  sameData?: () => HistoryStore
}

/** Makes a store on fresh, empty data; registers on `t` whatever removes that data. */
export type MakeStore = (t: Test) => StoreUnderTest | Promise<StoreUnderTest>

const chat = (room: string, n: number, extra: Partial<ChatInput> = {}): ChatInput => ({ room, userId: 'u-ana', name: 'ana', text: `line ${n}`, ts: 1_700_000_000_000 + n, ...extra })
const dm = (from: string, to: string, n: number, extra: Partial<DmInput> = {}): DmInput => ({ from, fromName: from.slice(2), to, text: `dm ${n}`, ts: 1_700_000_000_000 + n, ...extra })
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i)
const sorted = (xs: number[]): number[] => [...xs].sort((a, b) => a - b)

export function storeContract(t: Test, makeStore: MakeStore): void {
  /** Opens a store and closes it in teardown unless the test closed it. */
  async function open(t: Test, store: HistoryStore): Promise<HistoryStore> {
    await store.open()
    let closed = false
    const close = store.close.bind(store)
    store.close = async () => {
      if (!closed) {
        closed = true
        await close()
      }
    }
    t.teardown(() => store.close())
    return store
  }
  async function fresh(t: Test): Promise<StoreUnderTest & { opened: HistoryStore }> {
    const made = await makeStore(t)
    return { ...made, opened: await open(t, made.store) }
  }

  t.test('appends get seqs 1, 2, 3 … per room, and head and tail follow', async (t) => {
    const { opened: store } = await fresh(t)
    t.equal(await store.head('lobby'), 0, 'an empty room has head 0')
    t.equal(await store.tail('lobby'), 0, 'an empty room has tail 0')
    t.same(await store.range('lobby', { after: 0, limit: 10 }), { messages: [], hasMore: false })
    for (const n of [1, 2, 3]) t.equal((await store.appendChat(chat('lobby', n))).message.seq, n)
    t.equal((await store.appendChat(chat('other', 1))).message.seq, 1, 'every room is its own stream')
    t.equal(await store.head('lobby'), 3)
    t.equal(await store.tail('lobby'), 1)
    t.equal(await store.head('other'), 1)
  })

  t.test('a stored message comes back exactly as acknowledged', async (t) => {
    const { opened: store } = await fresh(t)
    const text = 'héllo 👋 "quoted" \\ back\nslash'
    const plain = await store.appendChat(chat('lobby', 1, { text }))
    const tagged = await store.appendChat(chat('lobby', 2, { clientMsgId: 'c-1' }))
    t.match(plain, { duplicate: false, message: { room: 'lobby', seq: 1, userId: 'u-ana', name: 'ana', text, ts: 1_700_000_000_001 } })
    t.type(plain.message.msgId, 'string')
    t.notOk('clientMsgId' in plain.message, 'no clientMsgId key when none was given')
    t.equal(tagged.message.clientMsgId, 'c-1')
    t.not(plain.message.msgId, tagged.message.msgId, 'message ids are unique')
    const page = await store.range('lobby', { after: 0, limit: 10 })
    t.same(page.messages, [plain.message, tagged.message])
  })

  // Strings a driver, an encoding or a normaliser could change between the
  // acknowledgement and storage. (NUL and lone surrogates never reach a store:
  // the protocol refuses them at decode time, and UTF-8 cannot hold the latter.)
  t.test('every well-formed string comes back to the code unit: astral, separators, marks, not-NFC, long', async (t) => {
    const { opened: store } = await fresh(t)
    const texts = [
      '😀 👩‍👩‍👧‍👦 𝄞 \u{10FFFF}',
      'a\u2028b\u2029c',
      'שלום\u200F abc\u200E',
      'e\u0301 A\u030A',
      'ﬁ ① ｆｕｌｌ',
      '\uFEFFa\u200Bb',
      '\uFFFE\uFFFF\uFFFD',
      '  \t a \n ',
      '😀'.repeat(2000),
      'a' + '\u0301'.repeat(1999),
    ]
    const names = ['Åna', 'e\u0301', 'ﬁ', 'ana 😀']
    for (const [i, text] of texts.entries()) {
      const name = names[i % names.length]!
      const sent = await store.appendChat(chat('lobby', i, { text, name }))
      t.equal(sent.message.text, text)
      const dmSent = await store.appendDm(dm('u-ana', 'u-bob', i, { text, fromName: name }))
      t.equal(dmSent.message.text, text)
    }
    const page = await store.range('lobby', { after: 0, limit: 100 })
    t.same(
      page.messages.map((m) => m.text),
      texts,
      'room texts as appended',
    )
    t.same(
      page.messages.map((m) => m.name),
      texts.map((_, i) => names[i % names.length]),
      'names as appended',
    )
    const inbox = await store.inboxRange('u-bob', 0, 100)
    t.same(
      inbox.messages.map((m) => m.text),
      texts,
      'DM texts as appended',
    )
    t.same(
      inbox.messages.map((m) => m.fromName),
      texts.map((_, i) => names[i % names.length]),
      'sender names as appended',
    )
    for (const name of names) {
      await store.saveSession('k-u', { userId: 'u-u', name: 'x' })
      await store.renameUser('u-u', name)
      t.same(await store.findSession('k-u'), { userId: 'u-u', name }, `session name ${JSON.stringify(name)}`)
    }
  })

  t.test('concurrent appends to one room take every seq exactly once', async (t) => {
    const { opened: store } = await fresh(t)
    const acks = await Promise.all(range(1, 200).map((n) => store.appendChat(chat('lobby', n))))
    t.same(sorted(acks.map((a) => a.message.seq)), range(1, 200))
    const page = await store.range('lobby', { after: 0, limit: 500 })
    t.same(
      page.messages.map((m) => m.seq),
      range(1, 200),
      'stored gapless, oldest first',
    )
    t.equal(await store.head('lobby'), 200)
  })

  t.test('two instances on the same data never repeat or skip a seq', async (t) => {
    const made = await makeStore(t)
    if (!made.sameData) return t.plan(0, 'this store keeps its data in the instance')
    const [a, b] = [await open(t, made.store), await open(t, made.sameData())]
    const acks = await Promise.all(range(1, 300).map((n) => (n % 2 ? a : b).appendChat(chat(n % 3 ? 'lobby' : 'side', n))))
    const seqs = (room: string) => sorted(acks.filter((x) => x.message.room === room).map((x) => x.message.seq))
    t.same(seqs('lobby'), range(1, 200))
    t.same(seqs('side'), range(1, 100))
    t.equal(await a.head('lobby'), 200)
    t.equal(await b.head('side'), 100)
    t.same(
      (await b.range('lobby', { after: 0, limit: 500 })).messages.map((m) => m.seq),
      range(1, 200),
    )
  })

  t.test('the same clientMsgId twice returns the original, stores nothing and burns no seq', async (t) => {
    const { opened: store } = await fresh(t)
    const first = await store.appendChat(chat('lobby', 1, { clientMsgId: 'c-1' }))
    const again = await store.appendChat(chat('lobby', 2, { clientMsgId: 'c-1', text: 'retry with other text' }))
    t.equal(first.duplicate, false)
    t.equal(again.duplicate, true)
    t.same(again.message, first.message, 'the original, not the retry')
    t.equal(await store.head('lobby'), 1)
    t.equal((await store.appendChat(chat('lobby', 3))).message.seq, 2, 'the next message takes the next seq')
    const inOtherRoom = await store.appendChat(chat('side', 4, { clientMsgId: 'c-1' }))
    t.equal(inOtherRoom.duplicate, true, 'the key is (user, clientMsgId), whatever the room')
    t.same(inOtherRoom.message, first.message)
    t.equal(await store.head('side'), 0)
  })

  t.test('another user with the same clientMsgId is not a duplicate', async (t) => {
    const { opened: store } = await fresh(t)
    const ana = await store.appendChat(chat('lobby', 1, { clientMsgId: 'c-1' }))
    const bob = await store.appendChat(chat('lobby', 2, { clientMsgId: 'c-1', userId: 'u-bob', name: 'bob' }))
    t.equal(bob.duplicate, false)
    t.equal(bob.message.seq, 2)
    t.not(bob.message.msgId, ana.message.msgId)
  })

  t.test('concurrent sends of one clientMsgId store it once', async (t) => {
    const made = await makeStore(t)
    const stores = [await open(t, made.store)]
    if (made.sameData) stores.push(await open(t, made.sameData()))
    const acks = await Promise.all(range(1, 20).map((n) => stores[n % stores.length]!.appendChat(chat(n % 2 ? 'lobby' : 'side', n, { clientMsgId: 'c-race' }))))
    t.equal(acks.filter((a) => !a.duplicate).length, 1, 'exactly one original')
    t.equal(new Set(acks.map((a) => a.message.msgId)).size, 1, 'every reply names the same message')
    t.equal((await stores[0]!.head('lobby')) + (await stores[0]!.head('side')), 1, 'one seq used in all')
    const next = await stores[0]!.appendChat(chat(acks[0]!.message.room, 99))
    t.equal(next.message.seq, 2, 'no seq was burned by the duplicates')
  })

  t.test('range pages forward with after and backward with before, with hasMore', async (t) => {
    const { opened: store } = await fresh(t)
    for (const n of range(1, 25)) await store.appendChat(chat('lobby', n))
    const seqs = async (q: { after?: number; before?: number; limit: number }) => {
      const page = await store.range('lobby', q)
      return { seqs: page.messages.map((m) => m.seq), hasMore: page.hasMore }
    }
    t.same(await seqs({ after: 0, limit: 10 }), { seqs: range(1, 10), hasMore: true })
    t.same(await seqs({ after: 10, limit: 10 }), { seqs: range(11, 20), hasMore: true })
    t.same(await seqs({ after: 15, limit: 10 }), { seqs: range(16, 25), hasMore: false }, 'exactly the rest: no more')
    t.same(await seqs({ after: 20, limit: 10 }), { seqs: range(21, 25), hasMore: false })
    t.same(await seqs({ after: 25, limit: 10 }), { seqs: [], hasMore: false })
    t.same(await seqs({ limit: 10 }), { seqs: range(16, 25), hasMore: true }, 'no bound: the newest page, oldest first')
    t.same(await seqs({ before: 16, limit: 10 }), { seqs: range(6, 15), hasMore: true })
    t.same(await seqs({ before: 11, limit: 10 }), { seqs: range(1, 10), hasMore: false }, 'exactly the rest: no more')
    t.same(await seqs({ before: 6, limit: 10 }), { seqs: range(1, 5), hasMore: false })
    t.same(await seqs({ before: 1, limit: 10 }), { seqs: [], hasMore: false })
    t.same(await seqs({ after: 0, limit: 100 }), { seqs: range(1, 25), hasMore: false })
  })

  t.test('the epoch is stable across a reopen of the same data', async (t) => {
    const made = await makeStore(t)
    if (!made.sameData) return t.plan(0, 'this store keeps its data in the instance')
    const first = await open(t, made.store)
    t.type(first.epoch, 'string')
    t.ok(first.epoch.length > 0, 'set after open')
    const ack = await first.appendChat(chat('lobby', 1))
    await first.close()
    const reopened = await open(t, made.sameData())
    t.equal(reopened.epoch, first.epoch)
    t.same((await reopened.range('lobby', { after: 0, limit: 10 })).messages, [ack.message], 'the data survived')
  })

  t.test('fresh data gets a different epoch', async (t) => {
    const one = (await fresh(t)).opened
    const two = (await fresh(t)).opened
    t.ok(one.epoch.length > 0 && two.epoch.length > 0)
    t.not(one.epoch, two.epoch)
  })

  t.test('instances opening the same fresh data together agree on one epoch', async (t) => {
    const made = await makeStore(t)
    if (!made.sameData) return t.plan(0, 'this store keeps its data in the instance')
    const stores = [made.store, made.sameData(), made.sameData(), made.sameData()]
    await Promise.all(stores.map((s) => open(t, s)))
    t.equal(new Set(stores.map((s) => s.epoch)).size, 1)
    await stores[0]!.appendChat(chat('lobby', 1))
    t.equal(await stores[3]!.head('lobby'), 1, 'they share the data')
  })

  t.test('a DM takes the next seq in the inbox of each participant', async (t) => {
    const { opened: store } = await fresh(t)
    const ab = await store.appendDm(dm('u-ana', 'u-bob', 1))
    t.match(ab, { duplicate: false, toSeq: 1, fromSeq: 1, message: { from: 'u-ana', fromName: 'ana', to: 'u-bob', text: 'dm 1', ts: 1_700_000_000_001 } })
    t.notOk('seq' in ab.message, 'the stored message has no single seq')
    const ba = await store.appendDm(dm('u-bob', 'u-ana', 2))
    t.match(ba, { toSeq: 2, fromSeq: 2 })
    const ac = await store.appendDm(dm('u-ana', 'u-cy', 3))
    t.match(ac, { toSeq: 1, fromSeq: 3 })
    const self = await store.appendDm(dm('u-cy', 'u-cy', 4))
    t.match(self, { toSeq: 2, fromSeq: 2 }, 'a DM to oneself is in the inbox once')
    t.equal(await store.inboxHead('u-ana'), 3)
    t.equal(await store.inboxHead('u-bob'), 2)
    t.equal(await store.inboxHead('u-cy'), 2)
    t.equal(await store.inboxHead('u-nobody'), 0)
    const ana = await store.inboxRange('u-ana', 0, 10)
    t.same(
      ana.messages.map((m) => [m.seq, m.text]),
      [
        [1, 'dm 1'],
        [2, 'dm 2'],
        [3, 'dm 3'],
      ],
    )
    t.same(ana.messages[0], { ...ab.message, seq: 1 })
    t.equal(ana.hasMore, false)
    t.same(
      (await store.inboxRange('u-ana', 1, 1)).messages.map((m) => m.seq),
      [2],
    )
    t.equal((await store.inboxRange('u-ana', 1, 1)).hasMore, true)
    t.same(await store.inboxRange('u-ana', 3, 10), { messages: [], hasMore: false })
    t.same(
      (await store.inboxRange('u-bob', 0, 10)).messages.map((m) => m.seq),
      [1, 2],
    )
  })

  t.test('a repeated DM clientMsgId returns the original and its inbox seqs, burning none', async (t) => {
    const { opened: store } = await fresh(t)
    const first = await store.appendDm(dm('u-ana', 'u-bob', 1, { clientMsgId: 'd-1' }))
    const again = await store.appendDm(dm('u-ana', 'u-bob', 2, { clientMsgId: 'd-1' }))
    t.same(again, { ...first, duplicate: true })
    t.equal(await store.inboxHead('u-bob'), 1)
    t.equal((await store.appendDm(dm('u-ana', 'u-bob', 3))).toSeq, 2)
    const bob = await store.appendDm(dm('u-bob', 'u-ana', 4, { clientMsgId: 'd-1' }))
    t.equal(bob.duplicate, false, 'another sender with the same clientMsgId is not a duplicate')
  })

  t.test('crossing DMs sent concurrently keep every inbox gapless', async (t) => {
    const made = await makeStore(t)
    const stores = [await open(t, made.store)]
    if (made.sameData) stores.push(await open(t, made.sameData()))
    const users = ['u-ana', 'u-bob', 'u-cy']
    const sends = range(1, 120).map((n) => {
      const from = users[n % 3]!
      const to = users[(n + 1 + (n % 2)) % 3]!
      return stores[n % stores.length]!.appendDm(dm(from, to, n, { clientMsgId: n % 10 === 0 ? 'd-same' : undefined }))
    })
    const acks = await Promise.all(sends)
    let entries = 0
    for (const user of users) {
      const page = await stores[0]!.inboxRange(user, 0, 500)
      const head = await stores[0]!.inboxHead(user)
      t.same(
        page.messages.map((m) => m.seq),
        range(1, head),
        `${user}'s inbox is gapless`,
      )
      entries += head
    }
    // Every tenth send reuses one clientMsgId: 12 sends, 4 per sender, so 3 originals and 9 duplicates.
    t.equal(acks.filter((a) => a.duplicate).length, 9)
    t.equal(entries, 2 * 111, 'each stored DM is in two inboxes, each duplicate in none')
  })

  t.test('sessions are found by key, renamed by user, and unknown keys find nothing', async (t) => {
    const { opened: store } = await fresh(t)
    t.equal(await store.findSession('k-1'), undefined)
    t.equal(await store.hasUser('u-ana'), false)
    await store.saveSession('k-1', { userId: 'u-ana', name: 'ana' })
    await store.saveSession('k-2', { userId: 'u-ana', name: 'ana' })
    await store.saveSession('k-3', { userId: 'u-bob', name: 'bob' })
    t.same(await store.findSession('k-1'), { userId: 'u-ana', name: 'ana' })
    t.equal(await store.hasUser('u-ana'), true)
    await store.renameUser('u-ana', 'anna')
    t.same(await store.findSession('k-1'), { userId: 'u-ana', name: 'anna' })
    t.same(await store.findSession('k-2'), { userId: 'u-ana', name: 'anna' }, 'every session of the user')
    t.same(await store.findSession('k-3'), { userId: 'u-bob', name: 'bob' }, 'nobody else')
    await store.saveSession('k-1', { userId: 'u-ana', name: 'ana again' })
    t.same(await store.findSession('k-1'), { userId: 'u-ana', name: 'ana again' }, 'saving a key again replaces it')
  })

  t.test('sessions survive a reopen', async (t) => {
    const made = await makeStore(t)
    if (!made.sameData) return t.plan(0, 'this store keeps its data in the instance')
    const first = await open(t, made.store)
    await first.saveSession('k-1', { userId: 'u-ana', name: 'ana' })
    await first.close()
    const reopened = await open(t, made.sameData())
    t.same(await reopened.findSession('k-1'), { userId: 'u-ana', name: 'ana' })
    t.equal(await reopened.hasUser('u-ana'), true)
  })
}
