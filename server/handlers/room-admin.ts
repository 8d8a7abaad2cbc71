// Rooms with owners (protocol 1.2.0): room-info, set-room, set-role, invite
// and the list-rooms directory. Permissions: server/rooms/roles.ts; who may
// see a room: server/rooms/access.ts.
import * as clock from '../determinism.ts'
import { encodeServerFrame, MAX_DIRECTORY_PAGE, type ClientFrameOf, type RoomRole, type ServerFrame } from '@wirechat/protocol'
import { inboxChannel, roomChannel } from '../channels.ts'
import { maySee, roomView, standing } from '../rooms/access.ts'
import { can, canChangeOwnRole } from '../rooms/roles.ts'
import type { Session } from '../session/session.ts'
import type { RoomRecord } from '../store/store.ts'
import type { User } from '../users.ts'

type Hub = Session['hub']

const DIRECTORY_DEFAULT = 20

/** The room when the user may see it; otherwise answers not-found (the same for a private room as for none) and resolves undefined. */
export async function visibleRoom(session: Session, user: User, frame: { id?: string | undefined; room: string }): Promise<RoomRecord | undefined> {
  const view = await roomView(session.hub, frame.room)
  if (view !== undefined && (await maySee(session.hub, view, user.userId))) return view
  session.fail(frame, 'not-found', `No room "${frame.room}".`)
  return undefined
}

/** Sends an alarm about the room to everyone in it. */
function publishAlarm(hub: Hub, alarm: Omit<ServerFrame & { type: 'alarm' }, 'type' | 'ts'>): Promise<void> {
  return hub.publish(roomChannel(alarm.room), { data: encodeServerFrame({ type: 'alarm', ...alarm, ts: clock.now() }) })
}

/** A member's display name for an alarm: online here, present in the room elsewhere, or registered. */
export async function nameOf(hub: Hub, room: string, userId: string): Promise<string> {
  return hub.users.get(userId)?.name ?? (await hub.presence.list(room)).find((m) => m.userId === userId)?.name ?? (await hub.store.findAccount(userId))?.name ?? 'member'
}

export async function handleRoomInfo(session: Session, user: User, frame: ClientFrameOf<'room-info'>): Promise<void> {
  const { store } = session.hub
  const view = await visibleRoom(session, user, frame)
  if (view === undefined) return
  const roles = await store.listRoomRoles(view.room)
  session.reply(frame, {
    type: 'room-info-ok',
    room: view.room,
    namespace: view.namespace,
    topic: view.topic,
    public: view.public,
    owners: roles.filter((r) => r.role === 'owner').map((r) => r.userId),
    moderators: roles.filter((r) => r.role === 'moderator').map((r) => r.userId),
    members: await store.countMembers(view.room),
    yourRole: await standing(session.hub, view.room, user.userId),
  })
}

export async function handleSetRoom(session: Session, user: User, frame: ClientFrameOf<'set-room'>): Promise<void> {
  const { hub } = session
  const view = await visibleRoom(session, user, frame)
  if (view === undefined) return
  const role = await standing(hub, view.room, user.userId)
  if (frame.topic !== undefined && !can(role, 'set-topic')) return session.fail(frame, 'forbidden', 'Only owners and moderators set the topic.')
  if (frame.public !== undefined && !can(role, 'set-public')) return session.fail(frame, 'forbidden', 'Only owners make a room public or private.')
  // A room from before records gets its record now, so the change has a row to go to.
  await hub.store.createRoom(view)
  await hub.store.updateRoom(view.room, { topic: frame.topic, public: frame.public })
  const topic = frame.topic ?? view.topic
  const isPublic = frame.public ?? view.public
  session.reply(frame, { type: 'set-room-ok', room: view.room, topic, public: isPublic })
  if (frame.topic !== undefined && frame.topic !== view.topic) {
    await publishAlarm(session.hub, { room: view.room, kind: 'topic', userId: user.userId, name: user.name, topic, text: `${user.name} set the topic` })
  }
  if (frame.public !== undefined && frame.public !== view.public) {
    const text = `${user.name} made the room ${isPublic ? 'public' : 'private (by invitation)'}`
    await publishAlarm(session.hub, { room: view.room, kind: 'visibility', userId: user.userId, name: user.name, public: isPublic, text })
  }
}

export async function handleSetRole(session: Session, user: User, frame: ClientFrameOf<'set-role'>): Promise<void> {
  const { hub } = session
  const view = await visibleRoom(session, user, frame)
  if (view === undefined) return
  const actor = await standing(hub, view.room, user.userId)
  const self = frame.userId === user.userId
  const target = self ? actor : await standing(hub, view.room, frame.userId)
  if (self) {
    if (!canChangeOwnRole(actor, frame.role)) return session.fail(frame, 'forbidden', 'Nobody raises their own role.')
  } else if (!can(actor, `make-${frame.role}`, target)) {
    if (actor === 'owner') return session.fail(frame, 'user-not-found', 'That user does not belong to the room.')
    return session.fail(frame, 'forbidden', 'Only owners change roles.')
  }
  if (target === 'owner' && frame.role !== 'owner') {
    const owners = (await hub.store.listRoomRoles(view.room)).filter((r) => r.role === 'owner')
    if (owners.length <= 1) return session.fail(frame, 'forbidden', 'The last owner cannot step down; make another owner first.')
  }
  if (target !== frame.role) await hub.store.setRoomRole(view.room, frame.userId, frame.role)
  session.reply(frame, { type: 'set-role-ok', room: view.room, userId: frame.userId, role: frame.role })
  if (target !== frame.role) await publishRoleAlarm(hub, view.room, frame.userId, frame.role)
}

/** Tells the room that the user's role changed (by set-role, or by the operator through the admin API). */
export async function publishRoleAlarm(hub: Hub, room: string, userId: string, role: RoomRole): Promise<void> {
  const name = await nameOf(hub, room, userId)
  await publishAlarm(hub, { room, kind: 'role', userId, name, role, text: `${name} is now ${role === 'member' ? 'a member' : `a ${role}`}` })
}

export async function handleInvite(session: Session, user: User, frame: ClientFrameOf<'invite'>): Promise<void> {
  const { hub } = session
  const view = await visibleRoom(session, user, frame)
  if (view === undefined) return
  if (!can(await standing(hub, view.room, user.userId), 'invite')) return session.fail(frame, 'forbidden', 'Only owners and moderators invite.')
  if (!(await hub.store.hasUser(frame.userId)) && (await hub.store.findAccount(frame.userId)) === undefined) {
    return session.fail(frame, 'user-not-found', 'No user with this id is known.')
  }
  const ts = clock.now()
  await hub.store.addInvitation(view.room, frame.userId, user.userId, ts)
  session.reply(frame, { type: 'invite-ok', room: view.room, userId: frame.userId })
  await hub.publish(inboxChannel(frame.userId), { data: encodeServerFrame({ type: 'invited', room: view.room, by: user.userId, byName: user.name, ts }) })
}

/** The directory's cursor: the last room name of a page, opaque to clients. */
const encodeCursor = (room: string): string => Buffer.from(room, 'utf8').toString('base64url')
function decodeCursor(cursor: string): string | undefined {
  const room = Buffer.from(cursor, 'base64url').toString('utf8')
  return room.length > 0 && encodeCursor(room) === cursor ? room : undefined
}

export async function handleListRooms(session: Session, frame: ClientFrameOf<'list-rooms'>): Promise<void> {
  const { hub } = session
  const { namespace } = frame
  if (namespace !== undefined && hub.namespaces.get(namespace) === undefined) return session.fail(frame, 'not-found', `No namespace "${namespace}".`)
  const after = frame.cursor === undefined ? undefined : decodeCursor(frame.cursor)
  if (frame.cursor !== undefined && after === undefined) return session.fail(frame, 'bad-frame', 'Not a cursor of this server.', { details: ['/cursor: not a cursor of this server'] })
  // Within a named namespace the prefix is on the name after "ns:".
  const prefix = namespace === undefined || namespace === '' ? frame.prefix : `${namespace}:${frame.prefix ?? ''}`
  const limit = Math.min(frame.limit ?? DIRECTORY_DEFAULT, MAX_DIRECTORY_PAGE)
  const rows = await hub.store.listPublicRooms({ namespace, prefix, after, limit: limit + 1 })
  const rooms = rows.slice(0, limit)
  const reply: ServerFrame & { type: 'list-rooms-ok' } = { type: 'list-rooms-ok', rooms }
  if (rows.length > limit) reply.next = encodeCursor(rooms.at(-1)!.room)
  session.reply(frame, reply)
}
