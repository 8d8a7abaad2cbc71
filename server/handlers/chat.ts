// chat and history.
import * as clock from '../determinism.ts'
import { MAX_MENTIONS, type ClientFrameOf } from '@wirechat/protocol'
import { resolveMentions } from '../mentions.ts'
import { ReplyTargetError } from '../store/store.ts'
import { legacyMessage, messagesFor, newEntry } from '../stream-entries.ts'
import { muted, refuse, textRefusal } from './room-guards.ts'
import { roomChannel } from '../channels.ts'
import type { Session } from '../session/session.ts'
import type { User } from '../users.ts'
import { can } from '../rooms/roles.ts'
import { publishTyping } from './rooms.ts'

export async function handleChat(session: Session, user: User, frame: ClientFrameOf<'chat'>): Promise<void> {
  const { hub } = session
  const { room } = frame
  if (!session.rooms.has(room)) return session.fail(frame, 'not-in-room', `Not in room "${room}"; join it first.`)
  const ns = hub.namespaces.of(room)
  if (ns?.post === 'moderators' && !can((await hub.store.findRoomRole(room, user.userId)) ?? 'member', 'post-moderated')) {
    return session.fail(frame, 'forbidden', `Only owners and moderators post in "${room}".`)
  }
  const limits = ns?.limits ?? {}
  const refusal = textRefusal(session, room, frame.text) ?? (await muted(session, room, user.userId))
  if (refusal !== undefined) return refuse(session, frame, refusal)
  const mentions = await resolveMentions(hub, room, frame.text)
  if (mentions === 'flood') return session.fail(frame, 'bad-frame', `A message mentions at most ${MAX_MENTIONS} users.`, { details: ['/text: too many mentions'] })
  // Refuse before storing: a message that cannot be published must not be acknowledged or stored.
  if (!hub.broker.ready()) return session.fail(frame, 'unavailable', 'Broker unavailable; send again later.')
  // A resend of an acknowledged message (same clientMsgId) is slowed like a new one: the duplicate check is in the store, after this.
  const waitMs = hub.slowMode.take(room, user.userId, limits.slowModeMs ?? 0, Date.now())
  if (waitMs > 0) return session.fail(frame, 'rate-limited', `Slow mode: one message per ${limits.slowModeMs} ms in this room.`, { retryAfterMs: waitMs })
  const timer = hub.metrics.storeAppend.startTimer()
  const input = {
    room,
    userId: user.userId,
    name: user.name,
    text: frame.text,
    ts: clock.now(),
    clientMsgId: frame.clientMsgId,
    replyTo: frame.replyTo,
    mentions: mentions.length > 0 ? mentions : undefined,
  }
  // In the room's turn, in seq order, with the chats that waited with this one (room-appends.ts).
  await hub.appends.append(input, async (outcome) => {
    if (!outcome.ok) {
      const err = outcome.error
      hub.slowMode.forget(room, user.userId)
      if (err instanceof ReplyTargetError) return session.fail(frame, 'not-found', `No message at seq ${frame.replyTo} in "${room}" to reply to.`)
      session.log.error({ err }, 'history store append failed')
      return session.fail(frame, 'unavailable', 'History store unavailable; nothing was sent.')
    }
    timer()
    const { message, duplicate } = outcome.value
    const own = session.legacy ? legacyMessage(message) : message
    if (duplicate) return session.reply(frame, { type: 'chat-ok', message: own, duplicate: true })
    const { delivery, reply } = newEntry(message, frame.id, session)
    const channel = roomChannel(room)
    const key = session.expectOwnDelivery(channel, message.seq, { type: 'chat-ok', data: reply })
    try {
      await hub.publish(channel, delivery)
    } catch (err) {
      // Stored but not delivered: members recover it through resume; the client's retry is deduplicated.
      session.log.error({ err }, 'broker publish failed')
      return session.fail(frame, 'unavailable', 'Broker unavailable; send again with the same clientMsgId.')
    }
    session.settleOwnDelivery(key)
  })
  if (hub.typing.set(room, user.userId, false)) await publishTyping(session.id, hub, room, user.userId, false)
}

export async function handleHistory(session: Session, frame: ClientFrameOf<'history'>): Promise<void> {
  const { hub } = session
  if (!session.rooms.has(frame.room)) return session.fail(frame, 'not-in-room', `Not in room "${frame.room}".`)
  if (frame.before !== undefined && frame.after !== undefined) return session.fail(frame, 'bad-frame', 'Use "before" or "after", not both.')
  const limit = Math.min(frame.limit ?? hub.config.historyPageMax, hub.config.historyPageMax)
  const page = await hub.store.range(frame.room, { before: frame.before, after: frame.after, limit })
  session.reply(frame, { type: 'history-ok', room: frame.room, epoch: hub.store.epoch, messages: messagesFor(session.version, page.messages), hasMore: page.hasMore })
}
