// edit, delete, react and read (protocol 1.3.0). Each change is an event entry
// in the room's stream (stream-events.ts); who may change what is decided here.
import { encodeServerFrame, isEmoji, type ChatMessage, type ClientFrameOf } from '@wirechat/protocol'
import { inboxChannel } from '../channels.ts'
import { standing } from '../rooms/access.ts'
import { can } from '../rooms/roles.ts'
import type { Session } from '../session/session.ts'
import type { User } from '../users.ts'
import { muted, refuse, textRefusal } from './room-guards.ts'
import { appendEvent } from './stream-events.ts'

type Targeted = { id?: string | undefined; room: string; seq: number }

/** The message a request names, in a room the connection is in; otherwise answers and resolves undefined. */
async function targetOf(session: Session, frame: Targeted): Promise<ChatMessage | undefined> {
  if (!session.rooms.has(frame.room)) {
    session.fail(frame, 'not-in-room', `Not in room "${frame.room}".`)
    return undefined
  }
  const message = await session.hub.store.findMessage(frame.room, frame.seq)
  if (message === undefined || message.event !== undefined) {
    session.fail(frame, 'not-found', `No message at seq ${frame.seq} in "${frame.room}".`)
    return undefined
  }
  return message
}

export async function handleEdit(session: Session, user: User, frame: ClientFrameOf<'edit'>): Promise<void> {
  const target = await targetOf(session, frame)
  if (target === undefined) return
  if (target.deleted === true) return session.fail(frame, 'not-found', 'That message was deleted.')
  if (target.userId !== user.userId) return session.fail(frame, 'forbidden', 'Only the author edits a message.')
  const refusal = textRefusal(session, frame.room, frame.text) ?? (await muted(session, frame.room, user.userId))
  if (refusal !== undefined) return refuse(session, frame, refusal)
  if (target.text === frame.text) return session.reply(frame, { type: 'edit-ok', room: frame.room })
  await appendEvent(session, user, frame, 'edit-ok', { kind: 'edit', target: target.seq }, frame.text)
}

export async function handleDelete(session: Session, user: User, frame: ClientFrameOf<'delete'>): Promise<void> {
  const target = await targetOf(session, frame)
  if (target === undefined) return
  if (target.userId !== user.userId && !can(await standing(session.hub, frame.room, user.userId), 'delete-any')) {
    return session.fail(frame, 'forbidden', 'Only the author, owners and moderators delete a message.')
  }
  const whose = target.userId === user.userId ? 'their' : `${target.name}'s`
  await appendEvent(session, user, frame, 'delete-ok', { kind: 'delete', target: target.seq }, `deleted ${whose} message`)
}

export async function handleReact(session: Session, user: User, frame: ClientFrameOf<'react'>): Promise<void> {
  if (!isEmoji(frame.emoji)) return session.fail(frame, 'bad-frame', 'A reaction is one emoji.', { details: ['/emoji: not one emoji'] })
  const target = await targetOf(session, frame)
  if (target === undefined) return
  if (target.deleted === true) return session.fail(frame, 'not-found', 'That message was deleted.')
  const refusal = await muted(session, frame.room, user.userId)
  if (refusal !== undefined) return refuse(session, frame, refusal)
  const on = frame.on ?? true
  await appendEvent(session, user, frame, 'react-ok', { kind: 'react', target: target.seq, emoji: frame.emoji, on }, on ? `reacted ${frame.emoji}` : `took back ${frame.emoji}`)
}

export async function handleRead(session: Session, user: User, frame: ClientFrameOf<'read'>): Promise<void> {
  const { hub } = session
  if (!session.rooms.has(frame.room)) return session.fail(frame, 'not-in-room', `Not in room "${frame.room}".`)
  // Never past the head: a marker ahead would hide messages not received yet.
  const seq = Math.min(frame.seq, await hub.store.head(frame.room))
  const marker = await hub.store.markRoomRead(user.userId, frame.room, seq)
  session.reply(frame, { type: 'read-ok', room: frame.room, seq: marker })
  try {
    // The user's other connections; clients older than 1.3.0 do not know the push ('' sends nothing).
    await hub.publish(inboxChannel(user.userId), { data: encodeServerFrame({ type: 'read', room: frame.room, seq: marker }), legacy: '', origin: session.id })
  } catch (err) {
    // The marker is stored: other devices see it at their next login or join.
    session.log.error({ err }, 'broker publish failed')
  }
}
