// Full-text search for the SQLite store: two contentless FTS5 tables holding
// the tokens of search-terms.ts, kept by triggers and, for appended room
// messages, by PendingIndex.
//
// - The tokens are made in JS (the registered functions wirechat_search_words
//   and wirechat_search_chars), so SQLite finds what the memory store finds:
//   FTS5's own tokenizers neither cut CJK runs into bigrams nor fold like
//   search-terms.ts. The tables use the `ascii` tokenizer, which splits only
//   at ASCII spaces and punctuation and passes every other character through:
//   our tokens contain neither, so each token reaches the index as it is.
// - Triggers keep the index of edits (an UPDATE of text), tombstones
//   (deleted = 1: no entry) and deleted rows of messages, and of every change
//   of dms. Messages appended to rooms are indexed by PendingIndex instead, all
//   of a group-commit batch in one statement at the end of its transaction
//   (since schema 7; before, a trigger per row): FTS5 writes its pending terms
//   to disk at every statement savepoint, so a trigger per append made one
//   index segment per message, and their merges, about 40% of the CPU an
//   append cost. Event entries get no entry. Every connection that writes
//   those tables must have the functions (migrate() registers them).
// - Contentless (content=''): the text is stored once, in messages and dms;
//   contentless_delete=1 lets the triggers delete rows by rowid alone.
// - messages has no integer key (WITHOUT ROWID, primary key room + seq), so a
//   message's rowid in message_search is (room number << 32) | seq, with room
//   numbers from search_rooms: the trigger of an edit or deletion finds the
//   row from (room, seq), and no per-message mapping is stored. Seqs from 2^32
//   on would collide and are not indexed (4 billion messages in one room).
//   A DM's rowid is its dms.id.
// - Two columns: `words` (words and CJK bigrams, positions kept for phrases)
//   and `chars` (CJK characters, for one-character queries).
import type Database from 'better-sqlite3'
import type { ChatMessage } from '@wirechat/protocol'
import { type DmRow, type MessageRow, toDm } from './rows.ts'
import { indexTokens, type IndexTokens, pageOfHits, usableTerms } from './search-terms.ts'
import type { SearchHitRow, SearchQuery, SearchTerm } from './store.ts'

/** Seqs at or above this are not indexed (see the top of this file). */
const MAX_INDEXED_SEQ = 2 ** 32

/** Indexes every stored room message; for tables with no entries yet (migration 6, a history seeded by bench/history.ts). */
export const INDEX_STORED_MESSAGES = `
  INSERT OR IGNORE INTO search_rooms (room) SELECT DISTINCT room FROM messages;
  INSERT INTO message_search (rowid, words, chars)
    SELECT (r.id << 32) | m.seq, wirechat_search_words(m.text), wirechat_search_chars(m.text)
    FROM messages m JOIN search_rooms r ON r.room = m.room WHERE m.seq < ${MAX_INDEXED_SEQ} AND m.event IS NULL AND m.deleted = 0;`

/** Migration 6 (sqlite-migrations.ts): the search tables, their triggers, and the index of the rows already stored. */
export const SEARCH_MIGRATION = `
  CREATE TABLE search_rooms (id INTEGER PRIMARY KEY, room TEXT NOT NULL UNIQUE);
  CREATE VIRTUAL TABLE message_search USING fts5(words, chars, content='', contentless_delete=1, tokenize='ascii');
  CREATE VIRTUAL TABLE dm_search USING fts5(words, chars, content='', contentless_delete=1, tokenize='ascii');
  CREATE TRIGGER message_search_insert AFTER INSERT ON messages WHEN new.seq < ${MAX_INDEXED_SEQ} AND new.event IS NULL AND new.deleted = 0 BEGIN
    INSERT OR IGNORE INTO search_rooms (room) VALUES (new.room);
    INSERT INTO message_search (rowid, words, chars)
      SELECT (id << 32) | new.seq, wirechat_search_words(new.text), wirechat_search_chars(new.text) FROM search_rooms WHERE room = new.room;
  END;
  -- An edit replaces the entry; a delete (deleted = 1) only removes it.
  CREATE TRIGGER message_search_update AFTER UPDATE OF text, event, deleted ON messages WHEN new.seq < ${MAX_INDEXED_SEQ} BEGIN
    DELETE FROM message_search WHERE rowid = (SELECT (id << 32) | old.seq FROM search_rooms WHERE room = old.room);
    INSERT OR IGNORE INTO search_rooms (room) SELECT new.room WHERE new.event IS NULL AND new.deleted = 0;
    INSERT INTO message_search (rowid, words, chars)
      SELECT (id << 32) | new.seq, wirechat_search_words(new.text), wirechat_search_chars(new.text) FROM search_rooms
      WHERE room = new.room AND new.event IS NULL AND new.deleted = 0;
  END;
  CREATE TRIGGER message_search_delete AFTER DELETE ON messages WHEN old.seq < ${MAX_INDEXED_SEQ} BEGIN
    DELETE FROM message_search WHERE rowid = (SELECT (id << 32) | old.seq FROM search_rooms WHERE room = old.room);
  END;
  CREATE TRIGGER dm_search_insert AFTER INSERT ON dms BEGIN
    INSERT INTO dm_search (rowid, words, chars) VALUES (new.id, wirechat_search_words(new.text), wirechat_search_chars(new.text));
  END;
  CREATE TRIGGER dm_search_update AFTER UPDATE OF text ON dms BEGIN
    DELETE FROM dm_search WHERE rowid = old.id;
    INSERT INTO dm_search (rowid, words, chars) VALUES (new.id, wirechat_search_words(new.text), wirechat_search_chars(new.text));
  END;
  CREATE TRIGGER dm_search_delete AFTER DELETE ON dms BEGIN
    DELETE FROM dm_search WHERE rowid = old.id;
  END;
  ${INDEX_STORED_MESSAGES}
  INSERT INTO dm_search (rowid, words, chars) SELECT id, wirechat_search_words(text), wirechat_search_chars(text) FROM dms;
`

/** Migration 7: appended messages are indexed per batch by PendingIndex, not per row by a trigger. */
export const SEARCH_BATCH_MIGRATION = 'DROP TRIGGER message_search_insert;'

/**
 * The messages appended in the current transaction, indexed together by
 * flush(): at the end of the batch's transaction, and before an edit in it,
 * so the edit's trigger finds the entry it replaces. Rows are indexed as they
 * are at the flush: one deleted or turned into a tombstone by then gets no
 * entry.
 */
export class PendingIndex {
  #rows: Array<[room: string, seq: number]> = []
  readonly #addRooms: Database.Statement<[string]>
  readonly #insert: Database.Statement<[string]>

  constructor(db: Database.Database) {
    this.#addRooms = db.prepare('INSERT OR IGNORE INTO search_rooms (room) SELECT DISTINCT value ->> 0 FROM json_each(?)')
    this.#insert = db.prepare(`INSERT INTO message_search (rowid, words, chars)
      SELECT (r.id << 32) | m.seq, wirechat_search_words(m.text), wirechat_search_chars(m.text)
      FROM json_each(?) p
        CROSS JOIN messages m ON m.room = p.value ->> 0 AND m.seq = p.value ->> 1
        CROSS JOIN search_rooms r ON r.room = m.room
      WHERE m.event IS NULL AND m.deleted = 0`)
  }

  /** A message appended in this transaction. */
  add(room: string, seq: number): void {
    if (seq < MAX_INDEXED_SEQ) this.#rows.push([room, seq])
  }

  /** Indexes the messages added since the last flush; they stay pending if it throws. */
  flush(): void {
    if (this.#rows.length === 0) return
    const rows = JSON.stringify(this.#rows)
    this.#addRooms.run(rows)
    this.#insert.run(rows)
    this.#rows = []
  }

  /** After a transaction that failed as a whole: nothing added was stored. */
  forget(): void {
    this.#rows = []
  }
}

/** Registers the tokenizer functions the search triggers and PendingIndex call; every connection that writes messages or DMs needs them. */
export function registerSearchFunctions(db: Database.Database): void {
  // The triggers call both functions on the same text, one after the other.
  let last: { text: string; tokens: IndexTokens } | undefined
  const tokensOf = (text: unknown): IndexTokens => {
    const s = typeof text === 'string' ? text : ''
    if (last?.text !== s) last = { text: s, tokens: indexTokens(s) }
    return last.tokens
  }
  db.function('wirechat_search_words', { deterministic: true }, (text) => tokensOf(text).words.join(' '))
  db.function('wirechat_search_chars', { deterministic: true }, (text) => tokensOf(text).chars.join(' '))
}

/** An FTS5 string: any text inside double quotes (doubled), never an operator. */
const ftsString = (text: string): string => `"${text.replaceAll('"', '""')}"`

/** The FTS5 query of the terms, all ANDed: phrases and words in `words`, characters in `chars`. */
export function ftsQuery(terms: readonly SearchTerm[]): string {
  const parts: string[] = []
  for (const t of terms) {
    if (t.char) for (const c of t.tokens) parts.push(`chars : ${ftsString(c)}`)
    else if (t.phrase) parts.push(`words : ${ftsString(t.tokens.join(' '))}`)
    else for (const w of t.tokens) parts.push(`words : ${ftsString(w)}`)
  }
  return parts.join(' AND ')
}

/** Where reads must stop: rows of batches not yet released are hidden (sqlite-group-commit.ts). */
export interface SearchBounds {
  /** Seqs of the room from this one on are hidden. */
  room(room: string): number
  /** Inbox seqs of the user from this one on are hidden. */
  inbox(userId: string): number
}

type Params = { match: string; ts: number | null; msgId: string; limit: number }

/** Prepares the search statements of an open (migrated) store; `snapshots` turns rows of one room into messages with their current state. */
export function prepareSearch(db: Database.Database, snapshots: (rows: MessageRow[]) => ChatMessage[]): (query: SearchQuery, bounds: SearchBounds) => { hits: SearchHitRow[]; hasMore: boolean } {
  // FTS first (CROSS JOIN keeps the order): rooms and bounds filter its hits.
  // Rooms and the bounds of rooms with hidden rows come as JSON arrays.
  const roomHits = db.prepare<[Params & { rooms: string; bounds: string }], MessageRow>(`
    SELECT m.* FROM message_search f
      CROSS JOIN search_rooms r ON r.id = f.rowid >> 32
      CROSS JOIN messages m ON m.room = r.room AND m.seq = f.rowid & ${MAX_INDEXED_SEQ - 1}
    WHERE message_search MATCH @match
      AND r.room IN (SELECT value FROM json_each(@rooms))
      AND m.seq < COALESCE((SELECT b.value ->> 1 FROM json_each(@bounds) b WHERE b.value ->> 0 = m.room), ${Number.MAX_SAFE_INTEGER})
      AND (@ts IS NULL OR m.ts < @ts OR (m.ts = @ts AND m.msg_id < @msgId))
      AND m.event IS NULL AND m.deleted = 0
    ORDER BY m.ts DESC, m.msg_id DESC LIMIT @limit`)
  const dmHits = db.prepare<[Params & { user: string; bound: number }], DmRow & { seq: number }>(`
    SELECT d.*, i.seq AS seq FROM dm_search f
      CROSS JOIN dms d ON d.id = f.rowid
      CROSS JOIN inbox i ON i.dm_id = d.id AND i.user_id = @user
    WHERE dm_search MATCH @match AND i.seq < @bound
      AND (@ts IS NULL OR d.ts < @ts OR (d.ts = @ts AND d.msg_id < @msgId))
    ORDER BY d.ts DESC, d.msg_id DESC LIMIT @limit`)

  return (query, bounds) => {
    const terms = usableTerms(query.terms)
    if (terms.length === 0) return { hits: [], hasMore: false }
    const params: Params = { match: ftsQuery(terms), ts: query.before?.ts ?? null, msgId: query.before?.msgId ?? '', limit: query.limit + 1 }
    const hits: SearchHitRow[] = []
    const rooms = [...new Set(query.rooms)]
    if (rooms.length > 0) {
      const hidden = rooms.map((room) => [room, bounds.room(room)] as const).filter(([, bound]) => bound !== Number.MAX_SAFE_INTEGER)
      const byRoom = Map.groupBy(roomHits.all({ ...params, rooms: JSON.stringify(rooms), bounds: JSON.stringify(hidden) }), (row) => row.room)
      for (const rows of byRoom.values()) for (const message of snapshots(rows)) hits.push({ kind: 'room', message })
    }
    if (query.dms) for (const row of dmHits.all({ ...params, user: query.userId, bound: bounds.inbox(query.userId) })) hits.push({ kind: 'dm', dm: { ...toDm(row), seq: row.seq } })
    return pageOfHits(hits, query.limit)
  }
}
