// kick, ban, unban, mute, unmute, restrictions, block, unblock (protocol
// 1.3.0). Room actions are event entries in the room's stream
// (stream-events.ts), so resume and history show them; a kick or ban is then
// followed on the room's channel by a `removed` control, on which every node
// takes the user's connections out of the room after delivering the event.
import * as clock from '../determinism.ts'
import type { ClientFrameOf, RoomEvent } from '@wirechat/protocol'
import { encodeControl, inboxChannel, roomChannel } from '../channels.ts'
import { standing } from '../rooms/access.ts'
import { can } from '../rooms/roles.ts'
import type { Session } from '../session/session.ts'
import type { User } from '../users.ts'
import { nameOf, visibleRoom } from './room-admin.ts'
import { appendEvent, type EventReplyType } from './stream-events.ts'

type Action = 'kick' | 'ban' | 'unban' | 'mute' | 'unmute'
type ActionFrame = { id?: string | undefined; room: string; userId: string; durationMs?: number | undefined; reason?: string | undefined }

const untilText = (until: number | undefined): string => (until === undefined ? '' : ` until ${new Date(until).toISOString()}`)
const reasonText = (reason: string | undefined): string => (reason ? `: ${reason}` : '')

async function knownUser(session: Session, userId: string): Promise<boolean> {
  const { hub } = session
  return hub.users.get(userId) !== undefined || (await hub.store.hasUser(userId)) || (await hub.store.findAccount(userId)) !== undefined
}

async function moderate(session: Session, user: User, frame: ActionFrame, action: Action): Promise<void> {
  const { hub } = session
  const view = await visibleRoom(session, user, frame)
  if (view === undefined) return
  const room = view.room
  if (frame.userId === user.userId) return session.fail(frame, 'forbidden', 'Moderators do not act on themselves.')
  const actor = await standing(hub, room, user.userId)
  const target = await standing(hub, room, frame.userId)
  if (!can(actor, 'moderate', target)) {
    return session.fail(frame, 'forbidden', can(actor, 'moderate') ? 'Moderators act on members only; owners on moderators too.' : 'Only owners and moderators do this.')
  }
  if (!(await knownUser(session, frame.userId))) return session.fail(frame, 'user-not-found', 'No user with this id is known.')
  const name = await nameOf(session.hub, room, frame.userId)
  const replyType = `${action}-ok` as EventReplyType
  const extra = { userId: frame.userId }
  if (action === 'kick' && target === 'none' && !(await hub.presence.list(room)).some((m) => m.userId === frame.userId)) {
    // Not in the room: nothing to do (kicks are idempotent).
    return session.reply(frame, { type: 'kick-ok', room, userId: frame.userId })
  }
  const until = frame.durationMs === undefined ? undefined : clock.now() + frame.durationMs
  const reason = frame.reason ? { reason: frame.reason } : {}
  const who = { userId: frame.userId, name }
  let event: RoomEvent
  let text: string
  switch (action) {
    case 'kick':
      event = { kind: 'kick', ...who, ...reason }
      text = `kicked ${name}${reasonText(frame.reason)}`
      break
    case 'ban':
    case 'mute':
      event = { kind: action, ...who, ...(until === undefined ? {} : { until }), ...reason }
      text = `${action === 'ban' ? 'banned' : 'muted'} ${name}${untilText(until)}${reasonText(frame.reason)}`
      break
    case 'unban':
    case 'unmute':
      event = { kind: action, ...who }
      text = `${action === 'unban' ? 'unbanned' : 'unmuted'} ${name}`
  }
  const appended = await appendEvent(session, user, frame, replyType, event, text, extra)
  if (appended !== undefined && (action === 'kick' || action === 'ban')) {
    // Through the broker only, not to local members first: in channel order, so every connection gets the event before it leaves.
    await hub.publish(roomChannel(room), { data: encodeControl({ kind: 'removed', room, userId: frame.userId }) }).catch((err) => session.log.error({ err }, 'broker publish failed'))
  }
}

export const handleKick = (session: Session, user: User, frame: ClientFrameOf<'kick'>) => moderate(session, user, frame, 'kick')
export const handleBan = (session: Session, user: User, frame: ClientFrameOf<'ban'>) => moderate(session, user, frame, 'ban')
export const handleUnban = (session: Session, user: User, frame: ClientFrameOf<'unban'>) => moderate(session, user, frame, 'unban')
export const handleMute = (session: Session, user: User, frame: ClientFrameOf<'mute'>) => moderate(session, user, frame, 'mute')
export const handleUnmute = (session: Session, user: User, frame: ClientFrameOf<'unmute'>) => moderate(session, user, frame, 'unmute')

export async function handleRestrictions(session: Session, user: User, frame: ClientFrameOf<'restrictions'>): Promise<void> {
  const { hub } = session
  const view = await visibleRoom(session, user, frame)
  if (view === undefined) return
  if (!can(await standing(hub, view.room, user.userId), 'list-restrictions')) return session.fail(frame, 'forbidden', 'Only owners and moderators see bans and mutes.')
  const rows = await hub.store.listRestrictions(view.room, clock.now())
  const shown = (kind: 'ban' | 'mute') =>
    rows
      .filter((r) => r.kind === kind)
      .slice(0, 1000)
      .map((r) => ({ userId: r.userId, name: r.name, by: r.by, since: r.since, ...(r.until === undefined ? {} : { until: r.until }), ...(r.reason ? { reason: r.reason } : {}) }))
  session.reply(frame, { type: 'restrictions-ok', room: view.room, bans: shown('ban'), mutes: shown('mute') })
}

async function setBlock(session: Session, user: User, frame: { id?: string | undefined; userId: string }, on: boolean): Promise<void> {
  const { hub } = session
  if (frame.userId === user.userId) return session.fail(frame, 'forbidden', 'You cannot block yourself.')
  if (!(await knownUser(session, frame.userId))) return session.fail(frame, 'user-not-found', 'No user with this id is known.')
  if (on) await hub.store.addBlock(user.userId, frame.userId, clock.now())
  else await hub.store.removeBlock(user.userId, frame.userId)
  // Every connection of the user filters by it, on every node (this one's at once).
  await hub.control(inboxChannel(user.userId), { kind: 'block', blockedId: frame.userId, on }).catch((err) => session.log.error({ err }, 'broker publish failed'))
  session.reply(frame, on ? { type: 'block-ok', userId: frame.userId } : { type: 'unblock-ok', userId: frame.userId })
}

export const handleBlock = (session: Session, user: User, frame: ClientFrameOf<'block'>) => setBlock(session, user, frame, true)
export const handleUnblock = (session: Session, user: User, frame: ClientFrameOf<'unblock'>) => setBlock(session, user, frame, false)
