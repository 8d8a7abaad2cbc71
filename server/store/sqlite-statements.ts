// Every SQL statement of the SQLite store, prepared once per connection.
import type Database from 'better-sqlite3'
import type { DmRow, MessageRow } from './rows.ts'

/** The statements of one open store. */
export type Statements = ReturnType<typeof prepareStatements>

export function prepareStatements(d: Database.Database) {
  return {
    head: d.prepare<[string], number | null>('SELECT MAX(seq) AS seq FROM messages WHERE room = ?').pluck(),
    byClientId: d.prepare<[string, string], MessageRow>('SELECT * FROM messages WHERE user_id = ? AND client_msg_id = ?'),
    insert: d.prepare('INSERT INTO messages (room, seq, msg_id, user_id, name, text, ts, client_msg_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
    dmByClientId: d.prepare<[string, string], DmRow>('SELECT * FROM dms WHERE from_user = ? AND client_msg_id = ?'),
    insertDm: d.prepare('INSERT INTO dms (msg_id, from_user, from_name, to_user, text, ts, client_msg_id) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    inboxHead: d.prepare<[string], number | null>('SELECT MAX(seq) AS seq FROM inbox WHERE user_id = ?').pluck(),
    inboxSeqOf: d.prepare<[string, number], number>('SELECT seq FROM inbox WHERE user_id = ? AND dm_id = ?').pluck(),
    insertInbox: d.prepare('INSERT INTO inbox (user_id, seq, dm_id) VALUES (?, ?, ?)'),
    saveSession: d.prepare('INSERT OR REPLACE INTO sessions (key_hash, user_id, name, created_at) VALUES (?, ?, ?, ?)'),
    renameUser: d.prepare('UPDATE sessions SET name = ? WHERE user_id = ?'),
    tail: d.prepare<[string], number | null>('SELECT MIN(seq) AS seq FROM messages WHERE room = ?').pluck(),
    after: d.prepare<[string, number, number, number], MessageRow>('SELECT * FROM messages WHERE room = ? AND seq > ? AND seq < ? ORDER BY seq ASC LIMIT ?'),
    before: d.prepare<[string, number, number], MessageRow>('SELECT * FROM messages WHERE room = ? AND seq < ? ORDER BY seq DESC LIMIT ?'),
    inboxAfter: d.prepare<[string, number, number, number], DmRow & { seq: number }>(
      'SELECT d.*, i.seq AS seq FROM inbox i JOIN dms d ON d.id = i.dm_id WHERE i.user_id = ? AND i.seq > ? AND i.seq < ? ORDER BY i.seq ASC LIMIT ?',
    ),
    findSession: d.prepare<[string], { user_id: string; name: string }>('SELECT user_id, name FROM sessions WHERE key_hash = ?'),
    hasUser: d.prepare<[string], number>('SELECT 1 FROM sessions WHERE user_id = ? LIMIT 1').pluck(),
    epoch: d.prepare<[], string>("SELECT value FROM meta WHERE key = 'epoch'").pluck(),
    dataVersion: d.prepare('PRAGMA data_version').pluck(),
  }
}
