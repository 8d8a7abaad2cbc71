// A user's standing in a room, in PostgreSQL (since protocol 1.3.0): bans and
// mutes (written by appendEvent, read here) and read markers with the unread
// and mention counts above them.
import type pg from 'pg'
import { type RestrictionTableRow, toRestriction } from './rows.ts'
import type { RestrictionRow, UnreadRow } from './store.ts'

export function roomStateStatements(s: string) {
  return {
    // In force: no end, or an end after `now`. Ended rows stay until replaced or lifted.
    findRestriction: `SELECT * FROM ${s}.restrictions WHERE room = $1 AND user_id = $2 AND kind = $3 AND (until IS NULL OR until > $4)`,
    listRestrictions: `SELECT * FROM ${s}.restrictions WHERE room = $1 AND (until IS NULL OR until > $2) ORDER BY since, seq`,
    markRoomRead: `
      INSERT INTO ${s}.room_reads AS r (user_id, room, seq) VALUES ($1, $2, $3)
      ON CONFLICT (user_id, room) DO UPDATE SET seq = GREATEST(r.seq, EXCLUDED.seq)
      RETURNING seq`,
    startReading: `
      WITH up AS (
        INSERT INTO ${s}.room_reads AS r (user_id, room, seq) VALUES ($1, $2, $3)
        ON CONFLICT (user_id, room) DO UPDATE SET seq = EXCLUDED.seq WHERE r.seq = 0
        RETURNING seq
      )
      SELECT COALESCE((SELECT seq FROM up), (SELECT seq FROM ${s}.room_reads WHERE user_id = $1 AND room = $2)) AS seq`,
    // Every room in one query, in the order given: each count is a range of
    // the primary key (room, seq) above the marker.
    unreadCounts: `
      SELECT g.room, COALESCE(rr.seq, 0) AS read_seq, c.unread, c.mentions
      FROM unnest($2::text[]) WITH ORDINALITY AS g(room, ord)
      LEFT JOIN ${s}.room_reads rr ON rr.user_id = $1 AND rr.room = g.room
      CROSS JOIN LATERAL (
        SELECT COUNT(*) AS unread, COUNT(*) FILTER (WHERE $1 = ANY(m.mentions)) AS mentions
        FROM ${s}.messages m
        WHERE m.room = g.room AND m.seq > COALESCE(rr.seq, 0) AND m.event IS NULL AND NOT m.deleted AND m.user_id <> $1
      ) c
      ORDER BY g.ord`,
  }
}

type Statements = ReturnType<typeof roomStateStatements>

export async function findRestriction(pool: pg.Pool, q: Statements, room: string, userId: string, kind: 'ban' | 'mute', now: number): Promise<RestrictionRow | undefined> {
  const { rows } = await pool.query<RestrictionTableRow<string>>(q.findRestriction, [room, userId, kind, now])
  return rows[0] && toRestriction(rows[0])
}

export async function listRestrictions(pool: pg.Pool, q: Statements, room: string, now: number): Promise<RestrictionRow[]> {
  const { rows } = await pool.query<RestrictionTableRow<string>>(q.listRestrictions, [room, now])
  return rows.map(toRestriction)
}

export async function markRoomRead(pool: pg.Pool, q: Statements, userId: string, room: string, seq: number): Promise<number> {
  const { rows } = await pool.query<{ seq: string }>(q.markRoomRead, [userId, room, seq])
  return Number(rows[0]!.seq)
}

export async function startReading(pool: pg.Pool, q: Statements, userId: string, room: string, seq: number): Promise<number> {
  const { rows } = await pool.query<{ seq: string }>(q.startReading, [userId, room, seq])
  return Number(rows[0]!.seq)
}

export async function unreadCounts(pool: pg.Pool, q: Statements, userId: string, rooms: string[]): Promise<UnreadRow[]> {
  if (rooms.length === 0) return []
  const { rows } = await pool.query<{ room: string; read_seq: string; unread: string; mentions: string }>(q.unreadCounts, [userId, rooms])
  return rows.map((r) => ({ room: r.room, readSeq: Number(r.read_seq), unread: Number(r.unread), mentions: Number(r.mentions) }))
}
