// join-room, leave-room, presence, typing; and the join/resume routine that
// login uses too.
import * as clock from '../determinism.ts'
import { encodeMessagePush, encodeServerFrame, speaksAtLeast, type ChatMessage, type ClientFrameOf, type JoinSpec, type ResumeOutcome, type RoomState, type ServerFrame } from '@wirechat/protocol'
import { inboxChannel, roomChannel } from '../channels.ts'
import type { Session } from '../session/session.ts'
import type { User } from '../users.ts'
import { admit, ensureRoom } from '../rooms/access.ts'
import { messagesFor } from '../stream-entries.ts'
import { planResume } from './resume.ts'
import { muted, refuse } from './room-guards.ts'

/** A room opened for a session, whose reply has not been sent yet. */
export interface OpenedRoom {
  state: RoomState
  replay: ChatMessage[]
}

/** The reserved sender of operator posts and notices (see names.ts: nobody else can take it). */
export const SYSTEM = { userId: 'system', name: 'system' } as const

function alarm(room: string, kind: 'joined' | 'left' | 'renamed', userId: string, name: string, oldName?: string): string {
  const text = kind === 'renamed' ? `${oldName} is now ${name}` : `${name} ${kind}`
  const frame: ServerFrame = { type: 'alarm', room, kind, userId, name, text, ts: clock.now() }
  if (oldName !== undefined) frame.oldName = oldName
  return encodeServerFrame(frame)
}

/**
 * Joins a room and reads what the client should see, holding live deliveries
 * until releaseRoom: this node subscribes before reading the store, so every
 * message is either in the snapshot/replay or held, and the overlap is
 * dropped by seq. No gap, no duplicate.
 */
export async function openRoom(session: Session, user: User, spec: JoinSpec, newMember: boolean): Promise<OpenedRoom> {
  const { hub } = session
  const { store, config } = hub
  const room = spec.room
  const channel = roomChannel(room)
  session.rooms.add(room)
  session.beginSync(channel)
  await hub.join(channel, session)
  const first = await hub.presence.add(room, { userId: user.userId, name: user.name }, session.id)
  const members = await hub.presence.list(room)
  const head = await store.head(room)

  const recent = async (): Promise<ChatMessage[]> => (await store.range(room, { limit: config.historyPageMax })).messages
  let history: ChatMessage[] = []
  let replay: ChatMessage[] = []
  let resume: ResumeOutcome | undefined
  if (spec.since === undefined) {
    history = await recent()
  } else {
    const plan = planResume(spec.since, { epoch: store.epoch, head, tail: await store.tail(room), maxReplay: config.maxReplay })
    // Messages appended after `head` was read are in the range too, up to maxReplay; more than that is a gap.
    const page = 'replayAfter' in plan ? await store.range(room, { after: plan.replayAfter, limit: config.maxReplay }) : undefined
    if (page === undefined || page.hasMore) {
      resume = 'refused' in plan ? plan.refused : { resumed: false, missed: 0, reason: 'too-far-behind' }
      history = await recent()
    } else {
      replay = page.messages
      resume = { resumed: true, missed: replay.length }
    }
  }

  const newest = replay.at(-1)?.seq ?? history.at(-1)?.seq ?? (resume?.resumed ? spec.since!.seq : head)
  const state: RoomState = { room, epoch: store.epoch, seq: newest, members, history: messagesFor(session.version, history) }
  if (resume !== undefined) state.resume = resume
  // What a room said before the user first came is not unread: their marker starts at its newest seq.
  if (newMember && head > 0) await store.startReading(user.userId, room, head)
  if (!session.legacy) {
    const [counts] = await store.unreadCounts(user.userId, [room])
    if (counts !== undefined) Object.assign(state, { readSeq: counts.readSeq, unread: counts.unread, mentions: counts.mentions })
  }
  if (first) await hub.publish(channel, { data: alarm(room, 'joined', user.userId, user.name), origin: session.id })
  return { state, replay: messagesFor(session.version, replay) }
}

/** Sends a room's replay after its reply, then the live deliveries held meanwhile. */
export function releaseRoom(session: Session, opened: OpenedRoom): void {
  for (const message of opened.replay) session.sendEncoded('chat', encodeMessagePush('chat', message))
  session.endSync(roomChannel(opened.state.room), opened.state.seq)
}

/** Publishes the `left` alarm for a user whose last connection left (also used when a node died). */
export function publishLeft(hub: Session['hub'], room: string, member: { userId: string; name: string }, origin?: string): Promise<void> {
  hub.typing.set(room, member.userId, false)
  return hub.publish(roomChannel(room), { data: alarm(room, 'left', member.userId, member.name), origin })
}

/** Leaves a room; the user's last connection there sends the `left` alarm. */
export async function leaveRoom(session: Session, user: User, room: string): Promise<void> {
  const { hub } = session
  const channel = roomChannel(room)
  session.rooms.delete(room)
  session.endSync(channel, Number.MAX_SAFE_INTEGER)
  await hub.leave(channel, session)
  if (await hub.presence.remove(room, user.userId, session.id)) await publishLeft(hub, room, user, session.id)
}

/** Leaves every room and the user's inbox, and takes the connection off the user (logout and disconnect). */
export async function leaveEverything(session: Session, user: User): Promise<void> {
  for (const room of [...session.rooms]) await leaveRoom(session, user, room)
  await session.hub.leave(inboxChannel(user.userId), session)
  session.hub.users.disconnect(user.userId, session.id)
}

/**
 * An operator deleted the room (admin API): the connection leaves it like a
 * `leave-room` and a client speaking 1.2.0 is told with a `room-deleted`
 * alarm; an older client is not (the alarm kind is unknown to it) and finds
 * out at its next request for the room (`not-in-room`).
 */
export async function leaveDeletedRoom(session: Session, user: User, room: string): Promise<void> {
  const channel = roomChannel(room)
  session.rooms.delete(room)
  session.endSync(channel, Number.MAX_SAFE_INTEGER)
  await session.hub.leave(channel, session)
  // No `left` alarm: every member is leaving, and the room's history is gone.
  await session.hub.presence.remove(room, user.userId, session.id)
  session.hub.typing.set(room, user.userId, false)
  if (speaksAtLeast(session.version, '1.2.0')) {
    session.send({ type: 'alarm', room, kind: 'room-deleted', userId: SYSTEM.userId, name: SYSTEM.name, text: 'An operator deleted this room.', ts: clock.now() })
  }
}

/** Sends `renamed` alarms to every room where any local connection of the user is. */
export async function announceRename(session: Session, user: User, oldName: string): Promise<void> {
  const { hub } = session
  const rooms = new Set<string>()
  // The inbox's local members are exactly this user's sessions here.
  for (const other of hub.registry.members(inboxChannel(user.userId)) ?? []) for (const room of other.rooms) rooms.add(room)
  for (const room of rooms) {
    await hub.presence.rename(room, user.userId, user.name)
    await hub.publish(roomChannel(room), { data: alarm(room, 'renamed', user.userId, user.name, oldName) })
  }
}

export async function handleJoin(session: Session, user: User, frame: ClientFrameOf<'join-room'>): Promise<void> {
  if (session.rooms.has(frame.room)) return session.fail(frame, 'already-in-room', `Already in room "${frame.room}".`)
  if (session.rooms.size >= session.hub.config.maxRooms) return session.fail(frame, 'too-many-rooms', `At most ${session.hub.config.maxRooms} rooms per connection.`)
  const refusal = await admit(session.hub, user.userId, frame.room)
  if (refusal !== undefined) return refuse(session, frame, refusal)
  // Before the membership is stored: a room without record and without members is a new one.
  await ensureRoom(session.hub, user.userId, frame.room)
  const spec: JoinSpec = { room: frame.room }
  if (frame.since !== undefined) spec.since = frame.since
  const newMember = !(await session.hub.store.listMemberships(user.userId)).includes(frame.room)
  const opened = await openRoom(session, user, spec, newMember)
  await session.hub.store.addMembership(user.userId, frame.room, clock.now())
  session.reply(frame, { type: 'join-room-ok', state: opened.state })
  releaseRoom(session, opened)
}

export async function handleLeave(session: Session, user: User, frame: ClientFrameOf<'leave-room'>): Promise<void> {
  if (!session.rooms.has(frame.room)) return session.fail(frame, 'not-in-room', `Not in room "${frame.room}".`)
  await leaveRoom(session, user, frame.room)
  // Only an explicit leave ends a membership: closing a connection does not.
  await session.hub.store.removeMembership(user.userId, frame.room)
  session.reply(frame, { type: 'leave-room-ok', room: frame.room })
}

export async function handlePresence(session: Session, frame: ClientFrameOf<'presence'>): Promise<void> {
  if (!session.rooms.has(frame.room)) return session.fail(frame, 'not-in-room', `Not in room "${frame.room}".`)
  session.reply(frame, { type: 'presence-ok', room: frame.room, members: await session.hub.presence.list(frame.room) })
}

/** Publishes a typing change to the other members of the room. */
export function publishTyping(origin: string | undefined, hub: Session['hub'], room: string, userId: string, typing: boolean): Promise<void> {
  const name = hub.users.get(userId)?.name
  if (name === undefined) return Promise.resolve()
  // `from`: connections of users who block this one do not get it.
  return hub.publish(roomChannel(room), { data: encodeServerFrame({ type: 'typing', room, userId, name, typing }), origin, from: userId })
}

export async function handleTyping(session: Session, user: User, frame: ClientFrameOf<'typing'>): Promise<void> {
  if (!session.rooms.has(frame.room)) return session.fail(frame, 'not-in-room', `Not in room "${frame.room}".`)
  const { userId } = user
  if (frame.typing) {
    const refusal = await muted(session, frame.room, userId)
    if (refusal !== undefined) return refuse(session, frame, refusal)
  }
  if (session.hub.typing.set(frame.room, userId, frame.typing, session.id)) await publishTyping(session.id, session.hub, frame.room, userId, frame.typing)
  session.reply(frame, { type: 'typing-ok', room: frame.room })
}
