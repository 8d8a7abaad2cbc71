// The registry of every frame: direction, kind and schema. Generators walk it
// to write the JSON Schema, AsyncAPI and PROTOCOL.md; the codec compiles it.
import Type, { type TObject } from 'typebox'
import {
  ChangePassword,
  ChangePasswordOk,
  DeleteAccount,
  DeleteAccountOk,
  DmRead,
  DmReadOk,
  DmReadPush,
  FindUsers,
  FindUsersOk,
  Register,
  RegisterOk,
  RevokeSession,
  RevokeSessionOk,
  Sessions,
  SessionsOk,
} from './frames/account.ts'
import { ChatOk, ChatPush, ChatSend, DmHistory, DmHistoryOk, DmOk, DmPush, DmSend, DmTyping, DmTypingOk, DmTypingPush, History, HistoryOk } from './frames/chat.ts'
import { ErrorFrame } from './frames/error.ts'
import { Delete, DeleteOk, Edit, EditOk, React, ReactOk, Read, ReadOk, ReadPush, Search, SearchOk } from './frames/message-life.ts'
import { Ban, BanOk, Block, BlockOk, Kick, KickOk, Mute, MuteOk, Restrictions, RestrictionsOk, Unban, UnbanOk, Unblock, UnblockOk, Unmute, UnmuteOk } from './frames/moderation.ts'
import { Invite, Invited, InviteOk, ListRooms, ListRoomsOk, RoomInfo, RoomInfoOk, SetRole, SetRoleOk, SetRoom, SetRoomOk } from './frames/room-admin.ts'
import { Alarm, JoinRoom, JoinRoomOk, LeaveRoom, LeaveRoomOk, Presence, PresenceOk, TypingOk, TypingPush, TypingSend } from './frames/room.ts'
import { Login, LoginOk, Logout, LogoutOk, Ping, Pong, Rename, RenameOk, Welcome } from './frames/session.ts'

export * from './frames/account.ts'
export * from './frames/chat.ts'
export * from './frames/error.ts'
export * from './frames/message-life.ts'
export * from './frames/moderation.ts'
export * from './frames/namespace.ts'
export * from './frames/room.ts'
export * from './frames/room-admin.ts'
export * from './frames/session.ts'

/** Frames a client sends. Each is a request; its `reply` names the success frame. */
export const ClientFrames = {
  login: { schema: Login, reply: 'login-ok' },
  rename: { schema: Rename, reply: 'rename-ok' },
  logout: { schema: Logout, reply: 'logout-ok' },
  ping: { schema: Ping, reply: 'pong' },
  'join-room': { schema: JoinRoom, reply: 'join-room-ok' },
  'leave-room': { schema: LeaveRoom, reply: 'leave-room-ok' },
  presence: { schema: Presence, reply: 'presence-ok' },
  typing: { schema: TypingSend, reply: 'typing-ok' },
  chat: { schema: ChatSend, reply: 'chat-ok' },
  history: { schema: History, reply: 'history-ok' },
  dm: { schema: DmSend, reply: 'dm-ok' },
  register: { schema: Register, reply: 'register-ok' },
  'change-password': { schema: ChangePassword, reply: 'change-password-ok' },
  'delete-account': { schema: DeleteAccount, reply: 'delete-account-ok' },
  sessions: { schema: Sessions, reply: 'sessions-ok' },
  'revoke-session': { schema: RevokeSession, reply: 'revoke-session-ok' },
  'find-users': { schema: FindUsers, reply: 'find-users-ok' },
  'dm-read': { schema: DmRead, reply: 'dm-read-ok' },
  'room-info': { schema: RoomInfo, reply: 'room-info-ok' },
  'set-room': { schema: SetRoom, reply: 'set-room-ok' },
  'set-role': { schema: SetRole, reply: 'set-role-ok' },
  invite: { schema: Invite, reply: 'invite-ok' },
  'list-rooms': { schema: ListRooms, reply: 'list-rooms-ok' },
  edit: { schema: Edit, reply: 'edit-ok' },
  delete: { schema: Delete, reply: 'delete-ok' },
  react: { schema: React, reply: 'react-ok' },
  read: { schema: Read, reply: 'read-ok' },
  search: { schema: Search, reply: 'search-ok' },
  kick: { schema: Kick, reply: 'kick-ok' },
  ban: { schema: Ban, reply: 'ban-ok' },
  unban: { schema: Unban, reply: 'unban-ok' },
  mute: { schema: Mute, reply: 'mute-ok' },
  unmute: { schema: Unmute, reply: 'unmute-ok' },
  restrictions: { schema: Restrictions, reply: 'restrictions-ok' },
  block: { schema: Block, reply: 'block-ok' },
  'dm-typing': { schema: DmTyping, reply: 'dm-typing-ok' },
  unblock: { schema: Unblock, reply: 'unblock-ok' },
  'dm-history': { schema: DmHistory, reply: 'dm-history-ok' },
} as const

/** Frames the server sends: replies echo a request id, pushes carry none. */
export const ServerFrames = {
  welcome: { schema: Welcome, kind: 'push' },
  'login-ok': { schema: LoginOk, kind: 'reply' },
  'rename-ok': { schema: RenameOk, kind: 'reply' },
  'logout-ok': { schema: LogoutOk, kind: 'reply' },
  pong: { schema: Pong, kind: 'reply' },
  'join-room-ok': { schema: JoinRoomOk, kind: 'reply' },
  'leave-room-ok': { schema: LeaveRoomOk, kind: 'reply' },
  'presence-ok': { schema: PresenceOk, kind: 'reply' },
  'typing-ok': { schema: TypingOk, kind: 'reply' },
  'chat-ok': { schema: ChatOk, kind: 'reply' },
  'history-ok': { schema: HistoryOk, kind: 'reply' },
  'dm-ok': { schema: DmOk, kind: 'reply' },
  error: { schema: ErrorFrame, kind: 'reply' },
  chat: { schema: ChatPush, kind: 'push' },
  dm: { schema: DmPush, kind: 'push' },
  alarm: { schema: Alarm, kind: 'push' },
  typing: { schema: TypingPush, kind: 'push' },
  'register-ok': { schema: RegisterOk, kind: 'reply' },
  'change-password-ok': { schema: ChangePasswordOk, kind: 'reply' },
  'delete-account-ok': { schema: DeleteAccountOk, kind: 'reply' },
  'sessions-ok': { schema: SessionsOk, kind: 'reply' },
  'revoke-session-ok': { schema: RevokeSessionOk, kind: 'reply' },
  'find-users-ok': { schema: FindUsersOk, kind: 'reply' },
  'dm-read-ok': { schema: DmReadOk, kind: 'reply' },
  'dm-read': { schema: DmReadPush, kind: 'push' },
  'room-info-ok': { schema: RoomInfoOk, kind: 'reply' },
  'set-room-ok': { schema: SetRoomOk, kind: 'reply' },
  'set-role-ok': { schema: SetRoleOk, kind: 'reply' },
  'invite-ok': { schema: InviteOk, kind: 'reply' },
  invited: { schema: Invited, kind: 'push' },
  'list-rooms-ok': { schema: ListRoomsOk, kind: 'reply' },
  'edit-ok': { schema: EditOk, kind: 'reply' },
  'delete-ok': { schema: DeleteOk, kind: 'reply' },
  'react-ok': { schema: ReactOk, kind: 'reply' },
  'read-ok': { schema: ReadOk, kind: 'reply' },
  read: { schema: ReadPush, kind: 'push' },
  'search-ok': { schema: SearchOk, kind: 'reply' },
  'kick-ok': { schema: KickOk, kind: 'reply' },
  'ban-ok': { schema: BanOk, kind: 'reply' },
  'unban-ok': { schema: UnbanOk, kind: 'reply' },
  'mute-ok': { schema: MuteOk, kind: 'reply' },
  'unmute-ok': { schema: UnmuteOk, kind: 'reply' },
  'restrictions-ok': { schema: RestrictionsOk, kind: 'reply' },
  'block-ok': { schema: BlockOk, kind: 'reply' },
  'dm-typing-ok': { schema: DmTypingOk, kind: 'reply' },
  'dm-typing': { schema: DmTypingPush, kind: 'push' },
  'unblock-ok': { schema: UnblockOk, kind: 'reply' },
  'dm-history-ok': { schema: DmHistoryOk, kind: 'reply' },
} as const

export type ClientFrameType = keyof typeof ClientFrames
export type ServerFrameType = keyof typeof ServerFrames

type SchemaOf<M> = M extends { schema: infer S extends TObject } ? Type.Static<S> : never
/** Every client frame, discriminated by `type`. */
export type ClientFrame = { [K in ClientFrameType]: SchemaOf<(typeof ClientFrames)[K]> }[ClientFrameType]
/** Every server frame, discriminated by `type`. */
export type ServerFrame = { [K in ServerFrameType]: SchemaOf<(typeof ServerFrames)[K]> }[ServerFrameType]
/** The client frame of one type. */
export type ClientFrameOf<K extends ClientFrameType> = SchemaOf<(typeof ClientFrames)[K]>
/** The server frame of one type. */
export type ServerFrameOf<K extends ServerFrameType> = SchemaOf<(typeof ServerFrames)[K]>

/** Union schema of every client frame. */
export const ClientFrame = Type.Union(
  Object.values(ClientFrames).map((f) => f.schema),
  { $id: 'client-frame', title: 'ClientFrame', description: 'Any frame a client sends.' },
)
/** Union schema of every server frame. */
export const ServerFrame = Type.Union(
  Object.values(ServerFrames).map((f) => f.schema),
  { $id: 'server-frame', title: 'ServerFrame', description: 'Any frame the server sends.' },
)
