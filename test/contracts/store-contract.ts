// The HistoryStore contract (server/store/store.ts), run for every
// implementation by store.test.ts — Centrifuge's map_broker_shared_test.go is
// the model: one suite, a factory per implementation.
import type { Test } from 'tap'
import type { Account, ChatInput, DmInput, HistoryStore, NewSession, RoomRecord } from '../../server/store/store.ts'
import { housekeepingContract } from './store-contract-housekeeping.ts'
import { lifeContract } from './store-contract-life.ts'

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
const account = (userId: string, name: string, extra: Partial<Account> = {}): Account => ({
  userId,
  name,
  nameKey: name.toLowerCase(),
  passwordHash: `scrypt$hash-of-${name}`,
  createdAt: 1_700_000_000_000,
  ...extra,
})
/** A time well inside every session's life, so that the real clock (legacy findSession) agrees with `now`. */
const NOW = Date.now()
const HOUR = 3_600_000
const roomRecord = (room: string, extra: Partial<RoomRecord> = {}): RoomRecord => ({
  room,
  namespace: room.includes(':') ? room.slice(0, room.indexOf(':')) : '',
  owner: 'u-ana',
  topic: '',
  public: true,
  createdAt: 1_700_000_000_000,
  ...extra,
})
const session = (userId: string, extra: Partial<NewSession> = {}): NewSession => ({ userId, name: userId.slice(2), createdAt: NOW, expiresAt: NOW + HOUR, ...extra })

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

  t.test('accounts: one per nameKey and per user id, found by either', async (t) => {
    const { opened: store } = await fresh(t)
    t.equal(await store.findAccountByNameKey('ana'), undefined)
    t.equal(await store.findAccount('u-ana'), undefined)
    const ana = account('u-ana', 'Ana')
    t.equal(await store.createAccount(ana), true)
    t.same(await store.findAccountByNameKey('ana'), ana)
    t.same(await store.findAccount('u-ana'), ana)
    t.equal(await store.createAccount(account('u-other', 'ANA', { nameKey: 'ana' })), false, 'a taken nameKey is refused')
    t.equal(await store.findAccount('u-other'), undefined, 'and nothing of it is stored')
    t.equal(await store.createAccount(account('u-ana', 'Anna')), false, 'a user id with an account is refused')
    t.equal(await store.findAccountByNameKey('anna'), undefined)
    t.same(await store.findAccountByNameKey('ana'), ana, 'the first account is unchanged')
    await store.setPasswordHash('u-ana', 'scrypt$new')
    t.equal((await store.findAccount('u-ana'))?.passwordHash, 'scrypt$new')
  })

  t.test('concurrent creates of one nameKey: exactly one account', async (t) => {
    const made = await makeStore(t)
    const stores = [await open(t, made.store)]
    if (made.sameData) stores.push(await open(t, made.sameData()))
    const results = await Promise.all(range(1, 12).map((n) => stores[n % stores.length]!.createAccount(account(`u-${n}`, n % 2 ? 'Zed' : 'zed', { nameKey: 'zed' }))))
    t.equal(results.filter(Boolean).length, 1, 'one create wins')
    const winner = results.indexOf(true) + 1
    t.equal((await stores[0]!.findAccountByNameKey('zed'))?.userId, `u-${winner}`, 'the stored account is the winner')
    for (const n of range(1, 12)) if (n !== winner) t.equal(await stores[0]!.findAccount(`u-${n}`), undefined)
  })

  t.test('renameAccount moves the name and refuses one held by another account', async (t) => {
    const { opened: store } = await fresh(t)
    await store.createAccount(account('u-ana', 'ana'))
    await store.createAccount(account('u-bob', 'bob'))
    t.equal(await store.renameAccount('u-ana', 'Anna', 'anna'), true)
    t.match(await store.findAccount('u-ana'), { name: 'Anna', nameKey: 'anna' })
    t.equal(await store.findAccountByNameKey('ana'), undefined, 'the old name is free')
    t.equal(await store.renameAccount('u-ana', 'Bob', 'bob'), false, "another account's name is refused")
    t.match(await store.findAccount('u-ana'), { name: 'Anna', nameKey: 'anna' }, 'and nothing changes')
    t.equal((await store.findAccountByNameKey('bob'))?.userId, 'u-bob')
    t.equal(await store.renameAccount('u-ana', 'ANNA', 'anna'), true, 'its own nameKey in another case')
    t.equal((await store.findAccountByNameKey('anna'))?.name, 'ANNA')
    t.equal(await store.renameAccount('u-guest', 'ana', 'ana'), true, 'a user without an account: no conflict, nothing stored')
    t.equal(await store.findAccountByNameKey('ana'), undefined)
    t.equal(await store.createAccount(account('u-cy', 'ana')), true, 'the freed name can be registered')
  })

  t.test('deleteAccount removes the account, its sessions, memberships and read markers; messages stay', async (t) => {
    const { opened: store } = await fresh(t)
    await store.createAccount(account('u-ana', 'ana'))
    await store.createAccount(account('u-bob', 'bob'))
    await store.createSession('k-ana', session('u-ana'))
    await store.createSession('k-bob', session('u-bob'))
    await store.addMembership('u-ana', 'lobby', NOW)
    await store.addMembership('u-bob', 'lobby', NOW)
    const said = await store.appendChat(chat('lobby', 1))
    await store.appendDm(dm('u-bob', 'u-ana', 1))
    await store.appendDm(dm('u-ana', 'u-bob', 2))
    await store.markDmRead('u-ana', 'u-bob', 2)
    await store.markDmRead('u-bob', 'u-ana', 2)
    await store.deleteAccount('u-ana')
    t.equal(await store.findAccount('u-ana'), undefined)
    t.equal(await store.findAccountByNameKey('ana'), undefined)
    t.equal(await store.findSessionByKey('k-ana', NOW), undefined, 'its sessions are gone')
    t.same(await store.listSessions('u-ana', NOW), [])
    t.equal(await store.hasUser('u-ana'), false)
    t.same(await store.listMemberships('u-ana'), [])
    t.equal((await store.listDmConversations('u-ana', 10))[0]?.unread, 1, 'its read marker is gone')
    t.same((await store.range('lobby', { after: 0, limit: 10 })).messages, [said.message], 'its room messages stay')
    t.equal(await store.inboxHead('u-ana'), 2, 'its DMs stay')
    t.equal((await store.findAccount('u-bob'))?.name, 'bob', 'another user keeps everything')
    t.ok(await store.findSessionByKey('k-bob', NOW))
    t.same(await store.listMemberships('u-bob'), ['lobby'])
    t.equal((await store.listDmConversations('u-bob', 10))[0]?.unread, 0)
    t.equal(await store.createAccount(account('u-cy', 'ana')), true, 'the name is free again')
  })

  t.test('sessions: found by key until expired or revoked; touch slides the expiry', async (t) => {
    const { opened: store } = await fresh(t)
    const id = await store.createSession('k-1', session('u-ana', { device: 'Firefox on Linux' }))
    t.match(id, /^[A-Za-z0-9_-]{1,64}$/, 'a public id the protocol accepts')
    const plain = await store.createSession('k-2', session('u-ana'))
    t.not(plain, id)
    t.same(await store.findSessionByKey('k-1', NOW + 1), { sessionId: id, userId: 'u-ana', name: 'ana', device: 'Firefox on Linux', createdAt: NOW, lastSeenAt: NOW, expiresAt: NOW + HOUR })
    const noDevice = await store.findSessionByKey('k-2', NOW)
    t.ok(noDevice && !('device' in noDevice), 'no device key when none was given')
    t.same(await store.findSession('k-1'), { userId: 'u-ana', name: 'ana' }, 'the 1.0.0 lookup finds it too')
    t.equal(await store.hasUser('u-ana'), true)
    t.equal(await store.findSessionByKey('k-unknown', NOW), undefined)
    t.ok(await store.findSessionByKey('k-1', NOW + HOUR - 1), 'live until its expiry')
    t.equal(await store.findSessionByKey('k-1', NOW + HOUR), undefined, 'expired at expiresAt')
    await store.touchSession(id, NOW + HOUR - 10, NOW + 3 * HOUR)
    t.match(await store.findSessionByKey('k-1', NOW + 2 * HOUR), { lastSeenAt: NOW + HOUR - 10, expiresAt: NOW + 3 * HOUR }, 'a touch moves the expiry')
    t.equal(await store.revokeSession('u-ana', id), true)
    t.equal(await store.findSessionByKey('k-1', NOW), undefined, 'a revoked key is not found')
    t.equal(await store.findSession('k-1'), undefined, 'not by the 1.0.0 lookup either')
    t.equal(await store.revokeSession('u-ana', id), true, 'revoking again is fine (idempotent)')
    await store.touchSession(id, NOW + 1, NOW + 5 * HOUR)
    t.equal(await store.findSessionByKey('k-1', NOW + 2), undefined, 'a touch does not bring it back')
    t.equal(await store.revokeSession('u-bob', plain), false, "another user's session is not found")
    t.equal(await store.revokeSession('u-ana', 'no-such-session'), false)
    t.ok(await store.findSessionByKey('k-2', NOW), 'and is still live')
    t.equal(await store.hasUser('u-ana'), true, 'a user whose sessions are revoked is still known')
  })

  t.test('listSessions: the live sessions of the user, most recently used first', async (t) => {
    const { opened: store } = await fresh(t)
    const old = await store.createSession('k-old', session('u-ana', { device: 'old' }))
    const recent = await store.createSession('k-recent', session('u-ana', { createdAt: NOW + 1 }))
    const touched = await store.createSession('k-touched', session('u-ana', { createdAt: NOW - HOUR / 2 }))
    await store.touchSession(touched, NOW + 5, NOW + 2 * HOUR)
    const short = await store.createSession('k-short', session('u-ana', { createdAt: NOW + 2, expiresAt: NOW + 10 }))
    const revoked = await store.createSession('k-revoked', session('u-ana', { createdAt: NOW + 9 }))
    await store.revokeSession('u-ana', revoked)
    await store.createSession('k-bob', session('u-bob', { createdAt: NOW + 20 }))
    const ids = async (now: number) => (await store.listSessions('u-ana', now)).map((s) => s.sessionId)
    t.same(await ids(NOW + 9), [touched, short, recent, old])
    t.same(await ids(NOW + 10), [touched, recent, old], 'an expired session is not listed')
    t.match((await store.listSessions('u-ana', NOW))[3], { sessionId: old, device: 'old', createdAt: NOW, lastSeenAt: NOW, expiresAt: NOW + HOUR })
    t.same(await store.listSessions('u-nobody', NOW), [])
  })

  t.test('revokeUserSessions revokes every other live session of the user and names them', async (t) => {
    const { opened: store } = await fresh(t)
    const [a, b, c] = [await store.createSession('k-a', session('u-ana')), await store.createSession('k-b', session('u-ana')), await store.createSession('k-c', session('u-ana'))]
    await store.revokeSession('u-ana', c)
    const bob = await store.createSession('k-bob', session('u-bob'))
    t.same(await store.revokeUserSessions('u-ana', a), [b], 'all but the kept one, and not the one revoked before')
    t.same(
      (await store.listSessions('u-ana', NOW)).map((s) => s.sessionId),
      [a],
    )
    t.equal((await store.findSessionByKey('k-bob', NOW))?.sessionId, bob, "another user's sessions stay")
    t.same(await store.revokeUserSessions('u-ana'), [a], 'without an exception: every one')
    t.same(await store.revokeUserSessions('u-ana'), [], 'again: nothing left to revoke')
    t.equal(await store.findSessionByKey('k-a', NOW), undefined)
  })

  t.test('memberships: in join order, idempotent, per user', async (t) => {
    const { opened: store } = await fresh(t)
    t.same(await store.listMemberships('u-ana'), [])
    for (const room of ['lobby', 'dev', 'ops']) await store.addMembership('u-ana', room, NOW)
    t.same(await store.listMemberships('u-ana'), ['lobby', 'dev', 'ops'], 'rooms joined in one millisecond keep their order')
    await store.addMembership('u-ana', 'lobby', NOW + 5)
    t.same(await store.listMemberships('u-ana'), ['lobby', 'dev', 'ops'], 'joining again changes nothing')
    await store.removeMembership('u-ana', 'dev')
    await store.removeMembership('u-ana', 'dev')
    await store.removeMembership('u-ana', 'never-joined')
    t.same(await store.listMemberships('u-ana'), ['lobby', 'ops'])
    await store.addMembership('u-ana', 'dev', NOW + 10)
    t.same(await store.listMemberships('u-ana'), ['lobby', 'ops', 'dev'], 'a room joined again comes last')
    await store.addMembership('u-bob', 'ops', NOW)
    t.same(await store.listMemberships('u-bob'), ['ops'])
    t.same(await store.listMemberships('u-ana'), ['lobby', 'ops', 'dev'])
  })

  t.test('DM conversations: newest first, last message either way, unread from the peer above the marker', async (t) => {
    const { opened: store } = await fresh(t)
    t.same(await store.listDmConversations('u-ana', 10), [])
    await store.createSession('k-dan', session('u-dan', { name: 'Dan' }))
    await store.appendDm(dm('u-bob', 'u-ana', 1)) // ana 1, bob 1
    await store.appendDm(dm('u-bob', 'u-ana', 2)) // ana 2, bob 2
    await store.appendDm(dm('u-ana', 'u-cy', 3)) // ana 3, cy 1
    await store.appendDm(dm('u-ana', 'u-bob', 4)) // ana 4, bob 3
    await store.appendDm(dm('u-cy', 'u-ana', 5)) // ana 5, cy 2
    await store.appendDm(dm('u-ana', 'u-dan', 6)) // ana 6, dan 1
    const inbox = (await store.inboxRange('u-ana', 0, 10)).messages
    const summary = async (userId: string, limit = 10) => (await store.listDmConversations(userId, limit)).map((c) => [c.peerId, c.peerName, c.last.seq, c.last.text, c.unread])
    t.same(await summary('u-ana'), [
      ['u-dan', 'Dan', 6, 'dm 6', 0],
      ['u-cy', 'cy', 5, 'dm 5', 1],
      ['u-bob', 'bob', 4, 'dm 4', 2],
    ])
    t.same((await store.listDmConversations('u-ana', 10))[2]!.last, inbox[3], 'the last message as the inbox has it, sent by the user')
    t.same(await summary('u-ana', 2), [
      ['u-dan', 'Dan', 6, 'dm 6', 0],
      ['u-cy', 'cy', 5, 'dm 5', 1],
    ])
    t.same(await summary('u-bob'), [['u-ana', 'ana', 3, 'dm 4', 1]], "seqs of the user's own inbox")
    t.equal(await store.markDmRead('u-ana', 'u-bob', 1), 1)
    t.equal((await store.listDmConversations('u-ana', 10))[2]!.unread, 1)
    t.equal(await store.markDmRead('u-ana', 'u-bob', 0), 1, 'a marker never moves down')
    t.equal((await store.listDmConversations('u-ana', 10))[2]!.unread, 1)
    t.equal(await store.markDmRead('u-ana', 'u-bob', 4), 4)
    t.same(
      (await store.listDmConversations('u-ana', 10)).map((c) => c.unread),
      [0, 1, 0],
      "one conversation's marker leaves the others",
    )
    t.equal((await store.listDmConversations('u-bob', 10))[0]!.unread, 1, "and the peer's own count")
    await store.appendDm(dm('u-bob', 'u-ana', 7, { fromName: 'bobby' }))
    t.same(await summary('u-ana'), [
      ['u-bob', 'bobby', 7, 'dm 7', 1],
      ['u-dan', 'Dan', 6, 'dm 6', 0],
      ['u-cy', 'cy', 5, 'dm 5', 1],
    ])
  })

  t.test('findAccountsByPrefix: a range of nameKeys in code point order, pattern characters literal', async (t) => {
    const { opened: store } = await fresh(t)
    const keys = ['ana', 'anabel', 'an%', 'andy', 'ann_', 'a%b', 'a_b', 'axb', 'a\\b', 'a\\\\', 'bob', '\uFFFDz', '😀z']
    for (const [i, key] of keys.entries()) await store.createAccount(account(`u-${i}`, key))
    const find = async (prefix: string, limit = 20) => (await store.findAccountsByPrefix(prefix, limit)).map((a) => a.nameKey)
    t.same(await find('an'), ['an%', 'ana', 'anabel', 'andy', 'ann_'])
    t.same(await find('an', 2), ['an%', 'ana'], 'at most limit')
    t.same(await find('ana'), ['ana', 'anabel'])
    t.same(await find('a%'), ['a%b'], '% matches itself only')
    t.same(await find('a_'), ['a_b'], '_ matches itself only')
    t.same(await find('a\\'), ['a\\\\', 'a\\b'], 'a backslash matches itself only')
    t.same(await find('z'), [])
    t.same(await find('\uFFFD'), ['\uFFFDz'], 'an astral key is above U+FFFD')
    t.same((await find('')).slice(-2), ['\uFFFDz', '😀z'], 'code point order, not UTF-16 order')
    t.same(await store.findAccountsByPrefix('ana', 1), [account('u-0', 'ana')], 'whole accounts')
  })

  t.test('rooms: created once with their owner role; topic and visibility change; legacy rooms have no owner', async (t) => {
    const { opened: store } = await fresh(t)
    t.equal(await store.findRoom('chat:tea'), undefined)
    t.equal(await store.createRoom(roomRecord('chat:tea', { topic: 'Tea 🍵' })), true)
    t.equal(await store.createRoom(roomRecord('chat:tea', { owner: 'u-bob', public: false })), false, 'a second create keeps the first record')
    t.same(await store.findRoom('chat:tea'), roomRecord('chat:tea', { topic: 'Tea 🍵' }))
    t.equal(await store.findRoomRole('chat:tea', 'u-ana'), 'owner', 'the creator is owner')
    t.equal(await store.findRoomRole('chat:tea', 'u-bob'), undefined, 'the second creator got nothing')
    await store.updateRoom('chat:tea', { topic: 'Green tea' })
    t.match(await store.findRoom('chat:tea'), { topic: 'Green tea', public: true })
    await store.updateRoom('chat:tea', { public: false })
    t.match(await store.findRoom('chat:tea'), { topic: 'Green tea', public: false }, 'one change leaves the other field')
    await store.updateRoom('chat:none', { topic: 'x' })
    t.equal(await store.findRoom('chat:none'), undefined, 'updating a room without record creates none')
    const { owner: _, ...legacy } = roomRecord('lobby')
    t.equal(await store.createRoom(legacy), true)
    const found = await store.findRoom('lobby')
    t.ok(found && !('owner' in found), 'no owner key for a room without owner')
    t.same(await store.listRoomRoles('lobby'), [])
  })

  t.test('room roles: set, replaced, removed by member; per room', async (t) => {
    const { opened: store } = await fresh(t)
    await store.createRoom(roomRecord('dev'))
    await store.setRoomRole('dev', 'u-cy', 'moderator')
    await store.setRoomRole('dev', 'u-bob', 'moderator')
    t.same(await store.listRoomRoles('dev'), [
      { userId: 'u-ana', role: 'owner' },
      { userId: 'u-bob', role: 'moderator' },
      { userId: 'u-cy', role: 'moderator' },
    ])
    await store.setRoomRole('dev', 'u-bob', 'owner')
    t.equal(await store.findRoomRole('dev', 'u-bob'), 'owner', 'a role is replaced')
    await store.setRoomRole('dev', 'u-cy', 'member')
    await store.setRoomRole('dev', 'u-cy', 'member')
    t.equal(await store.findRoomRole('dev', 'u-cy'), undefined, 'member removes the stored role (idempotent)')
    t.equal(await store.findRoomRole('ops', 'u-ana'), undefined, 'roles are per room')
    t.same(
      (await store.listRoomRoles('dev')).map((r) => r.userId),
      ['u-ana', 'u-bob'],
    )
  })

  t.test('invitations: per room and user, idempotent', async (t) => {
    const { opened: store } = await fresh(t)
    t.equal(await store.hasInvitation('support:t-1', 'u-bob'), false)
    await store.addInvitation('support:t-1', 'u-bob', 'u-ana', NOW)
    await store.addInvitation('support:t-1', 'u-bob', 'u-cy', NOW + 1)
    t.equal(await store.hasInvitation('support:t-1', 'u-bob'), true)
    t.equal(await store.hasInvitation('support:t-1', 'u-cy'), false)
    t.equal(await store.hasInvitation('support:t-2', 'u-bob'), false)
  })

  t.test('directory: public rooms by name in code point order, namespace, literal prefix, cursor, limit, member counts', async (t) => {
    const { opened: store } = await fresh(t)
    const names = ['chat:b', 'chat:a%', 'chat:a_b', 'chat:ab', 'chat:a', 'news:a', 'lobby', 'chat:\uFFFDz', 'chat:😀z']
    for (const room of names) await store.createRoom(roomRecord(room, { topic: `about ${room}` }))
    await store.createRoom(roomRecord('chat:aa-private', { public: false }))
    await store.createRoom(roomRecord('chat:hidden-later'))
    await store.updateRoom('chat:hidden-later', { public: false })
    for (const user of ['u-1', 'u-2', 'u-3']) await store.addMembership(user, 'chat:a', NOW)
    await store.addMembership('u-1', 'chat:b', NOW)
    await store.addMembership('u-1', 'chat:aa-private', NOW)
    t.equal(await store.countMembers('chat:a'), 3)
    t.equal(await store.countMembers('chat:aa-private'), 1)
    t.equal(await store.countMembers('nowhere'), 0)
    const list = async (q: Parameters<HistoryStore['listPublicRooms']>[0]) => (await store.listPublicRooms(q)).map((r) => r.room)
    t.same(await list({ namespace: 'chat', limit: 50 }), ['chat:a', 'chat:a%', 'chat:a_b', 'chat:ab', 'chat:b', 'chat:\uFFFDz', 'chat:😀z'], 'private rooms are not listed; code point order')
    t.same(await list({ limit: 50 }), ['chat:a', 'chat:a%', 'chat:a_b', 'chat:ab', 'chat:b', 'chat:\uFFFDz', 'chat:😀z', 'lobby', 'news:a'], 'every namespace')
    t.same(await list({ namespace: '', limit: 50 }), ['lobby'], 'the default namespace')
    t.same(await list({ prefix: 'chat:a', limit: 50 }), ['chat:a', 'chat:a%', 'chat:a_b', 'chat:ab'])
    t.same(await list({ prefix: 'chat:a%', limit: 50 }), ['chat:a%'], '% is literal')
    t.same(await list({ prefix: 'chat:a_', limit: 50 }), ['chat:a_b'], '_ is literal')
    t.same(await list({ namespace: 'chat', limit: 2 }), ['chat:a', 'chat:a%'], 'at most limit')
    t.same(await list({ namespace: 'chat', after: 'chat:a%', limit: 2 }), ['chat:a_b', 'chat:ab'], 'after the cursor')
    t.same(await list({ prefix: 'chat:a', after: 'chat:a_b', limit: 50 }), ['chat:ab'], 'cursor and prefix together')
    t.same(await store.listPublicRooms({ prefix: 'chat:', limit: 2 }), [
      { room: 'chat:a', topic: 'about chat:a', members: 3 },
      { room: 'chat:a%', topic: 'about chat:a%', members: 0 },
    ])
    await store.removeMembership('u-2', 'chat:a')
    t.equal((await store.listPublicRooms({ prefix: 'chat:a', limit: 1 }))[0]?.members, 2, 'counts follow memberships')
  })

  t.test('accounts, sessions, memberships, read markers, rooms, roles and invitations survive a reopen', async (t) => {
    const made = await makeStore(t)
    if (!made.sameData) return t.plan(0, 'this store keeps its data in the instance')
    const first = await open(t, made.store)
    await first.createAccount(account('u-ana', 'ana'))
    const id = await first.createSession('k-1', session('u-ana', { device: 'phone' }))
    await first.addMembership('u-ana', 'dev', NOW)
    await first.appendDm(dm('u-bob', 'u-ana', 1))
    await first.markDmRead('u-ana', 'u-bob', 1)
    await first.createRoom(roomRecord('support:t-1', { public: false, topic: 'help' }))
    await first.setRoomRole('support:t-1', 'u-bob', 'moderator')
    await first.addInvitation('support:t-1', 'u-cy', 'u-ana', NOW)
    await first.close()
    const reopened = await open(t, made.sameData())
    t.same(await reopened.findAccountByNameKey('ana'), account('u-ana', 'ana'))
    t.match(await reopened.findSessionByKey('k-1', NOW), { sessionId: id, device: 'phone' })
    t.same(await reopened.listMemberships('u-ana'), ['dev'])
    t.match(await reopened.listDmConversations('u-ana', 10), [{ peerId: 'u-bob', unread: 0 }])
    t.same(await reopened.findRoom('support:t-1'), roomRecord('support:t-1', { public: false, topic: 'help' }))
    t.same(await reopened.listRoomRoles('support:t-1'), [
      { userId: 'u-ana', role: 'owner' },
      { userId: 'u-bob', role: 'moderator' },
    ])
    t.equal(await reopened.hasInvitation('support:t-1', 'u-cy'), true)
  })

  t.test('bans: found while in force, replaced by a new one, lifted idempotently', async (t) => {
    const store = await open(t, (await makeStore(t)).store)
    t.equal(await store.findBan('u-ana', NOW), undefined)
    await store.setBan({ userId: 'u-ana', until: NOW + HOUR, reason: 'spam', createdAt: NOW })
    t.same(await store.findBan('u-ana', NOW), { userId: 'u-ana', until: NOW + HOUR, reason: 'spam', createdAt: NOW })
    t.equal(await store.findBan('u-ana', NOW + HOUR), undefined, 'ended at until')
    t.equal(await store.findBan('u-bob', NOW), undefined, 'per user')
    await store.setBan({ userId: 'u-ana', until: null, createdAt: NOW + 1 })
    t.same(await store.findBan('u-ana', NOW + 10 * HOUR), { userId: 'u-ana', until: null, createdAt: NOW + 1 }, 'replaced: forever, no reason')
    t.equal(await store.removeBan('u-ana', NOW), true)
    t.equal(await store.removeBan('u-ana', NOW), false, 'idempotent')
    t.equal(await store.findBan('u-ana', NOW), undefined)
    await store.setBan({ userId: 'u-bob', until: NOW - 1, createdAt: NOW - HOUR })
    t.equal(await store.removeBan('u-bob', NOW), false, 'an ended ban was not in force')
  })

  t.test('deleteRoom removes its messages and memberships; numbering goes on', async (t) => {
    const store = await open(t, (await makeStore(t)).store)
    for (const n of range(1, 3)) await store.appendChat(chat('dev', n, { clientMsgId: `c-${n}` }))
    await store.appendChat(chat('other', 1))
    await store.addMembership('u-ana', 'dev', NOW)
    await store.addMembership('u-ana', 'other', NOW + 1)
    await store.addMembership('u-bob', 'dev', NOW)
    t.equal(await store.deleteRoom('dev'), 3)
    t.same((await store.range('dev', { limit: 10 })).messages, [])
    t.equal(await store.head('dev'), 3, 'the head stays')
    t.equal(await store.tail('dev'), 0)
    t.same(await store.listMemberships('u-ana'), ['other'])
    t.same(await store.listMemberships('u-bob'), [])
    t.equal(await store.head('other'), 1, 'other rooms untouched')
    const next = await store.appendChat(chat('dev', 4, { clientMsgId: 'c-1' }))
    t.match(next, { duplicate: false, message: { seq: 4 } }, 'the next seq follows the old head; the old clientMsgIds are gone')
    t.same(
      (await store.range('dev', { after: 3, limit: 10 })).messages.map((m) => m.seq),
      [4],
    )
    t.same(
      (await store.range('dev', { limit: 10 })).messages.map((m) => m.seq),
      [4],
    )
    t.equal(await store.tail('dev'), 4)
    t.equal(await store.deleteRoom('nowhere'), 0, 'an unknown room')
  })

  t.test('deleteRoom removes the room record, its roles and invitations; the directory no longer lists it', async (t) => {
    const store = await open(t, (await makeStore(t)).store)
    for (const room of ['chat:dev', 'chat:ops']) {
      await store.createRoom(roomRecord(room, { topic: `about ${room}` }))
      await store.setRoomRole(room, 'u-bob', 'moderator')
      await store.addInvitation(room, 'u-cy', 'u-ana', NOW)
      await store.addMembership('u-ana', room, NOW)
      await store.appendChat(chat(room, 1))
    }
    t.equal(await store.deleteRoom('chat:dev'), 1)
    t.equal(await store.findRoom('chat:dev'), undefined, 'the record is gone')
    t.same(await store.listRoomRoles('chat:dev'), [], 'its roles are gone')
    t.equal(await store.findRoomRole('chat:dev', 'u-ana'), undefined, 'the owner is no longer owner')
    t.equal(await store.hasInvitation('chat:dev', 'u-cy'), false, 'its invitations are gone')
    t.same(await store.listPublicRooms({ namespace: 'chat', limit: 10 }), [{ room: 'chat:ops', topic: 'about chat:ops', members: 1 }], 'the directory no longer lists it')
    t.equal(await store.countMembers('chat:dev'), 0)
    t.equal(await store.tail('chat:dev'), 0, 'no stored messages: nothing tells it from a new room but its numbering')
    t.equal(await store.head('chat:dev'), 1, 'the numbering stays')
    t.match(await store.findRoom('chat:ops'), { topic: 'about chat:ops' }, 'other rooms keep their record')
    t.same(await store.listRoomRoles('chat:ops'), [
      { userId: 'u-ana', role: 'owner' },
      { userId: 'u-bob', role: 'moderator' },
    ])
    t.equal(await store.hasInvitation('chat:ops', 'u-cy'), true)
    t.equal(await store.createRoom(roomRecord('chat:dev', { owner: 'u-bob' })), true, 'the name can be created again')
    t.same(await store.listRoomRoles('chat:dev'), [{ userId: 'u-bob', role: 'owner' }], 'with only its new owner')
    t.match(await store.appendChat(chat('chat:dev', 2)), { message: { seq: 2 } }, 'numbering goes on from the floor')
  })

  t.test('blocks: a set of pairs in the order blocked, idempotent', async (t) => {
    const store = await open(t, (await makeStore(t)).store)
    await store.addBlock('u-ana', 'u-bob', NOW)
    await store.addBlock('u-ana', 'u-cy', NOW + 1)
    await store.addBlock('u-ana', 'u-bob', NOW + 2)
    t.same(await store.listBlocks('u-ana'), ['u-bob', 'u-cy'])
    t.equal(await store.isBlocked('u-ana', 'u-bob'), true)
    t.equal(await store.isBlocked('u-bob', 'u-ana'), false, 'one way')
    await store.removeBlock('u-ana', 'u-bob')
    await store.removeBlock('u-ana', 'u-bob')
    t.same(await store.listBlocks('u-ana'), ['u-cy'])
    t.equal(await store.isBlocked('u-ana', 'u-bob'), false)
  })

  t.test('bans, blocks and deleted rooms survive a reopen', async (t) => {
    const made = await makeStore(t)
    if (!made.sameData) return t.plan(0, 'this store keeps its data in the instance')
    const first = await open(t, made.store)
    await first.setBan({ userId: 'u-ana', until: null, reason: 'spam', createdAt: NOW })
    await first.addBlock('u-bob', 'u-ana', NOW)
    await first.appendChat(chat('dev', 1))
    await first.deleteRoom('dev')
    await first.close()
    const reopened = await open(t, made.sameData())
    t.match(await reopened.findBan('u-ana', NOW), { until: null, reason: 'spam' })
    t.same(await reopened.listBlocks('u-bob'), ['u-ana'])
    t.equal(await reopened.head('dev'), 1)
    t.match(await reopened.appendChat(chat('dev', 2)), { message: { seq: 2 } })
  })

  // Since protocol 1.3.0: replies, mentions, events, restrictions, read markers.
  lifeContract(t, { makeStore, open, fresh })
  // Retention and the purge of ended sessions.
  housekeepingContract(t, { makeStore, open, fresh })
}
