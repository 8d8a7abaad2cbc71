// What the SQLite store adds to the store contract (test/contracts): rows of
// a batch stay invisible to reads until the batch is released, and the
// checkpointer keeps the WAL from growing without bound.
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { createSqliteStore, type SqliteStoreOptions } from '../../../server/store/sqlite.ts'

async function opened(t: Test, options: Omit<SqliteStoreOptions, 'file'> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'wirechat-sqlite-'))
  const file = join(dir, 'chat.sqlite')
  const store = createSqliteStore({ file, ...options })
  await store.open()
  t.teardown(async () => {
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  })
  return { store, file }
}

const line = (i: number) => ({ room: 'lobby', userId: 'u-ana', name: 'ana', text: `line ${i}`, ts: 1_700_000_000_000 + i, clientMsgId: `c-${i}` })

for (const synchronous of ['full', 'normal'] as const) {
  t.test(`synchronous=${synchronous}: reads made while an append is in flight do not see it`, async (t) => {
    const { store } = await opened(t, { synchronous })
    await store.appendChat(line(1))
    const appending = store.appendChat(line(2))
    // Issued before the append resolved: answered from what was released.
    const [head, page, tail] = await Promise.all([store.head('lobby'), store.range('lobby', { after: 0, limit: 10 }), store.tail('lobby')])
    t.equal(head, 1, 'head stops below the unreleased message')
    t.same(
      page.messages.map((m) => m.seq),
      [1],
      'range stops below it',
    )
    t.equal(tail, 1)
    const appended = await appending
    t.equal(appended.message.seq, 2)
    t.equal(await store.head('lobby'), 2, 'a read made after the append resolved sees it')
    t.same(
      (await store.range('lobby', { before: 10, limit: 10 })).messages.map((m) => m.seq),
      [1, 2],
    )
  })
}

t.test('a new room stays empty to reads until its first message is released', async (t) => {
  const { store } = await opened(t)
  const appending = store.appendChat({ ...line(1), room: 'fresh' })
  t.same(await Promise.all([store.head('fresh'), store.tail('fresh')]), [0, 0])
  await appending
  t.same(await Promise.all([store.head('fresh'), store.tail('fresh')]), [1, 1])
})

t.test('inbox reads hide an unreleased DM too', async (t) => {
  const { store } = await opened(t)
  await store.appendDm({ from: 'u-ana', fromName: 'ana', to: 'u-bo', text: 'one', ts: 1 })
  const sending = store.appendDm({ from: 'u-ana', fromName: 'ana', to: 'u-bo', text: 'two', ts: 2 })
  const [head, page] = await Promise.all([store.inboxHead('u-bo'), store.inboxRange('u-bo', 0, 10)])
  t.equal(head, 1)
  t.same(
    page.messages.map((m) => m.text),
    ['one'],
  )
  await sending
  t.equal(await store.inboxHead('u-bo'), 2)
})

t.test('checkpoints keep the WAL bounded while writes go on', async (t) => {
  const walSize = (file: string) => statSync(`${file}-wal`).size
  const write = async (store: Awaited<ReturnType<typeof opened>>['store'], n: number) => {
    // One at a time: each append is its own commit.
    for (let i = 0; i < n; i++) await store.appendChat({ ...line(i), room: `room-${i % 50}`, clientMsgId: undefined })
  }
  const unbounded = await opened(t, { checkpointEvery: 1_000_000 })
  await write(unbounded.store, 400)
  const bounded = await opened(t, { checkpointEvery: 20 })
  await write(bounded.store, 400)
  t.ok(walSize(bounded.file) < walSize(unbounded.file) / 4, `WAL with checkpoints every 20 commits (${walSize(bounded.file)} B) is a fraction of one without (${walSize(unbounded.file)} B)`)
  t.equal(await bounded.store.head('room-49'), 8, 'nothing lost to the checkpoints')
})

t.test('close: queued writes commit, later ones are refused, a second close waits for the first', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'wirechat-sqlite-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const file = join(dir, 'chat.sqlite')
  const store = createSqliteStore({ file })
  await store.open()
  const queued = store.appendChat(line(1))
  const first = store.close()
  const second = store.close()
  await t.rejects(store.appendChat(line(2)), /closing/)
  await Promise.all([first, second])
  t.equal((await queued).message.seq, 1, 'the write queued before close was committed')
  const reopened = createSqliteStore({ file })
  await reopened.open()
  t.equal(await reopened.head('lobby'), 1)
  await reopened.close()
})
