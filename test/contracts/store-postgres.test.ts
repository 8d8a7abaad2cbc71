// The store contract for the PostgreSQL store (a throwaway schema per test,
// dropped afterwards) and its upgrades from every older schema.
import t, { type Test } from 'tap'
import { checkSchema3Upgrade } from './schema3-upgrade.ts'
import { checkSchema4Upgrade } from './schema4-upgrade.ts'
import pg from 'pg'
import { hashKey } from '../../server/store/ids.ts'
import { createPostgresStore, migrate } from '../../server/store/postgres.ts'
import { databaseUrl, dropSchema, requirePostgres, uniqueName } from './services.ts'
import { dmConversationContract } from './dm-conversation-contract.ts'
import { storeContract } from './store-contract.ts'

t.test('postgres store', async (t) => {
  if (!(await requirePostgres(t))) return
  const makeStore = (t: Test) => {
    const schema = uniqueName('wirechat_test')
    t.teardown(() => dropSchema(schema))
    const make = () => createPostgresStore({ url: databaseUrl, schema, poolSize: 4 })
    return { store: make(), sameData: make }
  }
  storeContract(t, makeStore)
  dmConversationContract(t, makeStore)
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

t.test('postgres store: a schema-4 database is upgraded (step 5: the life of a message) and its messages read back byte for byte', async (t) => {
  if (!(await requirePostgres(t))) return
  const schema = uniqueName('wirechat_test')
  t.teardown(() => dropSchema(schema))
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 })
  try {
    await migrate(pool, schema, 4)
    const q = (sql: string) => pool.query(sql.replaceAll('$s', pg.escapeIdentifier(schema)))
    await q(
      "INSERT INTO $s.messages (room, seq, msg_id, user_id, name, text, ts, client_msg_id) VALUES ('tea', 1, 'm-1', 'u-ana', 'ana', 'hello', 1000, 'c-1'), ('tea', 2, 'm-2', 'u-bo', 'bo', 'hi', 1001, NULL)",
    )
    await q("INSERT INTO $s.rooms (room, head) VALUES ('tea', 2)")
    await q("INSERT INTO $s.memberships (user_id, room, joined_at) VALUES ('u-ana', 'tea', 1000)")
  } finally {
    await pool.end()
  }
  const store = createPostgresStore({ url: databaseUrl, schema, poolSize: 2 })
  await store.open()
  t.teardown(() => store.close())
  await checkSchema4Upgrade(t, store)
})
