// The store contract for every HistoryStore: memory, SQLite (a temp file) and
// PostgreSQL (a throwaway schema, dropped afterwards).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { checkSchema3Upgrade } from './schema3-upgrade.ts'
import { checkSearchUpgrade, KICK_EVENT } from './search-upgrade.ts'
import { createMemoryStore } from '../../server/store/memory.ts'
import Database from 'better-sqlite3'
import pg from 'pg'
import { hashKey } from '../../server/store/ids.ts'
import { createPostgresStore, migrate } from '../../server/store/postgres.ts'
import { migrate as migrateSqlite } from '../../server/store/sqlite-migrations.ts'
import { createSqliteStore } from '../../server/store/sqlite.ts'
import { databaseUrl, dropSchema, requirePostgres, uniqueName } from './services.ts'
import { searchContract } from './search-contract.ts'
import { type MakeStore, storeContract } from './store-contract.ts'

t.test('memory store', async (t) => {
  const make = () => ({ store: createMemoryStore() })
  storeContract(t, make)
  searchContract(t, make)
})

t.test('sqlite store', async (t) => {
  const make: MakeStore = (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'wirechat-store-'))
    t.teardown(() => rmSync(dir, { recursive: true, force: true }))
    const file = join(dir, 'chat.sqlite')
    return { store: createSqliteStore({ file }), sameData: () => createSqliteStore({ file }) }
  }
  storeContract(t, make)
  searchContract(t, make)
})

t.test('postgres store', async (t) => {
  if (!(await requirePostgres(t))) return
  const make: MakeStore = (t) => {
    const schema = uniqueName('wirechat_test')
    t.teardown(() => dropSchema(schema))
    const connect = () => createPostgresStore({ url: databaseUrl, schema, poolSize: 4 })
    return { store: connect(), sameData: connect }
  }
  storeContract(t, make)
  searchContract(t, make)
})

t.test('postgres store: a schema-1 database is upgraded on open and keeps its messages, DMs and sessions', async (t) => {
  if (!(await requirePostgres(t))) return
  const schema = uniqueName('wirechat_test')
  t.teardown(() => dropSchema(schema))
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 })
  try {
    await migrate(pool, schema, 1)
    const q = (sql: string, values: unknown[]) => pool.query(sql.replaceAll('$s', pg.escapeIdentifier(schema)), values)
    await q("INSERT INTO $s.messages (room, seq, msg_id, user_id, name, text, ts) VALUES ('lobby', 1, 'm-1', 'u-ana', 'ana', 'hello', 1000)", [])
    await q("INSERT INTO $s.rooms (room, head) VALUES ('lobby', 1)", [])
    await q("INSERT INTO $s.dms (msg_id, from_user, from_name, to_user, text, ts) VALUES ('d-1', 'u-ana', 'ana', 'u-bo', 'psst', 3000), ('d-2', 'u-bo', 'bo', 'u-ana', 'yes?', 4000)", [])
    await q("INSERT INTO $s.inbox (user_id, seq, dm_id) VALUES ('u-bo', 1, 1), ('u-ana', 1, 1), ('u-ana', 2, 2), ('u-bo', 2, 2)", [])
    await q("INSERT INTO $s.inboxes (user_id, head) VALUES ('u-ana', 2), ('u-bo', 2)", [])
    await q("INSERT INTO $s.sessions (key_hash, user_id, name, created_at) VALUES ($1, 'u-ana', 'ana', 500)", [hashKey('k-old')])
  } finally {
    await pool.end()
  }
  const store = createPostgresStore({ url: databaseUrl, schema, poolSize: 2 })
  await store.open()
  t.teardown(() => store.close())
  t.same(
    (await store.range('lobby', { after: 0, limit: 10 })).messages.map((m) => m.text),
    ['hello'],
  )
  t.same(await store.findSession('k-old'), { userId: 'u-ana', name: 'ana' }, 'the 1.0.0 session key still logs in')
  t.match(await store.findSessionByKey('k-old', Date.now()), { createdAt: 500, lastSeenAt: 500, sessionId: /^[A-Za-z0-9_-]{1,64}$/ })
  t.match(await store.listDmConversations('u-ana', 10), [{ peerId: 'u-bo', peerName: 'bo', last: { seq: 2, text: 'yes?' }, unread: 1 }], 'old DMs form conversations')
  t.match(await store.listDmConversations('u-bo', 10), [{ peerId: 'u-ana', peerName: 'ana', last: { seq: 2 }, unread: 1 }])
  t.equal((await store.appendDm({ from: 'u-bo', fromName: 'bo', to: 'u-ana', text: 'again', ts: 5000 })).toSeq, 3)
  t.equal((await store.listDmConversations('u-ana', 10))[0]?.unread, 2)
})

t.test('postgres store: a schema-2 database is upgraded and keeps its memberships; room records start empty', async (t) => {
  if (!(await requirePostgres(t))) return
  const schema = uniqueName('wirechat_test')
  t.teardown(() => dropSchema(schema))
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 })
  try {
    await migrate(pool, schema, 2)
    const q = (sql: string) => pool.query(sql.replaceAll('$s', pg.escapeIdentifier(schema)))
    await q("INSERT INTO $s.messages (room, seq, msg_id, user_id, name, text, ts) VALUES ('tea', 1, 'm-1', 'u-ana', 'ana', 'hello', 1000)")
    await q("INSERT INTO $s.rooms (room, head) VALUES ('tea', 1)")
    await q("INSERT INTO $s.memberships (user_id, room, joined_at) VALUES ('u-ana', 'tea', 1000), ('u-bo', 'tea', 1001)")
  } finally {
    await pool.end()
  }
  const store = createPostgresStore({ url: databaseUrl, schema, poolSize: 2 })
  await store.open()
  t.teardown(() => store.close())
  t.same(await store.listMemberships('u-bo'), ['tea'])
  t.equal(await store.countMembers('tea'), 2)
  t.equal(await store.findRoom('tea'), undefined, 'no record until joined again')
  t.equal(await store.createRoom({ room: 'tea', namespace: '', topic: '', public: true, createdAt: 2000 }), true, 'the new tables exist')
  t.same(await store.listPublicRooms({ limit: 10 }), [{ room: 'tea', topic: '', members: 2 }])
  t.equal((await store.appendChat({ room: 'tea', userId: 'u-ana', name: 'ana', text: 'more', ts: 3000 })).message.seq, 2, 'the seq table named rooms is untouched')
})

t.test('postgres store: a schema-3 database is upgraded (step 4: bans, blocks) and keeps its room records, roles and invitations', async (t) => {
  if (!(await requirePostgres(t))) return
  const schema = uniqueName('wirechat_test')
  t.teardown(() => dropSchema(schema))
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 })
  try {
    await migrate(pool, schema, 3)
    const q = (sql: string) => pool.query(sql.replaceAll('$s', pg.escapeIdentifier(schema)))
    await q("INSERT INTO $s.messages (room, seq, msg_id, user_id, name, text, ts) VALUES ('tea', 1, 'm-1', 'u-ana', 'ana', 'hello', 1000), ('tea', 2, 'm-2', 'u-bo', 'bo', 'hi', 1001)")
    await q("INSERT INTO $s.rooms (room, head) VALUES ('tea', 2)")
    await q("INSERT INTO $s.memberships (user_id, room, joined_at) VALUES ('u-ana', 'tea', 1000)")
    await q("INSERT INTO $s.room_records (room, namespace, owner, topic, public, created_at) VALUES ('tea', '', 'u-ana', 'leaves', false, 900)")
    await q("INSERT INTO $s.room_roles (room, user_id, role) VALUES ('tea', 'u-ana', 'owner')")
    await q("INSERT INTO $s.invitations (room, user_id, invited_by, created_at) VALUES ('tea', 'u-bo', 'u-ana', 950)")
  } finally {
    await pool.end()
  }
  const store = createPostgresStore({ url: databaseUrl, schema, poolSize: 2 })
  await store.open()
  t.teardown(() => store.close())
  await checkSchema3Upgrade(t, store)
})

t.test('sqlite store: a database of schema 5 is upgraded (step 6: search) and its messages and DMs become searchable', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'wirechat-store-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const file = join(dir, 'chat.sqlite')
  const old = new Database(file)
  old.pragma('journal_mode = WAL')
  migrateSqlite(old, 5)
  const insertMessage = old.prepare('INSERT INTO messages (room, seq, msg_id, user_id, name, text, ts) VALUES (?, ?, ?, ?, ?, ?, ?)')
  insertMessage.run('tea', 1, 'm-1', 'u-ana', 'ana', 'meeting at noon', 1000)
  insertMessage.run('tea', 2, 'm-2', 'u-ana', 'ana', '내일 회의가 있어요', 2000)
  insertMessage.run('tea', 3, 'm-3', 'u-ana', 'ana', '明日の会議は', 3000)
  old
    .prepare('INSERT INTO messages (room, seq, msg_id, user_id, name, text, ts, event) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
    .run('tea', 4, 'm-4', 'u-ana', 'ana', 'ana kicked bo: meeting spam', 3100, KICK_EVENT)
  old.prepare('INSERT INTO messages (room, seq, msg_id, user_id, name, text, ts, deleted) VALUES (?, ?, ?, ?, ?, ?, ?, 1)').run('tea', 5, 'm-5', 'u-ana', 'ana', '(deleted)', 3200)
  old.prepare('INSERT INTO dms (id, msg_id, from_user, from_name, to_user, text, ts) VALUES (?, ?, ?, ?, ?, ?, ?)').run(1, 'd-1', 'u-ana', 'ana', 'u-bo', 'secret Meeting', 4000)
  const insertInbox = old.prepare('INSERT INTO inbox (user_id, seq, dm_id, peer_id, from_peer) VALUES (?, ?, ?, ?, ?)')
  insertInbox.run('u-ana', 1, 1, 'u-bo', 0)
  insertInbox.run('u-bo', 1, 1, 'u-ana', 1)
  old.close()

  const store = createSqliteStore({ file })
  await store.open()
  t.teardown(() => store.close())
  await checkSearchUpgrade(t, store)
})

t.test('postgres store: a database of schema 5 is upgraded (step 6: search) and its messages and DMs become searchable', async (t) => {
  if (!(await requirePostgres(t))) return
  const schema = uniqueName('wirechat_test')
  t.teardown(() => dropSchema(schema))
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 })
  try {
    await migrate(pool, schema, 5)
    const q = (sql: string) => pool.query(sql.replaceAll('$s', pg.escapeIdentifier(schema)))
    await q(`INSERT INTO $s.messages (room, seq, msg_id, user_id, name, text, ts) VALUES
      ('tea', 1, 'm-1', 'u-ana', 'ana', 'meeting at noon', 1000), ('tea', 2, 'm-2', 'u-ana', 'ana', '내일 회의가 있어요', 2000), ('tea', 3, 'm-3', 'u-ana', 'ana', '明日の会議は', 3000)`)
    await pool.query(
      `INSERT INTO ${pg.escapeIdentifier(schema)}.messages (room, seq, msg_id, user_id, name, text, ts, event, deleted) VALUES
        ('tea', 4, 'm-4', 'u-ana', 'ana', 'ana kicked bo: meeting spam', 3100, $1, false), ('tea', 5, 'm-5', 'u-ana', 'ana', '(deleted)', 3200, NULL, true)`,
      [KICK_EVENT],
    )
    await q("INSERT INTO $s.rooms (room, head) VALUES ('tea', 5)")
    await q("INSERT INTO $s.dms (id, msg_id, from_user, from_name, to_user, text, ts) VALUES (1, 'd-1', 'u-ana', 'ana', 'u-bo', 'secret Meeting', 4000)")
    await q(`SELECT setval(pg_get_serial_sequence('$s.dms', 'id'), 1)`)
    await q("INSERT INTO $s.inbox (user_id, seq, dm_id, peer_id, from_peer) VALUES ('u-ana', 1, 1, 'u-bo', false), ('u-bo', 1, 1, 'u-ana', true)")
    await q("INSERT INTO $s.inboxes (user_id, head) VALUES ('u-ana', 1), ('u-bo', 1)")
  } finally {
    await pool.end()
  }
  const store = createPostgresStore({ url: databaseUrl, schema, poolSize: 2 })
  await store.open()
  t.teardown(() => store.close())
  await checkSearchUpgrade(t, store)
})
