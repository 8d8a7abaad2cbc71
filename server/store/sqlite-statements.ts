// Every SQL statement of the SQLite store, prepared once per connection.
import type Database from 'better-sqlite3'
import type { AccountRow, BanRow, ConversationRow, DmRow, MessageRow, ReactionRow, RestrictionTableRow, RoomRecordRow, SessionTableRow } from './rows.ts'

/** The statements of one open store. */
export type Statements = ReturnType<typeof prepareStatements>

/** A message as reads select it: the 1.3.0 state packed in `life` (see MESSAGE_COLUMNS; sqlite-events.ts unpacks it). */
export type PackedMessageRow = MessageRow & { life: string | null }

// Message reads select the columns of schema 4 and pack the 1.3.0 state into
// one JSON column, NULL for a message without any (most messages): selecting
// the eleven new columns as such made plain reads cost ~70% more CPU per row
// (better-sqlite3 builds an object of every column), this ~10% (measured on a
// page of 100 plain messages). edited and deleted never come without rev.
const MESSAGE_COLUMNS = `room, seq, msg_id, user_id, name, text, ts, client_msg_id,
  CASE WHEN event IS NULL AND reply_to IS NULL AND mentions IS NULL AND rev IS NULL THEN NULL
  ELSE json_object('event', json(event), 'reply_to', reply_to, 'reply_msg_id', reply_msg_id, 'reply_user_id', reply_user_id, 'reply_name', reply_name,
    'reply_excerpt', reply_excerpt, 'mentions', json(mentions), 'edited', edited, 'deleted', deleted, 'rev', rev) END AS life`

export function prepareStatements(d: Database.Database) {
  return {
    // A room whose history was deleted keeps its numbering (room_floors).
    head: d
      .prepare<[string], number | null>(`SELECT max(COALESCE((SELECT MAX(seq) FROM messages WHERE room = p.r), 0), COALESCE((SELECT seq FROM room_floors WHERE room = p.r), 0))
        FROM (SELECT ? AS r) p`)
      .pluck(),
    byClientId: d.prepare<[string, string], PackedMessageRow>(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE user_id = ? AND client_msg_id = ?`),
    insert: d.prepare('INSERT INTO messages (room, seq, msg_id, user_id, name, text, ts, client_msg_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
    dmByClientId: d.prepare<[string, string], DmRow>('SELECT * FROM dms WHERE from_user = ? AND client_msg_id = ?'),
    insertDm: d.prepare('INSERT INTO dms (msg_id, from_user, from_name, to_user, text, ts, client_msg_id) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    inboxHead: d.prepare<[string], number | null>('SELECT MAX(seq) AS seq FROM inbox WHERE user_id = ?').pluck(),
    inboxSeqOf: d.prepare<[string, number], number>('SELECT seq FROM inbox WHERE user_id = ? AND dm_id = ?').pluck(),
    insertInbox: d.prepare<[string, number, number, string, number]>('INSERT INTO inbox (user_id, seq, dm_id, peer_id, from_peer) VALUES (?, ?, ?, ?, ?)'),
    // Legacy (protocol 1.0.0 logins): a key saved again replaces its session.
    saveSession: d.prepare<[string, string, string, string, number, number, number]>(
      'INSERT OR REPLACE INTO sessions (key_hash, session_id, user_id, name, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    renameUser: d.prepare('UPDATE sessions SET name = ? WHERE user_id = ?'),
    tail: d.prepare<[string], number | null>('SELECT MIN(seq) AS seq FROM messages WHERE room = ?').pluck(),
    after: d.prepare<[string, number, number, number], PackedMessageRow>(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE room = ? AND seq > ? AND seq < ? ORDER BY seq ASC LIMIT ?`),
    before: d.prepare<[string, number, number], PackedMessageRow>(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE room = ? AND seq < ? ORDER BY seq DESC LIMIT ?`),
    inboxAfter: d.prepare<[string, number, number, number], DmRow & { seq: number }>(
      'SELECT d.*, i.seq AS seq FROM inbox i JOIN dms d ON d.id = i.dm_id WHERE i.user_id = ? AND i.seq > ? AND i.seq < ? ORDER BY i.seq ASC LIMIT ?',
    ),
    // Revoked and expired rows too: the caller checks, after waiting for the release of the user's rows.
    sessionByKey: d.prepare<[string], SessionTableRow>('SELECT * FROM sessions WHERE key_hash = ?'),
    createSession: d.prepare<[string, string, string, string, string | null, number, number, number]>(
      'INSERT INTO sessions (key_hash, session_id, user_id, name, device, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    touchSession: d.prepare<[number, number, string], string>('UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE session_id = ? AND revoked_at IS NULL RETURNING user_id').pluck(),
    listSessions: d.prepare<[string, number], SessionTableRow>(
      'SELECT * FROM sessions WHERE user_id = ? AND revoked_at IS NULL AND expires_at > ? ORDER BY last_seen_at DESC, created_at DESC, session_id',
    ),
    // A revoked session matches again (idempotent) and keeps its first revocation time.
    revokeSession: d.prepare<[number, string, string]>('UPDATE sessions SET revoked_at = COALESCE(revoked_at, ?) WHERE user_id = ? AND session_id = ?'),
    revokeUserSessions: d
      .prepare<[number, string, string | null], string>('UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL AND session_id IS NOT ? RETURNING session_id')
      .pluck(),
    deleteSessions: d.prepare<[string]>('DELETE FROM sessions WHERE user_id = ?'),
    createAccount: d.prepare<[string, string, string, string, number]>('INSERT INTO accounts (user_id, name, name_key, password_hash, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING'),
    accountByNameKey: d.prepare<[string], AccountRow>('SELECT * FROM accounts WHERE name_key = ?'),
    account: d.prepare<[string], AccountRow>('SELECT * FROM accounts WHERE user_id = ?'),
    renameAccount: d.prepare<[string, string, string]>('UPDATE accounts SET name = ?, name_key = ? WHERE user_id = ?'),
    setPasswordHash: d.prepare<[string, string]>('UPDATE accounts SET password_hash = ? WHERE user_id = ?'),
    deleteAccount: d.prepare<[string]>('DELETE FROM accounts WHERE user_id = ?'),
    // A range of the unique index on name_key (rows.ts prefixEnd): no LIKE, so
    // no pattern characters to escape, and it stops at the end of the prefix.
    accountsInRange: d.prepare<[string, string, number], AccountRow>('SELECT * FROM accounts WHERE name_key >= ? AND name_key < ? ORDER BY name_key LIMIT ?'),
    accountsFrom: d.prepare<[string, number], AccountRow>('SELECT * FROM accounts WHERE name_key >= ? ORDER BY name_key LIMIT ?'),
    addMembership: d.prepare<[string, string, number]>('INSERT INTO memberships (user_id, room, joined_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING'),
    removeMembership: d.prepare<[string, string]>('DELETE FROM memberships WHERE user_id = ? AND room = ?'),
    deleteMemberships: d.prepare<[string]>('DELETE FROM memberships WHERE user_id = ?'),
    listMemberships: d.prepare<[string], string>('SELECT room FROM memberships WHERE user_id = ? ORDER BY joined_at, rowid').pluck(),
    countMembers: d.prepare<[string], number>('SELECT COUNT(*) FROM memberships WHERE room = ?').pluck(),
    createRoom: d.prepare<[string, string, string | null, string, number, number]>(
      'INSERT INTO room_records (room, namespace, owner, topic, public, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
    ),
    findRoom: d.prepare<[string], RoomRecordRow>('SELECT * FROM room_records WHERE room = ?'),
    setTopic: d.prepare<[string, string]>('UPDATE room_records SET topic = ? WHERE room = ?'),
    setPublic: d.prepare<[number, string]>('UPDATE room_records SET public = ? WHERE room = ?'),
    findRoomRole: d.prepare<[string, string], 'owner' | 'moderator'>('SELECT role FROM room_roles WHERE room = ? AND user_id = ?').pluck(),
    setRoomRole: d.prepare<[string, string, string]>('INSERT INTO room_roles (room, user_id, role) VALUES (?, ?, ?) ON CONFLICT (room, user_id) DO UPDATE SET role = excluded.role'),
    removeRoomRole: d.prepare<[string, string]>('DELETE FROM room_roles WHERE room = ? AND user_id = ?'),
    listRoomRoles: d.prepare<[string], { user_id: string; role: 'owner' | 'moderator' }>('SELECT user_id, role FROM room_roles WHERE room = ? ORDER BY user_id'),
    addInvitation: d.prepare<[string, string, string, number]>('INSERT INTO invitations (room, user_id, invited_by, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING'),
    hasInvitation: d.prepare<[string, string], number>('SELECT 1 FROM invitations WHERE room = ? AND user_id = ?').pluck(),
    // A range of room_records_public (rows.ts prefixEnd for the prefix's end):
    // no LIKE, so no pattern characters. NULL parameters leave a bound open.
    publicRooms: d.prepare<[{ namespace: string | null; prefix: string; after: string; end: string | null; limit: number }], { room: string; topic: string; members: number }>(`
      SELECT r.room, r.topic, (SELECT COUNT(*) FROM memberships m WHERE m.room = r.room) AS members
      FROM room_records r
      WHERE r.public = 1 AND r.room >= @prefix AND r.room > @after AND (@end IS NULL OR r.room < @end) AND (@namespace IS NULL OR r.namespace = @namespace)
      ORDER BY r.room LIMIT @limit`),
    markDmRead: d
      .prepare<[string, string, number], number>(
        'INSERT INTO dm_reads (user_id, peer_id, seq) VALUES (?, ?, ?) ON CONFLICT (user_id, peer_id) DO UPDATE SET seq = max(seq, excluded.seq) RETURNING seq',
      )
      .pluck(),
    deleteDmReads: d.prepare<[string]>('DELETE FROM dm_reads WHERE user_id = ?'),
    // A user's conversations in one query on the index inbox (user_id, peer_id,
    // from_peer, seq): the newest entry per peer is an aggregate over the
    // user's part of that index alone (index-only: no message rows are read
    // but the ≤ limit newest), and each unread count is a range of it above the
    // marker. Everything stops below the inbox's unreleased entries (@bound).
    // INDEXED BY: with `seq < @bound` the planner would otherwise walk the
    // primary key (user_id, seq), which for the peer's name means a scan back
    // through the whole inbox per conversation.
    conversations: d.prepare<[{ user: string; bound: number; limit: number }], ConversationRow>(`
      WITH last AS (
        SELECT peer_id, MAX(seq) AS seq FROM inbox INDEXED BY inbox_peer WHERE user_id = @user AND seq < @bound
        GROUP BY peer_id ORDER BY 2 DESC LIMIT @limit
      )
      SELECT d.*, l.peer_id, l.seq,
        (SELECT COUNT(*) FROM inbox u INDEXED BY inbox_peer WHERE u.user_id = @user AND u.peer_id = l.peer_id AND u.from_peer = 1 AND u.seq < @bound
          AND u.seq > COALESCE((SELECT r.seq FROM dm_reads r WHERE r.user_id = @user AND r.peer_id = l.peer_id), 0)) AS unread,
        COALESCE(
          (SELECT f.from_name FROM inbox p INDEXED BY inbox_peer JOIN dms f ON f.id = p.dm_id
            WHERE p.user_id = @user AND p.peer_id = l.peer_id AND p.from_peer = 1 AND p.seq < @bound ORDER BY p.seq DESC LIMIT 1),
          (SELECT a.name FROM accounts a WHERE a.user_id = l.peer_id),
          (SELECT s.name FROM sessions s WHERE s.user_id = l.peer_id ORDER BY s.last_seen_at DESC LIMIT 1),
          l.peer_id) AS peer_name
      FROM last l JOIN inbox i ON i.user_id = @user AND i.seq = l.seq JOIN dms d ON d.id = i.dm_id
      ORDER BY l.seq DESC`),
    // A page of one conversation on the index inbox (user_id, peer_id, from_peer,
    // seq): the DMs the peer sent and those the user sent are two ranges of it,
    // each read backwards index-only and merged newest first; only the ≤ @limit
    // kept are looked up. INDEXED BY for the reason given at `conversations`.
    conversation: d.prepare<[{ user: string; peer: string; before: number; limit: number }], DmRow & { seq: number }>(`
      WITH page AS (
        SELECT seq FROM (SELECT seq FROM inbox INDEXED BY inbox_peer WHERE user_id = @user AND peer_id = @peer AND from_peer = 0 AND seq < @before ORDER BY seq DESC LIMIT @limit)
        UNION ALL
        SELECT seq FROM (SELECT seq FROM inbox INDEXED BY inbox_peer WHERE user_id = @user AND peer_id = @peer AND from_peer = 1 AND seq < @before ORDER BY seq DESC LIMIT @limit)
        ORDER BY seq DESC LIMIT @limit
      )
      SELECT d.*, i.seq AS seq FROM page p JOIN inbox i ON i.user_id = @user AND i.seq = p.seq JOIN dms d ON d.id = i.dm_id
      ORDER BY i.seq DESC`),
    setBan: d.prepare<[string, number | null, string | null, number]>('INSERT OR REPLACE INTO bans (user_id, until, reason, created_at) VALUES (?, ?, ?, ?)'),
    removeBan: d.prepare<[string], BanRow>('DELETE FROM bans WHERE user_id = ? RETURNING *'),
    ban: d.prepare<[string], BanRow>('SELECT * FROM bans WHERE user_id = ?'),
    setFloor: d.prepare<[string, number]>('INSERT INTO room_floors (room, seq) VALUES (?, ?) ON CONFLICT (room) DO UPDATE SET seq = max(seq, excluded.seq)'),
    deleteMessages: d.prepare<[string]>('DELETE FROM messages WHERE room = ?'),
    // ---- housekeeping ----
    roomsWithHistory: d.prepare<[string, number], string>('SELECT DISTINCT room FROM messages WHERE room > ? ORDER BY room LIMIT ?').pluck(),
    // Walks the room from its oldest entry: reads about as many rows as it prunes.
    firstKept: d.prepare<[string, number], number>('SELECT seq FROM messages WHERE room = ? AND ts >= ? ORDER BY seq LIMIT 1').pluck(),
    deleteMessagesBelow: d.prepare<[string, number]>('DELETE FROM messages WHERE room = ? AND seq < ?'),
    deleteReactionsBelow: d.prepare<[string, number]>('DELETE FROM reactions WHERE room = ? AND seq < ?'),
    dropExcerptsBelow: d.prepare<[string, number]>('UPDATE messages SET reply_excerpt = NULL WHERE room = ? AND reply_to < ? AND reply_excerpt IS NOT NULL'),
    purgeSessions: d.prepare<{ before: number; limit: number }>(`
      DELETE FROM sessions WHERE key_hash IN (
        SELECT key_hash FROM sessions s WHERE (expires_at < @before OR revoked_at < @before)
          AND session_id IS NOT (SELECT session_id FROM sessions n WHERE n.user_id = s.user_id ORDER BY last_seen_at DESC, created_at DESC LIMIT 1)
        LIMIT @limit)`),
    deleteRoomMemberships: d.prepare<[string]>('DELETE FROM memberships WHERE room = ?'),
    roomMembers: d.prepare<[string], string>('SELECT user_id FROM memberships WHERE room = ?').pluck(),
    deleteRoomRecord: d.prepare<[string]>('DELETE FROM room_records WHERE room = ?'),
    deleteRoomRoles: d.prepare<[string]>('DELETE FROM room_roles WHERE room = ?'),
    deleteRoomInvitations: d.prepare<[string]>('DELETE FROM invitations WHERE room = ?'),
    addBlock: d.prepare<[string, string, number]>('INSERT INTO blocks (user_id, blocked_id, blocked_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING'),
    removeBlock: d.prepare<[string, string]>('DELETE FROM blocks WHERE user_id = ? AND blocked_id = ?'),
    listBlocks: d.prepare<[string], string>('SELECT blocked_id FROM blocks WHERE user_id = ? ORDER BY blocked_at, rowid').pluck(),
    isBlocked: d.prepare<[string, string], number>('SELECT 1 FROM blocks WHERE user_id = ? AND blocked_id = ?').pluck(),
    hasUser: d.prepare<[string], number>('SELECT 1 FROM sessions WHERE user_id = ? LIMIT 1').pluck(),
    epoch: d.prepare<[], string>("SELECT value FROM meta WHERE key = 'epoch'").pluck(),

    // ---- the life of a message (schema 5) ----
    // A message with a reply or mentions; plain ones keep `insert` (no extra columns to bind).
    insertRich: d.prepare<[string, number, string, string, string, string, number, string | null, number | null, string | null, string | null, string | null, string | null, string | null]>(
      `INSERT INTO messages (room, seq, msg_id, user_id, name, text, ts, client_msg_id, reply_to, reply_msg_id, reply_user_id, reply_name, reply_excerpt, mentions)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    insertEvent: d.prepare<[string, number, string, string, string, string, number, string, number | null]>(
      'INSERT INTO messages (room, seq, msg_id, user_id, name, text, ts, event, edit_of) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    /** What a reply or an event needs of the entry it names. */
    target: d.prepare<[string, number], { msg_id: string; user_id: string; name: string; text: string; is_event: number; deleted: number }>(
      'SELECT msg_id, user_id, name, text, event IS NOT NULL AS is_event, deleted FROM messages WHERE room = ? AND seq = ?',
    ),
    message: d.prepare<[string, number, number], PackedMessageRow>(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE room = ? AND seq = ? AND seq < ?`),
    editText: d.prepare<[string, number, number, string, number]>('UPDATE messages SET text = ?, edited = ?, rev = ? WHERE room = ? AND seq = ?'),
    tombstone: d.prepare<[string, number, string, number]>(
      `UPDATE messages SET text = ?, deleted = 1, rev = ?, reply_to = NULL, reply_msg_id = NULL, reply_user_id = NULL, reply_name = NULL, reply_excerpt = NULL,
        mentions = NULL, edited = NULL WHERE room = ? AND seq = ?`,
    ),
    wipeEdits: d.prepare<[string, string, number]>('UPDATE messages SET text = ? WHERE room = ? AND edit_of = ?'),
    dropExcerpts: d.prepare<[string, number]>('UPDATE messages SET reply_excerpt = NULL WHERE room = ? AND reply_to = ? AND reply_excerpt IS NOT NULL'),
    setRev: d.prepare<[number, string, number]>('UPDATE messages SET rev = ? WHERE room = ? AND seq = ?'),
    deleteReactionsOf: d.prepare<[string, number]>('DELETE FROM reactions WHERE room = ? AND seq = ?'),
    // One pass over the message's reactions: the limits and the actor's own.
    reactionState: d.prepare<[{ room: string; seq: number; emoji: string; user: string }], { emojis: number; mine: number; has: number; group_seq: number | null }>(`
      SELECT COUNT(DISTINCT emoji) AS emojis, COALESCE(SUM(user_id = @user), 0) AS mine, COALESCE(MAX(emoji = @emoji AND user_id = @user), 0) AS has,
        MAX(CASE WHEN emoji = @emoji THEN group_seq END) AS group_seq
      FROM reactions WHERE room = @room AND seq = @seq`),
    addReaction: d.prepare<[string, number, string, string, number, number]>('INSERT INTO reactions (room, seq, emoji, user_id, group_seq, added_seq) VALUES (?, ?, ?, ?, ?, ?)'),
    removeReaction: d.prepare<[string, number, string, string]>('DELETE FROM reactions WHERE room = ? AND seq = ? AND emoji = ? AND user_id = ?'),
    reactionsBetween: d.prepare<[string, number, number], ReactionRow>('SELECT seq, emoji, user_id FROM reactions WHERE room = ? AND seq >= ? AND seq <= ? ORDER BY seq, group_seq, added_seq'),
    setRestriction: d.prepare<[string, string, string, string, number | null, string, string | null, number]>(
      'INSERT OR REPLACE INTO restrictions (room, user_id, kind, name, until, by_user, reason, since) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    restriction: d.prepare<[string, string, string], RestrictionTableRow>('SELECT * FROM restrictions WHERE room = ? AND user_id = ? AND kind = ?'),
    removeRestriction: d.prepare<[string, string, string]>('DELETE FROM restrictions WHERE room = ? AND user_id = ? AND kind = ?'),
    listRestrictions: d.prepare<[string, number], RestrictionTableRow>('SELECT * FROM restrictions WHERE room = ? AND (until IS NULL OR until > ?) ORDER BY since, rowid'),
    removeInvitation: d.prepare<[string, string]>('DELETE FROM invitations WHERE room = ? AND user_id = ?'),
    markRoomRead: d
      .prepare<[string, string, number], number>('INSERT INTO room_reads (user_id, room, seq) VALUES (?, ?, ?) ON CONFLICT (user_id, room) DO UPDATE SET seq = max(seq, excluded.seq) RETURNING seq')
      .pluck(),
    roomRead: d.prepare<[string, string], number>('SELECT seq FROM room_reads WHERE user_id = ? AND room = ?').pluck(),
    startReading: d.prepare<[string, string, number]>('INSERT INTO room_reads (user_id, room, seq) VALUES (?, ?, ?) ON CONFLICT (user_id, room) DO UPDATE SET seq = excluded.seq WHERE seq = 0'),
    // A range of the primary key above the marker (and below the unreleased rows).
    unread: d.prepare<[{ room: string; user: string; after: number; bound: number }], { unread: number; mentions: number }>(`
      SELECT COUNT(*) AS unread, COALESCE(SUM(mentions IS NOT NULL AND EXISTS (SELECT 1 FROM json_each(mentions) WHERE value = @user)), 0) AS mentions
      FROM messages WHERE room = @room AND seq > @after AND seq < @bound AND event IS NULL AND deleted = 0 AND user_id <> @user`),
    deleteRoomReactions: d.prepare<[string]>('DELETE FROM reactions WHERE room = ?'),
    deleteRoomRestrictions: d.prepare<[string]>('DELETE FROM restrictions WHERE room = ?'),
    deleteRoomReads: d.prepare<[string]>('DELETE FROM room_reads WHERE user_id = ?'),
    dataVersion: d.prepare('PRAGMA data_version').pluck(),
  }
}
