// Moderation (chat.v1 1.3.0): owners and moderators kick, ban and mute in
// their rooms; every action is an event entry in the room's stream, so
// resume and history show it. Users block users (DMs and typing).
import Type from 'typebox'
import { ChatMessage, Name, Reason, RoomName, Timestamp, Until, UserId } from '../primitives.ts'
import { reply, request } from './define.ts'

const MAX_DURATION_MS = 366 * 24 * 60 * 60 * 1000

const Duration = Type.Integer({ minimum: 1000, maximum: MAX_DURATION_MS, description: 'How long, in ms (1 s to 366 days); absent: until lifted.' })
const Acted = {
  room: RoomName,
  userId: UserId,
  /** The event entry appended to the stream, as every other member gets it; absent when nothing changed (done already: these requests are idempotent). */
  message: Type.Optional(ChatMessage),
}

export const Kick = request(
  'kick',
  { room: RoomName, userId: UserId, reason: Type.Optional(Reason) },
  'Removes a member from the room (owners and moderators; a moderator cannot kick an owner or another moderator). Their connections leave the room; they may join again.',
)
export const KickOk = reply('kick-ok', Acted, 'The user is out of the room.')

export const Ban = request(
  'ban',
  { room: RoomName, userId: UserId, durationMs: Type.Optional(Duration), reason: Type.Optional(Reason) },
  'Bans a user from the room (owners and moderators, as for kick): their connections leave it once the ban event is delivered, on every node; `join-room` (and `login` naming the room) is refused with `banned` until the ban ends, and a pending invitation is dropped. A second ban replaces the first.',
)
export const BanOk = reply('ban-ok', Acted, 'The ban in force.')
export const Unban = request('unban', { room: RoomName, userId: UserId }, 'Lifts a ban.')
export const UnbanOk = reply('unban-ok', Acted, 'The user is not banned.')

export const Mute = request(
  'mute',
  { room: RoomName, userId: UserId, durationMs: Type.Optional(Duration), reason: Type.Optional(Reason) },
  'Mutes a member: they still read the room, but `chat`, `edit`, `react` and `typing` there are refused with `muted` until the mute ends.',
)
export const MuteOk = reply('mute-ok', Acted, 'The mute in force.')
export const Unmute = request('unmute', { room: RoomName, userId: UserId }, 'Lifts a mute.')
export const UnmuteOk = reply('unmute-ok', Acted, 'The user is not muted.')

export const Restriction = Type.Object(
  { userId: UserId, name: Name, until: Type.Optional(Until), by: UserId, reason: Type.Optional(Reason), since: Timestamp },
  { additionalProperties: false, description: 'A ban or mute in force.' },
)
export type Restriction = Type.Static<typeof Restriction>

export const Restrictions = request('restrictions', { room: RoomName }, 'Lists the bans and mutes in force in a room (owners and moderators).')
export const RestrictionsOk = reply(
  'restrictions-ok',
  { room: RoomName, bans: Type.Array(Restriction, { maxItems: 1000 }), mutes: Type.Array(Restriction, { maxItems: 1000 }) },
  'Bans and mutes in force, oldest first.',
)

export const Block = request('block', { userId: UserId }, 'Blocks a user: their DMs to you are refused (they get `blocked`) and their typing no longer reaches you. Idempotent.')
export const BlockOk = reply('block-ok', { userId: UserId }, 'The user is blocked.')
export const Unblock = request('unblock', { userId: UserId }, 'Unblocks a user. Idempotent.')
export const UnblockOk = reply('unblock-ok', { userId: UserId }, 'The user is not blocked.')
