// The SQLite schema and its versioned upgrades. The version lives in
// PRAGMA user_version; each migration runs once, in its own transaction, in
// order. One process per file (see sqlite.ts), so no lock is needed beyond
// SQLite's own.
import type Database from 'better-sqlite3'
import { randomToken } from './ids.ts'

const SCHEMA_VERSION = 1

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
}

/** Brings the schema up to this server's version; refuses a file written by a newer server. */
export function migrate(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number
  if (version > SCHEMA_VERSION) throw new Error(`Database schema ${version} is newer than this server (${SCHEMA_VERSION}).`)
  for (let v = version + 1; v <= SCHEMA_VERSION; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!)
      // The epoch names this stored history: made once, with the tables.
      if (v === 1) db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('epoch', randomToken(9))
      db.pragma(`user_version = ${v}`)
    })()
  }
}
