// In-memory store: same contract as SQLite, nothing survives a restart.
// Used with STORE=memory and as the reference in the contract suite.
import type { ChatMessage, DirectMessage } from '@wirechat/protocol'
import { hashKey, newMessageId, randomToken } from './ids.ts'
import type { Appended, AppendedDm, ChatInput, DmInput, HistoryStore, InboxPage, Page, RangeQuery, SessionRecord } from './store.ts'

export function createMemoryStore(): HistoryStore {
  const epoch = randomToken(9)
  const rooms = new Map<string, ChatMessage[]>()
  const byClientId = new Map<string, ChatMessage>()
  const dmsByClientId = new Map<string, AppendedDm>()
  const inboxes = new Map<string, DirectMessage[]>()
  const sessions = new Map<string, SessionRecord>()
  const users = new Set<string>()

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
    },
  }
}
