// What the SQLite store adds to the store contract (test/contracts): rows of
// a batch stay invisible to reads until the batch is released, and the
// checkpointer keeps the WAL from growing without bound.
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import t, { type Test } from 'tap'
import { checkSchema3Upgrade } from '../../contracts/schema3-upgrade.ts'
import { checkSchema4Upgrade } from '../../contracts/schema4-upgrade.ts'
import { hashKey } from '../../../server/store/ids.ts'
import { createSqliteStore, type SqliteStoreOptions } from '../../../server/store/sqlite.ts'
import { migrate, SCHEMA_VERSION } from '../../../server/store/sqlite-migrations.ts'
import { DEFAULT_SESSION_TTL_MS } from '../../../server/store/store.ts'

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

t.test('a read made while an event is in flight never shows its effect without its entry, nor before it is acknowledged', async (t) => {
  const { store } = await opened(t)
  await store.appendChat(line(1))
  await store.appendChat({ ...line(2), userId: 'u-bo', name: 'bo' })
  const order: string[] = []
  const note =
    <T>(what: string) =>
    (value: T) => {
      order.push(what)
      return value
    }
  const deleting = store.appendEvent({ room: 'lobby', userId: 'u-bo', name: 'bo', text: 'bo deleted a message', ts: 3, event: { kind: 'delete', target: 2 } }).then(note('delete acknowledged'))
  const [page, found, counts] = await Promise.all([
    store.range('lobby', { after: 0, limit: 10 }).then(note('range answered')),
    store.findMessage('lobby', 2).then(note('findMessage answered')),
    store.unreadCounts('u-ana', ['lobby']).then(note('unreadCounts answered')),
  ])
  await deleting
  const seen = page.messages.some((m) => m.seq === 3)
  t.equal(page.messages[1]?.deleted === true, seen, 'range: the tombstone together with the delete entry')
  t.equal(found?.deleted === true, seen, 'findMessage agrees')
  t.equal(counts[0]?.unread, seen ? 0 : 1, 'unreadCounts agrees')
  if (seen) t.equal(order[0], 'delete acknowledged', 'the effect is read only once acknowledged')
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

t.test('a DM conversation read hides an unreleased DM too, on both sides', async (t) => {
  const { store } = await opened(t)
  await store.appendDm({ from: 'u-ana', fromName: 'ana', to: 'u-bo', text: 'one', ts: 1 })
  const sending = store.appendDm({ from: 'u-ana', fromName: 'ana', to: 'u-bo', text: 'two', ts: 2 })
  const pages = await Promise.all([store.dmConversation('u-bo', 'u-ana', { limit: 10 }), store.dmConversation('u-ana', 'u-bo', { limit: 10 })])
  t.same(
    pages.map((p) => p.messages.map((m) => m.text)),
    [['one'], ['one']],
  )
  await sending
  t.same(
    (await store.dmConversation('u-bo', 'u-ana', { limit: 10 })).messages.map((m) => [m.seq, m.text]),
    [
      [1, 'one'],
      [2, 'two'],
    ],
  )
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

for (const synchronous of ['full', 'normal'] as const) {
  t.test(`synchronous=${synchronous}: a read of accounts, sessions, memberships or markers waits for the release of a write to them`, async (t) => {
    const { store } = await opened(t, { synchronous })
    const now = Date.now()
    const sessionId = await store.createSession('k-1', { userId: 'u-ana', name: 'ana', createdAt: now, expiresAt: now + 60_000 })
    await store.appendDm({ from: 'u-bo', fromName: 'bo', to: 'u-ana', text: 'one', ts: 1 })
    const order: string[] = []
    const track = <T>(label: string, p: Promise<T>) =>
      p.then((v) => {
        order.push(label)
        return v
      })
    // Each read is issued while its write is committed but not yet released.
    const [, session, , account, , rooms, , conversations, , other] = await Promise.all([
      track('revoke', store.revokeSession('u-ana', sessionId)),
      track('find session', store.findSessionByKey('k-1', now)),
      track('register', store.createAccount({ userId: 'u-ana', name: 'ana', nameKey: 'ana', passwordHash: 'h', createdAt: now })),
      track('find account', store.findAccountsByPrefix('an', 5)),
      track('join', store.addMembership('u-ana', 'dev', now)),
      track('list rooms', store.listMemberships('u-ana')),
      track('mark read', store.markDmRead('u-ana', 'u-bo', 1)),
      track('list conversations', store.listDmConversations('u-ana', 5)),
      track('join other', store.addMembership('u-bo', 'dev', now)),
      track('list unrelated rooms', store.listMemberships('u-cy')),
    ])
    for (const [write, read] of [
      ['revoke', 'find session'],
      ['register', 'find account'],
      ['join', 'list rooms'],
      ['mark read', 'list conversations'],
    ] as const)
      t.ok(order.indexOf(write) < order.indexOf(read), `${read} answered after ${write} was durable`)
    t.equal(session, undefined, 'and sees the revocation')
    t.equal(account.length, 1, 'the account')
    t.same(rooms, ['dev'], 'the membership')
    t.equal(conversations[0]?.unread, 0, 'the marker')
    t.same(other, [], 'a read of rows nobody is writing is answered as usual')
    // With a flush, the write is in flight while the read runs (without one it is released at once).
    if (synchronous === 'full') t.ok(order.indexOf('list unrelated rooms') < order.indexOf('join other'), 'without waiting for unrelated writes')
  })
}

t.test('a read of restrictions, of memberships a ban removed, or of room read markers waits for the release of the write that changed them', async (t) => {
  const { store } = await opened(t)
  const now = Date.now()
  await store.addMembership('u-bo', 'dev', now)
  const order: string[] = []
  const track = <T>(label: string, p: Promise<T>) =>
    p.then((v) => {
      order.push(label)
      return v
    })
  const moderate = (kind: 'ban' | 'mute', userId: string) => store.appendEvent({ room: 'dev', userId: 'u-ana', name: 'ana', text: `${kind}`, ts: now, event: { kind, userId, name: userId.slice(2) } })
  const [, mute, , rooms, , counts] = await Promise.all([
    track('mute', moderate('mute', 'u-cy')),
    track('find mute', store.findRestriction('dev', 'u-cy', 'mute', now)),
    track('ban', moderate('ban', 'u-bo')),
    track('list rooms', store.listMemberships('u-bo')),
    track('mark read', store.markRoomRead('u-ana', 'dev', 2)),
    track('unread', store.unreadCounts('u-ana', ['dev'])),
  ])
  for (const [write, read] of [
    ['mute', 'find mute'],
    ['ban', 'list rooms'],
    ['mark read', 'unread'],
  ] as const)
    t.ok(order.indexOf(write) < order.indexOf(read), `${read} answered after ${write} was durable`)
  t.match(mute, { kind: 'mute', userId: 'u-cy' }, 'and sees the mute')
  t.same(rooms, [], 'the membership the ban removed')
  t.equal(counts[0]?.readSeq, 2, 'the marker')
})

// findRestriction answers from a cache (sqlite-restriction-cache.ts): it must
// follow every change as the reads did, with the server's COMMIT_TURNS too.
// `released()` lets a batch's release pass, so the next find uses the cache
// (while a batch hides the room's restrictions, finds take the waiting path).
t.test('mutes are seen by findRestriction as soon as they are queued, and until they end, whatever was cached', async (t) => {
  const { store, file } = await opened(t, { commitTurns: 4 })
  const now = Date.now()
  const released = () => new Promise((resolve) => setImmediate(resolve))
  const mod = async (kind: 'mute' | 'unmute', userId: string, until?: number) => {
    await store.appendEvent({
      room: 'dev',
      userId: 'u-ana',
      name: 'ana',
      text: kind,
      ts: now,
      event: kind === 'mute' ? { kind, userId, name: 'x', ...(until ? { until } : {}) } : { kind, userId, name: 'x' },
    })
    await released()
  }
  const muted = async (userId: string, at = now) => (await store.findRestriction('dev', userId, 'mute', at))?.kind === 'mute'
  t.equal(await muted('u-cy'), false, 'nobody muted (now cached)')
  t.equal(await muted('u-cy'), false, 'from the cache')
  const [, queuedFind] = await Promise.all([
    store.appendEvent({ room: 'dev', userId: 'u-ana', name: 'ana', text: 'mute', ts: now, event: { kind: 'mute', userId: 'u-cy', name: 'cy' } }),
    store.findRestriction('dev', 'u-cy', 'mute', now),
  ])
  t.equal(queuedFind?.kind, 'mute', 'a find issued after the mute was queued sees it, though "not muted" was cached')
  await released()
  t.equal(await muted('u-cy'), true, 'later finds too, from the cache refilled after the release')
  t.equal(await muted('u-bo'), false, 'another user is not muted')
  await mod('unmute', 'u-cy')
  t.equal(await muted('u-cy'), false, 'an unmute drops the cached mute')
  await mod('mute', 'u-bo', now + 1000)
  t.equal(await muted('u-bo'), true, 'a mute with an end (cached)')
  t.equal(await muted('u-bo', now + 1000), false, 'is over at its end, answered from the cache')
  t.equal(await muted('u-bo'), true, 'the cached row itself kept')
  await store.deleteRoom('dev')
  await released()
  t.equal(await muted('u-bo'), false, 'a deleted room keeps no mutes (its cached row dropped)')
  // Another connection (the overlap of a restart) writes the file directly, while "not muted" is cached.
  t.equal(await muted('u-cy'), false)
  const other = new Database(file)
  t.teardown(() => other.close())
  other.prepare('INSERT INTO restrictions (room, user_id, kind, name, until, by_user, reason, since) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run('dev', 'u-cy', 'mute', 'cy', null, 'u-ana', null, now)
  t.equal(await muted('u-cy'), true, 'a commit by another connection drops the cache')
})

// Appended messages are indexed once per batch (PendingIndex in
// sqlite-search.ts): an event of the same batch that edits or deletes one of
// them must find its entry, and each message must be found once, as it ends up.
t.test('search: messages appended, edited and deleted in one batch are indexed as they end up', async (t) => {
  const { store } = await opened(t)
  const T0 = 1_700_000_000_000
  const chat = (text: string, n: number) => ({ room: 'lobby', userId: 'u-ana', name: 'ana', text, ts: T0 + n })
  const ev = (kind: 'edit' | 'delete', target: number, text: string, n: number) => ({ room: 'lobby', userId: 'u-ana', name: 'ana', text, ts: T0 + n, event: { kind, target } as const })
  // Queued in one turn of the loop: one batch, in this order.
  const [first, second, third, edit, del, fourth] = await Promise.all([
    store.appendChat(chat('draft words', 1)),
    store.appendChat(chat('doomed words', 2)),
    store.appendChat(chat('steady words', 3)),
    store.appendEvent(ev('edit', 1, 'polished words', 4)),
    store.appendEvent(ev('delete', 2, 'ana deleted a message', 5)),
    store.appendChat(chat('later words', 6)),
  ])
  t.same([first.message.seq, second.message.seq, third.message.seq, fourth.message.seq], [1, 2, 3, 6], 'one batch, in order')
  t.ok(edit.appended && del.appended, 'the events found their targets')
  t.same(store.commitStats?.().commits, 1, 'all of it in one commit')
  const find = async (q: string) =>
    (await store.search({ userId: 'u-ana', rooms: ['lobby'], dms: false, terms: [{ tokens: [q], phrase: false }], limit: 20 })).hits.map((h) => (h.kind === 'room' ? h.message.text : h.dm.text))
  t.same(await find('words'), ['later words', 'steady words', 'polished words'], 'each message once, by its last text; the deleted one never')
  t.same(await find('draft'), [], 'the text before the edit is gone')
  t.same(await find('doomed'), [])
  t.same(await find('deleted'), [], 'event entries are never indexed')
})

t.test('a chat.sqlite of schema 1 is upgraded on open and keeps its messages, DMs and sessions', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'wirechat-sqlite-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const file = join(dir, 'chat.sqlite')
  // A file as the schema-1 server left it: its migration, and rows in its layout.
  const old = new Database(file)
  old.pragma('journal_mode = WAL')
  migrate(old, 1)
  const epoch = old.prepare("SELECT value FROM meta WHERE key = 'epoch'").pluck().get()
  const insertMessage = old.prepare('INSERT INTO messages (room, seq, msg_id, user_id, name, text, ts, client_msg_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
  insertMessage.run('lobby', 1, 'm-1', 'u-ana', 'ana', 'hello', 1000, null)
  insertMessage.run('lobby', 2, 'm-2', 'u-bo', 'bo', 'hi', 2000, 'c-1')
  const insertDm = old.prepare('INSERT INTO dms (id, msg_id, from_user, from_name, to_user, text, ts, client_msg_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
  const insertInbox = old.prepare('INSERT INTO inbox (user_id, seq, dm_id) VALUES (?, ?, ?)')
  insertDm.run(1, 'd-1', 'u-ana', 'ana', 'u-bo', 'psst', 3000, null)
  insertInbox.run('u-bo', 1, 1)
  insertInbox.run('u-ana', 1, 1)
  insertDm.run(2, 'd-2', 'u-bo', 'bo', 'u-ana', 'yes?', 4000, null)
  insertInbox.run('u-ana', 2, 2)
  insertInbox.run('u-bo', 2, 2)
  old.prepare('INSERT INTO sessions (key_hash, user_id, name, created_at) VALUES (?, ?, ?, ?)').run(hashKey('k-old'), 'u-ana', 'ana', 500)
  old.close()

  const before = Date.now()
  const store = createSqliteStore({ file })
  await store.open()
  t.teardown(() => store.close())
  t.equal(store.epoch, epoch, 'the same history')
  t.same(
    (await store.range('lobby', { after: 0, limit: 10 })).messages.map((m) => [m.seq, m.text, m.clientMsgId]),
    [
      [1, 'hello', undefined],
      [2, 'hi', 'c-1'],
    ],
  )
  t.same(
    (await store.inboxRange('u-ana', 0, 10)).messages.map((m) => [m.seq, m.text]),
    [
      [1, 'psst'],
      [2, 'yes?'],
    ],
  )
  t.same(await store.findSession('k-old'), { userId: 'u-ana', name: 'ana' }, 'the 1.0.0 session key still logs in')
  const session = await store.findSessionByKey('k-old', Date.now())
  t.match(session, { userId: 'u-ana', name: 'ana', createdAt: 500, lastSeenAt: 500, sessionId: /^[A-Za-z0-9_-]{1,64}$/ }, 'with a public id')
  t.ok(session!.expiresAt >= before - 1000 + DEFAULT_SESSION_TTL_MS && session!.expiresAt <= Date.now() + DEFAULT_SESSION_TTL_MS, 'expiring the default lifetime after the upgrade')
  t.match(await store.listDmConversations('u-ana', 10), [{ peerId: 'u-bo', peerName: 'bo', last: { seq: 2, text: 'yes?' }, unread: 2 - 1 }], 'old DMs form conversations')
  t.match(await store.listDmConversations('u-bo', 10), [{ peerId: 'u-ana', peerName: 'ana', last: { seq: 2, text: 'yes?' }, unread: 1 }])
  t.equal((await store.appendDm({ from: 'u-bo', fromName: 'bo', to: 'u-ana', text: 'again', ts: 5000 })).toSeq, 3, 'inboxes go on gapless')
  t.equal((await store.appendChat({ room: 'lobby', userId: 'u-ana', name: 'ana', text: 'more', ts: 6000 })).message.seq, 3)
  t.equal(await store.createAccount({ userId: 'u-ana', name: 'ana', nameKey: 'ana', passwordHash: 'h', createdAt: 7000 }), true, 'the new tables exist')
  await store.close()
  const reopened = new Database(file, { readonly: true })
  t.teardown(() => reopened.close())
  t.equal(reopened.pragma('user_version', { simple: true }), SCHEMA_VERSION)
})

t.test('a chat.sqlite of schema 2 is upgraded: its rooms, memberships and accounts stay, room records start empty', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'wirechat-sqlite-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const file = join(dir, 'chat.sqlite')
  const old = new Database(file)
  old.pragma('journal_mode = WAL')
  migrate(old, 2)
  old.prepare('INSERT INTO messages (room, seq, msg_id, user_id, name, text, ts, client_msg_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run('tea', 1, 'm-1', 'u-ana', 'ana', 'hello', 1000, null)
  old.prepare('INSERT INTO memberships (user_id, room, joined_at) VALUES (?, ?, ?)').run('u-ana', 'tea', 1000)
  old.prepare('INSERT INTO memberships (user_id, room, joined_at) VALUES (?, ?, ?)').run('u-bo', 'tea', 1001)
  old.prepare('INSERT INTO accounts (user_id, name, name_key, password_hash, created_at) VALUES (?, ?, ?, ?, ?)').run('u-ana', 'ana', 'ana', 'h', 900)
  old.close()

  const store = createSqliteStore({ file })
  await store.open()
  t.teardown(() => store.close())
  t.same(await store.listMemberships('u-ana'), ['tea'])
  t.equal(await store.countMembers('tea'), 2, 'old memberships count')
  t.equal((await store.findAccount('u-ana'))?.name, 'ana')
  t.equal(await store.findRoom('tea'), undefined, 'a room of schema 2 has no record until joined again')
  t.same(await store.listPublicRooms({ limit: 10 }), [])
  t.equal(await store.createRoom({ room: 'tea', namespace: '', topic: '', public: true, createdAt: 2000 }), true, 'the new tables exist')
  t.same(await store.listPublicRooms({ limit: 10 }), [{ room: 'tea', topic: '', members: 2 }])
  t.equal(await store.head('tea'), 1)
  await store.close()
  const reopened = new Database(file, { readonly: true })
  t.teardown(() => reopened.close())
  t.equal(reopened.pragma('user_version', { simple: true }), SCHEMA_VERSION)
})

t.test('a chat.sqlite of schema 3 is upgraded (step 4: bans, blocks, room floors): room records, roles and invitations stay; bans, blocks and room deletion work', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'wirechat-sqlite-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const file = join(dir, 'chat.sqlite')
  const old = new Database(file)
  old.pragma('journal_mode = WAL')
  migrate(old, 3)
  const insertMessage = old.prepare('INSERT INTO messages (room, seq, msg_id, user_id, name, text, ts, client_msg_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
  insertMessage.run('tea', 1, 'm-1', 'u-ana', 'ana', 'hello', 1000, null)
  insertMessage.run('tea', 2, 'm-2', 'u-bo', 'bo', 'hi', 1001, null)
  old.prepare('INSERT INTO memberships (user_id, room, joined_at) VALUES (?, ?, ?)').run('u-ana', 'tea', 1000)
  old.prepare('INSERT INTO room_records (room, namespace, owner, topic, public, created_at) VALUES (?, ?, ?, ?, ?, ?)').run('tea', '', 'u-ana', 'leaves', 0, 900)
  old.prepare('INSERT INTO room_roles (room, user_id, role) VALUES (?, ?, ?)').run('tea', 'u-ana', 'owner')
  old.prepare('INSERT INTO invitations (room, user_id, invited_by, created_at) VALUES (?, ?, ?, ?)').run('tea', 'u-bo', 'u-ana', 950)
  old.close()

  const store = createSqliteStore({ file })
  await store.open()
  t.teardown(() => store.close())
  await checkSchema3Upgrade(t, store)
  await store.close()
  const reopened = new Database(file, { readonly: true })
  t.teardown(() => reopened.close())
  t.equal(reopened.pragma('user_version', { simple: true }), SCHEMA_VERSION)
})

t.test('a chat.sqlite of schema 4 is upgraded (step 5: the life of a message): old messages read byte for byte as before; replies, events, restrictions and read markers work', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'wirechat-sqlite-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const file = join(dir, 'chat.sqlite')
  const old = new Database(file)
  old.pragma('journal_mode = WAL')
  migrate(old, 4)
  const insertMessage = old.prepare('INSERT INTO messages (room, seq, msg_id, user_id, name, text, ts, client_msg_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
  insertMessage.run('tea', 1, 'm-1', 'u-ana', 'ana', 'hello', 1000, 'c-1')
  insertMessage.run('tea', 2, 'm-2', 'u-bo', 'bo', 'hi', 1001, null)
  old.prepare('INSERT INTO memberships (user_id, room, joined_at) VALUES (?, ?, ?)').run('u-ana', 'tea', 1000)
  old.close()

  const store = createSqliteStore({ file })
  await store.open()
  t.teardown(() => store.close())
  await checkSchema4Upgrade(t, store)
  await store.close()
  const reopened = new Database(file, { readonly: true })
  t.teardown(() => reopened.close())
  t.equal(reopened.pragma('user_version', { simple: true }), SCHEMA_VERSION)
})
