// In-memory store: same contract as SQLite, nothing survives a restart.
// Used with STORE=memory and as the reference in the contract suite.
import * as clock from '../determinism.ts'
import type { DirectMessage } from '@wirechat/protocol'
import { hashKey, newMessageId, randomToken } from './ids.ts'
import { MemoryRooms } from './memory-rooms.ts'
import { createMemorySearch } from './memory-search.ts'
import {
  type Account,
  type AppendedDm,
  appendOneByOne,
  type Ban,
  DEFAULT_SESSION_TTL_MS,
  type DmConversationRow,
  type DmInput,
  type DirectoryRow,
  type HistoryStore,
  type InboxPage,
  type RoomRecord,
  type RoomRole,
  type SessionRow,
} from './store.ts'

interface StoredSession extends SessionRow {
  /** When the session was revoked (its first revocation). */
  revokedAt?: number | undefined
}

// The order of the SQL stores' indexes: UTF-8 bytes, which is code point order (not UTF-16 units).
const compareCodePoints = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b))

const sessionRow = ({ revokedAt: _, ...row }: StoredSession): SessionRow => ({ ...row })

export function createMemoryStore(): HistoryStore {
  const epoch = randomToken(9)
  const dmsByClientId = new Map<string, AppendedDm>()
  const inboxes = new Map<string, DirectMessage[]>()
  /** By key hash. */
  const sessions = new Map<string, StoredSession>()
  const sessionsById = new Map<string, StoredSession>()
  const accounts = new Map<string, Account>()
  /** nameKey → userId. */
  const accountKeys = new Map<string, string>()
  /** userId → room → joinedAt, in insertion order. */
  const memberships = new Map<string, Map<string, number>>()
  /** `${userId}\n${peerId}` → marker. */
  const dmReads = new Map<string, number>()
  const roomRecords = new Map<string, RoomRecord>()
  /** `${room}\n${userId}` → role above member. */
  const roomRoles = new Map<string, Exclude<RoomRole, 'member'>>()
  /** `${room}\n${userId}`. */
  const invitations = new Set<string>()
  const countMembers = (room: string) => [...memberships.values()].filter((rooms) => rooms.has(room)).length
  /** Room streams, restrictions and room read markers. */
  const rooms = new MemoryRooms({
    removeMembership: (userId, room) => memberships.get(userId)?.delete(room),
    removeInvitation: (room, userId) => invitations.delete(`${room}\n${userId}`),
  })
  const bans = new Map<string, Ban>()
  /** userId → blocked user ids, in the order blocked. */
  const blocks = new Map<string, Set<string>>()
  const live = (r: StoredSession | undefined, now: number): r is StoredSession => r !== undefined && r.revokedAt === undefined && r.expiresAt > now
  const userSessions = (userId: string) => [...sessionsById.values()].filter((r) => r.userId === userId)
  const newestSessionName = (userId: string) => userSessions(userId).sort((a, b) => b.lastSeenAt - a.lastSeenAt)[0]?.name
  const search = createMemorySearch({ room: (room) => rooms.searchable(room), inbox: (userId) => inboxes.get(userId) ?? [] })
  const addSession = (keyHash: string, r: StoredSession) => {
    const replaced = sessions.get(keyHash)
    if (replaced) sessionsById.delete(replaced.sessionId)
    sessions.set(keyHash, r)
    sessionsById.set(r.sessionId, r)
  }

  return {
    epoch,
    async open() {},
    async close() {},

    async appendChat(input) {
      return rooms.appendChat(input)
    },
    appendChats(inputs) {
      return appendOneByOne(this, inputs)
    },
    async head(room) {
      return rooms.head(room)
    },
    async tail(room) {
      return rooms.tail(room)
    },
    async range(room, query) {
      return rooms.range(room, query)
    },

    async appendDm(input: DmInput): Promise<AppendedDm> {
      const key = input.clientMsgId === undefined ? undefined : `${input.from}\n${input.clientMsgId}`
      const seen = key === undefined ? undefined : dmsByClientId.get(key)
      if (seen) return { ...seen, duplicate: true }
      const message: Omit<DirectMessage, 'seq'> = { msgId: newMessageId(), from: input.from, fromName: input.fromName, to: input.to, text: input.text, ts: input.ts }
      if (input.clientMsgId !== undefined) message.clientMsgId = input.clientMsgId
      const appendTo = (userId: string) => {
        let list = inboxes.get(userId)
        if (!list) inboxes.set(userId, (list = []))
        list.push({ ...message, seq: list.length + 1 })
        return list.length
      }
      const toSeq = appendTo(input.to)
      const fromSeq = input.from === input.to ? toSeq : appendTo(input.from)
      const appended = { message, duplicate: false, toSeq, fromSeq }
      if (key !== undefined) dmsByClientId.set(key, appended)
      return appended
    },

    async inboxHead(userId) {
      return inboxes.get(userId)?.length ?? 0
    },
    async inboxRange(userId: string, after: number, limit: number): Promise<InboxPage> {
      const list = inboxes.get(userId) ?? []
      return { messages: list.slice(after, after + limit), hasMore: after + limit < list.length }
    },

    async saveSession(key, record) {
      const now = clock.now()
      addSession(hashKey(key), { sessionId: randomToken(12), ...record, createdAt: now, lastSeenAt: now, expiresAt: now + DEFAULT_SESSION_TTL_MS })
    },
    async findSession(key) {
      const r = sessions.get(hashKey(key))
      return live(r, clock.now()) ? { userId: r.userId, name: r.name } : undefined
    },
    async hasUser(userId) {
      return userSessions(userId).length > 0
    },
    async renameUser(userId, name) {
      for (const r of userSessions(userId)) r.name = name
    },

    async createAccount(account) {
      if (accounts.has(account.userId) || accountKeys.has(account.nameKey)) return false
      accounts.set(account.userId, { ...account })
      accountKeys.set(account.nameKey, account.userId)
      return true
    },
    async findAccountByNameKey(nameKey) {
      const userId = accountKeys.get(nameKey)
      const a = userId === undefined ? undefined : accounts.get(userId)
      return a && { ...a }
    },
    async findAccount(userId) {
      const a = accounts.get(userId)
      return a && { ...a }
    },
    async renameAccount(userId, name, nameKey) {
      const owner = accountKeys.get(nameKey)
      if (owner !== undefined && owner !== userId) return false
      const a = accounts.get(userId)
      if (a) {
        accountKeys.delete(a.nameKey)
        accountKeys.set(nameKey, userId)
        a.name = name
        a.nameKey = nameKey
      }
      return true
    },
    async setPasswordHash(userId, passwordHash) {
      const a = accounts.get(userId)
      if (a) a.passwordHash = passwordHash
    },
    async deleteAccount(userId) {
      const a = accounts.get(userId)
      if (a) accountKeys.delete(a.nameKey)
      accounts.delete(userId)
      for (const [hash, r] of sessions) if (r.userId === userId) sessions.delete(hash)
      for (const [id, r] of sessionsById) if (r.userId === userId) sessionsById.delete(id)
      memberships.delete(userId)
      for (const key of dmReads.keys()) if (key.startsWith(`${userId}\n`)) dmReads.delete(key)
      rooms.deleteUser(userId)
    },
    async findAccountsByPrefix(prefix, limit) {
      const keys = [...accountKeys.keys()].filter((k) => k.startsWith(prefix)).sort(compareCodePoints)
      return keys.slice(0, limit).map((k) => ({ ...accounts.get(accountKeys.get(k)!)! }))
    },

    async createSession(key, session) {
      const sessionId = randomToken(12)
      addSession(hashKey(key), { sessionId, ...session, lastSeenAt: session.createdAt })
      return sessionId
    },
    async findSessionByKey(key, now) {
      const r = sessions.get(hashKey(key))
      return live(r, now) ? sessionRow(r) : undefined
    },
    async touchSession(sessionId, lastSeenAt, expiresAt) {
      const r = sessionsById.get(sessionId)
      if (r && r.revokedAt === undefined) Object.assign(r, { lastSeenAt, expiresAt })
    },
    async listSessions(userId, now) {
      return userSessions(userId)
        .filter((r) => live(r, now))
        .sort((a, b) => b.lastSeenAt - a.lastSeenAt || b.createdAt - a.createdAt || compareCodePoints(a.sessionId, b.sessionId))
        .map(sessionRow)
    },
    async revokeSession(userId, sessionId) {
      const r = sessionsById.get(sessionId)
      if (r?.userId !== userId) return false
      r.revokedAt ??= clock.now()
      return true
    },
    async revokeUserSessions(userId, exceptSessionId) {
      const revoked = userSessions(userId).filter((r) => r.revokedAt === undefined && r.sessionId !== exceptSessionId)
      for (const r of revoked) r.revokedAt = clock.now()
      return revoked.map((r) => r.sessionId)
    },

    async addMembership(userId, room, joinedAt) {
      let rooms = memberships.get(userId)
      if (!rooms) memberships.set(userId, (rooms = new Map()))
      if (!rooms.has(room)) rooms.set(room, joinedAt)
    },
    async removeMembership(userId, room) {
      memberships.get(userId)?.delete(room)
    },
    async listMemberships(userId) {
      // A stable sort: rooms joined in the same millisecond keep their insertion order.
      return [...(memberships.get(userId) ?? [])].sort((a, b) => a[1] - b[1]).map(([room]) => room)
    },

    async countMembers(room) {
      return countMembers(room)
    },

    async createRoom(record) {
      if (roomRecords.has(record.room)) return false
      roomRecords.set(record.room, { ...record })
      if (record.owner !== undefined) roomRoles.set(`${record.room}\n${record.owner}`, 'owner')
      return true
    },
    async findRoom(room) {
      const r = roomRecords.get(room)
      return r && { ...r }
    },
    async updateRoom(room, changes) {
      const r = roomRecords.get(room)
      if (!r) return
      if (changes.topic !== undefined) r.topic = changes.topic
      if (changes.public !== undefined) r.public = changes.public
    },
    async findRoomRole(room, userId) {
      return roomRoles.get(`${room}\n${userId}`)
    },
    async setRoomRole(room, userId, role) {
      if (role === 'member') roomRoles.delete(`${room}\n${userId}`)
      else roomRoles.set(`${room}\n${userId}`, role)
    },
    async listRoomRoles(room) {
      const list: Array<{ userId: string; role: Exclude<RoomRole, 'member'> }> = []
      for (const [key, role] of roomRoles) if (key.startsWith(`${room}\n`)) list.push({ userId: key.slice(room.length + 1), role })
      return list.sort((a, b) => compareCodePoints(a.userId, b.userId))
    },
    async addInvitation(room, userId) {
      invitations.add(`${room}\n${userId}`)
    },
    async hasInvitation(room, userId) {
      return invitations.has(`${room}\n${userId}`)
    },
    async listPublicRooms(query) {
      const rows: DirectoryRow[] = []
      const names = [...roomRecords.values()]
        .filter(
          (r) =>
            r.public &&
            (query.namespace === undefined || r.namespace === query.namespace) &&
            (query.prefix === undefined || r.room.startsWith(query.prefix)) &&
            (query.after === undefined || compareCodePoints(r.room, query.after) > 0),
        )
        .sort((a, b) => compareCodePoints(a.room, b.room))
        .slice(0, query.limit)
      for (const r of names) rows.push({ room: r.room, topic: r.topic, members: countMembers(r.room) })
      return rows
    },

    async listDmConversations(userId, limit) {
      const inbox = inboxes.get(userId) ?? []
      const marker = (peerId: string) => dmReads.get(`${userId}\n${peerId}`) ?? 0
      const byPeer = new Map<string, DmConversationRow>()
      // Newest first: the first DM seen of a peer is the conversation's last.
      for (let i = inbox.length - 1; i >= 0; i--) {
        const m = inbox[i]!
        const peerId = m.from === userId ? m.to : m.from
        let c = byPeer.get(peerId)
        if (!c) byPeer.set(peerId, (c = { peerId, peerName: '', last: { ...m }, unread: 0 }))
        if (m.from === peerId) {
          if (c.peerName === '') c.peerName = m.fromName
          if (m.seq > marker(peerId)) c.unread++
        }
      }
      const list = [...byPeer.values()].slice(0, limit)
      for (const c of list) if (c.peerName === '') c.peerName = accounts.get(c.peerId)?.name ?? newestSessionName(c.peerId) ?? c.peerId
      return list
    },
    async dmConversation(userId, peerId, query) {
      const inbox = inboxes.get(userId) ?? []
      const messages: DirectMessage[] = []
      // Backwards from below `before` (inbox seq n sits at index n - 1), one past the page to learn hasMore.
      for (let i = Math.min(query.before ?? Number.MAX_SAFE_INTEGER, inbox.length + 1) - 2; i >= 0 && messages.length <= query.limit; i--) {
        const m = inbox[i]!
        if ((m.from === userId ? m.to : m.from) === peerId) messages.push({ ...m })
      }
      return { messages: messages.slice(0, query.limit).reverse(), hasMore: messages.length > query.limit }
    },
    async markDmRead(userId, peerId, seq) {
      const key = `${userId}\n${peerId}`
      const marker = Math.max(dmReads.get(key) ?? 0, seq)
      dmReads.set(key, marker)
      return marker
    },

    async setBan(ban) {
      bans.set(ban.userId, { ...ban })
    },
    async removeBan(userId, now) {
      const found = bans.get(userId)
      bans.delete(userId)
      return found !== undefined && (found.until === null || found.until > now)
    },
    async findBan(userId, now) {
      const ban = bans.get(userId)
      return ban !== undefined && (ban.until === null || ban.until > now) ? { ...ban } : undefined
    },
    async roomsWithHistory(after, limit) {
      return rooms
        .withHistory()
        .filter((room) => compareCodePoints(room, after) > 0)
        .sort(compareCodePoints)
        .slice(0, limit)
    },
    async pruneRoom(room, before, limit) {
      return rooms.prune(room, before, limit)
    },
    async purgeSessions(before, limit) {
      const newest = new Map<string, StoredSession>()
      for (const r of sessions.values()) {
        const seen = newest.get(r.userId)
        if (!seen || r.lastSeenAt > seen.lastSeenAt) newest.set(r.userId, r)
      }
      let purged = 0
      for (const [hash, r] of sessions) {
        if (purged === limit) break
        const ended = r.expiresAt < before || (r.revokedAt ?? Number.POSITIVE_INFINITY) < before
        if (!ended || newest.get(r.userId) === r) continue
        sessions.delete(hash)
        sessionsById.delete(r.sessionId)
        purged++
      }
      return purged
    },
    async deleteRoom(room) {
      const deleted = rooms.deleteRoom(room)
      for (const joined of memberships.values()) joined.delete(room)
      roomRecords.delete(room)
      for (const key of roomRoles.keys()) if (key.startsWith(`${room}\n`)) roomRoles.delete(key)
      for (const key of invitations) if (key.startsWith(`${room}\n`)) invitations.delete(key)
      return deleted
    },
    async addBlock(userId, blockedId) {
      let set = blocks.get(userId)
      if (!set) blocks.set(userId, (set = new Set()))
      set.add(blockedId)
    },
    async removeBlock(userId, blockedId) {
      blocks.get(userId)?.delete(blockedId)
    },
    async listBlocks(userId) {
      return [...(blocks.get(userId) ?? [])]
    },
    async isBlocked(userId, blockedId) {
      return blocks.get(userId)?.has(blockedId) ?? false
    },

    async appendEvent(input) {
      return rooms.appendEvent(input)
    },
    async findMessage(room, seq) {
      return rooms.findMessage(room, seq)
    },
    async findRestriction(room, userId, kind, now) {
      return rooms.findRestriction(room, userId, kind, now)
    },
    async listRestrictions(room, now) {
      return rooms.listRestrictions(room, now)
    },
    async markRoomRead(userId, room, seq) {
      return rooms.markRoomRead(userId, room, seq)
    },
    async startReading(userId, room, seq) {
      return rooms.startReading(userId, room, seq)
    },
    async unreadCounts(userId, roomNames) {
      return rooms.unreadCounts(userId, roomNames)
    },
    search: async (query) => search(query),
  }
}
