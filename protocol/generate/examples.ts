// Example frames: at least one per frame type, shown in PROTOCOL.md §14 and in
// the AsyncAPI document. Typed against the derived frame types, and checked
// at run time against the schemas by test/protocol/examples.test.ts.
import type { ClientFrameOf, ClientFrameType, ServerFrameOf, ServerFrameType } from '../frames.ts'
import { PROTOCOL_VERSION } from '../primitives.ts'

/** A named example of one frame. */
export interface Example<F> {
  name: string
  summary: string
  payload: F
}

const ANA = 'u_Z3kqT8mW1xYp'
const BOB = 'u_P4rN7sLq2vHc'
const EPOCH = 'Xq3vB8nM2kLp'
const TS = 1767225600000
const MSG = {
  msgId: '0f8e2c1a-5b7d-4e3f-9a6c-2d1b0e9f8a7c',
  room: 'lobby',
  seq: 42,
  userId: ANA,
  name: 'ana',
  text: 'hello, lobby',
  ts: TS,
  clientMsgId: '6f1c2b7e-9d4a-4c1e-8b2f-3a5d7e9c1b20',
}
const DM = { msgId: '3c9d7b1e-2a4f-4e8c-b1d6-7f0a9e2c5b34', from: ANA, fromName: 'ana', to: BOB, seq: 7, text: 'psst, bob', ts: TS, clientMsgId: 'dm-7Hq2Lx9P' }
const MEMBERS = [
  { userId: ANA, name: 'ana' },
  { userId: BOB, name: 'bob' },
]
const SESSION = 'k7Gd0sQz1mXc3VbN8pLr5TyW2aEf9HjU'
const SESSION_ID = 'sLp4Qx8Rz2Vk'
const SESSION_ID_PHONE = 'tHn3Wc7Ym5Bd'

// ---- the life of a message (1.3.0): one stretch of the lobby's stream -------
// 42 ana's message · 43 bob's reply to it, mentioning ana · 44 ana edits 42 ·
// 45 bob reacts 👍 to 42 · 46 bob deletes his reply 43. And in chat:tea, owned
// by ana: 17 ana kicks carol, 18 ana bans her for a day.
const CAROL = 'u_W8dK3nRq6tZe'
const MINUTE = 60_000
const EDITED = 'hello, lobby 👋'
const REPLY = {
  msgId: '7a2e9c4b-1d3f-4b8a-9e6c-5f0d2b7a1c93',
  room: 'lobby',
  seq: 43,
  userId: BOB,
  name: 'bob',
  text: '@ana are you coming tonight?',
  ts: TS + MINUTE,
  clientMsgId: '9b3d5f7a-2c4e-4a6b-8d0f-1e3a5c7b9d42',
  replyTo: { msgId: MSG.msgId, seq: 42, userId: ANA, name: 'ana', excerpt: 'hello, lobby' },
  mentions: [ANA],
}
const EDIT_ENTRY = {
  msgId: 'c41f8e2a-6b9d-4c3e-a7f1-0d5b8e2c6a14',
  room: 'lobby',
  seq: 44,
  userId: ANA,
  name: 'ana',
  text: EDITED,
  ts: TS + 2 * MINUTE,
  event: { kind: 'edit' as const, target: 42 },
}
const REACT_ENTRY = {
  msgId: 'e83b1d5f-9a2c-4e7b-b6d0-3f1a8c5e2b67',
  room: 'lobby',
  seq: 45,
  userId: BOB,
  name: 'bob',
  text: 'reacted 👍',
  ts: TS + 3 * MINUTE,
  event: { kind: 'react' as const, target: 42, emoji: '👍', on: true },
}
const DELETE_ENTRY = {
  msgId: '2d6a9f3c-8e1b-4d5a-9c7e-6b0f4a2d8e15',
  room: 'lobby',
  seq: 46,
  userId: BOB,
  name: 'bob',
  text: 'deleted their message',
  ts: TS + 4 * MINUTE,
  event: { kind: 'delete' as const, target: 43 },
}
/** ana's message 42 as history returns it after 44 and 45: edited, one reaction, `rev` 45. */
const MSG_NOW = { ...MSG, text: EDITED, edited: EDIT_ENTRY.ts, reactions: [{ emoji: '👍', count: 1, users: [BOB] }], rev: 45 }
/** bob's reply 43 after 46: a tombstone. */
const TOMBSTONE = { msgId: REPLY.msgId, room: 'lobby', seq: 43, userId: BOB, name: 'bob', text: '(deleted)', ts: REPLY.ts, clientMsgId: REPLY.clientMsgId, deleted: true as const, rev: 46 }
const BAN_UNTIL = TS + 24 * 60 * MINUTE
const KICK_ENTRY = {
  msgId: '5c8e1a7d-3b9f-4a2c-8d6e-7f1b3c9a5e28',
  room: 'chat:tea',
  seq: 17,
  userId: ANA,
  name: 'ana',
  text: 'kicked carol: spam',
  ts: TS,
  event: { kind: 'kick' as const, userId: CAROL, name: 'carol', reason: 'spam' },
}
const BAN_ENTRY = {
  msgId: '8f2c6e9a-4d1b-4c7e-a3f5-9b0d2e6c8a31',
  room: 'chat:tea',
  seq: 18,
  userId: ANA,
  name: 'ana',
  text: 'banned carol until 2026-01-02T00:00:00.000Z: spam',
  ts: TS,
  event: { kind: 'ban' as const, userId: CAROL, name: 'carol', until: BAN_UNTIL, reason: 'spam' },
}
const MUTE_UNTIL = TS + 10 * MINUTE
const MUTE_ENTRY = {
  msgId: '1b7d3f9e-5a2c-4e8b-9f1d-4c6a8e0b2d53',
  room: 'chat:tea',
  seq: 19,
  userId: ANA,
  name: 'ana',
  text: 'muted bob until 2026-01-01T00:10:00.000Z',
  ts: TS,
  event: { kind: 'mute' as const, userId: BOB, name: 'bob', until: MUTE_UNTIL },
}
const UNBAN_ENTRY = {
  msgId: '6e0a4c8f-2b7d-4f1a-8c3e-5d9b1f7a3c64',
  room: 'chat:tea',
  seq: 20,
  userId: ANA,
  name: 'ana',
  text: 'unbanned carol',
  ts: TS + MINUTE,
  event: { kind: 'unban' as const, userId: CAROL, name: 'carol' },
}
const UNMUTE_ENTRY = {
  msgId: '3a9c5e1f-7d2b-4a8e-b4f6-0c2e8a4d6b75',
  room: 'chat:tea',
  seq: 21,
  userId: ANA,
  name: 'ana',
  text: 'unmuted bob',
  ts: TS + MINUTE,
  event: { kind: 'unmute' as const, userId: BOB, name: 'bob' },
}
const SEARCH_CURSOR = 'MTc2NzIyNTQ4MDAwMDpkNGUx'
const SEARCH_HIT = { msgId: 'f19a7c3e-0b5d-4f2a-8e6c-2d4b9f1a7e86', room: 'lobby', seq: 51, userId: BOB, name: 'bob', text: 'see you in the lobby tonight', ts: TS + 10 * MINUTE }

/** Examples of client frames. */
export const clientExamples: { [K in ClientFrameType]: Example<ClientFrameOf<K>>[] } = {
  login: [
    {
      name: 'login-with-password',
      summary: 'A registered user on a new device: the same user id, rooms and DM conversations.',
      payload: { type: 'login', id: '1', name: 'ana', password: 'correct horse battery', device: 'Firefox on Linux' },
    },
    { name: 'login-with-name', summary: 'Log in as "ana" and join the default room.', payload: { type: 'login', id: '1', name: 'ana' } },
    {
      name: 'login-resume',
      summary: 'A reconnect: same user by session key, two rooms, resuming the lobby after seq 41 and the DM inbox after seq 6.',
      payload: { type: 'login', id: '1', session: SESSION, rooms: [{ room: 'lobby', since: { epoch: EPOCH, seq: 41 } }, { room: 'dev' }], inbox: { epoch: EPOCH, seq: 6 } },
    },
  ],
  rename: [{ name: 'rename', summary: 'Change the display name.', payload: { type: 'rename', id: '2', name: 'ana.k' } }],
  logout: [{ name: 'logout', summary: 'End the session.', payload: { type: 'logout', id: '9' } }],
  ping: [{ name: 'ping', summary: 'Application-level ping.', payload: { type: 'ping', id: 'p1' } }],
  'join-room': [
    { name: 'join', summary: 'Join a room.', payload: { type: 'join-room', id: '3', room: 'dev' } },
    { name: 'join-resume', summary: 'Rejoin a room after a disconnect, from the last seq seen.', payload: { type: 'join-room', id: '3', room: 'lobby', since: { epoch: EPOCH, seq: 41 } } },
  ],
  'leave-room': [{ name: 'leave', summary: 'Leave a room.', payload: { type: 'leave-room', id: '4', room: 'dev' } }],
  presence: [{ name: 'presence', summary: 'Who is in the lobby?', payload: { type: 'presence', id: '5', room: 'lobby' } }],
  typing: [{ name: 'typing', summary: 'Started typing.', payload: { type: 'typing', id: '6', room: 'lobby', typing: true } }],
  chat: [
    { name: 'chat', summary: 'Say something in the lobby, with an idempotency key.', payload: { type: 'chat', id: '7', room: 'lobby', text: 'hello, lobby', clientMsgId: MSG.clientMsgId } },
    {
      name: 'chat-reply',
      summary: "A reply to ana's message 42 that mentions her (1.3.0): the server adds the quoted excerpt and resolves @ana.",
      payload: { type: 'chat', id: '7', room: 'lobby', text: REPLY.text, clientMsgId: REPLY.clientMsgId, replyTo: 42 },
    },
  ],
  history: [
    { name: 'history-older', summary: 'The 50 messages before seq 42.', payload: { type: 'history', id: '8', room: 'lobby', before: 42, limit: 50 } },
    { name: 'history-newer', summary: 'Messages after seq 10, oldest first.', payload: { type: 'history', id: '8', room: 'lobby', after: 10 } },
  ],
  dm: [{ name: 'dm', summary: 'A direct message to bob (all his connections).', payload: { type: 'dm', id: '10', to: BOB, text: 'psst, bob', clientMsgId: 'dm-7Hq2Lx9P' } }],
  register: [{ name: 'register', summary: 'Register the current name with a password.', payload: { type: 'register', id: '11', password: 'correct horse battery' } }],
  'change-password': [
    {
      name: 'change-password',
      summary: 'Change the password; the other sessions are revoked.',
      payload: { type: 'change-password', id: '12', password: 'correct horse battery', newPassword: 'staple 4 horses' },
    },
  ],
  'delete-account': [{ name: 'delete-account', summary: 'Delete the account (the password confirms it).', payload: { type: 'delete-account', id: '13', password: 'correct horse battery' } }],
  sessions: [{ name: 'sessions', summary: 'List my sessions (devices).', payload: { type: 'sessions', id: '14' } }],
  'revoke-session': [{ name: 'revoke-session', summary: 'Sign the phone out.', payload: { type: 'revoke-session', id: '15', sessionId: SESSION_ID_PHONE } }],
  'find-users': [{ name: 'find-users', summary: 'Users whose name starts with "bo".', payload: { type: 'find-users', id: '16', prefix: 'bo', limit: 10 } }],
  'dm-read': [{ name: 'dm-read', summary: 'The conversation with bob is read up to inbox seq 7.', payload: { type: 'dm-read', id: '17', userId: BOB, seq: 7 } }],
  'dm-typing': [{ name: 'dm-typing', summary: 'The user is typing a DM to bob.', payload: { type: 'dm-typing', id: '18', to: BOB, typing: true } }],
  'room-info': [{ name: 'room-info', summary: 'About the releases room of news.', payload: { type: 'room-info', id: '18', room: 'news:releases' } }],
  'set-room': [{ name: 'set-room', summary: 'A new topic.', payload: { type: 'set-room', id: '19', room: 'chat:tea', topic: 'Tea and biscuits' } }],
  'set-role': [{ name: 'set-role', summary: 'The owner appoints bob moderator.', payload: { type: 'set-role', id: '20', room: 'chat:tea', userId: BOB, role: 'moderator' } }],
  invite: [{ name: 'invite', summary: 'bob is invited to a private support room.', payload: { type: 'invite', id: '21', room: 'support:ticket-7', userId: BOB } }],
  'list-rooms': [{ name: 'list-rooms', summary: 'Public rooms of chat starting with "te".', payload: { type: 'list-rooms', id: '22', namespace: 'chat', prefix: 'te', limit: 20 } }],
  edit: [{ name: 'edit', summary: 'ana corrects her message 42.', payload: { type: 'edit', id: '23', room: 'lobby', seq: 42, text: EDITED } }],
  delete: [{ name: 'delete', summary: 'bob deletes his reply 43.', payload: { type: 'delete', id: '24', room: 'lobby', seq: 43 } }],
  react: [
    { name: 'react', summary: "bob reacts 👍 to ana's message.", payload: { type: 'react', id: '25', room: 'lobby', seq: 42, emoji: '👍' } },
    { name: 'react-off', summary: 'bob takes his 👍 back.', payload: { type: 'react', id: '25', room: 'lobby', seq: 42, emoji: '👍', on: false } },
  ],
  read: [{ name: 'read', summary: 'ana has read the lobby up to seq 46.', payload: { type: 'read', id: '26', room: 'lobby', seq: 46 } }],
  search: [
    { name: 'search', summary: 'Messages with both words, in every room and DM ana may read.', payload: { type: 'search', id: '27', query: 'lobby tonight' } },
    {
      name: 'search-phrase-next-page',
      summary: 'A phrase in one room, the next page of results (Korean: 회의 also finds 회의가).',
      payload: { type: 'search', id: '28', query: '"회의 자료"', room: 'chat:tea', cursor: SEARCH_CURSOR, limit: 20 },
    },
  ],
  kick: [{ name: 'kick', summary: 'The owner of chat:tea removes carol.', payload: { type: 'kick', id: '29', room: 'chat:tea', userId: CAROL, reason: 'spam' } }],
  ban: [
    { name: 'ban', summary: 'carol is banned from chat:tea for a day.', payload: { type: 'ban', id: '30', room: 'chat:tea', userId: CAROL, durationMs: 86_400_000, reason: 'spam' } },
    { name: 'ban-forever', summary: 'A ban until lifted.', payload: { type: 'ban', id: '30', room: 'chat:tea', userId: CAROL } },
  ],
  unban: [{ name: 'unban', summary: 'The ban is lifted.', payload: { type: 'unban', id: '31', room: 'chat:tea', userId: CAROL } }],
  mute: [{ name: 'mute', summary: 'bob may read chat:tea but not post for ten minutes.', payload: { type: 'mute', id: '32', room: 'chat:tea', userId: BOB, durationMs: 600_000 } }],
  unmute: [{ name: 'unmute', summary: 'The mute is lifted.', payload: { type: 'unmute', id: '33', room: 'chat:tea', userId: BOB } }],
  restrictions: [{ name: 'restrictions', summary: 'Bans and mutes of chat:tea.', payload: { type: 'restrictions', id: '34', room: 'chat:tea' } }],
  block: [{ name: 'block', summary: "ana blocks carol's DMs and typing.", payload: { type: 'block', id: '35', userId: CAROL } }],
  unblock: [{ name: 'unblock', summary: 'ana unblocks carol.', payload: { type: 'unblock', id: '36', userId: CAROL } }],
  'dm-history': [
    { name: 'dm-history', summary: 'The newest 50 DMs between ana and bob.', payload: { type: 'dm-history', id: '37', userId: BOB } },
    { name: 'dm-history-older', summary: 'The 20 DMs of the conversation before inbox seq 5.', payload: { type: 'dm-history', id: '37', userId: BOB, before: 5, limit: 20 } },
  ],
}

const ROOM_STATE = { room: 'lobby', epoch: EPOCH, seq: 42, members: MEMBERS, history: [MSG] }

/** Examples of server frames. */
export const serverExamples: { [K in ServerFrameType]: Example<ServerFrameOf<K>>[] } = {
  welcome: [
    {
      name: 'welcome',
      summary: "The first frame, with the reference server's default limits.",
      payload: {
        type: 'welcome',
        connectionId: 'Qm9zGq3xV1aT',
        name: 'user4821',
        protocol: 'chat.v1',
        version: PROTOCOL_VERSION,
        serverTime: TS,
        heartbeatMs: 30000,
        loginTimeoutMs: 10000,
        authRequired: false,
        limits: {
          maxFrameBytes: 32768,
          maxTextChars: 2000,
          maxNameChars: 32,
          maxRooms: 50,
          messagesPerSecond: 10,
          messageBurst: 20,
          historyPageMax: 100,
          typingTtlMs: 5000,
          joinsPerSecond: 1,
          joinBurst: 10,
          typingPerSecond: 2,
          typingBurst: 6,
          maxFragments: 64,
        },
      },
    },
  ],
  'login-ok': [
    {
      name: 'login-ok',
      summary: 'Logged in and joined the lobby, with its recent history.',
      payload: { type: 'login-ok', id: '1', userId: ANA, name: 'ana', session: SESSION, rooms: [ROOM_STATE], inbox: { epoch: EPOCH, seq: 6 } },
    },
    {
      name: 'login-ok-registered',
      summary: 'A registered user logged in with a password: a new session, the member rooms and the DM conversations with unread counts (1.1.0).',
      payload: {
        type: 'login-ok',
        id: '1',
        userId: ANA,
        name: 'ana',
        session: SESSION,
        rooms: [ROOM_STATE],
        inbox: { epoch: EPOCH, seq: 7 },
        sessionId: SESSION_ID,
        registered: true,
        dms: [{ userId: BOB, name: 'bob', last: DM, unread: 1 }],
      },
    },
    {
      name: 'login-ok-1.3.0',
      summary: 'A 1.3.0 login: the lobby with its read marker and counts (one unread message, which mentions ana), and the users ana blocks.',
      payload: {
        type: 'login-ok',
        id: '1',
        userId: ANA,
        name: 'ana',
        session: SESSION,
        rooms: [{ ...ROOM_STATE, seq: 43, history: [MSG, REPLY], readSeq: 42, unread: 1, mentions: 1 }],
        inbox: { epoch: EPOCH, seq: 7 },
        sessionId: SESSION_ID,
        registered: true,
        blocked: [CAROL],
      },
    },
    {
      name: 'login-ok-resumed',
      summary: 'Resumed the lobby and the inbox: one missed `chat` push, then one missed `dm` push follow this reply.',
      payload: {
        type: 'login-ok',
        id: '1',
        userId: ANA,
        name: 'ana',
        session: SESSION,
        rooms: [{ room: 'lobby', epoch: EPOCH, seq: 42, members: MEMBERS, history: [], resume: { resumed: true, missed: 1 } }],
        inbox: { epoch: EPOCH, seq: 7, resume: { resumed: true, missed: 1 } },
      },
    },
  ],
  'rename-ok': [{ name: 'rename-ok', summary: 'The new name.', payload: { type: 'rename-ok', id: '2', name: 'ana.k' } }],
  'logout-ok': [{ name: 'logout-ok', summary: 'Logged out; close 1000 follows.', payload: { type: 'logout-ok', id: '9' } }],
  pong: [{ name: 'pong', summary: 'Reply to ping.', payload: { type: 'pong', id: 'p1', serverTime: TS } }],
  'join-room-ok': [
    {
      name: 'join-room-ok',
      summary: 'Joined dev, an empty room.',
      payload: { type: 'join-room-ok', id: '3', state: { room: 'dev', epoch: EPOCH, seq: 0, members: [{ userId: ANA, name: 'ana' }], history: [] } },
    },
    {
      name: 'join-room-ok-unread',
      summary: 'Joined the lobby (1.3.0): history as snapshots and events, and the read marker with what is unread above it.',
      payload: {
        type: 'join-room-ok',
        id: '3',
        state: { room: 'lobby', epoch: EPOCH, seq: 46, members: MEMBERS, history: [MSG_NOW, TOMBSTONE, EDIT_ENTRY, REACT_ENTRY, DELETE_ENTRY], readSeq: 41, unread: 1, mentions: 0 },
      },
    },
    {
      name: 'join-room-ok-too-far',
      summary: 'Resume refused: the newest page of history comes instead.',
      payload: { type: 'join-room-ok', id: '3', state: { ...ROOM_STATE, resume: { resumed: false, missed: 0, reason: 'too-far-behind' } } },
    },
  ],
  'leave-room-ok': [{ name: 'leave-room-ok', summary: 'Left dev.', payload: { type: 'leave-room-ok', id: '4', room: 'dev' } }],
  'presence-ok': [{ name: 'presence-ok', summary: 'Two users in the lobby.', payload: { type: 'presence-ok', id: '5', room: 'lobby', members: MEMBERS } }],
  'typing-ok': [{ name: 'typing-ok', summary: 'Typing state accepted.', payload: { type: 'typing-ok', id: '6', room: 'lobby' } }],
  'chat-ok': [
    { name: 'chat-ok', summary: 'Stored as seq 42 of the lobby.', payload: { type: 'chat-ok', id: '7', message: MSG } },
    { name: 'chat-ok-duplicate', summary: 'A re-send with the same clientMsgId: the original acknowledgement.', payload: { type: 'chat-ok', id: '7', message: MSG, duplicate: true } },
  ],
  'history-ok': [
    { name: 'history-ok', summary: 'One page, more before it.', payload: { type: 'history-ok', id: '8', room: 'lobby', epoch: EPOCH, messages: [MSG], hasMore: true } },
    {
      name: 'history-ok-events',
      summary: 'A page of 1.3.0 entries: 42 and 43 as they are now (their `rev` covers 44–46, which a reducer skips), then the events themselves.',
      payload: { type: 'history-ok', id: '8', room: 'lobby', epoch: EPOCH, messages: [MSG_NOW, TOMBSTONE, EDIT_ENTRY, REACT_ENTRY, DELETE_ENTRY], hasMore: true },
    },
  ],
  'register-ok': [{ name: 'register-ok', summary: 'The name is registered to this user.', payload: { type: 'register-ok', id: '11', userId: ANA, name: 'ana' } }],
  'change-password-ok': [{ name: 'change-password-ok', summary: 'Changed; the other sessions are closed with 4011.', payload: { type: 'change-password-ok', id: '12' } }],
  'delete-account-ok': [{ name: 'delete-account-ok', summary: 'Deleted; close 1000 follows.', payload: { type: 'delete-account-ok', id: '13' } }],
  'sessions-ok': [
    {
      name: 'sessions-ok',
      summary: 'Two devices; this connection is the laptop.',
      payload: {
        type: 'sessions-ok',
        id: '14',
        sessions: [
          { sessionId: SESSION_ID, device: 'Firefox on Linux', createdAt: TS - 86_400_000, lastSeenAt: TS, expiresAt: TS + 2_592_000_000, current: true },
          { sessionId: SESSION_ID_PHONE, device: 'Phone', createdAt: TS - 172_800_000, lastSeenAt: TS - 3_600_000, expiresAt: TS + 2_588_400_000, current: false },
        ],
      },
    },
  ],
  'revoke-session-ok': [{ name: 'revoke-session-ok', summary: "Revoked; the phone's connections close with 4011.", payload: { type: 'revoke-session-ok', id: '15', sessionId: SESSION_ID_PHONE } }],
  'find-users-ok': [{ name: 'find-users-ok', summary: 'One online user found.', payload: { type: 'find-users-ok', id: '16', users: [{ userId: BOB, name: 'bob', online: true, registered: false }] } }],
  'dm-read-ok': [{ name: 'dm-read-ok', summary: 'The read marker in force.', payload: { type: 'dm-read-ok', id: '17', userId: BOB, seq: 7 } }],
  'dm-typing-ok': [{ name: 'dm-typing-ok', summary: 'Relayed to bob (unless bob blocks the sender).', payload: { type: 'dm-typing-ok', id: '18', to: BOB } }],
  'dm-read': [{ name: 'dm-read', summary: 'Another device of the user read the conversation with bob up to seq 7.', payload: { type: 'dm-read', userId: BOB, seq: 7 } }],
  'dm-typing': [{ name: 'dm-typing', summary: 'bob is typing a DM to you.', payload: { type: 'dm-typing', userId: BOB, name: 'bob', typing: true } }],
  'room-info-ok': [
    {
      name: 'room-info-ok',
      summary: 'A public room with one owner and one moderator, seen by a member.',
      payload: { type: 'room-info-ok', id: '18', room: 'news:releases', namespace: 'news', topic: 'Release notes', public: true, owners: [ANA], moderators: [BOB], members: 214, yourRole: 'member' },
    },
  ],
  'set-room-ok': [{ name: 'set-room-ok', summary: 'The room as it is now.', payload: { type: 'set-room-ok', id: '19', room: 'chat:tea', topic: 'Tea and biscuits', public: true } }],
  'set-role-ok': [{ name: 'set-role-ok', summary: 'bob is moderator.', payload: { type: 'set-role-ok', id: '20', room: 'chat:tea', userId: BOB, role: 'moderator' } }],
  'invite-ok': [{ name: 'invite-ok', summary: 'bob is invited.', payload: { type: 'invite-ok', id: '21', room: 'support:ticket-7', userId: BOB } }],
  invited: [
    { name: 'invited', summary: "ana invited you to a support room (on every one of bob's connections).", payload: { type: 'invited', room: 'support:ticket-7', by: ANA, byName: 'ana', ts: TS } },
  ],
  'list-rooms-ok': [
    {
      name: 'list-rooms-ok',
      summary: 'A page of two rooms and a cursor to the next page.',
      payload: {
        type: 'list-rooms-ok',
        id: '22',
        rooms: [
          { room: 'chat:tea', topic: 'Tea and biscuits', members: 12 },
          { room: 'chat:tech', topic: '', members: 3 },
        ],
        next: 'Y2hhdDp0ZWNo',
      },
    },
  ],
  'edit-ok': [
    { name: 'edit-ok', summary: 'The edit is entry 44 of the lobby.', payload: { type: 'edit-ok', id: '23', room: 'lobby', message: EDIT_ENTRY } },
    { name: 'edit-ok-unchanged', summary: 'The text was that already: nothing appended.', payload: { type: 'edit-ok', id: '23', room: 'lobby' } },
  ],
  'delete-ok': [
    { name: 'delete-ok', summary: 'The delete is entry 46.', payload: { type: 'delete-ok', id: '24', room: 'lobby', message: DELETE_ENTRY } },
    { name: 'delete-ok-again', summary: 'Deleted already: nothing appended.', payload: { type: 'delete-ok', id: '24', room: 'lobby' } },
  ],
  'react-ok': [
    { name: 'react-ok', summary: 'The reaction is entry 45.', payload: { type: 'react-ok', id: '25', room: 'lobby', message: REACT_ENTRY } },
    { name: 'react-ok-already', summary: 'bob had reacted 👍 already: nothing appended.', payload: { type: 'react-ok', id: '25', room: 'lobby' } },
  ],
  'read-ok': [{ name: 'read-ok', summary: 'The marker in force.', payload: { type: 'read-ok', id: '26', room: 'lobby', seq: 46 } }],
  read: [{ name: 'read', summary: "ana's phone read the lobby up to 46: her laptop clears its badge.", payload: { type: 'read', room: 'lobby', seq: 46 } }],
  'search-ok': [
    {
      name: 'search-ok',
      summary: 'A room message and a DM, newest first, and a cursor to older hits.',
      payload: { type: 'search-ok', id: '27', hits: [{ message: SEARCH_HIT }, { dm: { ...DM, text: 'lobby tonight?' } }], next: SEARCH_CURSOR },
    },
    { name: 'search-ok-empty', summary: 'Nothing found.', payload: { type: 'search-ok', id: '28', hits: [] } },
  ],
  'kick-ok': [{ name: 'kick-ok', summary: 'carol is out; the kick is entry 17 of chat:tea.', payload: { type: 'kick-ok', id: '29', room: 'chat:tea', userId: CAROL, message: KICK_ENTRY } }],
  'ban-ok': [{ name: 'ban-ok', summary: 'The ban is entry 18.', payload: { type: 'ban-ok', id: '30', room: 'chat:tea', userId: CAROL, message: BAN_ENTRY } }],
  'unban-ok': [
    { name: 'unban-ok', summary: 'The unban is entry 20.', payload: { type: 'unban-ok', id: '31', room: 'chat:tea', userId: CAROL, message: UNBAN_ENTRY } },
    { name: 'unban-ok-nothing', summary: 'carol was not banned: nothing appended.', payload: { type: 'unban-ok', id: '31', room: 'chat:tea', userId: CAROL } },
  ],
  'mute-ok': [{ name: 'mute-ok', summary: 'The mute is entry 19.', payload: { type: 'mute-ok', id: '32', room: 'chat:tea', userId: BOB, message: MUTE_ENTRY } }],
  'unmute-ok': [{ name: 'unmute-ok', summary: 'The unmute is entry 21.', payload: { type: 'unmute-ok', id: '33', room: 'chat:tea', userId: BOB, message: UNMUTE_ENTRY } }],
  'restrictions-ok': [
    {
      name: 'restrictions-ok',
      summary: 'One ban for a day, one ten-minute mute.',
      payload: {
        type: 'restrictions-ok',
        id: '34',
        room: 'chat:tea',
        bans: [{ userId: CAROL, name: 'carol', until: BAN_UNTIL, by: ANA, reason: 'spam', since: TS }],
        mutes: [{ userId: BOB, name: 'bob', until: MUTE_UNTIL, by: ANA, since: TS }],
      },
    },
  ],
  'block-ok': [{ name: 'block-ok', summary: 'carol is blocked.', payload: { type: 'block-ok', id: '35', userId: CAROL } }],
  'unblock-ok': [{ name: 'unblock-ok', summary: 'carol is not blocked.', payload: { type: 'unblock-ok', id: '36', userId: CAROL } }],
  'dm-ok': [{ name: 'dm-ok', summary: 'The direct message was stored and sent.', payload: { type: 'dm-ok', id: '10', message: DM } }],
  'dm-history-ok': [
    {
      name: 'dm-history-ok',
      summary: "ana's view of her conversation with bob: his DM at inbox seq 5, hers at 7 (seq 6 is a DM of another conversation); older ones exist.",
      payload: {
        type: 'dm-history-ok',
        id: '37',
        userId: BOB,
        messages: [{ msgId: '8b1e4d2c-7f3a-4c5e-9d0b-6a2f8e1c4b57', from: BOB, fromName: 'bob', to: ANA, seq: 5, text: 'are you there?', ts: TS - MINUTE }, DM],
        hasMore: true,
      },
    },
  ],
  error: [
    {
      name: 'error-bad-frame',
      summary: 'A chat without text.',
      payload: { type: 'error', id: '7', code: 'bad-frame', message: 'Invalid "chat" frame.', retryable: false, details: ['/: must have required properties text'] },
    },
    { name: 'error-not-in-room', summary: 'Chat to a room not joined.', payload: { type: 'error', id: '7', code: 'not-in-room', message: 'Not in room "dev"; join it first.', retryable: false } },
    { name: 'error-rate-limited', summary: 'Too fast.', payload: { type: 'error', id: '7', code: 'rate-limited', message: 'Too many requests.', retryable: true, retryAfterMs: 100 } },
    {
      name: 'error-forbidden',
      summary: 'A member posting in a room where only moderators post (1.2.0).',
      payload: { type: 'error', id: '7', code: 'forbidden', message: 'Only owners and moderators post in news:releases.', retryable: false },
    },
    {
      name: 'error-muted',
      summary: 'A muted user posts (1.3.0); `details` says until when.',
      payload: { type: 'error', id: '7', code: 'muted', message: 'You are muted in "chat:tea" until 2026-01-01T00:10:00.000Z.', retryable: false, details: [`until:${MUTE_UNTIL}`] },
    },
    {
      name: 'error-banned-room',
      summary: 'A user banned from the room joins it (1.3.0).',
      payload: { type: 'error', id: '3', code: 'banned', message: 'You are banned from "chat:tea" until 2026-01-02T00:00:00.000Z.', retryable: false, details: [`until:${BAN_UNTIL}`] },
    },
    {
      name: 'error-blocked',
      summary: 'A DM to a user who blocks the sender (1.3.0).',
      payload: { type: 'error', id: '10', code: 'blocked', message: 'This user does not accept your direct messages.', retryable: false },
    },
    {
      name: 'error-too-many-reactions',
      summary: 'A 21st distinct emoji on one message (1.3.0).',
      payload: { type: 'error', id: '25', code: 'too-many-reactions', message: 'This message has as many reactions as allowed.', retryable: false },
    },
    { name: 'error-bad-json', summary: 'Not JSON: no id can be read.', payload: { type: 'error', code: 'bad-json', message: 'Frame is not valid JSON.', retryable: false } },
  ],
  chat: [
    { name: 'chat', summary: 'A message from ana, as every other connection in the lobby receives it.', payload: { type: 'chat', message: MSG } },
    { name: 'chat-reply', summary: "bob's reply to 42, quoting it and mentioning ana (1.3.0).", payload: { type: 'chat', message: REPLY } },
    { name: 'chat-edit', summary: 'An edit event (1.3.0): 42 now reads as this `text`. A client before 1.3.0 gets it without `event`, as a new line.', payload: { type: 'chat', message: EDIT_ENTRY } },
    { name: 'chat-react', summary: 'A reaction event (1.3.0).', payload: { type: 'chat', message: REACT_ENTRY } },
    { name: 'chat-delete', summary: 'A delete event (1.3.0): 43 becomes a tombstone and replies to it lose their excerpt.', payload: { type: 'chat', message: DELETE_ENTRY } },
    { name: 'chat-kick', summary: "A kick event (1.3.0): the actor is the entry's user, the kicked user is in `event`.", payload: { type: 'chat', message: KICK_ENTRY } },
    { name: 'chat-ban', summary: 'A ban event (1.3.0): carol is removed on every node once it is delivered.', payload: { type: 'chat', message: BAN_ENTRY } },
  ],
  dm: [{ name: 'dm', summary: "A direct message from ana, as bob's connections (and ana's other ones) receive it.", payload: { type: 'dm', message: DM } }],
  alarm: [
    { name: 'alarm-joined', summary: 'bob entered the lobby.', payload: { type: 'alarm', room: 'lobby', kind: 'joined', userId: BOB, name: 'bob', text: 'bob joined', ts: TS } },
    { name: 'alarm-renamed', summary: 'ana is now ana.k.', payload: { type: 'alarm', room: 'lobby', kind: 'renamed', userId: ANA, name: 'ana.k', oldName: 'ana', text: 'ana is now ana.k', ts: TS } },
    {
      name: 'alarm-topic',
      summary: 'ana set the topic (1.2.0).',
      payload: { type: 'alarm', room: 'chat:tea', kind: 'topic', userId: ANA, name: 'ana', topic: 'Tea and biscuits', text: 'ana set the topic to "Tea and biscuits"', ts: TS },
    },
    {
      name: 'alarm-role',
      summary: 'bob became moderator (1.2.0).',
      payload: { type: 'alarm', room: 'chat:tea', kind: 'role', userId: BOB, name: 'bob', role: 'moderator', text: 'bob is now moderator', ts: TS },
    },
  ],
  typing: [{ name: 'typing', summary: 'ana is typing in the lobby.', payload: { type: 'typing', room: 'lobby', userId: ANA, name: 'ana', typing: true } }],
}
