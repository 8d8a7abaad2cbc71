// Table tests of the client frame schemas through the codec, as the server
// decodes them: for every client frame type, valid fixtures decode and
// invalid ones (missing, extra or mistyped field, too long, bad characters,
// `__proto__` keys) fail with the documented error code (PROTOCOL.md §3, §11).
import t, { type Test } from 'tap'
import { decodeClientFrame, type DecodeResult } from '../../protocol/codec.ts'
import { ErrorCodes, type ErrorCode } from '../../protocol/codes.ts'
import { ClientFrames, type ClientFrame, type ClientFrameType } from '../../protocol/frames.ts'

type Fixture = Record<string, unknown> | string
/** [what, frame or raw text, expected code, a details entry must start with this path]. */
type Invalid = [string, Fixture, ErrorCode, string?]
interface FrameTable {
  valid: [string, Fixture][]
  invalid: Invalid[]
}

const EPOCH = 'Xq3vB8nM2kLp'
const SESSION = 'k7Gd0sQz1mXc3VbN8pLr5TyW2aEf9HjU'
const ASTRAL = '\u{1D49C}' // MATHEMATICAL SCRIPT CAPITAL A: a letter, two UTF-16 units
const NFD_E = 'e\u0301' // "é" decomposed

const table: Record<ClientFrameType, FrameTable> = {
  login: {
    valid: [
      ['no fields at all', { type: 'login' }],
      ['a name', { type: 'login', id: '1', name: 'ana' }],
      ['a name of 32 code points with inner spaces and marks', { type: 'login', name: `Zoë ${'x'.repeat(26)}_.` }],
      [
        'a session, rooms with resume and an inbox position',
        { type: 'login', session: SESSION, rooms: [{ room: 'lobby', since: { epoch: EPOCH, seq: 41 } }, { room: 'dev' }], inbox: { epoch: EPOCH, seq: 0 } },
      ],
      ['an empty room list', { type: 'login', rooms: [] }],
      ['a token', { type: 'login', token: 'a.b.c' }],
      ['non-Latin names', { type: 'login', name: 'Дмитрий', rooms: [{ room: 'чат' }, { room: '日本語' }] }],
    ],
    invalid: [
      ['a name of 33 characters', { type: 'login', name: 'a'.repeat(33) }, 'bad-frame', '/name'],
      ['an empty name', { type: 'login', name: '' }, 'bad-frame', '/name'],
      ['a name with a bidi override', { type: 'login', name: 'ana\u202Eevil' }, 'bad-frame', '/name'],
      ['a name with a zero-width space', { type: 'login', name: 'a\u200Bna' }, 'bad-frame', '/name'],
      ['a name starting with a space', { type: 'login', name: ' ana' }, 'bad-frame', '/name'],
      ['a name ending with a space', { type: 'login', name: 'ana ' }, 'bad-frame', '/name'],
      ['a name with a newline', { type: 'login', name: 'a\nb' }, 'bad-frame', '/name'],
      ['a name that is a number', { type: 'login', name: 42 }, 'bad-frame', '/name'],
      ['a session key too short', { type: 'login', session: 'abc' }, 'bad-frame', '/session'],
      ['a session key with bad characters', { type: 'login', session: `${SESSION}!` }, 'bad-frame', '/session'],
      ['a token too long', { type: 'login', token: 'x'.repeat(4097) }, 'bad-frame', '/token'],
      ['rooms that is not an array', { type: 'login', rooms: 'lobby' }, 'bad-frame', '/rooms'],
      ['65 rooms', { type: 'login', rooms: Array.from({ length: 65 }, (_, i) => ({ room: `r${i}` })) }, 'bad-frame', '/rooms'],
      ['an upper-case room', { type: 'login', rooms: [{ room: 'Lobby' }] }, 'bad-frame', '/rooms/0/room'],
      ['a room spec with an extra field', { type: 'login', rooms: [{ room: 'lobby', mode: 'ro' }] }, 'bad-frame', '/rooms/0'],
      ['a room spec with a __proto__ key', '{"type":"login","rooms":[{"room":"lobby","__proto__":{"admin":true}}]}', 'bad-frame', '/rooms/0'],
      ['a negative resume seq', { type: 'login', rooms: [{ room: 'lobby', since: { epoch: EPOCH, seq: -1 } }] }, 'bad-frame', '/rooms/0/since/seq'],
      ['a fractional resume seq', { type: 'login', rooms: [{ room: 'lobby', since: { epoch: EPOCH, seq: 1.5 } }] }, 'bad-frame', '/rooms/0/since/seq'],
      ['an inbox position without epoch', { type: 'login', inbox: { seq: 3 } }, 'bad-frame', '/inbox'],
    ],
  },
  rename: {
    valid: [
      ['a new name', { type: 'rename', id: '2', name: 'ana.k' }],
      ['a name in NFD (normalised first)', { type: 'rename', name: `Ren${NFD_E}` }],
    ],
    invalid: [
      ['no name', { type: 'rename' }, 'bad-frame', '/'],
      ['a name of 33 characters', { type: 'rename', name: 'b'.repeat(33) }, 'bad-frame', '/name'],
      ['a name with a symbol', { type: 'rename', name: 'ana☺' }, 'bad-frame', '/name'],
      ['a name that is null', { type: 'rename', name: null }, 'bad-frame', '/name'],
    ],
  },
  logout: {
    valid: [
      ['without id', { type: 'logout' }],
      ['with id', { type: 'logout', id: '9' }],
    ],
    invalid: [['a field logout does not have', { type: 'logout', everywhere: true }, 'bad-frame', '/']],
  },
  ping: {
    valid: [
      ['without id', { type: 'ping' }],
      ['with an id of 64 printable characters', { type: 'ping', id: '~'.repeat(64) }],
    ],
    invalid: [['a payload', { type: 'ping', payload: 'x' }, 'bad-frame', '/']],
  },
  'join-room': {
    valid: [
      ['a room', { type: 'join-room', id: '3', room: 'dev' }],
      ['a room with a resume position', { type: 'join-room', room: 'lobby', since: { epoch: EPOCH, seq: 0 } }],
      ['a room of 32 characters with _ - .', { type: 'join-room', room: `_a.b-${'c'.repeat(27)}` }],
    ],
    invalid: [
      ['no room', { type: 'join-room' }, 'bad-frame', '/'],
      ['a room of 33 characters', { type: 'join-room', room: 'r'.repeat(33) }, 'bad-frame', '/room'],
      ['an upper-case room', { type: 'join-room', room: 'Dev' }, 'bad-frame', '/room'],
      ['a room ending with "."', { type: 'join-room', room: 'dev.' }, 'bad-frame', '/room'],
      ['a room with a space', { type: 'join-room', room: 'dev ops' }, 'bad-frame', '/room'],
      ['a room with a slash', { type: 'join-room', room: 'a/b' }, 'bad-frame', '/room'],
      ['a room that is an array', { type: 'join-room', room: ['dev'] }, 'bad-frame', '/room'],
      ['a resume seq that is a string', { type: 'join-room', room: 'dev', since: { epoch: EPOCH, seq: '4' } }, 'bad-frame', '/since/seq'],
      ['an empty epoch', { type: 'join-room', room: 'dev', since: { epoch: '', seq: 4 } }, 'bad-frame', '/since/epoch'],
      ['a resume position with an extra field', { type: 'join-room', room: 'dev', since: { epoch: EPOCH, seq: 4, at: 1 } }, 'bad-frame', '/since'],
    ],
  },
  'leave-room': {
    valid: [['a room', { type: 'leave-room', id: '4', room: 'dev' }]],
    invalid: [
      ['no room', { type: 'leave-room' }, 'bad-frame', '/'],
      ['a room that is a number', { type: 'leave-room', room: 7 }, 'bad-frame', '/room'],
    ],
  },
  presence: {
    valid: [['a room', { type: 'presence', room: 'lobby' }]],
    invalid: [
      ['no room', { type: 'presence' }, 'bad-frame', '/'],
      ['an empty room', { type: 'presence', room: '' }, 'bad-frame', '/room'],
    ],
  },
  typing: {
    valid: [
      ['started', { type: 'typing', room: 'lobby', typing: true }],
      ['stopped', { type: 'typing', room: 'lobby', typing: false }],
    ],
    invalid: [
      ['no typing flag', { type: 'typing', room: 'lobby' }, 'bad-frame', '/'],
      ['a typing flag that is a string', { type: 'typing', room: 'lobby', typing: 'yes' }, 'bad-frame', '/typing'],
    ],
  },
  chat: {
    valid: [
      ['text only', { type: 'chat', room: 'lobby', text: 'hi' }],
      ['text with newline and tab, and a clientMsgId', { type: 'chat', id: '7', room: 'lobby', text: 'line 1\n\tline 2', clientMsgId: '6f1c2b7e-9d4a-4c1e-8b2f-3a5d7e9c1b20' }],
      ['2000 characters', { type: 'chat', room: 'lobby', text: 'x'.repeat(2000) }],
      ['2000 astral code points (4000 UTF-16 units): lengths count code points', { type: 'chat', room: 'lobby', text: ASTRAL.repeat(2000) }],
      ['emoji and right-to-left text', { type: 'chat', room: 'lobby', text: 'שלום 👋🏽' }],
      ['a reply (1.3.0)', { type: 'chat', room: 'lobby', text: '@ana are you coming?', replyTo: 42 }],
    ],
    invalid: [
      ['no text', { type: 'chat', room: 'lobby' }, 'bad-frame', '/'],
      ['no room', { type: 'chat', text: 'hi' }, 'bad-frame', '/'],
      ['empty text', { type: 'chat', room: 'lobby', text: '' }, 'bad-frame', '/text'],
      ['2001 characters', { type: 'chat', room: 'lobby', text: 'x'.repeat(2001) }, 'bad-frame', '/text'],
      ['a NUL character', { type: 'chat', room: 'lobby', text: 'a\u0000b' }, 'bad-frame', '/text'],
      ['a C1 control', { type: 'chat', room: 'lobby', text: 'a\u0085b' }, 'bad-frame', '/text'],
      ['a bidi override', { type: 'chat', room: 'lobby', text: 'abc\u202Edef' }, 'bad-frame', '/text'],
      ['a bidi isolate', { type: 'chat', room: 'lobby', text: 'abc\u2067def' }, 'bad-frame', '/text'],
      ['text that is an object', { type: 'chat', room: 'lobby', text: { html: '<b>hi</b>' } }, 'bad-frame', '/text'],
      ['a clientMsgId too short', { type: 'chat', room: 'lobby', text: 'hi', clientMsgId: 'abc' }, 'bad-frame', '/clientMsgId'],
      ['a clientMsgId too long', { type: 'chat', room: 'lobby', text: 'hi', clientMsgId: 'a'.repeat(65) }, 'bad-frame', '/clientMsgId'],
      ['a clientMsgId with braces', { type: 'chat', room: 'lobby', text: 'hi', clientMsgId: '{6f1c2b7e}' }, 'bad-frame', '/clientMsgId'],
      ['a sender name (the server sets it)', { type: 'chat', room: 'lobby', text: 'hi', name: 'admin' }, 'bad-frame', '/'],
      ['a reply to seq 0', { type: 'chat', room: 'lobby', text: 'hi', replyTo: 0 }, 'bad-frame', '/replyTo'],
      ['a reply to a message id (replies name a seq)', { type: 'chat', room: 'lobby', text: 'hi', replyTo: '0f8e2c1a' }, 'bad-frame', '/replyTo'],
      ['mentions (the server resolves them)', { type: 'chat', room: 'lobby', text: 'hi @ana', mentions: ['u1'] }, 'bad-frame', '/'],
    ],
  },
  history: {
    valid: [
      ['the newest page', { type: 'history', room: 'lobby' }],
      ['a page backwards', { type: 'history', room: 'lobby', before: 42, limit: 50 }],
      ['a page forwards from the start', { type: 'history', room: 'lobby', after: 0, limit: 1000 }],
      // The schema allows both; the server answers bad-frame from the handler (PROTOCOL.md §7).
      ['before and after together (refused by the server, not the schema)', { type: 'history', room: 'lobby', before: 9, after: 2 }],
    ],
    invalid: [
      ['before 0', { type: 'history', room: 'lobby', before: 0 }, 'bad-frame', '/before'],
      ['a negative after', { type: 'history', room: 'lobby', after: -1 }, 'bad-frame', '/after'],
      ['a limit of 0', { type: 'history', room: 'lobby', limit: 0 }, 'bad-frame', '/limit'],
      ['a limit of 1001', { type: 'history', room: 'lobby', limit: 1001 }, 'bad-frame', '/limit'],
      ['a fractional before', { type: 'history', room: 'lobby', before: 1.5 }, 'bad-frame', '/before'],
      ['a limit as a string', { type: 'history', room: 'lobby', limit: '10' }, 'bad-frame', '/limit'],
    ],
  },
  dm: {
    valid: [
      ['a direct message', { type: 'dm', id: '10', to: 'u_P4rN7sLq2vHc', text: 'psst' }],
      ['with a clientMsgId', { type: 'dm', to: 'u_P4rN7sLq2vHc', text: 'psst', clientMsgId: 'dm-7Hq2Lx9P' }],
    ],
    invalid: [
      ['no recipient', { type: 'dm', text: 'psst' }, 'bad-frame', '/'],
      ['a recipient with a space', { type: 'dm', to: 'u_P4rN 7sLq', text: 'psst' }, 'bad-frame', '/to'],
      ['a recipient id too long', { type: 'dm', to: 'u'.repeat(65), text: 'psst' }, 'bad-frame', '/to'],
      ['text too long', { type: 'dm', to: 'u_P4rN7sLq2vHc', text: 'y'.repeat(2001) }, 'bad-frame', '/text'],
      ['a DEL character in the text', { type: 'dm', to: 'u_P4rN7sLq2vHc', text: 'a\u007Fb' }, 'bad-frame', '/text'],
    ],
  },
  register: {
    valid: [
      ['a password', { type: 'register', id: '11', password: 'correct horse battery' }],
      ['a password of 8 code points, any characters', { type: 'register', password: 'pä$$ wö😀' }],
    ],
    invalid: [
      ['no password', { type: 'register' }, 'bad-frame', '/'],
      ['a password of 7 characters', { type: 'register', password: 'short12' }, 'bad-frame', '/password'],
      ['a password of 129 characters', { type: 'register', password: 'p'.repeat(129) }, 'bad-frame', '/password'],
      ['a number as password', { type: 'register', password: 12345678 }, 'bad-frame', '/password'],
    ],
  },
  'change-password': {
    valid: [['both passwords', { type: 'change-password', password: 'correct horse battery', newPassword: 'staple 4 horses' }]],
    invalid: [
      ['no new password', { type: 'change-password', password: 'correct horse battery' }, 'bad-frame', '/'],
      ['a short new password', { type: 'change-password', password: 'correct horse battery', newPassword: 'short' }, 'bad-frame', '/newPassword'],
    ],
  },
  'delete-account': {
    valid: [['the password', { type: 'delete-account', password: 'correct horse battery' }]],
    invalid: [['no password', { type: 'delete-account' }, 'bad-frame', '/']],
  },
  sessions: {
    valid: [['no fields', { type: 'sessions', id: '14' }]],
    invalid: [['an extra field', { type: 'sessions', all: true }, 'bad-frame', '/']],
  },
  'revoke-session': {
    valid: [['a session id', { type: 'revoke-session', sessionId: 'tHn3Wc7Ym5Bd' }]],
    invalid: [
      ['no session id', { type: 'revoke-session' }, 'bad-frame', '/'],
      ['a session id with a space', { type: 'revoke-session', sessionId: 'tHn3 Wc7' }, 'bad-frame', '/sessionId'],
      ['a session id too long', { type: 'revoke-session', sessionId: 's'.repeat(65) }, 'bad-frame', '/sessionId'],
    ],
  },
  'find-users': {
    valid: [
      ['a prefix', { type: 'find-users', prefix: 'bo' }],
      ['a prefix and a limit', { type: 'find-users', prefix: 'bo', limit: 50 }],
    ],
    invalid: [
      ['an empty prefix', { type: 'find-users', prefix: '' }, 'bad-frame', '/prefix'],
      ['a limit of 51', { type: 'find-users', prefix: 'bo', limit: 51 }, 'bad-frame', '/limit'],
      ['a limit of 0', { type: 'find-users', prefix: 'bo', limit: 0 }, 'bad-frame', '/limit'],
    ],
  },
  'dm-read': {
    valid: [['a user and a seq', { type: 'dm-read', userId: 'u_P4rN7sLq2vHc', seq: 7 }]],
    invalid: [
      ['a negative seq', { type: 'dm-read', userId: 'u_P4rN7sLq2vHc', seq: -1 }, 'bad-frame', '/seq'],
      ['no user', { type: 'dm-read', seq: 7 }, 'bad-frame', '/'],
    ],
  },
  'dm-typing': {
    valid: [
      ['typing to a user', { type: 'dm-typing', to: 'u_P4rN7sLq2vHc', typing: true }],
      ['stopped', { type: 'dm-typing', id: 't1', to: 'u_P4rN7sLq2vHc', typing: false }],
    ],
    invalid: [
      ['no recipient', { type: 'dm-typing', typing: true }, 'bad-frame', '/'],
      ['typing not a boolean', { type: 'dm-typing', to: 'u_P4rN7sLq2vHc', typing: 'yes' }, 'bad-frame', '/typing'],
    ],
  },
  'dm-history': {
    valid: [
      ['the newest page', { type: 'dm-history', userId: 'u_P4rN7sLq2vHc' }],
      ['a page backwards', { type: 'dm-history', id: 'h1', userId: 'u_P4rN7sLq2vHc', before: 42, limit: 100 }],
    ],
    invalid: [
      ['no user', { type: 'dm-history' }, 'bad-frame', '/'],
      ['before 0', { type: 'dm-history', userId: 'u_P4rN7sLq2vHc', before: 0 }, 'bad-frame', '/before'],
      ['a limit of 0', { type: 'dm-history', userId: 'u_P4rN7sLq2vHc', limit: 0 }, 'bad-frame', '/limit'],
      ['a limit of 101', { type: 'dm-history', userId: 'u_P4rN7sLq2vHc', limit: 101 }, 'bad-frame', '/limit'],
      ['after (rooms only)', { type: 'dm-history', userId: 'u_P4rN7sLq2vHc', after: 3 }, 'bad-frame', '/'],
    ],
  },
  'room-info': {
    valid: [['a room with a namespace', { type: 'room-info', room: 'news:releases' }]],
    invalid: [['no room', { type: 'room-info' }, 'bad-frame', '/']],
  },
  'set-room': {
    valid: [
      ['a topic', { type: 'set-room', room: 'chat:tea', topic: 'Tea and biscuits' }],
      ['an empty topic', { type: 'set-room', room: 'chat:tea', topic: '' }],
      ['visibility', { type: 'set-room', room: 'chat:tea', public: false }],
    ],
    invalid: [
      ['a topic of 201 code points', { type: 'set-room', room: 'tea', topic: 'x'.repeat(201) }, 'bad-frame', '/topic'],
      ['a control character in the topic', { type: 'set-room', room: 'tea', topic: 'a\u001bb' }, 'bad-frame', '/topic'],
      ['public as a string', { type: 'set-room', room: 'tea', public: 'yes' }, 'bad-frame', '/public'],
    ],
  },
  'set-role': {
    valid: [['a moderator', { type: 'set-role', room: 'tea', userId: 'u_P4rN7sLq2vHc', role: 'moderator' }]],
    invalid: [
      ['an unknown role', { type: 'set-role', room: 'tea', userId: 'u_P4rN7sLq2vHc', role: 'admin' }, 'bad-frame', '/role'],
      ['no user', { type: 'set-role', room: 'tea', role: 'member' }, 'bad-frame', '/'],
    ],
  },
  invite: {
    valid: [['a user', { type: 'invite', room: 'support:t-1', userId: 'u_P4rN7sLq2vHc' }]],
    invalid: [['no room', { type: 'invite', userId: 'u_P4rN7sLq2vHc' }, 'bad-frame', '/']],
  },
  'list-rooms': {
    valid: [
      ['nothing', { type: 'list-rooms' }],
      ['everything', { type: 'list-rooms', namespace: 'chat', prefix: 'te', cursor: 'Y2hhdDp0ZWE', limit: 50 }],
      ['the default namespace', { type: 'list-rooms', namespace: '' }],
    ],
    invalid: [
      ['a limit of 51', { type: 'list-rooms', limit: 51 }, 'bad-frame', '/limit'],
      ['an empty prefix', { type: 'list-rooms', prefix: '' }, 'bad-frame', '/prefix'],
      ['a bad namespace', { type: 'list-rooms', namespace: 'News' }, 'bad-frame', '/namespace'],
    ],
  },
  edit: {
    valid: [
      ['new text', { type: 'edit', id: '23', room: 'lobby', seq: 42, text: 'hello, lobby 👋' }],
      ['2000 code points with a newline', { type: 'edit', room: 'chat:tea', seq: 1, text: `${'x'.repeat(1998)}\ny` }],
    ],
    invalid: [
      ['no text', { type: 'edit', room: 'lobby', seq: 42 }, 'bad-frame', '/'],
      ['no seq', { type: 'edit', room: 'lobby', text: 'x' }, 'bad-frame', '/'],
      ['seq 0 (targets start at 1)', { type: 'edit', room: 'lobby', seq: 0, text: 'x' }, 'bad-frame', '/seq'],
      ['empty text', { type: 'edit', room: 'lobby', seq: 42, text: '' }, 'bad-frame', '/text'],
      ['2001 code points', { type: 'edit', room: 'lobby', seq: 42, text: 'x'.repeat(2001) }, 'bad-frame', '/text'],
      ['a bidi override (validated like a new message)', { type: 'edit', room: 'lobby', seq: 42, text: 'a\u202Eb' }, 'bad-frame', '/text'],
      ['a mention list (the server resolves mentions)', { type: 'edit', room: 'lobby', seq: 42, text: 'x', mentions: ['u1'] }, 'bad-frame', '/'],
    ],
  },
  delete: {
    valid: [['a message', { type: 'delete', id: '24', room: 'lobby', seq: 43 }]],
    invalid: [
      ['a seq as a string', { type: 'delete', room: 'lobby', seq: '43' }, 'bad-frame', '/seq'],
      ['a fractional seq', { type: 'delete', room: 'lobby', seq: 4.5 }, 'bad-frame', '/seq'],
      ['a reason (not part of delete)', { type: 'delete', room: 'lobby', seq: 43, reason: 'spam' }, 'bad-frame', '/'],
    ],
  },
  react: {
    valid: [
      ['a thumbs up (on by default)', { type: 'react', id: '25', room: 'lobby', seq: 42, emoji: '👍' }],
      ['a heart taken back', { type: 'react', room: 'lobby', seq: 42, emoji: '❤️', on: false }],
      ['a ZWJ sequence with a skin tone', { type: 'react', room: 'lobby', seq: 42, emoji: '👩🏽‍💻' }],
      ['a flag', { type: 'react', room: 'lobby', seq: 42, emoji: '🇰🇷' }],
      ['a keycap', { type: 'react', room: 'lobby', seq: 42, emoji: '1️⃣' }],
    ],
    invalid: [
      ['a letter', { type: 'react', room: 'lobby', seq: 42, emoji: 'a' }, 'bad-frame', '/emoji'],
      ['two emoji', { type: 'react', room: 'lobby', seq: 42, emoji: '👍👍' }, 'bad-frame', '/emoji'],
      ['an emoji and a space', { type: 'react', room: 'lobby', seq: 42, emoji: '👍 ' }, 'bad-frame', '/emoji'],
      ['markup', { type: 'react', room: 'lobby', seq: 42, emoji: '<script>' }, 'bad-frame', '/emoji'],
      ['a text smiley', { type: 'react', room: 'lobby', seq: 42, emoji: ':)' }, 'bad-frame', '/emoji'],
      ['a bare heart without its emoji selector (not fully qualified)', { type: 'react', room: 'lobby', seq: 42, emoji: '\u2764' }, 'bad-frame', '/emoji'],
      ['an empty emoji', { type: 'react', room: 'lobby', seq: 42, emoji: '' }, 'bad-frame', '/emoji'],
      ['on as a string', { type: 'react', room: 'lobby', seq: 42, emoji: '👍', on: 'false' }, 'bad-frame', '/on'],
      ['no emoji', { type: 'react', room: 'lobby', seq: 42 }, 'bad-frame', '/'],
    ],
  },
  read: {
    valid: [['a marker', { type: 'read', id: '26', room: 'lobby', seq: 46 }]],
    invalid: [
      ['seq 0', { type: 'read', room: 'lobby', seq: 0 }, 'bad-frame', '/seq'],
      ['no room', { type: 'read', seq: 3 }, 'bad-frame', '/'],
    ],
  },
  search: {
    valid: [
      ['words', { type: 'search', id: '27', query: 'lobby tonight' }],
      ['a quoted phrase in one room, a page after a cursor', { type: 'search', query: '"회의 자료"', room: 'chat:tea', cursor: 'MTc2NzIyNTQ4MDAwMDpkNGUx', limit: 50 }],
      ['pattern characters are plain text', { type: 'search', query: 'a* OR b% _x_ (c) -d' }],
    ],
    invalid: [
      ['an empty query', { type: 'search', query: '' }, 'bad-frame', '/query'],
      ['a query of 201 code points', { type: 'search', query: 'q'.repeat(201) }, 'bad-frame', '/query'],
      ['a limit of 51', { type: 'search', query: 'x', limit: 51 }, 'bad-frame', '/limit'],
      ['an empty cursor', { type: 'search', query: 'x', cursor: '' }, 'bad-frame', '/cursor'],
      ['an offset (there is none: use the cursor)', { type: 'search', query: 'x', offset: 100000 }, 'bad-frame', '/'],
    ],
  },
  kick: {
    valid: [
      ['a user', { type: 'kick', id: '29', room: 'chat:tea', userId: 'u_W8dK3nRq6tZe' }],
      ['with a reason', { type: 'kick', room: 'chat:tea', userId: 'u_W8dK3nRq6tZe', reason: 'spam, again' }],
    ],
    invalid: [
      ['no user', { type: 'kick', room: 'chat:tea' }, 'bad-frame', '/'],
      ['a reason of 201 code points', { type: 'kick', room: 'chat:tea', userId: 'u1', reason: 'r'.repeat(201) }, 'bad-frame', '/reason'],
      ['a reason over two lines', { type: 'kick', room: 'chat:tea', userId: 'u1', reason: 'one\ntwo' }, 'bad-frame', '/reason'],
      ['a reason with a bidi override', { type: 'kick', room: 'chat:tea', userId: 'u1', reason: 'a\u202Eb' }, 'bad-frame', '/reason'],
    ],
  },
  ban: {
    valid: [
      ['for a day, with a reason', { type: 'ban', id: '30', room: 'chat:tea', userId: 'u1', durationMs: 86_400_000, reason: 'spam' }],
      ['until lifted', { type: 'ban', room: 'chat:tea', userId: 'u1' }],
      ['for 366 days, the longest', { type: 'ban', room: 'chat:tea', userId: 'u1', durationMs: 366 * 86_400_000 }],
    ],
    invalid: [
      ['under a second', { type: 'ban', room: 'chat:tea', userId: 'u1', durationMs: 999 }, 'bad-frame', '/durationMs'],
      ['over 366 days', { type: 'ban', room: 'chat:tea', userId: 'u1', durationMs: 366 * 86_400_000 + 1 }, 'bad-frame', '/durationMs'],
      ['an end time instead of a duration', { type: 'ban', room: 'chat:tea', userId: 'u1', until: 1767225600000 }, 'bad-frame', '/'],
    ],
  },
  unban: {
    valid: [['a user', { type: 'unban', id: '31', room: 'chat:tea', userId: 'u1' }]],
    invalid: [['a duration', { type: 'unban', room: 'chat:tea', userId: 'u1', durationMs: 1000 }, 'bad-frame', '/']],
  },
  mute: {
    valid: [
      ['ten minutes', { type: 'mute', id: '32', room: 'chat:tea', userId: 'u1', durationMs: 600_000 }],
      ['until lifted, with a reason', { type: 'mute', room: 'chat:tea', userId: 'u1', reason: 'flood' }],
    ],
    invalid: [
      ['a duration as a string', { type: 'mute', room: 'chat:tea', userId: 'u1', durationMs: '600000' }, 'bad-frame', '/durationMs'],
      ['a user id with a space', { type: 'mute', room: 'chat:tea', userId: 'u 1' }, 'bad-frame', '/userId'],
    ],
  },
  unmute: {
    valid: [['a user', { type: 'unmute', id: '33', room: 'chat:tea', userId: 'u1' }]],
    invalid: [['no room', { type: 'unmute', userId: 'u1' }, 'bad-frame', '/']],
  },
  restrictions: {
    valid: [['a room', { type: 'restrictions', id: '34', room: 'chat:tea' }]],
    invalid: [
      ['a kind filter (there is none)', { type: 'restrictions', room: 'chat:tea', kind: 'ban' }, 'bad-frame', '/'],
      ['an upper-case room', { type: 'restrictions', room: 'Tea' }, 'bad-frame', '/room'],
    ],
  },
  block: {
    valid: [['a user', { type: 'block', id: '35', userId: 'u_W8dK3nRq6tZe' }]],
    invalid: [
      ['no user', { type: 'block' }, 'bad-frame', '/'],
      ['a user id of 65 characters', { type: 'block', userId: 'u'.repeat(65) }, 'bad-frame', '/userId'],
    ],
  },
  unblock: {
    valid: [['a user', { type: 'unblock', id: '36', userId: 'u_W8dK3nRq6tZe' }]],
    invalid: [['a user id that is a number', { type: 'unblock', userId: 7 }, 'bad-frame', '/userId']],
  },
}

const text = (f: Fixture): string => (typeof f === 'string' ? f : JSON.stringify(f))

function expectFailure(t: Test, result: DecodeResult<ClientFrame>, code: ErrorCode, path?: string): void {
  t.equal(result.ok, false, 'is refused')
  if (result.ok) return
  t.equal(result.code, code, `with code ${code}`)
  t.ok(code in ErrorCodes, 'a documented code')
  if (path !== undefined) {
    t.ok(
      result.details?.some((d) => d.startsWith(`${path}:`) || d.startsWith(`${path}/`)),
      `details name ${path}: ${JSON.stringify(result.details)}`,
    )
  }
}

t.test('every client frame type has a table with valid and invalid fixtures', async (t) => {
  t.same(Object.keys(table).sort(), Object.keys(ClientFrames).sort())
  for (const [type, entry] of Object.entries(table)) {
    t.ok(entry.valid.length > 0 && entry.invalid.length > 0, `${type} has both`)
  }
})

for (const [type, entry] of Object.entries(table) as [ClientFrameType, FrameTable][]) {
  t.test(`${type}: valid frames decode`, async (t) => {
    for (const [what, fixture] of entry.valid) {
      const result = decodeClientFrame(text(fixture))
      t.equal(result.ok, true, `${what}: ${result.ok ? 'ok' : JSON.stringify(result.details)}`)
      if (result.ok) t.equal(result.frame.type, type)
    }
  })

  t.test(`${type}: invalid frames get the documented error code`, async (t) => {
    for (const [what, fixture, code, path] of entry.invalid) {
      t.test(what, async (t) => expectFailure(t, decodeClientFrame(text(fixture)), code, path))
    }
  })

  // The same faults on every frame type, built from its first valid fixture.
  t.test(`${type}: envelope faults are refused`, async (t) => {
    const base = entry.valid[0]![1] as Record<string, unknown>
    const json = JSON.stringify(base)
    const withKey = (key: string, value: string) => `${json.slice(0, -1)},"${key}":${value}}`
    expectFailure(t, decodeClientFrame(JSON.stringify({ ...base, extra: 1 })), 'bad-frame', '/')
    expectFailure(t, decodeClientFrame(withKey('__proto__', '{"isAdmin":true}')), 'bad-frame', '/__proto__')
    expectFailure(t, decodeClientFrame(withKey('constructor', '{"prototype":{}}')), 'bad-frame', '/constructor')
    expectFailure(t, decodeClientFrame(JSON.stringify({ ...base, id: 'x'.repeat(65) })), 'bad-frame', '/id')
    expectFailure(t, decodeClientFrame(JSON.stringify({ ...base, id: '' })), 'bad-frame', '/id')
    expectFailure(t, decodeClientFrame(JSON.stringify({ ...base, id: 7 })), 'bad-frame', '/id')
    expectFailure(t, decodeClientFrame(JSON.stringify({ ...base, id: 'a\u00E9' })), 'bad-frame', '/id')
    t.equal(({} as Record<string, unknown>).isAdmin, undefined, 'Object.prototype is untouched')
  })

  t.test(`${type}: an error echoes a readable request id`, async (t) => {
    const base = entry.valid[0]![1] as Record<string, unknown>
    const result = decodeClientFrame(JSON.stringify({ ...base, id: 'req-1', extra: true }))
    t.match(result, { ok: false, code: 'bad-frame', id: 'req-1' })
  })
}

t.test('frames that are not JSON objects get bad-json', async (t) => {
  for (const raw of ['', 'hello', '{"type":"ping"', '[{"type":"ping"}]', 'null', '42', '"ping"', '{"type":"ping"}{}']) {
    t.test(JSON.stringify(raw), async (t) => expectFailure(t, decodeClientFrame(raw), 'bad-json'))
  }
})

t.test('a missing, mistyped or unknown type gets unknown-type', async (t) => {
  for (const frame of [
    {},
    { id: '1' },
    { type: 7 },
    { type: null },
    { type: 'chat-ok' },
    { type: 'welcome' },
    { type: 'Chat' },
    { type: '__proto__' },
    { type: 'constructor' },
    { type: 'toString' },
  ]) {
    t.test(JSON.stringify(frame), async (t) => expectFailure(t, decodeClientFrame(JSON.stringify(frame)), 'unknown-type'))
  }
  t.match(decodeClientFrame('{"type":"shout","id":"r9"}'), { ok: false, code: 'unknown-type', id: 'r9' }, 'echoes the id')
})

t.test('names and rooms are normalised to NFC before validation', async (t) => {
  const nfd = `${NFD_E}`.repeat(32) // 64 code points in NFD, 32 in NFC
  const result = decodeClientFrame(JSON.stringify({ type: 'login', name: nfd, rooms: [{ room: `caf${NFD_E}` }] }))
  t.equal(result.ok, true, 'the length rule applies to the NFC form')
  if (!result.ok || result.frame.type !== 'login') return
  t.equal(result.frame.name, nfd.normalize('NFC'))
  t.equal(result.frame.rooms?.[0]?.room, 'café')
  const joined = decodeClientFrame(JSON.stringify({ type: 'join-room', room: `caf${NFD_E}` }))
  t.match(joined, { ok: true, frame: { room: 'café' } })
})

t.test('text is not normalised', async (t) => {
  const result = decodeClientFrame(JSON.stringify({ type: 'chat', room: 'lobby', text: `caf${NFD_E}` }))
  t.match(result, { ok: true, frame: { text: `caf${NFD_E}` } })
})

// Lone surrogates: JSON can carry them as escapes, UTF-8 cannot store them.
t.test('a string that is not well-formed Unicode is a bad-frame naming its path', async (t) => {
  const cases: Array<[string, string, string]> = [
    ['chat text', '{"type":"chat","room":"lobby","text":"a\\ud800"}', '/text'],
    ['an escaped pair is fine, a reversed one is not', '{"type":"chat","room":"lobby","text":"\\ud83d\\ude00\\ude00\\ud83d"}', '/text'],
    ['a nested room', '{"type":"login","rooms":[{"room":"a"},{"room":"\\uDBFF"}]}', '/rooms/1/room'],
    ['a resume epoch', '{"type":"join-room","room":"a","since":{"epoch":"\\udc00","seq":1}}', '/since/epoch'],
    ['a key', '{"type":"ping","a/b~\\ud800":1}', '/a~1b~0\uFFFD'],
    ['a raw lone surrogate (not from the wire)', JSON.stringify({ type: 'chat', room: 'lobby', text: 'x\ud800' }), '/text'],
  ]
  for (const [what, raw, path] of cases) {
    t.test(what, async (t) => {
      expectFailure(t, decodeClientFrame(raw), 'bad-frame', path)
      const result = decodeClientFrame(raw)
      t.ok(!result.ok && result.details!.every((d) => d.isWellFormed() && /well-formed/.test(d)), 'the details themselves are well-formed')
    })
  }
  t.match(decodeClientFrame('{"type":"chat","room":"lobby","text":"\\ud83d\\ude00"}'), { ok: true, frame: { text: '😀' } }, 'an escaped surrogate pair is a code point')
  const deep = `{"type":"ping","x":${'['.repeat(5000)}"\\ud800"${']'.repeat(5000)}}`
  t.match(decodeClientFrame(deep), { ok: false, code: 'bad-frame' }, 'deep nesting is walked without recursion')
})

t.test('error messages never split a surrogate pair', async (t) => {
  const result = decodeClientFrame(JSON.stringify({ type: `${'x'.repeat(39)}😀` }))
  t.ok(!result.ok && result.message.isWellFormed(), 'unknown-type message is well-formed')
})
