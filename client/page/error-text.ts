// Words for what the server says as codes: every error code a request can fail
// with (the protocol's and the client library's own), and every alarm kind of
// a room's timeline. A Record over the code unions, so a code added to
// protocol/codes.ts or client/errors.ts fails the typecheck until it has words.
import type { ServerFrameOf } from '@wirechat/protocol/frames'
import type { ChatErrorCode } from '../index.ts'
import { t, type MessageKey } from './i18n.ts'

/** The catalog key of each error code's reason ("you are not in this room"). */
export const ERROR_TEXT: Record<ChatErrorCode, MessageKey> = {
  'bad-json': 'error.code.bad-json',
  'unknown-type': 'error.code.unknown-type',
  'bad-frame': 'error.code.bad-frame',
  'not-logged-in': 'error.code.not-logged-in',
  'already-logged-in': 'error.code.already-logged-in',
  'name-taken': 'error.code.name-taken',
  'invalid-session': 'error.code.invalid-session',
  'auth-required': 'error.code.auth-required',
  'auth-failed': 'error.code.auth-failed',
  'not-in-room': 'error.code.not-in-room',
  'already-in-room': 'error.code.already-in-room',
  'too-many-rooms': 'error.code.too-many-rooms',
  'name-reserved': 'error.code.name-reserved',
  'already-registered': 'error.code.already-registered',
  'not-registered': 'error.code.not-registered',
  'session-not-found': 'error.code.session-not-found',
  'user-not-found': 'error.code.user-not-found',
  'not-found': 'error.code.not-found',
  forbidden: 'error.code.forbidden',
  banned: 'error.code.banned',
  muted: 'error.code.muted',
  blocked: 'error.code.blocked',
  'too-many-reactions': 'error.code.too-many-reactions',
  'rate-limited': 'error.code.rate-limited',
  unavailable: 'error.code.unavailable',
  internal: 'error.code.internal',
  timeout: 'error.code.timeout',
  'connection-lost': 'error.code.connection-lost',
  'buffer-full': 'error.code.buffer-full',
  closed: 'error.code.closed',
  'unexpected-reply': 'error.code.unexpected-reply',
  'outbox-full': 'error.code.outbox-full',
  unsupported: 'error.code.unsupported',
}

type Alarm = ServerFrameOf<'alarm'>

/**
 * The timeline line of an alarm, in the page's language, from its fields (the frame's `text`
 * is the server's English sentence, kept for clients without catalogs).
 */
export function alarmText(alarm: Alarm): string {
  const name = alarm.name
  switch (alarm.kind) {
    case 'joined':
      return t('alarm.joined', { name })
    case 'left':
      return t('alarm.left', { name })
    case 'renamed':
      return alarm.oldName === undefined ? alarm.text : t('alarm.renamed', { old: alarm.oldName, name })
    case 'topic':
      return t('alarm.topic', { name })
    case 'visibility':
      return alarm.public === undefined ? alarm.text : t(alarm.public ? 'alarm.public' : 'alarm.private', { name })
    case 'role':
      return alarm.role === undefined ? alarm.text : t(`alarm.role.${alarm.role}`, { name })
    case 'room-deleted':
      return t('alarm.roomDeleted')
  }
}
