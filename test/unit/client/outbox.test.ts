// The outbox on its own: order, bounds, expiry, scoping and what it tolerates
// in storage. No sockets; memory storage and a fake clock.
import t from 'tap'
import { createLocalStorage, createMemoryStorage, Outbox, outboxKey } from '../../../client/outbox.ts'
import { FakeClock } from '../../helpers/fake-clock.ts'

const send = (n: number, text = `text ${n}`) => ({ clientMsgId: `client-msg-${String(n).padStart(4, '0')}`, kind: 'chat' as const, to: 'lobby', text })

t.test('entries come back in the order they were written, stamped with the clock', async (t) => {
  const clock = new FakeClock()
  const outbox = new Outbox(createMemoryStorage(), 'k', {}, clock)
  outbox.add(send(1))
  clock.advance(5)
  outbox.add({ ...send(2), kind: 'dm', to: 'u42' })
  t.same(outbox.entries(), [
    { ...send(1), createdAt: 1_700_000_000_000 },
    { ...send(2), kind: 'dm', to: 'u42', createdAt: 1_700_000_000_005 },
  ])
  t.ok(outbox.has(send(2).clientMsgId))
})

t.test('adding a clientMsgId already there keeps the original entry (a retry of the same send)', async (t) => {
  const clock = new FakeClock()
  const outbox = new Outbox(createMemoryStorage(), 'k', {}, clock)
  const first = outbox.add(send(1, 'original'))
  clock.advance(1000)
  t.same(outbox.add(send(1, 'changed')), first)
  t.same(outbox.entries(), [first])
})

t.test('remove takes one entry out and says whether it was there; the last one removes the key', async (t) => {
  const storage = createMemoryStorage()
  const outbox = new Outbox(storage, 'k')
  outbox.add(send(1))
  outbox.add(send(2))
  t.equal(outbox.remove(send(1).clientMsgId)?.text, 'text 1')
  t.equal(outbox.remove(send(1).clientMsgId), undefined, 'gone already')
  t.same(
    outbox.entries().map((e) => e.text),
    ['text 2'],
  )
  outbox.remove(send(2).clientMsgId)
  t.same(storage.keys, [], 'an empty outbox leaves nothing in storage')
})

t.test('a send beyond maxEntries is refused with outbox-full and nothing is written', async (t) => {
  const outbox = new Outbox(createMemoryStorage(), 'k', { maxEntries: 2 })
  outbox.add(send(1))
  outbox.add(send(2))
  t.throws(() => outbox.add(send(3)), { name: 'ChatError', code: 'outbox-full', retryable: true, message: /at most 2/ })
  t.equal(outbox.entries().length, 2)
  outbox.remove(send(1).clientMsgId)
  t.doesNotThrow(() => outbox.add(send(3)), 'room again once one is acknowledged')
})

t.test('a send that would take the stored JSON past maxBytes is refused', async (t) => {
  const outbox = new Outbox(createMemoryStorage(), 'k', { maxBytes: 400 })
  outbox.add(send(1, 'x'.repeat(200)))
  // Multi-byte text counts in UTF-8 bytes: 100 × "é" is 200 bytes.
  t.throws(() => outbox.add(send(2, 'é'.repeat(100))), { code: 'outbox-full', message: /bytes \(at most 400\)/ })
  t.doesNotThrow(() => outbox.add(send(3, 'short')))
  t.equal(outbox.entries().length, 2)
})

t.test('a storage that refuses the write (quota) refuses the send', async (t) => {
  const storage = {
    get: () => undefined,
    set: () => {
      throw new Error('QuotaExceededError')
    },
    remove: () => {},
  }
  const outbox = new Outbox(storage, 'k')
  t.throws(() => outbox.add(send(1)), { code: 'outbox-full', message: /QuotaExceededError/ })
})

t.test('expire drops the entries older than maxAgeMs and keeps the rest in order', async (t) => {
  const clock = new FakeClock()
  const outbox = new Outbox(createMemoryStorage(), 'k', { maxAgeMs: 1000 }, clock)
  outbox.add(send(1))
  clock.advance(600)
  outbox.add(send(2))
  clock.advance(600)
  outbox.add(send(3))
  t.same(
    outbox.expire().map((e) => e.text),
    ['text 1'],
  )
  t.same(
    outbox.entries().map((e) => e.text),
    ['text 2', 'text 3'],
  )
  t.same(outbox.expire(), [], 'nothing more is due')
})

t.test('outboxes are scoped by server URL and user id', async (t) => {
  const storage = createMemoryStorage()
  const ana = new Outbox(storage, outboxKey('ws://127.0.0.1:1/ws', 'u1'))
  const bob = new Outbox(storage, outboxKey('ws://127.0.0.1:1/ws', 'u2'))
  const anaElsewhere = new Outbox(storage, outboxKey('ws://127.0.0.1:2/ws', 'u1'))
  ana.add(send(1))
  t.same(bob.entries(), [])
  t.same(anaElsewhere.entries(), [])
  t.equal(storage.keys.length, 1)
})

t.test("two outbox objects on one key (two tabs) see each other's writes: nothing is cached", async (t) => {
  const storage = createMemoryStorage()
  const tab1 = new Outbox(storage, 'k')
  const tab2 = new Outbox(storage, 'k')
  tab1.add(send(1))
  tab2.add(send(2))
  t.same(
    tab1.entries().map((e) => e.text),
    ['text 1', 'text 2'],
  )
  tab2.remove(send(1).clientMsgId)
  t.same(
    tab1.entries().map((e) => e.text),
    ['text 2'],
  )
})

t.test('corrupt or foreign values in storage read as no entries, malformed entries are skipped', async (t) => {
  const storage = createMemoryStorage()
  const outbox = new Outbox(storage, 'k')
  storage.set('k', { not: 'a list' })
  t.same(outbox.entries(), [])
  storage.set('k', [{ clientMsgId: 'short', kind: 'chat', to: 'lobby', text: 'x', createdAt: 1 }, { ...send(1), createdAt: 1 }, null, 'text'])
  t.same(
    outbox.entries().map((e) => e.text),
    ['text 1'],
  )
})

t.test('the localStorage adapter stores JSON and reads unreadable values as nothing', async (t) => {
  const data = new Map<string, string>()
  const fake = {
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, v),
    removeItem: (k: string) => void data.delete(k),
  } as unknown as Storage
  const storage = createLocalStorage(fake)
  storage.set('k', [1, 'two'])
  t.equal(data.get('k'), '[1,"two"]')
  t.same(storage.get('k'), [1, 'two'])
  data.set('k', '{broken')
  t.equal(storage.get('k'), undefined)
  storage.remove('k')
  t.equal(storage.get('k'), undefined)
})
