// Appending an event entry to a room's stream and publishing it: the one path
// of edit, delete, react and the moderation actions. Like a chat message, the
// entry is stored first (its seq taken and its effect applied in one store
// transaction), then published; the actor's connection gets its reply in the
// place of its own push, so the reply and the stream stay in order.
import * as clock from '../determinism.ts'
import { encodeReply, type ChatMessage, type ErrorCode, type RoomEvent } from '@wirechat/protocol'
import { roomChannel } from '../channels.ts'
import type { Session } from '../session/session.ts'
import type { EventRefusal } from '../store/store.ts'
import { entryDelivery } from '../stream-entries.ts'
import type { User } from '../users.ts'

/** Reply types of the requests that append events. */
export type EventReplyType = 'edit-ok' | 'delete-ok' | 'react-ok' | 'kick-ok' | 'ban-ok' | 'unban-ok' | 'mute-ok' | 'unmute-ok'

type Request = { id?: string | undefined; room: string }

const REFUSALS: Record<Exclude<EventRefusal, 'unchanged'>, { code: ErrorCode; message: string }> = {
  'not-found': { code: 'not-found', message: 'No message at that seq in the room.' },
  'too-many-reactions': { code: 'too-many-reactions', message: 'This message has as many reactions as allowed.' },
}

/**
 * Appends `event` by `actor` to the room and publishes it. The reply is
 * `{ type, room, ...extra, message }`, without `message` when the store found
 * nothing to change (the request was done already: idempotent). Resolves with
 * the appended entry, or undefined when nothing was appended.
 */
export async function appendEvent(
  session: Session,
  actor: Pick<User, 'userId' | 'name'>,
  frame: Request,
  replyType: EventReplyType,
  event: RoomEvent,
  text: string,
  extra: Record<string, unknown> = {},
): Promise<ChatMessage | undefined> {
  const { hub } = session
  const { room } = frame
  if (!hub.broker.ready()) {
    session.fail(frame, 'unavailable', 'Broker unavailable; send again later.')
    return undefined
  }
  return hub.serial(room, async () => {
    let result
    try {
      result = await hub.store.appendEvent({ room, userId: actor.userId, name: actor.name, text, ts: clock.now(), event })
    } catch (err) {
      session.log.error({ err }, 'history store append failed')
      session.fail(frame, 'unavailable', 'History store unavailable; nothing was changed.')
      return undefined
    }
    const body = { type: replyType, room, ...extra } as Parameters<typeof encodeReply>[1]
    if (!result.appended) {
      if (result.refusal === 'unchanged') session.reply(frame, body)
      else session.fail(frame, REFUSALS[result.refusal].code, REFUSALS[result.refusal].message)
      return undefined
    }
    const { message } = result
    const channel = roomChannel(room)
    const key = session.expectOwnDelivery(channel, message.seq, { type: replyType, data: encodeReply(frame.id, { ...body, message } as typeof body) })
    try {
      await hub.publish(channel, entryDelivery(message, session.id))
    } catch (err) {
      // Stored: members get it through resume or the gap fill; a repeat of the request changes nothing.
      session.log.error({ err }, 'broker publish failed')
      session.fail(frame, 'unavailable', 'Broker unavailable; the change is stored and reaches members when they resume.')
      return message
    }
    session.settleOwnDelivery(key)
    return message
  })
}
