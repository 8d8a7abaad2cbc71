// Accounts and sessions (chat.v1 1.1.0): a guest may register its name with a
// password and then owns it; a registered user logs in from any device with the
// same user id, rooms and DM conversations; sessions (devices) expire, can be
// listed and revoked. All optional: a 1.0.0 client never sees any of it.
import Type from 'typebox'
import { DirectMessage, Name, Timestamp, UserId } from '../primitives.ts'
import { push, reply, request } from './define.ts'

export const MIN_PASSWORD_CHARS = 8
export const MAX_PASSWORD_CHARS = 128

/** A password as sent by the client (hashed by the server with a memory-hard function, never stored or logged as is). */
export const Password = Type.String({
  minLength: MIN_PASSWORD_CHARS,
  maxLength: MAX_PASSWORD_CHARS,
  description: 'Password of a registered name: 8–128 Unicode code points, any characters. Sent only inside `login`, `register`, `change-password` and `delete-account`; use `wss://`.',
})

/** Public id of a session (a device): names it in `sessions-ok` and `revoke-session`, unlike the secret session key. */
export const SessionId = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '^[A-Za-z0-9_-]+$',
  description: 'Public id of a session (one device or browser). Not a secret: it cannot be used to log in.',
})

/** What the user calls the device a session runs on. */
export const DeviceLabel = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '^[^\\x00-\\x1F\\x7F-\\x9F\\u202A-\\u202E\\u2066-\\u2069]+$',
  description: 'Label of the device or browser of a session, shown in the session list (e.g. "Firefox on Linux"). 1–64 code points, no control characters.',
})

/** One session of the user, as listed by `sessions-ok`. */
export const SessionInfo = Type.Object(
  {
    sessionId: SessionId,
    device: Type.Optional(DeviceLabel),
    createdAt: Timestamp,
    lastSeenAt: Timestamp,
    expiresAt: Timestamp,
    current: Type.Boolean({ description: 'True for the session of the connection that asked.' }),
  },
  { additionalProperties: false, description: 'A session (device) of the user: it expires at `expiresAt` unless used again before (sliding expiry).' },
)
export type SessionInfo = Type.Static<typeof SessionInfo>

/** A DM conversation of the user, with its newest message and how many of the peer's messages are unread. */
export const DmConversation = Type.Object(
  {
    userId: UserId,
    name: Name,
    last: DirectMessage,
    unread: Type.Integer({ minimum: 0, description: "DMs from the peer newer than the user's read marker of this conversation." }),
  },
  { additionalProperties: false, description: 'A direct-message conversation: the other user, the newest message either way and the unread count.' },
)
export type DmConversation = Type.Static<typeof DmConversation>

/** A user found by `find-users`. */
export const FoundUser = Type.Object(
  {
    userId: UserId,
    name: Name,
    online: Type.Boolean({ description: 'True when the user has a logged-in connection.' }),
    registered: Type.Boolean({ description: 'True for a registered name (an account).' }),
  },
  { additionalProperties: false, description: 'A user whose name starts with the searched prefix.' },
)
export type FoundUser = Type.Static<typeof FoundUser>

export const Register = request(
  'register',
  { password: Password },
  'Registers the current name of this logged-in guest as an account with the password: the user keeps its id, and from now on nobody else can use the name, online or offline. Other connections of the user are unaffected.',
)
export const RegisterOk = reply('register-ok', { userId: UserId, name: Name }, 'The name is registered to this user.')

export const ChangePassword = request(
  'change-password',
  { password: Password, newPassword: Password },
  "Changes the account's password; `password` is the current one. Every other session of the user is revoked (their connections close with 4011).",
)
export const ChangePasswordOk = reply('change-password-ok', {}, 'The password is changed; other sessions are revoked.')

export const DeleteAccount = request(
  'delete-account',
  { password: Password },
  'Deletes the account: every session is revoked (other connections close with 4011), the name is free again, and the server replies `delete-account-ok` and closes this connection with 1000. Messages already sent stay in their rooms.',
)
export const DeleteAccountOk = reply('delete-account-ok', {}, 'The account is deleted; the server closes the connection with 1000 next.')

export const Sessions = request('sessions', {}, "Lists the user's sessions (devices), newest use first.")
export const SessionsOk = reply('sessions-ok', { sessions: Type.Array(SessionInfo, { maxItems: 100 }) }, "The user's sessions, most recently used first.")

export const RevokeSession = request(
  'revoke-session',
  { sessionId: SessionId },
  "Revokes one of the user's sessions: its key no longer logs in, and its open connections (on any node) close with 4011. Revoking the current session is allowed (this connection closes after the reply).",
)
export const RevokeSessionOk = reply('revoke-session-ok', { sessionId: SessionId }, 'The session is revoked (also when it already was: idempotent).')

export const FindUsers = request(
  'find-users',
  {
    prefix: Type.String({ minLength: 1, maxLength: 32, description: 'Start of the name, compared like names are (case-insensitively, look-alikes folded).' }),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, description: 'Most users to return (default 20).' })),
  },
  'Finds users to start a DM with: online users and registered names that start with `prefix`, online users first, then by name.',
)
export const FindUsersOk = reply('find-users-ok', { users: Type.Array(FoundUser, { maxItems: 50 }) }, 'Users whose name starts with the prefix.')

export const DmRead = request(
  'dm-read',
  {
    userId: UserId,
    seq: Type.Integer({ minimum: 0, description: 'Inbox seq up to which the conversation with `userId` is read.' }),
  },
  "Marks the DM conversation with `userId` read up to inbox `seq` (markers only move forward). The user's other connections get a `dm-read` push, so a badge cleared on one device clears everywhere.",
)
export const DmReadOk = reply('dm-read-ok', { userId: UserId, seq: Type.Integer({ minimum: 0 }) }, 'The read marker in force for the conversation (the higher of the old and the new).')
export const DmReadPush = push(
  'dm-read',
  { userId: UserId, seq: Type.Integer({ minimum: 0 }) },
  "The user's read marker of the DM conversation with `userId` moved (on this or another connection of the user).",
)
