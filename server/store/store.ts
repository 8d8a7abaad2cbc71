// The history store: durable room streams, direct messages and user sessions.
// Contract (checked by test/contracts/store.ts for every implementation):
// - appendChat assigns the room's next seq (1, 2, 3 … with no gap) and returns
//   only after the message is durable; the same (userId, clientMsgId) appended
//   again returns the first message with duplicate: true and stores nothing.
// - Callers serialise appends per room when they need publish order = seq order.
// - appendDm assigns each participant's next inbox seq the same way.
// - epoch is fixed for the life of the stored data and changes when it is wiped.
import type { ChatMessage, DirectMessage } from '@wirechat/protocol'

export interface ChatInput {
  room: string
  userId: string
  name: string
  text: string
  ts: number
  clientMsgId?: string | undefined
}

export interface DmInput {
  from: string
  fromName: string
  to: string
  text: string
  ts: number
  clientMsgId?: string | undefined
}

export interface Appended<M> {
  message: M
  /** True when the clientMsgId was seen before: `message` is the original. */
  duplicate: boolean
}

export interface RangeQuery {
  /** Messages with seq > after, oldest first. */
  after?: number | undefined
  /** Messages with seq < before (newest page below it), oldest first. */
  before?: number | undefined
  limit: number
}

export interface Page {
  messages: ChatMessage[]
  hasMore: boolean
}

/** A stored DM and its position in each participant's inbox. */
export interface AppendedDm {
  /** The message without `seq` (each inbox has its own). */
  message: Omit<DirectMessage, 'seq'>
  duplicate: boolean
  /** Inbox seq of the recipient. */
  toSeq: number
  /** Inbox seq of the sender (equal to toSeq for a DM to oneself). */
  fromSeq: number
}

export interface InboxPage {
  /** DMs with `seq` set to their position in this user's inbox, oldest first. */
  messages: DirectMessage[]
  hasMore: boolean
}

export interface SessionRecord {
  userId: string
  name: string
}

export interface HistoryStore {
  /** Identity of the stored history. Valid after open(). */
  readonly epoch: string
  open(): Promise<void>
  close(): Promise<void>
  appendChat(input: ChatInput): Promise<Appended<ChatMessage>>
  /** Seq of the newest message in the room, 0 when none. */
  head(room: string): Promise<number>
  /** Seq of the oldest message still kept, 0 when none. */
  tail(room: string): Promise<number>
  range(room: string, query: RangeQuery): Promise<Page>
  /**
   * Stores a DM and appends it to the inbox of the recipient and of the sender:
   * each user's inbox is one gapless stream of every DM they sent or received,
   * so one position resumes all their conversations.
   */
  appendDm(input: DmInput): Promise<AppendedDm>
  /** Seq of the newest DM in a user's inbox, 0 when none. */
  inboxHead(userId: string): Promise<number>
  /** DMs of a user's inbox with seq > after, oldest first. */
  inboxRange(userId: string, after: number, limit: number): Promise<InboxPage>
  /** Remembers a session key (stored hashed) for a user. */
  saveSession(key: string, record: SessionRecord): Promise<void>
  findSession(key: string): Promise<SessionRecord | undefined>
  /** True when a user with this id ever logged in. */
  hasUser(userId: string): Promise<boolean>
  /** Updates the name stored for a user's sessions. */
  renameUser(userId: string, name: string): Promise<void>
}
