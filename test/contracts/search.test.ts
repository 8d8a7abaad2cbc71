// The search part of the store contract (search-contract.ts) for every
// HistoryStore, and the upgrade that adds search (schema 6) for the SQL ones.
// Its own file, not store.test.ts: the two together outgrow one file's time
// limit on a busy machine, and tap runs files side by side.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import pg from 'pg'
import t from 'tap'
import { createMemoryStore } from '../../server/store/memory.ts'
import { createPostgresStore, migrate } from '../../server/store/postgres.ts'
import { searchQueries, searchVectors } from '../../server/store/postgres-search.ts'
import { ftsQuery } from '../../server/store/sqlite-search.ts'
import { migrate as migrateSqlite } from '../../server/store/sqlite-migrations.ts'
import { createSqliteStore } from '../../server/store/sqlite.ts'
import type { SearchTerm } from '../../server/store/store.ts'
import { searchContract } from './search-contract.ts'
import { checkSearchUpgrade, KICK_EVENT } from './search-upgrade.ts'
import { databaseUrl, dropSchema, requirePostgres, uniqueName } from './services.ts'

// Tokens no parser makes, as the engines' literals must hold them: search()
// drops such terms before any engine sees them (usableTerms), so this proves
// the quoting itself, the second line of defence.
const HOSTILE = ['"', '" OR "a', "'", "a' | 'b", '\\', "\\'", 'NEAR(a b)', '*', 'a*', 'b:*', '^a', '-a', 'a:b', '{words} : a', '(a)', 'a & b', '!a', 'a <-> b', 'AND', 'NOT a']
const hostileTerms = (token: string): SearchTerm[][] => [[{ tokens: [token], phrase: false }], [{ tokens: ['x', token], phrase: true }], [{ tokens: [token], phrase: false, char: true }]]

t.test('sqlite: the FTS5 query of any token is quoted text, never an operator', async (t) => {
  const db = new Database(':memory:')
  t.teardown(() => db.close())
  db.exec("CREATE VIRTUAL TABLE doc USING fts5(words, chars, tokenize='ascii')")
  db.prepare('INSERT INTO doc (words, chars) VALUES (?, ?)').run('x b a', '会')
  const match = db.prepare<[string], number>('SELECT count(*) FROM doc WHERE doc MATCH ?').pluck()
  for (const token of HOSTILE)
    for (const terms of hostileTerms(token)) {
      let count: number | undefined
      t.doesNotThrow(() => {
        count = match.get(ftsQuery(terms))
      }, JSON.stringify(terms))
      // As operators these would have matched "x b a" by `a` or `b` alone; as text they are the phrases "or a" and "a b".
      if (token === '" OR "a' || token === "a' | 'b") t.equal(count, 0, `${JSON.stringify(terms)} is no OR`)
    }
})

t.test('postgres: tsvector and tsquery literals hold any token as a lexeme', async (t) => {
  if (!(await requirePostgres(t))) return
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 })
  t.teardown(() => pool.end())
  const [words, chars] = searchVectors("x a b it's \\ 会")
  for (const token of HOSTILE)
    for (const terms of hostileTerms(token)) {
      const q = searchQueries(terms)
      const { rows } = await pool.query<{ found: boolean }>('SELECT coalesce($1::tsvector @@ $3::tsquery, true) AND coalesce($2::tsvector @@ $4::tsquery, true) AS found', [
        words,
        chars,
        q.words ?? null,
        q.chars ?? null,
      ])
      t.equal(rows[0]!.found, false, `${JSON.stringify(terms)}: a lexeme of its own, not an operator`)
    }
  const { rows } = await pool.query<{ lexemes: string[] }>('SELECT tsvector_to_array($1::tsvector) AS lexemes', [searchVectors("it's a \\ test")[0]])
  t.same(rows[0]!.lexemes.sort(), ['a', 's', 'it', 'test'].sort(), 'the vector holds exactly our tokens')
})

t.test('memory store', async (t) => {
  searchContract(t, () => ({ store: createMemoryStore() }))
})

t.test('sqlite store', async (t) => {
  searchContract(t, (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'wirechat-search-'))
    t.teardown(() => rmSync(dir, { recursive: true, force: true }))
    return { store: createSqliteStore({ file: join(dir, 'chat.sqlite') }) }
  })
})

t.test('postgres store', async (t) => {
  if (!(await requirePostgres(t))) return
  searchContract(t, (t) => {
    const schema = uniqueName('wirechat_test')
    t.teardown(() => dropSchema(schema))
    return { store: createPostgresStore({ url: databaseUrl, schema, poolSize: 4 }) }
  })
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
