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
  chat: [{ name: 'chat', summary: 'Say something in the lobby, with an idempotency key.', payload: { type: 'chat', id: '7', room: 'lobby', text: 'hello, lobby', clientMsgId: MSG.clientMsgId } }],
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
  'room-info': [{ name: 'room-info', summary: 'About the releases room of news.', payload: { type: 'room-info', id: '18', room: 'news:releases' } }],
  'set-room': [{ name: 'set-room', summary: 'A new topic.', payload: { type: 'set-room', id: '19', room: 'chat:tea', topic: 'Tea and biscuits' } }],
  'set-role': [{ name: 'set-role', summary: 'The owner appoints bob moderator.', payload: { type: 'set-role', id: '20', room: 'chat:tea', userId: BOB, role: 'moderator' } }],
  invite: [{ name: 'invite', summary: 'bob is invited to a private support room.', payload: { type: 'invite', id: '21', room: 'support:ticket-7', userId: BOB } }],
  'list-rooms': [{ name: 'list-rooms', summary: 'Public rooms of chat starting with "te".', payload: { type: 'list-rooms', id: '22', namespace: 'chat', prefix: 'te', limit: 20 } }],
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
  'history-ok': [{ name: 'history-ok', summary: 'One page, more before it.', payload: { type: 'history-ok', id: '8', room: 'lobby', epoch: EPOCH, messages: [MSG], hasMore: true } }],
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
  'dm-read': [{ name: 'dm-read', summary: 'Another device of the user read the conversation with bob up to seq 7.', payload: { type: 'dm-read', userId: BOB, seq: 7 } }],
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
  'dm-ok': [{ name: 'dm-ok', summary: 'The direct message was stored and sent.', payload: { type: 'dm-ok', id: '10', message: DM } }],
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
    { name: 'error-bad-json', summary: 'Not JSON: no id can be read.', payload: { type: 'error', code: 'bad-json', message: 'Frame is not valid JSON.', retryable: false } },
  ],
  chat: [{ name: 'chat', summary: 'A message from ana, as every other connection in the lobby receives it.', payload: { type: 'chat', message: MSG } }],
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
