// Room chat, history and direct messages.
import Type from 'typebox'
import { ChatMessage, ClientMessageId, DirectMessage, Epoch, Name, RoomName, Text, UserId } from '../primitives.ts'
import { push, reply, request } from './define.ts'

export const ChatSend = request(
  'chat',
  {
    room: RoomName,
    text: Text,
    clientMsgId: Type.Optional(ClientMessageId),
    replyTo: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: Number.MAX_SAFE_INTEGER,
        description: 'Seq of the message this one answers, in the same room (since 1.3.0); `not-found` when there is no such message, or it is an event or deleted.',
      }),
    ),
  },
  'Sends a message to a room the connection has joined. The sender gets `chat-ok`; every other connection in the room gets a `chat` push. `@name` in the text mentions a user (since 1.3.0; see `mentions`).',
)
export const ChatOk = reply(
  'chat-ok',
  {
    message: ChatMessage,
    duplicate: Type.Optional(Type.Boolean({ description: 'True when this `clientMsgId` was accepted before: this is the original acknowledgement and nothing was sent again.' })),
  },
  'The message was stored and sent; the server copy (id, seq, time) lets the client reconcile its pending line.',
)
export const ChatPush = push('chat', { message: ChatMessage }, 'A message in a room the connection is in, in seq order.')

export const History = request(
  'history',
  {
    room: RoomName,
    before: Type.Optional(Type.Integer({ minimum: 1, description: 'Return messages with seq < before (page backwards). Default: from the newest.' })),
    after: Type.Optional(Type.Integer({ minimum: 0, description: 'Return messages with seq > after (page forwards). Excludes `before`.' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'Page size; capped at `limits.historyPageMax`.' })),
  },
  'Reads stored messages of a joined room, a page at a time.',
)
export const HistoryOk = reply(
  'history-ok',
  {
    room: RoomName,
    epoch: Epoch,
    messages: Type.Array(ChatMessage, { description: 'Oldest first.' }),
    hasMore: Type.Boolean({ description: 'True when more messages lie in the requested direction.' }),
  },
  'A page of history.',
)

export const DmSend = request(
  'dm',
  { to: UserId, text: Text, clientMsgId: Type.Optional(ClientMessageId) },
  "Sends a direct message to a user (all of their connections). The sender gets `dm-ok`; the sender's other connections get the `dm` push too.",
)
export const DmOk = reply('dm-ok', { message: DirectMessage, duplicate: Type.Optional(Type.Boolean()) }, 'The direct message was accepted.')
export const DmPush = push('dm', { message: DirectMessage }, 'A direct message to or from this user.')

export const DmHistory = request(
  'dm-history',
  {
    userId: UserId,
    before: Type.Optional(Type.Integer({ minimum: 1, description: 'Return DMs with inbox seq < before (page backwards). Default: from the newest.' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'Page size (default 50); capped at `limits.historyPageMax`.' })),
  },
  "Reads the DM conversation with `userId` (since 1.3.0), a page at a time from the newest backwards: the DMs the user and `userId` sent each other (with `userId` = the user's own id: the notes to oneself). Seqs are positions in the requesting user's inbox, so a page's `seq`s have gaps where DMs of other conversations lie.",
)
export const DmHistoryOk = reply(
  'dm-history-ok',
  {
    userId: UserId,
    messages: Type.Array(DirectMessage, { maxItems: 100, description: "Oldest first; `seq` is the position in the requesting user's inbox." }),
    hasMore: Type.Boolean({ description: 'True when older DMs of the conversation exist (ask again with `before` = the first `seq`).' }),
  },
  'A page of a DM conversation.',
)

export const DmTyping = request(
  'dm-typing',
  { to: UserId, typing: Type.Boolean({ description: 'true: typing (refresh at least every `limits.typingTtlMs` / 2); false: stopped.' }) },
  'Says the user is (or stopped) typing a DM to `to` (since 1.3.0). Not relayed to a recipient who blocks the sender. Spends only the typing rate bucket.',
)
export const DmTypingOk = reply('dm-typing-ok', { to: UserId }, 'Typing state relayed.')
export const DmTypingPush = push(
  'dm-typing',
  { userId: UserId, name: Name, typing: Type.Boolean() },
  'A user is (or stopped) typing a DM to you (since 1.3.0). The recipient clears the indicator after `limits.typingTtlMs` without a refresh.',
)
