// In-memory store: same contract as SQLite, nothing survives a restart.
// Used with STORE=memory and as the reference in the contract suite.
import type { ChatMessage, DirectMessage } from '@wirechat/protocol'
import { hashKey, newMessageId, randomToken } from './ids.ts'
import type { Account, Appended, AppendedDm, ChatInput, DmConversationRow, DmInput, HistoryStore, InboxPage, Page, RangeQuery, SessionRecord, SessionRow } from './store.ts'

interface StoredSession extends SessionRow {
  revoked: boolean
}

export function createMemoryStore(): HistoryStore {
  const epoch = randomToken(9)
  const rooms = new Map<string, ChatMessage[]>()
  const byClientId = new Map<string, ChatMessage>()
  const dmsByClientId = new Map<string, AppendedDm>()
  const inboxes = new Map<string, DirectMessage[]>()
  const sessions = new Map<string, SessionRecord>()
  const users = new Set<string>()
  /** Latest name of each user, for the peer name of a conversation without a DM from the peer. */
  const names = new Map<string, string>()
  const accounts = new Map<string, Account>()
  const accountByKey = new Map<string, string>()
  const sessionsById = new Map<string, StoredSession>()
  const sessionIdByKey = new Map<string, string>()
  const memberships = new Map<string, Map<string, number>>()
  /** userId → peerId → inbox seq read up to. */
  const readMarkers = new Map<string, Map<string, number>>()
  const live = (s: StoredSession, now: number) => !s.revoked && s.expiresAt > now
  const rowOf = ({ revoked: _, ...row }: StoredSession): SessionRow => ({ ...row })

  return {
    epoch,
    async open() {},
    async close() {},

    async appendChat(input: ChatInput): Promise<Appended<ChatMessage>> {
      const key = input.clientMsgId === undefined ? undefined : `${input.userId}\n${input.clientMsgId}`
      const seen = key === undefined ? undefined : byClientId.get(key)
      if (seen) return { message: seen, duplicate: true }
      let list = rooms.get(input.room)
      if (!list) rooms.set(input.room, (list = []))
      const message: ChatMessage = {
        msgId: newMessageId(),
        room: input.room,
        seq: list.length + 1,
        userId: input.userId,
        name: input.name,
        text: input.text,
        ts: input.ts,
      }
      if (input.clientMsgId !== undefined) message.clientMsgId = input.clientMsgId
      list.push(message)
      if (key !== undefined) byClientId.set(key, message)
      return { message, duplicate: false }
    },

    async head(room) {
      return rooms.get(room)?.length ?? 0
    },
    async tail(room) {
      return rooms.get(room)?.length ? 1 : 0
    },

    async range(room: string, query: RangeQuery): Promise<Page> {
      const list = rooms.get(room) ?? []
      if (query.after !== undefined) {
        const start = Math.max(0, query.after)
        const messages = list.slice(start, start + query.limit)
        return { messages, hasMore: start + query.limit < list.length }
      }
      const end = Math.min(list.length, (query.before ?? Number.MAX_SAFE_INTEGER) - 1)
      const start = Math.max(0, end - query.limit)
      return { messages: list.slice(start, end), hasMore: start > 0 }
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
      sessions.set(hashKey(key), { ...record })
      users.add(record.userId)
      names.set(record.userId, record.name)
    },
    async findSession(key) {
      const r = sessions.get(hashKey(key))
      return r && { ...r }
    },
    async hasUser(userId) {
      return users.has(userId)
    },
    async renameUser(userId, name) {
      for (const r of sessions.values()) if (r.userId === userId) r.name = name
      for (const r of sessionsById.values()) if (r.userId === userId) r.name = name
      if (users.has(userId)) names.set(userId, name)
    },

    async createAccount(account) {
      if (accounts.has(account.userId) || accountByKey.has(account.nameKey)) return false
      accounts.set(account.userId, { ...account })
      accountByKey.set(account.nameKey, account.userId)
      users.add(account.userId)
      names.set(account.userId, account.name)
      return true
    },
    async findAccountByNameKey(nameKey) {
      const userId = accountByKey.get(nameKey)
      const account = userId === undefined ? undefined : accounts.get(userId)
      return account && { ...account }
    },
    async findAccount(userId) {
      const account = accounts.get(userId)
      return account && { ...account }
    },
    async renameAccount(userId, name, nameKey) {
      const account = accounts.get(userId)
      if (!account) return false
      const owner = accountByKey.get(nameKey)
      if (owner !== undefined && owner !== userId) return false
      accountByKey.delete(account.nameKey)
      account.name = name
      account.nameKey = nameKey
      accountByKey.set(nameKey, userId)
      names.set(userId, name)
      return true
    },
    async setPasswordHash(userId, passwordHash) {
      const account = accounts.get(userId)
      if (account) account.passwordHash = passwordHash
    },
    async deleteAccount(userId) {
      const account = accounts.get(userId)
      if (account) accountByKey.delete(account.nameKey)
      accounts.delete(userId)
      for (const s of sessionsById.values()) if (s.userId === userId) s.revoked = true
      memberships.delete(userId)
      readMarkers.delete(userId)
    },
    async findAccountsByPrefix(nameKeyPrefix, limit) {
      return [...accounts.values()]
        .filter((a) => a.nameKey.startsWith(nameKeyPrefix))
        .sort((a, b) => (a.nameKey < b.nameKey ? -1 : a.nameKey > b.nameKey ? 1 : 0))
        .slice(0, limit)
        .map((a) => ({ ...a }))
    },

    async createSession(key, session) {
      const sessionId = randomToken(12)
      sessionsById.set(sessionId, { sessionId, ...session, lastSeenAt: session.createdAt, revoked: false })
      sessionIdByKey.set(hashKey(key), sessionId)
      users.add(session.userId)
      names.set(session.userId, session.name)
      return sessionId
    },
    async findSessionByKey(key, now) {
      const sessionId = sessionIdByKey.get(hashKey(key))
      const s = sessionId === undefined ? undefined : sessionsById.get(sessionId)
      return s && live(s, now) ? rowOf(s) : undefined
    },
    async touchSession(sessionId, lastSeenAt, expiresAt) {
      const s = sessionsById.get(sessionId)
      if (s && !s.revoked) Object.assign(s, { lastSeenAt, expiresAt })
    },
    async listSessions(userId, now) {
      return [...sessionsById.values()]
        .filter((s) => s.userId === userId && live(s, now))
        .sort((a, b) => b.lastSeenAt - a.lastSeenAt)
        .map(rowOf)
    },
    async revokeSession(userId, sessionId) {
      const s = sessionsById.get(sessionId)
      if (s?.userId !== userId) return false
      s.revoked = true
      return true
    },
    async revokeUserSessions(userId, exceptSessionId) {
      const revoked: string[] = []
      for (const s of sessionsById.values()) {
        if (s.userId !== userId || s.revoked || s.sessionId === exceptSessionId) continue
        s.revoked = true
        revoked.push(s.sessionId)
      }
      return revoked
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
      // A Map keeps insertion order: the order the rooms were joined.
      return [...(memberships.get(userId)?.keys() ?? [])]
    },

    async listDmConversations(userId, limit) {
      const inbox = inboxes.get(userId) ?? []
      const markers = readMarkers.get(userId)
      const byPeer = new Map<string, DmConversationRow>()
      // Peers whose newest DM from them was seen already: their name is taken from it.
      const named = new Set<string>()
      for (let i = inbox.length - 1; i >= 0; i--) {
        const message = inbox[i]!
        const peerId = message.from === userId ? message.to : message.from
        let row = byPeer.get(peerId)
        if (!row) {
          if (byPeer.size >= limit) continue
          byPeer.set(peerId, (row = { peerId, peerName: accounts.get(peerId)?.name ?? names.get(peerId) ?? peerId, last: message, unread: 0 }))
        }
        if (message.from !== peerId) continue
        if (!named.has(peerId)) {
          named.add(peerId)
          row.peerName = message.fromName
        }
        if (message.seq > (markers?.get(peerId) ?? 0)) row.unread++
      }
      return [...byPeer.values()].map((row) => ({ ...row, last: { ...row.last } }))
    },
    async markDmRead(userId, peerId, seq) {
      let markers = readMarkers.get(userId)
      if (!markers) readMarkers.set(userId, (markers = new Map()))
      const marker = Math.max(markers.get(peerId) ?? 0, seq)
      markers.set(peerId, marker)
      return marker
    },
  }
}
