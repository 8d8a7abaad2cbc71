// The SQLite schema and its versioned upgrades. The version lives in
// PRAGMA user_version; each migration runs once, in its own transaction, in
// order. One process per file (see sqlite.ts), so no lock is needed beyond
// SQLite's own.
import type Database from 'better-sqlite3'
import { randomToken } from './ids.ts'
import { registerSearchFunctions, SEARCH_BATCH_MIGRATION, SEARCH_MIGRATION } from './sqlite-search.ts'
import { DEFAULT_SESSION_TTL_MS } from './store.ts'

export const SCHEMA_VERSION = 7

const MIGRATIONS: Record<number, string> = {
  1: `
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE messages (
      room TEXT NOT NULL, seq INTEGER NOT NULL, msg_id TEXT NOT NULL, user_id TEXT NOT NULL,
      name TEXT NOT NULL, text TEXT NOT NULL, ts INTEGER NOT NULL, client_msg_id TEXT,
      PRIMARY KEY (room, seq)
    ) WITHOUT ROWID;
    CREATE UNIQUE INDEX messages_client_id ON messages (user_id, client_msg_id) WHERE client_msg_id IS NOT NULL;
    CREATE TABLE dms (
      id INTEGER PRIMARY KEY AUTOINCREMENT, msg_id TEXT NOT NULL, from_user TEXT NOT NULL, from_name TEXT NOT NULL,
      to_user TEXT NOT NULL, text TEXT NOT NULL, ts INTEGER NOT NULL, client_msg_id TEXT
    );
    CREATE UNIQUE INDEX dms_client_id ON dms (from_user, client_msg_id) WHERE client_msg_id IS NOT NULL;
    CREATE TABLE inbox (user_id TEXT NOT NULL, seq INTEGER NOT NULL, dm_id INTEGER NOT NULL, PRIMARY KEY (user_id, seq)) WITHOUT ROWID;
    CREATE INDEX inbox_dm ON inbox (dm_id);
    CREATE TABLE sessions (key_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL, name TEXT NOT NULL, created_at INTEGER NOT NULL);
    CREATE INDEX sessions_user ON sessions (user_id);
  `,
  // Protocol 1.1.0: accounts, sessions that end, memberships, DM conversations.
  2: `
    CREATE TABLE accounts (
      user_id TEXT PRIMARY KEY, name TEXT NOT NULL, name_key TEXT NOT NULL UNIQUE,
      password_hash TEXT NOT NULL, created_at INTEGER NOT NULL
    );
    -- Sessions gain a public id, a device, a sliding expiry and revocation.
    -- Sessions of schema 1 never expired: they get the default lifetime
    -- (store.ts DEFAULT_SESSION_TTL_MS) from the upgrade on, like new ones.
    CREATE TABLE sessions_v2 (
      key_hash TEXT PRIMARY KEY, session_id TEXT NOT NULL UNIQUE, user_id TEXT NOT NULL, name TEXT NOT NULL, device TEXT,
      created_at INTEGER NOT NULL, last_seen_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, revoked_at INTEGER
    );
    INSERT INTO sessions_v2 (key_hash, session_id, user_id, name, created_at, last_seen_at, expires_at)
      SELECT key_hash, lower(hex(randomblob(12))), user_id, name, created_at, created_at,
        CAST(strftime('%s', 'now') AS INTEGER) * 1000 + ${DEFAULT_SESSION_TTL_MS} FROM sessions;
    DROP TABLE sessions;
    ALTER TABLE sessions_v2 RENAME TO sessions;
    CREATE INDEX sessions_user ON sessions (user_id, last_seen_at);
    -- A rowid table: rooms joined in one millisecond keep their order.
    CREATE TABLE memberships (user_id TEXT NOT NULL, room TEXT NOT NULL, joined_at INTEGER NOT NULL, PRIMARY KEY (user_id, room));
    CREATE TABLE dm_reads (user_id TEXT NOT NULL, peer_id TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (user_id, peer_id)) WITHOUT ROWID;
    -- Each inbox entry names the other participant and whether they sent it,
    -- so conversations are read from one index (sqlite-statements.ts conversations).
    ALTER TABLE inbox ADD COLUMN peer_id TEXT NOT NULL DEFAULT '';
    ALTER TABLE inbox ADD COLUMN from_peer INTEGER NOT NULL DEFAULT 0;
    UPDATE inbox SET peer_id = (SELECT CASE WHEN d.from_user = inbox.user_id THEN d.to_user ELSE d.from_user END FROM dms d WHERE d.id = inbox.dm_id);
    UPDATE inbox SET from_peer = (SELECT d.from_user = inbox.peer_id FROM dms d WHERE d.id = inbox.dm_id);
    CREATE INDEX inbox_peer ON inbox (user_id, peer_id, from_peer, seq);
  `,
  // Protocol 1.2.0: room records, roles and invitations. Rooms of schema 2
  // get their record when next joined (without an owner: nobody created them
  // under these rules).
  3: `
    CREATE TABLE room_records (
      room TEXT PRIMARY KEY, namespace TEXT NOT NULL, owner TEXT, topic TEXT NOT NULL,
      public INTEGER NOT NULL, created_at INTEGER NOT NULL
    ) WITHOUT ROWID;
    -- The directory is a range of this index: public rooms by name.
    CREATE INDEX room_records_public ON room_records (public, room);
    CREATE TABLE room_roles (room TEXT NOT NULL, user_id TEXT NOT NULL, role TEXT NOT NULL, PRIMARY KEY (room, user_id)) WITHOUT ROWID;
    CREATE TABLE invitations (
      room TEXT NOT NULL, user_id TEXT NOT NULL, invited_by TEXT NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (room, user_id)
    ) WITHOUT ROWID;
    -- Member counts of the directory and room-info.
    CREATE INDEX memberships_room ON memberships (room);
  `,
  // Protocol 1.2.0 (admin API and blocks): server-wide bans, blocks, and the
  // head of rooms whose history an operator deleted (their numbering goes on).
  4: `
    CREATE TABLE bans (user_id TEXT PRIMARY KEY, until INTEGER, reason TEXT, created_at INTEGER NOT NULL);
    CREATE TABLE blocks (user_id TEXT NOT NULL, blocked_id TEXT NOT NULL, blocked_at INTEGER NOT NULL, PRIMARY KEY (user_id, blocked_id));
    CREATE TABLE room_floors (room TEXT PRIMARY KEY, seq INTEGER NOT NULL) WITHOUT ROWID;
  `,
  // Protocol 1.3.0: the life of a message. Event entries are rows of
  // messages with `event` (the RoomEvent as JSON); an edit entry names its
  // target in edit_of, so a delete finds the copies of the text it must wipe.
  // A reply keeps what its ReplyRef shows (the target's id, author and
  // excerpt as they were when it was sent: no join when reading). Messages of
  // schema 4 read as before: every new column is NULL (deleted 0).
  5: `
    ALTER TABLE messages ADD COLUMN event TEXT;
    ALTER TABLE messages ADD COLUMN edit_of INTEGER;
    ALTER TABLE messages ADD COLUMN reply_to INTEGER;
    ALTER TABLE messages ADD COLUMN reply_msg_id TEXT;
    ALTER TABLE messages ADD COLUMN reply_user_id TEXT;
    ALTER TABLE messages ADD COLUMN reply_name TEXT;
    ALTER TABLE messages ADD COLUMN reply_excerpt TEXT;
    ALTER TABLE messages ADD COLUMN mentions TEXT;
    ALTER TABLE messages ADD COLUMN edited INTEGER;
    ALTER TABLE messages ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE messages ADD COLUMN rev INTEGER;
    CREATE INDEX messages_edit_of ON messages (room, edit_of) WHERE edit_of IS NOT NULL;
    CREATE INDEX messages_reply_to ON messages (room, reply_to) WHERE reply_to IS NOT NULL;
    -- One row per (message, emoji, user). group_seq is the seq of the event
    -- that began the emoji's group (shared by its rows while it has any), so
    -- groups keep their place as protocol/timeline.ts keeps it; added_seq
    -- orders users within a group.
    CREATE TABLE reactions (
      room TEXT NOT NULL, seq INTEGER NOT NULL, emoji TEXT NOT NULL, user_id TEXT NOT NULL,
      group_seq INTEGER NOT NULL, added_seq INTEGER NOT NULL,
      PRIMARY KEY (room, seq, emoji, user_id)
    ) WITHOUT ROWID;
    -- A rowid table: a restriction set again is a new row, so (since, rowid) is the order of setting.
    CREATE TABLE restrictions (
      room TEXT NOT NULL, user_id TEXT NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL, until INTEGER,
      by_user TEXT NOT NULL, reason TEXT, since INTEGER NOT NULL,
      PRIMARY KEY (room, user_id, kind)
    );
    CREATE TABLE room_reads (user_id TEXT NOT NULL, room TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (user_id, room)) WITHOUT ROWID;
  `,
  // Protocol 1.3.0: full-text search of room messages and DMs, with the rows
  // already stored (sqlite-search.ts).
  6: SEARCH_MIGRATION,
  // Appended messages indexed once per batch (PendingIndex; why: sqlite-search.ts). An older
  // process still writing the file after this upgrade appends without indexing: stop it first.
  7: SEARCH_BATCH_MIGRATION,
}

/** Brings the schema up to this server's version (tests: to `target`); refuses a file written by a newer server. */
export function migrate(db: Database.Database, target = SCHEMA_VERSION): void {
  const version = db.pragma('user_version', { simple: true }) as number
  if (version > SCHEMA_VERSION) throw new Error(`Database schema ${version} is newer than this server (${SCHEMA_VERSION}).`)
  // The search triggers (and migration 6) call them on this connection.
  registerSearchFunctions(db)
  for (let v = version + 1; v <= target; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!)
      // The epoch names this stored history: made once, with the tables.
      if (v === 1) db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('epoch', randomToken(9))
      db.pragma(`user_version = ${v}`)
    })()
  }
}
