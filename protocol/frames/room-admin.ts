// Rooms with owners (chat.v1 1.2.0): room roles, room-info and set-room,
// set-role, invitations to private rooms, and the directory of public rooms.
// New request types (old clients never send them); their pushes and alarm
// kinds are additions old clients ignore (PROTOCOL.md §1).
import Type from 'typebox'
import { Name, RoomName, Timestamp, UserId } from '../primitives.ts'
import { NamespaceName } from './namespace.ts'
import { push, reply, request } from './define.ts'

export const MAX_TOPIC_CHARS = 200
export const MAX_DIRECTORY_PAGE = 50

export const RoomRole = Type.Union([Type.Literal('owner'), Type.Literal('moderator'), Type.Literal('member')], {
  description: "A user's role in a room: the creator is `owner`; owners appoint `moderator`s; everyone else who joined is a `member`.",
})
export type RoomRole = Type.Static<typeof RoomRole>

export const Topic = Type.String({
  maxLength: MAX_TOPIC_CHARS,
  pattern: '^[^\\x00-\\x08\\x0B-\\x1F\\x7F]*$',
  description: 'Topic of a room: 0–200 code points, no control characters but tab and line feed.',
})

export const RoomInfo = request('room-info', { room: RoomName }, 'Asks about a room: its topic, visibility, owners and moderators, member count and your role.')
export const RoomInfoOk = reply(
  'room-info-ok',
  {
    room: RoomName,
    namespace: NamespaceName,
    topic: Topic,
    public: Type.Boolean({ description: 'True: listed in the directory, anyone may join. False: by invitation only.' }),
    owners: Type.Array(UserId, { maxItems: 100, description: 'The owners (the creator unless ownership moved); empty for a room made before 1.2.0.' }),
    moderators: Type.Array(UserId, { maxItems: 100 }),
    members: Type.Integer({ minimum: 0, description: 'Users who belong to the room (joined and did not leave).' }),
    yourRole: Type.Union([RoomRole, Type.Literal('none')], { description: 'Your role in the room; `none` when you do not belong to it.' }),
  },
  'A room and its people.',
)

export const SetRoom = request(
  'set-room',
  {
    room: RoomName,
    topic: Type.Optional(Topic),
    public: Type.Optional(Type.Boolean({ description: 'Owners only: make the room public (listed, open) or private (by invitation).' })),
  },
  "Changes a room's topic (owners and moderators) and/or visibility (owners). Members of the room get a `topic` or `visibility` alarm.",
)
export const SetRoomOk = reply('set-room-ok', { room: RoomName, topic: Topic, public: Type.Boolean() }, 'The room as it is now.')

export const SetRole = request(
  'set-role',
  { room: RoomName, userId: UserId, role: RoomRole },
  'Sets the role of a member of the room. Owners appoint and remove moderators and make other owners; nobody raises their own role; a moderator cannot change an owner; the last owner cannot step down (make another owner first). Members get a `role` alarm.',
)
export const SetRoleOk = reply('set-role-ok', { room: RoomName, userId: UserId, role: RoomRole }, 'The role in force.')

export const Invite = request(
  'invite',
  { room: RoomName, userId: UserId },
  'Invites a user to a room (owners and moderators): the invitation lets them join a private room. The invitee gets an `invited` push.',
)
export const InviteOk = reply('invite-ok', { room: RoomName, userId: UserId }, 'The user is invited (also when they already were).')
export const Invited = push('invited', { room: RoomName, by: UserId, byName: Name, ts: Timestamp }, 'You were invited to a room; join it with `join-room`. Sent to every connection of the invitee.')

export const DirectoryEntry = Type.Object(
  { room: RoomName, topic: Topic, members: Type.Integer({ minimum: 0, description: 'Users who belong to the room.' }) },
  { additionalProperties: false, description: 'A public room in the directory.' },
)

export const DirectoryCursor = Type.String({ minLength: 1, maxLength: 128, description: 'Opaque position in the directory, from `next` of the previous page.' })

export const ListRooms = request(
  'list-rooms',
  {
    namespace: Type.Optional(NamespaceName),
    prefix: Type.Optional(Type.String({ minLength: 1, maxLength: 49, description: 'Start of the room name (within `namespace` when given), compared literally.' })),
    cursor: Type.Optional(DirectoryCursor),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_DIRECTORY_PAGE, description: 'Most rooms to return (default 20).' })),
  },
  'Lists public rooms by name (private rooms are never listed), a page at a time.',
)
export const ListRoomsOk = reply(
  'list-rooms-ok',
  { rooms: Type.Array(DirectoryEntry, { maxItems: MAX_DIRECTORY_PAGE }), next: Type.Optional(DirectoryCursor) },
  'A page of public rooms; `next`, when present, asks for the following page.',
)
