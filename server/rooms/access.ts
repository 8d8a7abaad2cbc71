// Who may see and enter a room (protocol 1.2.0). A room is its record, or,
// for a room that has history or members from before records, a record
// without owner made from its namespace's defaults (stored on its next join).
// A private room is answered `not-found` to anyone who does not belong to it
// and is not invited: the same answer as a room that does not exist.
import * as clock from '../determinism.ts'
import type { ErrorCode } from '@wirechat/protocol'
import type { Session } from '../session/session.ts'
import { splitRoom } from '../namespaces.ts'
import type { RoomRecord } from '../store/store.ts'
import type { Standing } from './roles.ts'
import { restrictionRefusal } from '../handlers/room-guards.ts'

type Hub = Session['hub']

export interface Refusal {
  code: ErrorCode
  message: string
  details?: string[] | undefined
}

const notFound = (room: string): Refusal => ({ code: 'not-found', message: `No room "${room}".` })

/** The room's record, the record a room from before records gets, or undefined when there is no such room. */
export async function roomView(hub: Hub, room: string): Promise<RoomRecord | undefined> {
  const record = await hub.store.findRoom(room)
  if (record !== undefined) return record
  const ns = hub.namespaces.of(room)
  if (ns === undefined) return undefined
  // A room from before records still has stored messages or members. Not its
  // head: an operator's delete removes the record with the messages and
  // members but keeps the head (the numbering goes on), and the name must then
  // be a new room again, created under its namespace's rules.
  if ((await hub.store.tail(room)) === 0 && (await hub.store.countMembers(room)) === 0) return undefined
  return { room, namespace: ns.name, topic: '', public: ns.visibility === 'public', createdAt: clock.now() }
}

/** The user's role in the room, `member` for a user who belongs without one, `none` otherwise. */
export async function standing(hub: Hub, room: string, userId: string): Promise<Standing> {
  const role = await hub.store.findRoomRole(room, userId)
  if (role !== undefined) return role
  return (await hub.store.listMemberships(userId)).includes(room) ? 'member' : 'none'
}

/** True when the user may see the room: it is public, or they belong to it, or are invited. */
export async function maySee(hub: Hub, view: RoomRecord, userId: string): Promise<boolean> {
  return view.public || (await standing(hub, view.room, userId)) !== 'none' || (await hub.store.hasInvitation(view.room, userId))
}

/** Why the user may not join the room, or undefined when they may (creating it when new). */
export async function admit(hub: Hub, userId: string, room: string): Promise<Refusal | undefined> {
  const ns = hub.namespaces.of(room)
  if (ns === undefined) return { code: 'not-found', message: `No namespace "${splitRoom(room).namespace}".` }
  const view = await roomView(hub, room)
  if (view !== undefined) {
    if (!(await maySee(hub, view, userId))) return notFound(room)
    const ban = await hub.store.findRestriction(room, userId, 'ban', clock.now())
    return ban === undefined ? undefined : restrictionRefusal(ban)
  }
  if (ns.create === 'nobody') return { code: 'forbidden', message: `Rooms of this namespace are made by the operator; "${room}" does not exist.` }
  if (ns.create === 'registered' && (await hub.store.findAccount(userId)) === undefined) {
    return { code: 'forbidden', message: 'Only registered users create rooms in this namespace; register first.' }
  }
  return undefined
}

/**
 * Stores the record of a room being joined when it has none: a new room is
 * owned by the user who creates it; a room from before records gets none.
 */
export async function ensureRoom(hub: Hub, userId: string, room: string): Promise<void> {
  if ((await hub.store.findRoom(room)) !== undefined) return
  const view = await roomView(hub, room)
  const ns = hub.namespaces.of(room)!
  await hub.store.createRoom(view ?? { room, namespace: ns.name, owner: userId, topic: '', public: ns.visibility === 'public', createdAt: clock.now() })
}
