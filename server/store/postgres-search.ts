// Full-text search for the PostgreSQL store: tables message_search and
// dm_search beside messages and dms, holding the tokens of search-terms.ts as
// tsvectors, with GIN indexes.
//
// - The vectors are written as tsvector literals built here, and queries as
//   tsquery literals: PostgreSQL's text parser (to_tsvector, to_tsquery, even
//   with the 'simple' configuration) would cut our tokens again by its own
//   rules (e-mail addresses, URLs, hyphenated words; CJK text as one long
//   word), and then find what the memory and SQLite stores do not. A literal
//   takes each lexeme as it is: quoted, with ' doubled and \ escaped, so no
//   token can be read as an operator.
// - `words`: words and CJK bigrams with their positions, for phrases (<->);
//   `chars`: the CJK characters, without positions.
// - Tables of their own, not columns of messages: history reads (SELECT *)
//   never carry the vectors, and a search sorts the matching entries by their
//   own (ts, msg_id) and reads only the messages of one page.
// - The statements that write a text write its entry (searchVectors) in the
//   same statement: appendChat, appendDm, a reply (postgres-events.ts), an
//   edit (replaces it); a delete removes it. Event entries get none. Deleting
//   the message deletes the entry (foreign key, ON DELETE CASCADE). Migration
//   6 indexes the rows already stored (not event entries, not tombstones).
import type pg from 'pg'
import { type SnapshotRow, snapshotSql, toSnapshot } from './postgres-snapshots.ts'
import { type DmRow, toDm } from './rows.ts'
import { indexTokens, pageOfHits, usableTerms } from './search-terms.ts'
import type { SearchHitRow, SearchQuery, SearchTerm } from './store.ts'

/** PostgreSQL keeps positions up to this; later ones count as this one. */
const MAX_POSITION = 16383
/** Rows indexed per statement by the migration. */
const BACKFILL_BATCH = 1000

/** A quoted lexeme of a tsvector or tsquery literal. */
const lexeme = (token: string): string => `'${token.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`

/** tsvector literals of a text: [words, chars]. */
export function searchVectors(text: string): [words: string, chars: string] {
  const tokens = indexTokens(text)
  const positions = new Map<string, number[]>()
  tokens.words.forEach((token, i) => {
    let list = positions.get(token)
    if (!list) positions.set(token, (list = []))
    list.push(Math.min(i + 1, MAX_POSITION))
  })
  const words = [...positions].map(([token, at]) => `${lexeme(token)}:${at.join(',')}`).join(' ')
  return [words, tokens.chars.map(lexeme).join(' ')]
}

/** tsquery literals of the terms (undefined: no term of that kind). */
export function searchQueries(terms: readonly SearchTerm[]): { words?: string | undefined; chars?: string | undefined } {
  const words: string[] = []
  const chars: string[] = []
  for (const t of terms) {
    if (t.char) chars.push(...t.tokens.map(lexeme))
    else if (t.phrase) words.push(`(${t.tokens.map(lexeme).join(' <-> ')})`)
    else words.push(...t.tokens.map(lexeme))
  }
  return { words: words.length > 0 ? words.join(' & ') : undefined, chars: chars.length > 0 ? chars.join(' & ') : undefined }
}

/** Migration 6 (postgres.ts): the tables; `backfillSearch` then fills them and builds the GIN indexes. */
export const SEARCH_MIGRATION = `
  CREATE TABLE message_search (
    room text NOT NULL, seq bigint NOT NULL, ts bigint NOT NULL, msg_id text NOT NULL, words tsvector NOT NULL, chars tsvector NOT NULL,
    PRIMARY KEY (room, seq), FOREIGN KEY (room, seq) REFERENCES messages (room, seq) ON DELETE CASCADE
  );
  CREATE TABLE dm_search (
    dm_id bigint PRIMARY KEY REFERENCES dms (id) ON DELETE CASCADE, ts bigint NOT NULL, msg_id text NOT NULL, words tsvector NOT NULL, chars tsvector NOT NULL
  );
`

/** Indexes the rows already stored, in batches, then creates the GIN indexes (faster after than during). Runs in the migration's transaction, its schema first on the search_path. */
export async function backfillSearch(client: pg.PoolClient): Promise<void> {
  let after: [string, string] | undefined
  for (;;) {
    const { rows } = await client.query<{ room: string; seq: string; ts: string; msg_id: string; text: string }>(
      after === undefined
        ? 'SELECT room, seq, ts, msg_id, text FROM messages WHERE event IS NULL AND NOT deleted ORDER BY room, seq LIMIT $1'
        : 'SELECT room, seq, ts, msg_id, text FROM messages WHERE event IS NULL AND NOT deleted AND (room, seq) > ($2, $3) ORDER BY room, seq LIMIT $1',
      after === undefined ? [BACKFILL_BATCH] : [BACKFILL_BATCH, ...after],
    )
    if (rows.length === 0) break
    const vectors = rows.map((r) => searchVectors(r.text))
    await client.query(
      `INSERT INTO message_search (room, seq, ts, msg_id, words, chars)
       SELECT room, seq, ts, msg_id, w::tsvector, c::tsvector
       FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::text[], $5::text[], $6::text[]) AS v(room, seq, ts, msg_id, w, c)`,
      [rows.map((r) => r.room), rows.map((r) => r.seq), rows.map((r) => r.ts), rows.map((r) => r.msg_id), vectors.map((v) => v[0]), vectors.map((v) => v[1])],
    )
    const last = rows.at(-1)!
    after = [last.room, last.seq]
  }
  let afterId = '0'
  for (;;) {
    const { rows } = await client.query<{ id: string; ts: string; msg_id: string; text: string }>('SELECT id, ts, msg_id, text FROM dms WHERE id > $1 ORDER BY id LIMIT $2', [afterId, BACKFILL_BATCH])
    if (rows.length === 0) break
    const vectors = rows.map((r) => searchVectors(r.text))
    await client.query(
      `INSERT INTO dm_search (dm_id, ts, msg_id, words, chars)
       SELECT id, ts, msg_id, w::tsvector, c::tsvector FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[]) AS v(id, ts, msg_id, w, c)`,
      [rows.map((r) => r.id), rows.map((r) => r.ts), rows.map((r) => r.msg_id), vectors.map((v) => v[0]), vectors.map((v) => v[1])],
    )
    afterId = rows.at(-1)!.id
  }
  await client.query(`
    CREATE INDEX message_search_words ON message_search USING gin (words);
    CREATE INDEX message_search_chars ON message_search USING gin (chars);
    CREATE INDEX dm_search_words ON dm_search USING gin (words);
    CREATE INDEX dm_search_chars ON dm_search USING gin (chars);`)
}

/** Values of a statement; `add` returns the placeholder of the value it adds. */
function parameters() {
  const values: unknown[] = []
  return { values, add: (value: unknown) => `$${values.push(value)}` }
}

/** The conditions on the search table aliased `f`: the terms, and below the position `before`. */
function conditions(query: SearchQuery, q: ReturnType<typeof searchQueries>, p: ReturnType<typeof parameters>): string {
  const parts: string[] = []
  if (q.words !== undefined) parts.push(`f.words @@ ${p.add(q.words)}::tsquery`)
  if (q.chars !== undefined) parts.push(`f.chars @@ ${p.add(q.chars)}::tsquery`)
  if (query.before !== undefined) {
    const ts = p.add(query.before.ts)
    parts.push(`(f.ts < ${ts} OR (f.ts = ${ts} AND f.msg_id COLLATE "C" < ${p.add(query.before.msgId)}))`)
  }
  return parts.join(' AND ')
}

/** The search of a store whose tables are in schema `s` (escaped): rooms and DMs read at once, merged newest first. */
export function createPostgresSearch(db: () => pg.Pool, s: string): (query: SearchQuery) => Promise<{ hits: SearchHitRow[]; hasMore: boolean }> {
  // Entries are sorted by their own (ts, msg_id) and cut to a page before a
  // message is read; the page's messages are read as snapshots (reactions,
  // reply), as history reads them.
  const roomHits = async (query: SearchQuery, q: ReturnType<typeof searchQueries>, rooms: string[]): Promise<SearchHitRow[]> => {
    const p = parameters()
    const page = `SELECT f.room, f.seq FROM ${s}.message_search f WHERE f.room = ANY(${p.add(rooms)}::text[]) AND ${conditions(query, q, p)}
      ORDER BY f.ts DESC, f.msg_id COLLATE "C" DESC LIMIT ${p.add(query.limit + 1)}`
    // Events and tombstones have no entry; the test guards against one left behind.
    const sql = snapshotSql(s, `(m.room, m.seq) IN (${page}) AND m.event IS NULL AND NOT m.deleted`)
    const { rows } = await db().query<SnapshotRow>(sql, p.values)
    return rows.map((row) => ({ kind: 'room', message: toSnapshot(row) }))
  }
  const dmHits = async (query: SearchQuery, q: ReturnType<typeof searchQueries>): Promise<SearchHitRow[]> => {
    const p = parameters()
    const sql = `SELECT d.*, i.seq AS inbox_seq FROM ${s}.dm_search f
        JOIN ${s}.inbox i ON i.dm_id = f.dm_id AND i.user_id = ${p.add(query.userId)} JOIN ${s}.dms d ON d.id = f.dm_id
      WHERE ${conditions(query, q, p)}
      ORDER BY f.ts DESC, f.msg_id COLLATE "C" DESC LIMIT ${p.add(query.limit + 1)}`
    const { rows } = await db().query<DmRow<string> & { inbox_seq: string }>(sql, p.values)
    return rows.map((row) => ({ kind: 'dm', dm: { ...toDm(row), seq: Number(row.inbox_seq) } }))
  }

  return async (query) => {
    const terms = usableTerms(query.terms)
    if (terms.length === 0) return { hits: [], hasMore: false }
    const q = searchQueries(terms)
    const rooms = [...new Set(query.rooms)]
    const found = await Promise.all([rooms.length > 0 ? roomHits(query, q, rooms) : [], query.dms ? dmHits(query, q) : []])
    return pageOfHits(found.flat(), query.limit)
  }
}
