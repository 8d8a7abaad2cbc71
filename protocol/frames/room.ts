// Rooms: joining, leaving, presence, typing and the server-made alarms.
import Type from 'typebox'
import { ChatMessage, Epoch, Member, Name, Position, RoomName, Timestamp, UserId } from '../primitives.ts'
import { push, reply, request } from './define.ts'
import { RoomRole, Topic } from './room-admin.ts'

/** Outcome of resuming a stream from a client's position. */
export const ResumeOutcome = Type.Object(
  {
    resumed: Type.Boolean({ description: 'True: exactly `missed` pushes follow, then live ones. False: the position could not be resumed; reload (history) and start over from here.' }),
    missed: Type.Integer({ minimum: 0, description: 'Number of messages replayed after this reply.' }),
    reason: Type.Optional(Type.Union([Type.Literal('epoch-changed'), Type.Literal('too-far-behind'), Type.Literal('ahead-of-server')], { description: 'Why the position could not be resumed.' })),
  },
  { additionalProperties: false, description: 'Present when the request carried a position (`since` or `inbox`).' },
)
export type ResumeOutcome = Type.Static<typeof ResumeOutcome>

/** What a client learns about a room when it joins. */
export const RoomState = Type.Object(
  {
    room: RoomName,
    epoch: Epoch,
    seq: Type.Integer({ minimum: 0, description: 'Seq of the newest message in the room when joined (0 for none).' }),
    members: Type.Array(Member, { description: 'Users present in the room, the joining user included.' }),
    history: Type.Array(ChatMessage, { description: 'The newest messages (at most `limits.historyPageMax`), oldest first. Empty when resumed.' }),
    resume: Type.Optional(ResumeOutcome),
    // Since 1.3.0 (sent only to clients that announced it).
    readSeq: Type.Optional(Type.Integer({ minimum: 0, description: "The user's read marker in the room (since 1.3.0): the seq up to which they have read, on any device." })),
    unread: Type.Optional(Type.Integer({ minimum: 0, description: 'Messages of others above `readSeq`, deleted ones and events not counted (since 1.3.0).' })),
    mentions: Type.Optional(Type.Integer({ minimum: 0, description: 'Of those, the ones that mention the user (since 1.3.0).' })),
  },
  { additionalProperties: false, description: 'A room as seen at the moment of joining.' },
)
export type RoomState = Type.Static<typeof RoomState>

export const JoinRoom = request(
  'join-room',
  { room: RoomName, since: Type.Optional(Position) },
  'Joins a room (created on first join). With `since`, the server replays every message after that position before live ones, or says it cannot.',
)
export const JoinRoomOk = reply('join-room-ok', { state: RoomState }, 'The room joined, with members and recent history or the resume outcome.')

export const LeaveRoom = request('leave-room', { room: RoomName }, "Leaves a room. When the user's last connection leaves, members get a `left` alarm.")
export const LeaveRoomOk = reply('leave-room-ok', { room: RoomName }, 'The room was left.')

export const Presence = request('presence', { room: RoomName }, 'Asks who is in a room this connection has joined.')
export const PresenceOk = reply('presence-ok', { room: RoomName, members: Type.Array(Member) }, 'Users present in the room.')

export const TypingSend = request(
  'typing',
  { room: RoomName, typing: Type.Boolean({ description: 'true: typing (refresh at least every `limits.typingTtlMs` / 2); false: stopped.' }) },
  'Says the user is (or stopped) typing in a room. The server expires the indicator after `limits.typingTtlMs` without a refresh.',
)
export const TypingOk = reply('typing-ok', { room: RoomName }, 'Typing state accepted.')

export const TypingPush = push(
  'typing',
  { room: RoomName, userId: UserId, name: Name, typing: Type.Boolean() },
  'A member started or stopped typing (or their indicator expired). Sent to the room on changes only: every connection but the one that sent the `typing` request (for an expiry too). Other tabs of the same user receive it: filter by `userId`.',
)

export const AlarmKind = Type.Union(
  [Type.Literal('joined'), Type.Literal('left'), Type.Literal('renamed'), Type.Literal('topic'), Type.Literal('visibility'), Type.Literal('role'), Type.Literal('room-deleted')],
  {
    description:
      '`joined`: first connection of the user entered the room; `left`: last one left (or disconnected); `renamed`: the user changed name. Since 1.2.0: `topic` and `visibility`: the user changed the room (`topic`, `public`); `role`: the user got a new role (`role`); `room-deleted` (only to clients that announced 1.2.0): an operator deleted the room and its history, this connection is no longer in it (`userId` and `name` are `system`).',
  },
)

export const Alarm = push(
  'alarm',
  {
    room: RoomName,
    kind: AlarmKind,
    userId: UserId,
    name: Name,
    oldName: Type.Optional(Name),
    topic: Type.Optional(Topic),
    public: Type.Optional(Type.Boolean({ description: 'With `visibility`: the room is now public (true) or private (false).' })),
    role: Type.Optional(RoomRole),
    text: Type.String({ maxLength: 200, description: 'Human sentence, e.g. "ana joined".' }),
    ts: Timestamp,
  },
  'A server-made notice to the members of a room. Clients cannot send alarms.',
)
