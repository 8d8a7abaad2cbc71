// Which error codes each request can get, as the reference server answers
// today (server/session/ and server/handlers/*.ts). Shown per frame in
// PROTOCOL.md §15; test/protocol/frame-errors.test.ts checks that every code
// is listed somewhere. Codes every request can get are listed once, in COMMON.
import type { ErrorCode } from '../codes.ts'
import type { ClientFrameType } from '../frames.ts'

/** Errors any request can get: decoding, rate limiting and internal failures. */
export const COMMON_ERRORS: readonly ErrorCode[] = ['bad-json', 'unknown-type', 'bad-frame', 'rate-limited', 'internal']

/** Errors specific to each request. `not-logged-in` applies to all but `login` and `ping`. */
export const FRAME_ERRORS: { readonly [K in ClientFrameType]: readonly ErrorCode[] } = {
  login: ['already-logged-in', 'auth-required', 'auth-failed', 'invalid-session', 'name-taken', 'name-reserved', 'banned', 'too-many-rooms', 'not-found', 'forbidden'],
  rename: ['not-logged-in', 'name-taken', 'name-reserved'],
  logout: ['not-logged-in'],
  ping: [],
  'join-room': ['not-logged-in', 'already-in-room', 'too-many-rooms', 'not-found', 'forbidden', 'banned'],
  'leave-room': ['not-logged-in', 'not-in-room'],
  presence: ['not-logged-in', 'not-in-room'],
  typing: ['not-logged-in', 'not-in-room', 'muted'],
  chat: ['not-logged-in', 'not-in-room', 'forbidden', 'muted', 'not-found', 'unavailable'],
  history: ['not-logged-in', 'not-in-room'],
  dm: ['not-logged-in', 'user-not-found', 'blocked', 'unavailable'],
  register: ['not-logged-in', 'already-registered', 'name-reserved'],
  'change-password': ['not-logged-in', 'not-registered', 'auth-failed'],
  'delete-account': ['not-logged-in', 'not-registered', 'auth-failed'],
  sessions: ['not-logged-in'],
  'revoke-session': ['not-logged-in', 'session-not-found'],
  'find-users': ['not-logged-in'],
  'dm-read': ['not-logged-in', 'user-not-found'],
  'dm-typing': ['not-logged-in', 'bad-frame', 'user-not-found', 'rate-limited'],
  'dm-history': ['not-logged-in', 'user-not-found'],
  'room-info': ['not-logged-in', 'not-found'],
  'set-room': ['not-logged-in', 'not-found', 'forbidden'],
  'set-role': ['not-logged-in', 'not-found', 'forbidden', 'user-not-found'],
  invite: ['not-logged-in', 'not-found', 'forbidden'],
  'list-rooms': ['not-logged-in', 'not-found'],
  // Since 1.3.0. A message request names a room joined on this connection and
  // the seq of a message in it (not an event: `not-found`, as for a deleted
  // message to edit or react to).
  edit: ['not-logged-in', 'not-in-room', 'not-found', 'forbidden', 'muted', 'unavailable'],
  delete: ['not-logged-in', 'not-in-room', 'not-found', 'forbidden', 'unavailable'],
  react: ['not-logged-in', 'not-in-room', 'not-found', 'muted', 'too-many-reactions', 'unavailable'],
  read: ['not-logged-in', 'not-in-room'],
  search: ['not-logged-in', 'not-found', 'unavailable'],
  // Moderation names a room the user can see (joined or not) and a user.
  kick: ['not-logged-in', 'not-found', 'forbidden', 'user-not-found', 'unavailable'],
  ban: ['not-logged-in', 'not-found', 'forbidden', 'user-not-found', 'unavailable'],
  unban: ['not-logged-in', 'not-found', 'forbidden', 'user-not-found', 'unavailable'],
  mute: ['not-logged-in', 'not-found', 'forbidden', 'user-not-found', 'unavailable'],
  unmute: ['not-logged-in', 'not-found', 'forbidden', 'user-not-found', 'unavailable'],
  restrictions: ['not-logged-in', 'not-found', 'forbidden'],
  block: ['not-logged-in', 'forbidden', 'user-not-found'],
  unblock: ['not-logged-in', 'forbidden', 'user-not-found'],
}
