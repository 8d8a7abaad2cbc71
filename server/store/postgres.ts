// The shared store for several nodes: PostgreSQL through a pg Pool.
// - Seq: every append is one statement that bumps rooms.head (a row lock that
//   serialises appends to one room across every node until COMMIT) and
//   inserts the message at the new head. A failed insert rolls the bump back,
//   so seqs stay gapless whoever appends.
// - DM inboxes: the same, with one inboxes(user_id, head) row per participant,
//   locked in sorted user order (after the DM insert) so crossing DMs cannot deadlock.
// - Dedup: a unique index on (user_id, client_msg_id). A second insert of the
//   same pair fails with unique_violation only once the first has committed,
//   its head bump is rolled back (no seq burned), and the original is read back.
// - Every promise resolves after COMMIT (single statements in autocommit).
// - Migrations run on open under a transaction-independent advisory lock, so
//   nodes that start together apply each migration once.
import pg from 'pg'
import type { ChatMessage } from '@wirechat/protocol'
import type { ServiceLogger } from '../service-logger.ts'
import { hashKey, newMessageId, randomToken } from './ids.ts'
import { type DmRow, type MessageRow, toChat, toDm, toPage } from './rows.ts'
import type { Appended, AppendedDm, ChatInput, DmInput, HistoryStore, InboxPage, Page, RangeQuery, SessionRecord } from './store.ts'

export interface PostgresStoreOptions {
  /** Connection string, e.g. postgres://user@127.0.0.1:5432/chat. */
  url: string
  /** Schema holding the tables, created when missing. Default `public`. */
  schema?: string
  /** Most pooled connections. Default 10. */
  poolSize?: number
  /** Longest wait for a new connection, ms. Default 5000. */
  connectTimeoutMs?: number
  /** Told when an idle pooled connection fails (pg opens a new one on next use); nothing is printed without it. */
  logger?: ServiceLogger
}

/** Migrations by version; each runs once, in its own transaction, in order. */
const MIGRATIONS: ReadonlyArray<{ version: number; sql: string }> = [
  {
    version: 1,
    sql: `
      CREATE TABLE meta (key text PRIMARY KEY, value text NOT NULL);
      CREATE TABLE rooms (room text PRIMARY KEY, head bigint NOT NULL);
      CREATE TABLE messages (
        room text NOT NULL, seq bigint NOT NULL, msg_id text NOT NULL, user_id text NOT NULL,
        name text NOT NULL, text text NOT NULL, ts bigint NOT NULL, client_msg_id text,
        PRIMARY KEY (room, seq)
      );
      CREATE UNIQUE INDEX messages_client_id ON messages (user_id, client_msg_id) WHERE client_msg_id IS NOT NULL;
      CREATE TABLE dms (
        id bigserial PRIMARY KEY, msg_id text NOT NULL, from_user text NOT NULL, from_name text NOT NULL,
        to_user text NOT NULL, text text NOT NULL, ts bigint NOT NULL, client_msg_id text
      );
      CREATE UNIQUE INDEX dms_client_id ON dms (from_user, client_msg_id) WHERE client_msg_id IS NOT NULL;
      CREATE TABLE inboxes (user_id text PRIMARY KEY, head bigint NOT NULL);
      CREATE TABLE inbox (user_id text NOT NULL, seq bigint NOT NULL, dm_id bigint NOT NULL, PRIMARY KEY (user_id, seq));
      CREATE INDEX inbox_dm ON inbox (dm_id);
      CREATE TABLE sessions (key_hash text PRIMARY KEY, user_id text NOT NULL, name text NOT NULL, created_at bigint NOT NULL);
      CREATE INDEX sessions_user ON sessions (user_id);
    `,
  },
]

type PlacedDmRow = DmRow<string> & { to_seq: string; from_seq: string }

const isUniqueViolation = (err: unknown, constraint: string): boolean =>
  typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '23505' && (err as { constraint?: unknown }).constraint === constraint

/** Applies missing migrations; holds an advisory lock so concurrent starts take turns. */
async function migrate(pool: pg.Pool, schema: string): Promise<void> {
  const s = pg.escapeIdentifier(schema)
  const client = await pool.connect()
  let broken = false
  try {
    // Session-level lock keyed by schema: released below, or by the server if this connection dies.
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [`wirechat:migrate:${schema}`])
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`)
      await client.query(`CREATE TABLE IF NOT EXISTS ${s}.schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`)
      const { rows } = await client.query<{ version: number }>(`SELECT version FROM ${s}.schema_migrations`)
      const applied = new Set(rows.map((r) => r.version))
      const newest = Math.max(0, ...applied)
      const known = MIGRATIONS.at(-1)!.version
      if (newest > known) throw new Error(`Database schema ${newest} is newer than this server (${known}).`)
      for (const migration of MIGRATIONS) {
        if (applied.has(migration.version)) continue
        await client.query('BEGIN')
        try {
          await client.query(`SET LOCAL search_path TO ${s}`)
          await client.query(migration.sql)
          if (migration.version === 1) await client.query(`INSERT INTO ${s}.meta (key, value) VALUES ('epoch', $1)`, [randomToken(9)])
          await client.query(`INSERT INTO ${s}.schema_migrations (version) VALUES ($1)`, [migration.version])
          await client.query('COMMIT')
        } catch (err) {
          await client.query('ROLLBACK').catch(() => {
            broken = true
          })
          throw err
        }
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [`wirechat:migrate:${schema}`]).catch(() => {
        broken = true
      })
    }
  } catch (err) {
    broken = true
    throw err
  } finally {
    // A connection that failed mid-way is destroyed, which also frees the lock.
    client.release(broken)
  }
}

export function createPostgresStore(options: PostgresStoreOptions): HistoryStore {
  const schema = options.schema ?? 'public'
  const s = pg.escapeIdentifier(schema)
  let pool: pg.Pool | undefined
  let epoch = ''

  const db = (): pg.Pool => {
    if (!pool) throw new Error('Postgres store used before open() or after close().')
    return pool
  }

  const sql = {
    // One statement: the head bump and the insert commit or roll back together.
    appendChat: `
      WITH bumped AS (
        INSERT INTO ${s}.rooms AS r (room, head) VALUES ($1, 1)
        ON CONFLICT (room) DO UPDATE SET head = r.head + 1
        RETURNING head
      )
      INSERT INTO ${s}.messages (room, seq, msg_id, user_id, name, text, ts, client_msg_id)
      SELECT $1, head, $2, $3, $4, $5, $6, $7 FROM bumped
      RETURNING *`,
    byClientId: `SELECT * FROM ${s}.messages WHERE user_id = $1 AND client_msg_id = $2`,
    head: `SELECT head FROM ${s}.rooms WHERE room = $1`,
    tail: `SELECT MIN(seq) AS seq FROM ${s}.messages WHERE room = $1`,
    after: `SELECT * FROM ${s}.messages WHERE room = $1 AND seq > $2 ORDER BY seq ASC LIMIT $3`,
    before: `SELECT * FROM ${s}.messages WHERE room = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3`,
    // The DM insert runs first (bumped reads it), so a wait on the unique index
    // never happens while holding an inbox lock; inbox rows are locked in
    // sorted order ($8 is sorted), so two crossing DMs cannot deadlock.
    appendDm: `
      WITH dm AS (
        INSERT INTO ${s}.dms (msg_id, from_user, from_name, to_user, text, ts, client_msg_id)
        VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *
      ), bumped AS (
        INSERT INTO ${s}.inboxes AS i (user_id, head)
        SELECT u.user_id, 1 FROM dm, unnest($8::text[]) AS u(user_id) ORDER BY u.user_id
        ON CONFLICT (user_id) DO UPDATE SET head = i.head + 1
        RETURNING user_id, head
      ), placed AS (
        INSERT INTO ${s}.inbox (user_id, seq, dm_id) SELECT b.user_id, b.head, dm.id FROM bumped b, dm
        RETURNING user_id, seq
      )
      SELECT dm.*, (SELECT seq FROM placed WHERE user_id = dm.to_user) AS to_seq,
        (SELECT seq FROM placed WHERE user_id = dm.from_user) AS from_seq
      FROM dm`,
    dmByClientId: `
      SELECT d.*, (SELECT seq FROM ${s}.inbox WHERE user_id = d.to_user AND dm_id = d.id) AS to_seq,
        (SELECT seq FROM ${s}.inbox WHERE user_id = d.from_user AND dm_id = d.id) AS from_seq
      FROM ${s}.dms d WHERE from_user = $1 AND client_msg_id = $2`,
    inboxHead: `SELECT head FROM ${s}.inboxes WHERE user_id = $1`,
    inboxAfter: `
      SELECT d.*, i.seq AS inbox_seq FROM ${s}.inbox i JOIN ${s}.dms d ON d.id = i.dm_id
      WHERE i.user_id = $1 AND i.seq > $2 ORDER BY i.seq ASC LIMIT $3`,
    saveSession: `
      INSERT INTO ${s}.sessions (key_hash, user_id, name, created_at) VALUES ($1, $2, $3, $4)
      ON CONFLICT (key_hash) DO UPDATE SET user_id = EXCLUDED.user_id, name = EXCLUDED.name, created_at = EXCLUDED.created_at`,
    findSession: `SELECT user_id, name FROM ${s}.sessions WHERE key_hash = $1`,
    hasUser: `SELECT 1 FROM ${s}.sessions WHERE user_id = $1 LIMIT 1`,
    renameUser: `UPDATE ${s}.sessions SET name = $2 WHERE user_id = $1`,
  }

  /** Reads the original of a duplicate; it is committed, since the unique check waited for it. */
  async function original<R>(query: string, a: string, b: string): Promise<R> {
    const { rows } = await db().query(query, [a, b])
    if (rows.length === 0) throw new Error('Duplicate reported but the original message is missing.')
    return rows[0] as R
  }

  return {
    get epoch() {
      return epoch
    },

    async open() {
      if (pool) return
      const p = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10, connectionTimeoutMillis: options.connectTimeoutMs ?? 5000 })
      // Without a listener an idle connection's error would crash the process.
      p.on('error', (err) => options.logger?.warn({ err: err.message }, 'postgres: idle connection failed'))
      try {
        await migrate(p, schema)
        const { rows } = await p.query<{ value: string }>(`SELECT value FROM ${s}.meta WHERE key = 'epoch'`)
        if (!rows[0]) throw new Error(`No epoch in ${schema}.meta.`)
        epoch = rows[0].value
      } catch (err) {
        await p.end()
        throw err
      }
      pool = p
    },

    async close() {
      const p = pool
      pool = undefined
      await p?.end()
    },

    async appendChat(input: ChatInput): Promise<Appended<ChatMessage>> {
      const clientMsgId = input.clientMsgId ?? null
      try {
        const { rows } = await db().query<MessageRow<string>>(sql.appendChat, [input.room, newMessageId(), input.userId, input.name, input.text, input.ts, clientMsgId])
        return { message: toChat(rows[0]!), duplicate: false }
      } catch (err) {
        if (clientMsgId === null || !isUniqueViolation(err, 'messages_client_id')) throw err
        return { message: toChat(await original<MessageRow<string>>(sql.byClientId, input.userId, clientMsgId)), duplicate: true }
      }
    },

    async head(room) {
      const { rows } = await db().query<{ head: string }>(sql.head, [room])
      return rows[0] ? Number(rows[0].head) : 0
    },

    async tail(room) {
      const { rows } = await db().query<{ seq: string | null }>(sql.tail, [room])
      return rows[0]?.seq == null ? 0 : Number(rows[0].seq)
    },

    async range(room: string, query: RangeQuery): Promise<Page> {
      if (query.after !== undefined) {
        const { rows } = await db().query<MessageRow<string>>(sql.after, [room, query.after, query.limit + 1])
        return toPage(rows, query.limit, toChat)
      }
      const { rows } = await db().query<MessageRow<string>>(sql.before, [room, query.before ?? Number.MAX_SAFE_INTEGER, query.limit + 1])
      return toPage(rows, query.limit, toChat, true)
    },

    async appendDm(input: DmInput): Promise<AppendedDm> {
      const clientMsgId = input.clientMsgId ?? null
      const participants = [...new Set([input.from, input.to])].sort()
      const appended = (row: PlacedDmRow, duplicate: boolean): AppendedDm => ({ message: toDm(row), duplicate, toSeq: Number(row.to_seq), fromSeq: Number(row.from_seq) })
      try {
        const { rows } = await db().query<PlacedDmRow>(sql.appendDm, [newMessageId(), input.from, input.fromName, input.to, input.text, input.ts, clientMsgId, participants])
        return appended(rows[0]!, false)
      } catch (err) {
        if (clientMsgId === null || !isUniqueViolation(err, 'dms_client_id')) throw err
        return appended(await original<PlacedDmRow>(sql.dmByClientId, input.from, clientMsgId), true)
      }
    },

    async inboxHead(userId) {
      const { rows } = await db().query<{ head: string }>(sql.inboxHead, [userId])
      return rows[0] ? Number(rows[0].head) : 0
    },

    async inboxRange(userId: string, after: number, limit: number): Promise<InboxPage> {
      const { rows } = await db().query<DmRow<string> & { inbox_seq: string }>(sql.inboxAfter, [userId, after, limit + 1])
      return toPage(rows, limit, (r) => ({ ...toDm(r), seq: Number(r.inbox_seq) }))
    },

    async saveSession(key: string, record: SessionRecord) {
      await db().query(sql.saveSession, [hashKey(key), record.userId, record.name, Date.now()])
    },
    async findSession(key) {
      const { rows } = await db().query<{ user_id: string; name: string }>(sql.findSession, [hashKey(key)])
      return rows[0] && { userId: rows[0].user_id, name: rows[0].name }
    },
    async hasUser(userId) {
      return (await db().query(sql.hasUser, [userId])).rowCount! > 0
    },
    async renameUser(userId, name) {
      await db().query(sql.renameUser, [userId, name])
    },
    createAccount: () => Promise.reject(new Error('not implemented')),
    findAccountByNameKey: () => Promise.reject(new Error('not implemented')),
    findAccount: () => Promise.reject(new Error('not implemented')),
    renameAccount: () => Promise.reject(new Error('not implemented')),
    setPasswordHash: () => Promise.reject(new Error('not implemented')),
    deleteAccount: () => Promise.reject(new Error('not implemented')),
    findAccountsByPrefix: () => Promise.reject(new Error('not implemented')),
    createSession: () => Promise.reject(new Error('not implemented')),
    findSessionByKey: () => Promise.reject(new Error('not implemented')),
    touchSession: () => Promise.reject(new Error('not implemented')),
    listSessions: () => Promise.reject(new Error('not implemented')),
    revokeSession: () => Promise.reject(new Error('not implemented')),
    revokeUserSessions: () => Promise.reject(new Error('not implemented')),
    addMembership: () => Promise.reject(new Error('not implemented')),
    removeMembership: () => Promise.reject(new Error('not implemented')),
    listMemberships: () => Promise.reject(new Error('not implemented')),
    listDmConversations: () => Promise.reject(new Error('not implemented')),
    markDmRead: () => Promise.reject(new Error('not implemented')),
  }
}
