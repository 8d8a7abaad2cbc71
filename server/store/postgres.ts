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
// - Since protocol 1.3.0: event entries and replies (postgres-events.ts),
//   snapshots with reactions and reply targets (postgres-snapshots.ts), room
//   bans, mutes and read markers (postgres-room-state.ts).
import * as clock from '../determinism.ts'
import pg from 'pg'
import type { ChatMessage } from '@wirechat/protocol'
import type { ServiceLogger } from '../service-logger.ts'
import { hashKey, newMessageId, randomToken } from './ids.ts'
import { backfillSearch, createPostgresSearch, SEARCH_MIGRATION, searchVectors } from './postgres-search.ts'
import {
  type AccountRow,
  banInForce,
  type BanRow,
  type ConversationRow,
  type DmRow,
  prefixEnd,
  type RoomRecordRow,
  type SessionTableRow,
  toAccount,
  toBan,
  toConversation,
  toDm,
  toPage,
  toRoomRecord,
  toSession,
} from './rows.ts'
import { appendEvent, appendReply, eventStatements } from './postgres-events.ts'
import { transaction } from './postgres-transaction.ts'
import { findRestriction, listRestrictions, markRoomRead, roomStateStatements, startReading, unreadCounts } from './postgres-room-state.ts'
import { type SnapshotRow, snapshotSql, toSnapshot } from './postgres-snapshots.ts'
import {
  type Appended,
  type AppendedDm,
  appendOneByOne,
  type ChatInput,
  DEFAULT_SESSION_TTL_MS,
  type DmInput,
  type HistoryStore,
  type InboxPage,
  type Page,
  type RangeQuery,
  type SessionRecord,
} from './store.ts'

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

/** Migrations by version; each runs once, in its own transaction, in order (`backfill`: a step in JS after the SQL, in the same transaction). */
const MIGRATIONS: ReadonlyArray<{ version: number; sql: string; backfill?: (client: pg.PoolClient) => Promise<void> }> = [
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
  {
    // Protocol 1.1.0: accounts, sessions that end, memberships, DM
    // conversations. The same tables as SQLite (sqlite-migrations.ts).
    version: 2,
    sql: `
      -- "C": byte order, so a prefix search is a range of the unique index (rows.ts prefixEnd).
      CREATE TABLE accounts (
        user_id text PRIMARY KEY, name text NOT NULL, name_key text COLLATE "C" NOT NULL UNIQUE,
        password_hash text NOT NULL, created_at bigint NOT NULL
      );
      -- Sessions of schema 1 never expired: they get the default lifetime from the upgrade on.
      ALTER TABLE sessions ADD COLUMN session_id text, ADD COLUMN device text, ADD COLUMN last_seen_at bigint,
        ADD COLUMN expires_at bigint, ADD COLUMN revoked_at bigint;
      UPDATE sessions SET session_id = md5(key_hash || random()::text), last_seen_at = created_at,
        expires_at = (extract(epoch FROM now()) * 1000)::bigint + ${DEFAULT_SESSION_TTL_MS};
      ALTER TABLE sessions ALTER COLUMN session_id SET NOT NULL, ALTER COLUMN last_seen_at SET NOT NULL, ALTER COLUMN expires_at SET NOT NULL;
      CREATE UNIQUE INDEX sessions_id ON sessions (session_id);
      DROP INDEX sessions_user;
      CREATE INDEX sessions_user ON sessions (user_id, last_seen_at);
      -- pos: rooms joined in one millisecond keep their order.
      CREATE TABLE memberships (user_id text NOT NULL, room text NOT NULL, joined_at bigint NOT NULL, pos bigserial NOT NULL, PRIMARY KEY (user_id, room));
      CREATE TABLE dm_reads (user_id text NOT NULL, peer_id text NOT NULL, seq bigint NOT NULL, PRIMARY KEY (user_id, peer_id));
      -- Each inbox entry names the other participant and whether they sent it (see sql.conversations).
      ALTER TABLE inbox ADD COLUMN peer_id text, ADD COLUMN from_peer boolean;
      UPDATE inbox i SET peer_id = CASE WHEN d.from_user = i.user_id THEN d.to_user ELSE d.from_user END,
        from_peer = (d.from_user <> i.user_id OR d.to_user = d.from_user)
        FROM dms d WHERE d.id = i.dm_id;
      ALTER TABLE inbox ALTER COLUMN peer_id SET NOT NULL, ALTER COLUMN from_peer SET NOT NULL;
      CREATE INDEX inbox_peer ON inbox (user_id, peer_id, from_peer, seq);
    `,
  },
  {
    // Protocol 1.2.0: room records, roles and invitations (as sqlite-migrations.ts 3).
    // Rooms of schema 2 get their record when next joined, without an owner.
    version: 3,
    sql: `
      -- "C": byte order, so a directory prefix is a range of the index (rows.ts prefixEnd).
      CREATE TABLE room_records (
        room text COLLATE "C" PRIMARY KEY, namespace text NOT NULL, owner text, topic text NOT NULL,
        public boolean NOT NULL, created_at bigint NOT NULL
      );
      CREATE INDEX room_records_public ON room_records (public, room);
      CREATE TABLE room_roles (room text NOT NULL, user_id text NOT NULL, role text NOT NULL, PRIMARY KEY (room, user_id));
      CREATE TABLE invitations (room text NOT NULL, user_id text NOT NULL, invited_by text NOT NULL, created_at bigint NOT NULL, PRIMARY KEY (room, user_id));
      CREATE INDEX memberships_room ON memberships (room);
    `,
  },
  {
    // Protocol 1.2.0 (admin API and blocks): server-wide bans and blocks. A
    // room whose history is deleted keeps its rooms.head, so no floor is needed.
    version: 4,
    sql: `
      CREATE TABLE bans (user_id text PRIMARY KEY, until bigint, reason text, created_at bigint NOT NULL);
      CREATE TABLE blocks (user_id text NOT NULL, blocked_id text NOT NULL, blocked_at bigint NOT NULL, pos bigserial NOT NULL, PRIMARY KEY (user_id, blocked_id));
    `,
  },
  {
    // Protocol 1.3.0: event entries, replies, mentions, edits, tombstones,
    // reactions, room bans and mutes, room read markers (postgres-events.ts,
    // postgres-snapshots.ts, postgres-room-state.ts). Messages of schema 4
    // get NULLs and deleted = false: they read back exactly as before.
    version: 5,
    sql: `
      -- The layout of sqlite-migrations.ts 5. event: the RoomEvent as JSON text (jsonb
      -- would reorder its keys); edit_of: an edit entry's target. A reply keeps its
      -- ReplyRef as sent (no join when reading); the excerpt goes when the target is deleted.
      ALTER TABLE messages ADD COLUMN event text, ADD COLUMN edit_of bigint, ADD COLUMN reply_to bigint, ADD COLUMN reply_msg_id text,
        ADD COLUMN reply_user_id text, ADD COLUMN reply_name text, ADD COLUMN reply_excerpt text, ADD COLUMN mentions text[],
        ADD COLUMN edited bigint, ADD COLUMN deleted boolean NOT NULL DEFAULT false, ADD COLUMN rev bigint;
      -- A delete finds the edit entries of its target and the replies to it.
      CREATE INDEX messages_edit_of ON messages (room, edit_of) WHERE edit_of IS NOT NULL;
      CREATE INDEX messages_reply_to ON messages (room, reply_to) WHERE reply_to IS NOT NULL;
      -- added_seq: the react entry that added it (orders the users of a group);
      -- group_seq: the one that began its group (orders the groups: a group keeps its place while it has users).
      CREATE TABLE reactions (
        room text NOT NULL, seq bigint NOT NULL, emoji text NOT NULL, user_id text NOT NULL, added_seq bigint NOT NULL, group_seq bigint NOT NULL,
        PRIMARY KEY (room, seq, emoji, user_id)
      );
      -- seq: the ban or mute entry that set it (orders restrictions of one millisecond).
      CREATE TABLE restrictions (
        room text NOT NULL, user_id text NOT NULL, kind text NOT NULL, name text NOT NULL, until bigint, by_user text NOT NULL,
        reason text, since bigint NOT NULL, seq bigint NOT NULL, PRIMARY KEY (room, user_id, kind)
      );
      CREATE TABLE room_reads (user_id text NOT NULL, room text NOT NULL, seq bigint NOT NULL, PRIMARY KEY (user_id, room));
    `,
  },
  // Protocol 1.3.0: full-text search of messages and DMs, the stored ones
  // indexed by the JS step (postgres-search.ts).
  { version: 6, sql: SEARCH_MIGRATION, backfill: backfillSearch },
]

type PlacedDmRow = DmRow<string> & { to_seq: string; from_seq: string }

const isUniqueViolation = (err: unknown, constraint: string): boolean =>
  typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '23505' && (err as { constraint?: unknown }).constraint === constraint

/** Applies missing migrations (tests: up to `target`); holds an advisory lock so concurrent starts take turns. */
export async function migrate(pool: pg.Pool, schema: string, target = MIGRATIONS.at(-1)!.version): Promise<void> {
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
        if (applied.has(migration.version) || migration.version > target) continue
        await client.query('BEGIN')
        try {
          await client.query(`SET LOCAL search_path TO ${s}`)
          await client.query(migration.sql)
          await migration.backfill?.(client)
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
    // One statement: the head bump, the insert and its search entry commit or roll back together.
    appendChat: `
      WITH bumped AS (
        INSERT INTO ${s}.rooms AS r (room, head) VALUES ($1, 1)
        ON CONFLICT (room) DO UPDATE SET head = r.head + 1
        RETURNING head
      ), inserted AS (
        INSERT INTO ${s}.messages (room, seq, msg_id, user_id, name, text, ts, client_msg_id, mentions)
        SELECT $1, head, $2, $3, $4, $5, $6, $7, $8 FROM bumped
        RETURNING *
      ), indexed AS (
        INSERT INTO ${s}.message_search (room, seq, ts, msg_id, words, chars)
        SELECT room, seq, ts, msg_id, $9::tsvector, $10::tsvector FROM inserted
      )
      SELECT * FROM inserted`,
    // appendChat for several plain chats of one room: one bump of rooms.head by their number (one
    // row lock, one commit) and the block of seqs it frees, filled in order.
    appendChats: `
      WITH bumped AS (
        INSERT INTO ${s}.rooms AS r (room, head) VALUES ($1, $2)
        ON CONFLICT (room) DO UPDATE SET head = r.head + $2
        RETURNING head
      ), batch AS (
        SELECT x.*, (SELECT head FROM bumped) - $2 + x.i AS seq
        FROM jsonb_to_recordset($3::jsonb) AS x(i int, msg_id text, user_id text, name text, text text, ts bigint, client_msg_id text, mentions text[], words text, chars text)
      ), inserted AS (
        INSERT INTO ${s}.messages (room, seq, msg_id, user_id, name, text, ts, client_msg_id, mentions)
        SELECT $1, seq, msg_id, user_id, name, text, ts, client_msg_id, mentions FROM batch
        RETURNING *
      ), indexed AS (
        INSERT INTO ${s}.message_search (room, seq, ts, msg_id, words, chars)
        SELECT $1, seq, ts, msg_id, words::tsvector, chars::tsvector FROM batch
      )
      SELECT * FROM inserted ORDER BY seq`,
    byClientId: snapshotSql(s, 'm.user_id = $1 AND m.client_msg_id = $2'),
    head: `SELECT head FROM ${s}.rooms WHERE room = $1`,
    tail: `SELECT MIN(seq) AS seq FROM ${s}.messages WHERE room = $1`,
    after: snapshotSql(s, 'm.room = $1 AND m.seq > $2', 'ORDER BY m.seq ASC LIMIT $3'),
    before: snapshotSql(s, 'm.room = $1 AND m.seq < $2', 'ORDER BY m.seq DESC LIMIT $3'),
    findMessage: snapshotSql(s, 'm.room = $1 AND m.seq = $2'),
    // The DM insert runs first (bumped reads it), so a wait on the unique index
    // never happens while holding an inbox lock; inbox rows are locked in
    // sorted order ($8 is sorted), so two crossing DMs cannot deadlock.
    appendDm: `
      WITH dm AS (
        INSERT INTO ${s}.dms (msg_id, from_user, from_name, to_user, text, ts, client_msg_id)
        VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *
      ), indexed AS (
        INSERT INTO ${s}.dm_search (dm_id, ts, msg_id, words, chars) SELECT id, ts, msg_id, $9::tsvector, $10::tsvector FROM dm
      ), bumped AS (
        INSERT INTO ${s}.inboxes AS i (user_id, head)
        SELECT u.user_id, 1 FROM dm, unnest($8::text[]) AS u(user_id) ORDER BY u.user_id
        ON CONFLICT (user_id) DO UPDATE SET head = i.head + 1
        RETURNING user_id, head
      ), placed AS (
        INSERT INTO ${s}.inbox (user_id, seq, dm_id, peer_id, from_peer)
        SELECT b.user_id, b.head, dm.id, CASE WHEN b.user_id = dm.from_user THEN dm.to_user ELSE dm.from_user END,
          (dm.from_user <> b.user_id OR dm.to_user = dm.from_user)
        FROM bumped b, dm
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
    // A page of one conversation on the index inbox (user_id, peer_id, from_peer,
    // seq): the DMs the peer sent and those the user sent are two ranges of it,
    // each read backwards and merged newest first; $4 is the page size + 1.
    conversation: `
      WITH page AS (
        (SELECT seq FROM ${s}.inbox WHERE user_id = $1 AND peer_id = $2 AND NOT from_peer AND seq < $3 ORDER BY seq DESC LIMIT $4)
        UNION ALL
        (SELECT seq FROM ${s}.inbox WHERE user_id = $1 AND peer_id = $2 AND from_peer AND seq < $3 ORDER BY seq DESC LIMIT $4)
        ORDER BY seq DESC LIMIT $4
      )
      SELECT d.*, i.seq AS inbox_seq FROM page p JOIN ${s}.inbox i ON i.user_id = $1 AND i.seq = p.seq JOIN ${s}.dms d ON d.id = i.dm_id
      ORDER BY i.seq DESC`,
    // Legacy (protocol 1.0.0 logins): a key saved again replaces its session.
    saveSession: `
      INSERT INTO ${s}.sessions (key_hash, session_id, user_id, name, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $5, $5, $6)
      ON CONFLICT (key_hash) DO UPDATE SET session_id = EXCLUDED.session_id, user_id = EXCLUDED.user_id, name = EXCLUDED.name, device = NULL,
        created_at = EXCLUDED.created_at, last_seen_at = EXCLUDED.last_seen_at, expires_at = EXCLUDED.expires_at, revoked_at = NULL`,
    sessionByKey: `SELECT * FROM ${s}.sessions WHERE key_hash = $1 AND revoked_at IS NULL AND expires_at > $2`,
    hasUser: `SELECT 1 FROM ${s}.sessions WHERE user_id = $1 LIMIT 1`,
    renameUser: `UPDATE ${s}.sessions SET name = $2 WHERE user_id = $1`,
    createSession: `
      INSERT INTO ${s}.sessions (key_hash, session_id, user_id, name, device, created_at, last_seen_at, expires_at)
      VALUES ($1, $2, $3, $4, $5, $6, $6, $7)`,
    touchSession: `UPDATE ${s}.sessions SET last_seen_at = $2, expires_at = $3 WHERE session_id = $1 AND revoked_at IS NULL`,
    listSessions: `
      SELECT * FROM ${s}.sessions WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2
      ORDER BY last_seen_at DESC, created_at DESC, session_id COLLATE "C"`,
    // A revoked session matches again (idempotent) and keeps its first revocation time.
    revokeSession: `UPDATE ${s}.sessions SET revoked_at = COALESCE(revoked_at, $3) WHERE user_id = $1 AND session_id = $2`,
    revokeUserSessions: `
      UPDATE ${s}.sessions SET revoked_at = $3 WHERE user_id = $1 AND revoked_at IS NULL AND session_id IS DISTINCT FROM $2
      RETURNING session_id`,
    createAccount: `
      INSERT INTO ${s}.accounts (user_id, name, name_key, password_hash, created_at) VALUES ($1, $2, $3, $4, $5)
      ON CONFLICT DO NOTHING`,
    accountByNameKey: `SELECT * FROM ${s}.accounts WHERE name_key = $1`,
    account: `SELECT * FROM ${s}.accounts WHERE user_id = $1`,
    renameAccount: `UPDATE ${s}.accounts SET name = $2, name_key = $3 WHERE user_id = $1`,
    setPasswordHash: `UPDATE ${s}.accounts SET password_hash = $2 WHERE user_id = $1`,
    // One statement: all or nothing without a transaction of our own.
    deleteAccount: `
      WITH a AS (DELETE FROM ${s}.accounts WHERE user_id = $1), se AS (DELETE FROM ${s}.sessions WHERE user_id = $1),
        m AS (DELETE FROM ${s}.memberships WHERE user_id = $1), rr AS (DELETE FROM ${s}.room_reads WHERE user_id = $1)
      DELETE FROM ${s}.dm_reads WHERE user_id = $1`,
    // A range of the unique "C" index on name_key (rows.ts prefixEnd): no LIKE, no pattern characters.
    accountsInRange: `SELECT * FROM ${s}.accounts WHERE name_key >= $1 AND name_key < $2 ORDER BY name_key LIMIT $3`,
    accountsFrom: `SELECT * FROM ${s}.accounts WHERE name_key >= $1 ORDER BY name_key LIMIT $2`,
    addMembership: `INSERT INTO ${s}.memberships (user_id, room, joined_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
    removeMembership: `DELETE FROM ${s}.memberships WHERE user_id = $1 AND room = $2`,
    listMemberships: `SELECT room FROM ${s}.memberships WHERE user_id = $1 ORDER BY joined_at, pos`,
    countMembers: `SELECT COUNT(*) AS n FROM ${s}.memberships WHERE room = $1`,
    // One statement: the record and its owner's role commit together, or neither when the room has a record.
    createRoom: `
      WITH r AS (
        INSERT INTO ${s}.room_records (room, namespace, owner, topic, public, created_at) VALUES ($1, $2, $3, $4, $5, $6)
        ON CONFLICT DO NOTHING RETURNING room, owner
      ), o AS (
        INSERT INTO ${s}.room_roles (room, user_id, role) SELECT room, owner, 'owner' FROM r WHERE owner IS NOT NULL
        ON CONFLICT (room, user_id) DO UPDATE SET role = 'owner'
      )
      SELECT room FROM r`,
    findRoom: `SELECT * FROM ${s}.room_records WHERE room = $1`,
    updateRoom: `UPDATE ${s}.room_records SET topic = COALESCE($2, topic), public = COALESCE($3, public) WHERE room = $1`,
    findRoomRole: `SELECT role FROM ${s}.room_roles WHERE room = $1 AND user_id = $2`,
    setRoomRole: `
      INSERT INTO ${s}.room_roles (room, user_id, role) VALUES ($1, $2, $3)
      ON CONFLICT (room, user_id) DO UPDATE SET role = EXCLUDED.role`,
    removeRoomRole: `DELETE FROM ${s}.room_roles WHERE room = $1 AND user_id = $2`,
    listRoomRoles: `SELECT user_id, role FROM ${s}.room_roles WHERE room = $1 ORDER BY user_id COLLATE "C"`,
    addInvitation: `INSERT INTO ${s}.invitations (room, user_id, invited_by, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
    hasInvitation: `SELECT 1 FROM ${s}.invitations WHERE room = $1 AND user_id = $2`,
    // A range of room_records_public: no LIKE, so no pattern characters. NULL leaves a bound open.
    publicRooms: `
      SELECT r.room, r.topic, (SELECT COUNT(*) FROM ${s}.memberships m WHERE m.room = r.room) AS members
      FROM ${s}.room_records r
      WHERE r.public AND r.room >= $1 AND r.room > $2 AND ($3::text IS NULL OR r.room < $3) AND ($4::text IS NULL OR r.namespace = $4)
      ORDER BY r.room LIMIT $5`,
    markDmRead: `
      INSERT INTO ${s}.dm_reads AS r (user_id, peer_id, seq) VALUES ($1, $2, $3)
      ON CONFLICT (user_id, peer_id) DO UPDATE SET seq = GREATEST(r.seq, EXCLUDED.seq)
      RETURNING seq`,
    setBan: `
      INSERT INTO ${s}.bans (user_id, until, reason, created_at) VALUES ($1, $2, $3, $4)
      ON CONFLICT (user_id) DO UPDATE SET until = EXCLUDED.until, reason = EXCLUDED.reason, created_at = EXCLUDED.created_at`,
    removeBan: `DELETE FROM ${s}.bans WHERE user_id = $1 RETURNING *`,
    ban: `SELECT * FROM ${s}.bans WHERE user_id = $1`,
    // Taken before deleteRoom: the room's append lock, so appends and events
    // in flight commit before the delete looks (none survives it) and none
    // meets it half way (a ban event and a delete both remove memberships).
    lockRoom: `SELECT head FROM ${s}.rooms WHERE room = $1 FOR UPDATE`,
    // One statement: memberships, record, roles, invitations, bans and mutes,
    // messages and their reactions go together; rooms.head stays, so
    // numbering goes on (and read markers, which are positions in it, stay).
    deleteRoom: `
      WITH m AS (DELETE FROM ${s}.memberships WHERE room = $1), r AS (DELETE FROM ${s}.room_records WHERE room = $1),
        ro AS (DELETE FROM ${s}.room_roles WHERE room = $1), i AS (DELETE FROM ${s}.invitations WHERE room = $1),
        re AS (DELETE FROM ${s}.reactions WHERE room = $1), rs AS (DELETE FROM ${s}.restrictions WHERE room = $1)
      DELETE FROM ${s}.messages WHERE room = $1`,
    // ---- housekeeping ----
    roomsWithHistory: `
      SELECT r.room FROM ${s}.rooms r WHERE r.room COLLATE "C" > $1 AND EXISTS (SELECT 1 FROM ${s}.messages m WHERE m.room = r.room)
      ORDER BY r.room COLLATE "C" LIMIT $2`,
    // Under the room's append lock; first_kept walks the room from its oldest entry.
    pruneBounds: `
      SELECT r.head, (SELECT MIN(seq) FROM ${s}.messages WHERE room = $1) AS tail,
        (SELECT seq FROM ${s}.messages WHERE room = $1 AND ts >= $2 ORDER BY seq LIMIT 1) AS first_kept
      FROM ${s}.rooms r WHERE r.room = $1 FOR UPDATE`,
    pruneBelow: `
      WITH re AS (DELETE FROM ${s}.reactions WHERE room = $1 AND seq < $2),
        ex AS (UPDATE ${s}.messages SET reply_excerpt = NULL WHERE room = $1 AND seq >= $2 AND reply_to < $2 AND reply_excerpt IS NOT NULL)
      DELETE FROM ${s}.messages WHERE room = $1 AND seq < $2`,
    purgeSessions: `
      DELETE FROM ${s}.sessions WHERE key_hash IN (
        SELECT key_hash FROM ${s}.sessions o WHERE (expires_at < $1 OR revoked_at < $1)
          AND session_id IS DISTINCT FROM (SELECT session_id FROM ${s}.sessions n WHERE n.user_id = o.user_id ORDER BY last_seen_at DESC, created_at DESC LIMIT 1)
        LIMIT $2)`,
    addBlock: `INSERT INTO ${s}.blocks (user_id, blocked_id, blocked_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
    removeBlock: `DELETE FROM ${s}.blocks WHERE user_id = $1 AND blocked_id = $2`,
    listBlocks: `SELECT blocked_id FROM ${s}.blocks WHERE user_id = $1 ORDER BY blocked_at, pos`,
    isBlocked: `SELECT 1 FROM ${s}.blocks WHERE user_id = $1 AND blocked_id = $2`,
    // A user's conversations in one query on the index inbox (user_id, peer_id,
    // from_peer, seq): the newest entry per peer is an aggregate over the
    // user's part of that index alone (an index-only scan; only the ≤ limit
    // newest DMs are read), and each unread count is a range of it above the marker.
    conversations: `
      WITH last AS (
        SELECT peer_id, MAX(seq) AS seq FROM ${s}.inbox WHERE user_id = $1
        GROUP BY peer_id ORDER BY 2 DESC LIMIT $2
      )
      SELECT d.*, l.peer_id, l.seq,
        (SELECT COUNT(*) FROM ${s}.inbox u WHERE u.user_id = $1 AND u.peer_id = l.peer_id AND u.from_peer
          AND u.seq > COALESCE((SELECT r.seq FROM ${s}.dm_reads r WHERE r.user_id = $1 AND r.peer_id = l.peer_id), 0)) AS unread,
        COALESCE(
          (SELECT f.from_name FROM ${s}.inbox p JOIN ${s}.dms f ON f.id = p.dm_id
            WHERE p.user_id = $1 AND p.peer_id = l.peer_id AND p.from_peer ORDER BY p.seq DESC LIMIT 1),
          (SELECT a.name FROM ${s}.accounts a WHERE a.user_id = l.peer_id),
          (SELECT se.name FROM ${s}.sessions se WHERE se.user_id = l.peer_id ORDER BY se.last_seen_at DESC LIMIT 1),
          l.peer_id) AS peer_name
      FROM last l JOIN ${s}.inbox i ON i.user_id = $1 AND i.seq = l.seq JOIN ${s}.dms d ON d.id = i.dm_id
      ORDER BY l.seq DESC`,
  }

  const events = eventStatements(s)
  const roomState = roomStateStatements(s)

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
      const { replyTo } = input
      if (replyTo !== undefined) return appendReply(db(), events, { ...input, replyTo })
      const clientMsgId = input.clientMsgId ?? null
      const mentions = input.mentions?.length ? input.mentions : null
      try {
        const { rows } = await db().query<SnapshotRow>(sql.appendChat, [
          input.room,
          newMessageId(),
          input.userId,
          input.name,
          input.text,
          input.ts,
          clientMsgId,
          mentions,
          ...searchVectors(input.text),
        ])
        return { message: toSnapshot(rows[0]!), duplicate: false }
      } catch (err) {
        if (clientMsgId === null || !isUniqueViolation(err, 'messages_client_id')) throw err
        return { message: toSnapshot(await original<SnapshotRow>(sql.byClientId, input.userId, clientMsgId)), duplicate: true }
      }
    },

    async appendChats(inputs) {
      // One statement for plain chats; replies (which read their target) and a batch that meets a
      // duplicate (the statement stores nothing then) go one by one, in order.
      if (inputs.length < 2 || inputs.some((i) => i.replyTo !== undefined)) return appendOneByOne(this, inputs)
      const rows = inputs.map((input, i) => {
        const [words, chars] = searchVectors(input.text)
        return {
          i: i + 1,
          msg_id: newMessageId(),
          user_id: input.userId,
          name: input.name,
          text: input.text,
          ts: input.ts,
          client_msg_id: input.clientMsgId ?? null,
          mentions: input.mentions?.length ? input.mentions : null,
          words,
          chars,
        }
      })
      try {
        const result = await db().query<SnapshotRow>(sql.appendChats, [inputs[0]!.room, inputs.length, JSON.stringify(rows)])
        return result.rows.map((row) => ({ ok: true as const, value: { message: toSnapshot(row), duplicate: false } }))
      } catch (err) {
        if (!isUniqueViolation(err, 'messages_client_id')) return inputs.map(() => ({ ok: false as const, error: err }))
        return appendOneByOne(this, inputs)
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
        const { rows } = await db().query<SnapshotRow>(sql.after, [room, query.after, query.limit + 1])
        return toPage(rows, query.limit, toSnapshot)
      }
      const { rows } = await db().query<SnapshotRow>(sql.before, [room, query.before ?? Number.MAX_SAFE_INTEGER, query.limit + 1])
      return toPage(rows, query.limit, toSnapshot, true)
    },

    async appendDm(input: DmInput): Promise<AppendedDm> {
      const clientMsgId = input.clientMsgId ?? null
      const participants = [...new Set([input.from, input.to])].sort()
      const appended = (row: PlacedDmRow, duplicate: boolean): AppendedDm => ({ message: toDm(row), duplicate, toSeq: Number(row.to_seq), fromSeq: Number(row.from_seq) })
      try {
        const { rows } = await db().query<PlacedDmRow>(sql.appendDm, [
          newMessageId(),
          input.from,
          input.fromName,
          input.to,
          input.text,
          input.ts,
          clientMsgId,
          participants,
          ...searchVectors(input.text),
        ])
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

    async dmConversation(userId, peerId, query) {
      const before = query.before ?? Number.MAX_SAFE_INTEGER
      const { rows } = await db().query<DmRow<string> & { inbox_seq: string }>(sql.conversation, [userId, peerId, before, query.limit + 1])
      return toPage(rows, query.limit, (r) => ({ ...toDm(r), seq: Number(r.inbox_seq) }), true)
    },

    async saveSession(key: string, record: SessionRecord) {
      const now = clock.now()
      await db().query(sql.saveSession, [hashKey(key), randomToken(12), record.userId, record.name, now, now + DEFAULT_SESSION_TTL_MS])
    },
    async findSession(key) {
      const { rows } = await db().query<SessionTableRow<string>>(sql.sessionByKey, [hashKey(key), clock.now()])
      return rows[0] && { userId: rows[0].user_id, name: rows[0].name }
    },
    async hasUser(userId) {
      return (await db().query(sql.hasUser, [userId])).rowCount! > 0
    },
    async renameUser(userId, name) {
      await db().query(sql.renameUser, [userId, name])
    },

    async createAccount(a) {
      return (await db().query(sql.createAccount, [a.userId, a.name, a.nameKey, a.passwordHash, a.createdAt])).rowCount! > 0
    },
    async findAccountByNameKey(nameKey) {
      const { rows } = await db().query<AccountRow<string>>(sql.accountByNameKey, [nameKey])
      return rows[0] && toAccount(rows[0])
    },
    async findAccount(userId) {
      const { rows } = await db().query<AccountRow<string>>(sql.account, [userId])
      return rows[0] && toAccount(rows[0])
    },
    async renameAccount(userId, name, nameKey) {
      try {
        await db().query(sql.renameAccount, [userId, name, nameKey])
        return true
      } catch (err) {
        if (isUniqueViolation(err, 'accounts_name_key_key')) return false
        throw err
      }
    },
    async setPasswordHash(userId, passwordHash) {
      await db().query(sql.setPasswordHash, [userId, passwordHash])
    },
    async deleteAccount(userId) {
      await db().query(sql.deleteAccount, [userId])
    },
    async findAccountsByPrefix(prefix, limit) {
      const end = prefixEnd(prefix)
      const { rows } = await db().query<AccountRow<string>>(end === undefined ? sql.accountsFrom : sql.accountsInRange, end === undefined ? [prefix, limit] : [prefix, end, limit])
      return rows.map(toAccount)
    },

    async createSession(key, session) {
      const sessionId = randomToken(12)
      await db().query(sql.createSession, [hashKey(key), sessionId, session.userId, session.name, session.device ?? null, session.createdAt, session.expiresAt])
      return sessionId
    },
    async findSessionByKey(key, now) {
      const { rows } = await db().query<SessionTableRow<string>>(sql.sessionByKey, [hashKey(key), now])
      return rows[0] && toSession(rows[0])
    },
    async touchSession(sessionId, lastSeenAt, expiresAt) {
      await db().query(sql.touchSession, [sessionId, lastSeenAt, expiresAt])
    },
    async listSessions(userId, now) {
      const { rows } = await db().query<SessionTableRow<string>>(sql.listSessions, [userId, now])
      return rows.map(toSession)
    },
    async revokeSession(userId, sessionId) {
      return (await db().query(sql.revokeSession, [userId, sessionId, clock.now()])).rowCount! > 0
    },
    async revokeUserSessions(userId, exceptSessionId) {
      const { rows } = await db().query<{ session_id: string }>(sql.revokeUserSessions, [userId, exceptSessionId ?? null, clock.now()])
      return rows.map((r) => r.session_id)
    },

    async addMembership(userId, room, joinedAt) {
      await db().query(sql.addMembership, [userId, room, joinedAt])
    },
    async removeMembership(userId, room) {
      await db().query(sql.removeMembership, [userId, room])
    },
    async listMemberships(userId) {
      const { rows } = await db().query<{ room: string }>(sql.listMemberships, [userId])
      return rows.map((r) => r.room)
    },

    async countMembers(room) {
      const { rows } = await db().query<{ n: string }>(sql.countMembers, [room])
      return Number(rows[0]!.n)
    },
    async createRoom(r) {
      return (await db().query(sql.createRoom, [r.room, r.namespace, r.owner ?? null, r.topic, r.public, r.createdAt])).rowCount! > 0
    },
    async findRoom(room) {
      const { rows } = await db().query<RoomRecordRow<string>>(sql.findRoom, [room])
      return rows[0] && toRoomRecord(rows[0])
    },
    async updateRoom(room, changes) {
      await db().query(sql.updateRoom, [room, changes.topic ?? null, changes.public ?? null])
    },
    async findRoomRole(room, userId) {
      const { rows } = await db().query<{ role: 'owner' | 'moderator' }>(sql.findRoomRole, [room, userId])
      return rows[0]?.role
    },
    async setRoomRole(room, userId, role) {
      if (role === 'member') await db().query(sql.removeRoomRole, [room, userId])
      else await db().query(sql.setRoomRole, [room, userId, role])
    },
    async listRoomRoles(room) {
      const { rows } = await db().query<{ user_id: string; role: 'owner' | 'moderator' }>(sql.listRoomRoles, [room])
      return rows.map((r) => ({ userId: r.user_id, role: r.role }))
    },
    async addInvitation(room, userId, invitedBy, at) {
      await db().query(sql.addInvitation, [room, userId, invitedBy, at])
    },
    async hasInvitation(room, userId) {
      return (await db().query(sql.hasInvitation, [room, userId])).rowCount! > 0
    },
    async listPublicRooms(q) {
      const end = q.prefix === undefined ? null : (prefixEnd(q.prefix) ?? null)
      const { rows } = await db().query<{ room: string; topic: string; members: string }>(sql.publicRooms, [q.prefix ?? '', q.after ?? '', end, q.namespace ?? null, q.limit])
      return rows.map((r) => ({ room: r.room, topic: r.topic, members: Number(r.members) }))
    },

    async listDmConversations(userId, limit) {
      const { rows } = await db().query<ConversationRow<string>>(sql.conversations, [userId, limit])
      return rows.map(toConversation)
    },
    async markDmRead(userId, peerId, seq) {
      const { rows } = await db().query<{ seq: string }>(sql.markDmRead, [userId, peerId, seq])
      return Number(rows[0]!.seq)
    },

    async setBan(ban) {
      await db().query(sql.setBan, [ban.userId, ban.until, ban.reason ?? null, ban.createdAt])
    },
    async removeBan(userId, now) {
      const { rows } = await db().query<BanRow<string>>(sql.removeBan, [userId])
      return rows[0] !== undefined && banInForce(toBan(rows[0]), now)
    },
    async findBan(userId, now) {
      const { rows } = await db().query<BanRow<string>>(sql.ban, [userId])
      return rows[0] !== undefined && banInForce(toBan(rows[0]), now) ? toBan(rows[0]) : undefined
    },
    deleteRoom(room) {
      return transaction(db(), async (c) => {
        await c.query(sql.lockRoom, [room])
        return { commit: true, result: (await c.query(sql.deleteRoom, [room])).rowCount ?? 0 }
      })
    },
    async roomsWithHistory(after, limit) {
      const { rows } = await db().query<{ room: string }>(sql.roomsWithHistory, [after, limit])
      return rows.map((r) => r.room)
    },
    pruneRoom(room, before, limit) {
      return transaction(db(), async (c) => {
        const { rows } = await c.query<{ head: string; tail: string | null; first_kept: string | null }>(sql.pruneBounds, [room, before])
        const bounds = rows[0]
        if (bounds?.tail == null) return { commit: false, result: 0 }
        const tail = Number(bounds.tail)
        const keepFrom = Math.min(bounds.first_kept === null ? Number(bounds.head) + 1 : Number(bounds.first_kept), tail + limit)
        if (keepFrom <= tail) return { commit: false, result: 0 }
        return { commit: true, result: (await c.query(sql.pruneBelow, [room, keepFrom])).rowCount ?? 0 }
      })
    },
    async purgeSessions(before, limit) {
      return (await db().query(sql.purgeSessions, [before, limit])).rowCount ?? 0
    },
    async addBlock(userId, blockedId, at) {
      await db().query(sql.addBlock, [userId, blockedId, at])
    },
    async removeBlock(userId, blockedId) {
      await db().query(sql.removeBlock, [userId, blockedId])
    },
    async listBlocks(userId) {
      const { rows } = await db().query<{ blocked_id: string }>(sql.listBlocks, [userId])
      return rows.map((r) => r.blocked_id)
    },
    async isBlocked(userId, blockedId) {
      return (await db().query(sql.isBlocked, [userId, blockedId])).rowCount! > 0
    },

    appendEvent(input) {
      return appendEvent(db(), events, input)
    },
    async findMessage(room, seq) {
      const { rows } = await db().query<SnapshotRow>(sql.findMessage, [room, seq])
      return rows[0] && toSnapshot(rows[0])
    },
    findRestriction(room, userId, kind, now) {
      return findRestriction(db(), roomState, room, userId, kind, now)
    },
    listRestrictions(room, now) {
      return listRestrictions(db(), roomState, room, now)
    },
    markRoomRead(userId, room, seq) {
      return markRoomRead(db(), roomState, userId, room, seq)
    },
    startReading(userId, room, seq) {
      return startReading(db(), roomState, userId, room, seq)
    },
    unreadCounts(userId, rooms) {
      return unreadCounts(db(), roomState, userId, rooms)
    },
    search: createPostgresSearch(db, s),
  }
}
