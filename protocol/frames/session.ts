// Session lifecycle: the greeting, login, rename, logout and the application ping.
import Type from 'typebox'
import { ConnectionId, Epoch, Name, PROTOCOL_VERSION, RoomName, SessionKey, SUBPROTOCOL, Timestamp, Token, UserId, Position } from '../primitives.ts'
import { push, reply, request } from './define.ts'
import { DeviceLabel, DmConversation, Password, SessionId } from './account.ts'
import { Namespace } from './namespace.ts'
import { ResumeOutcome, RoomState } from './room.ts'

/** Limits in force on this connection, announced in `welcome`. */
export const Limits = Type.Object(
  {
    maxFrameBytes: Type.Integer({ minimum: 1, description: 'Largest accepted WebSocket message in bytes; larger ones close the connection with 1009.' }),
    maxTextChars: Type.Integer({ minimum: 1, description: 'Longest chat or DM text, in Unicode code points.' }),
    maxNameChars: Type.Integer({ minimum: 1, description: 'Longest user or room name, in Unicode code points after NFC normalisation.' }),
    maxRooms: Type.Integer({ minimum: 1, description: 'Most rooms one connection may be in at once.' }),
    messagesPerSecond: Type.Number({ minimum: 0, description: 'Sustained rate of requests per connection (token bucket refill per second).' }),
    messageBurst: Type.Integer({ minimum: 1, description: 'Requests a connection may send at once before the rate applies (bucket size).' }),
    historyPageMax: Type.Integer({ minimum: 1, description: 'Most messages one history page or join snapshot returns.' }),
    typingTtlMs: Type.Integer({ minimum: 1, description: 'A typing indicator expires this long after its last refresh.' }),
    joinsPerSecond: Type.Optional(Type.Number({ minimum: 0, description: 'Sustained rate of `join-room` requests (own token bucket, on top of `messagesPerSecond`).' })),
    joinBurst: Type.Optional(Type.Integer({ minimum: 1, description: '`join-room` requests a connection may send at once (bucket size).' })),
    typingPerSecond: Type.Optional(Type.Number({ minimum: 0, description: 'Sustained rate of `typing` requests (own token bucket, on top of `messagesPerSecond`).' })),
    typingBurst: Type.Optional(Type.Integer({ minimum: 1, description: '`typing` requests a connection may send at once (bucket size).' })),
    maxFragments: Type.Optional(Type.Integer({ minimum: 1, description: 'Most WebSocket frames one message may be split into; more closes the connection with 1008.' })),
  },
  { additionalProperties: false, description: 'Limits the client must respect.' },
)
export type Limits = Type.Static<typeof Limits>

export const Welcome = push(
  'welcome',
  {
    connectionId: ConnectionId,
    name: Name,
    protocol: Type.Literal(SUBPROTOCOL),
    version: Type.String({ maxLength: 32, pattern: '^\\d+\\.\\d+\\.\\d+$', description: `Semantic version of the protocol, currently ${PROTOCOL_VERSION}.` }),
    serverTime: Timestamp,
    heartbeatMs: Type.Integer({
      minimum: 1,
      description: 'The server sends a WebSocket ping this often and closes peers that miss a pong for one interval. Browser clients send `ping` frames instead.',
    }),
    loginTimeoutMs: Type.Integer({ minimum: 1, description: 'The connection is closed with 4001 unless a login succeeds within this time.' }),
    authRequired: Type.Boolean({ description: 'True when `login` must carry a signed `token`.' }),
    limits: Limits,
  },
  'First frame on every connection, sent by the server before anything else. Carries a random display name to suggest, and every limit in force.',
)

/** The user's direct-message inbox at login. */
export const InboxState = Type.Object(
  {
    epoch: Epoch,
    seq: Type.Integer({ minimum: 0, description: 'Seq of the newest DM in the inbox (after any replay), 0 for none.' }),
    resume: Type.Optional(ResumeOutcome),
  },
  { additionalProperties: false, description: 'Position of the inbox; `resume` is present when login carried `inbox`.' },
)
export type InboxState = Type.Static<typeof InboxState>

export const JoinSpec = Type.Object(
  {
    room: RoomName,
    since: Type.Optional(Position),
  },
  { additionalProperties: false, description: 'A room to be in, optionally with the last position seen in it (resume).' },
)
export type JoinSpec = Type.Static<typeof JoinSpec>

export const Login = request(
  'login',
  {
    name: Type.Optional(Name),
    session: Type.Optional(SessionKey),
    token: Type.Optional(Token),
    rooms: Type.Optional(Type.Array(JoinSpec, { maxItems: 64, description: 'Rooms to join right after login, with resume positions. Default: `[{"room":"lobby"}]`. An empty array joins none.' })),
    inbox: Type.Optional(Position),
    password: Type.Optional(Password),
    device: Type.Optional(DeviceLabel),
    version: Type.Optional(
      Type.String({
        maxLength: 32,
        pattern: '^\\d+\\.\\d+\\.\\d+$',
        description:
          'The protocol version the client implements (default `1.0.0`, since 1.1.0). The server leaves out of its replies the fields added by later minor versions, so an older client sees exactly the frames it was written for.',
      }),
    ),
  },
  'Starts the session. `inbox` is the last direct-message position seen (resume). Without `name` the suggested name from `welcome` is kept. `session` continues a user from an earlier login (another tab, a reconnect). `token` is required when the server has authentication configured; the user id and name then come from it. `password` with `name` logs in to a registered account (since 1.1.0); `device` labels the new session in the session list. Without `rooms`, a returning user rejoins the rooms they are a member of (since 1.1.0; before, the default was always lobby).',
)

export const LoginOk = reply(
  'login-ok',
  {
    userId: UserId,
    name: Name,
    session: SessionKey,
    rooms: Type.Array(RoomState, { description: 'One entry per joined room, in request order; see `join-room-ok`.' }),
    inbox: InboxState,
    // Sent to clients that log in with `version` 1.1.0 or later only.
    sessionId: Type.Optional(SessionId),
    registered: Type.Optional(Type.Boolean({ description: 'True when the user is a registered account (since 1.1.0).' })),
    dms: Type.Optional(Type.Array(DmConversation, { maxItems: 100, description: "The user's DM conversations, newest first (since 1.1.0)." })),
    // Sent to clients that log in with `version` 1.2.0 or later only.
    namespaces: Type.Optional(
      Type.Array(Namespace, {
        maxItems: 64,
        description: 'The namespaces of this server and their rules (since 1.2.0); the default namespace (name "") holds the rooms without a prefix.',
      }),
    ),
    // Sent to clients that log in with `version` 1.3.0 or later only.
    blocked: Type.Optional(Type.Array(UserId, { maxItems: 1000, description: 'The users this user blocks (since 1.3.0).' })),
  },
  'Login succeeded. Resumed rooms are followed by their missed `chat` pushes, then a resumed inbox by its missed `dm` pushes, in order, before any live one.',
)

export const Rename = request('rename', { name: Name }, 'Changes the display name. Members of every room the user is in receive a `renamed` alarm.')
export const RenameOk = reply('rename-ok', { name: Name }, 'The name in force after a rename.')

export const Logout = request('logout', {}, 'Ends the session: leave alarms go out, the server replies `logout-ok` and closes with 1000.')
export const LogoutOk = reply('logout-ok', {}, 'Logout done; the server closes the connection with 1000 next.')

export const Ping = request('ping', {}, 'Application-level ping for clients that cannot see WebSocket pings (browsers). Allowed before login.')
export const Pong = reply('pong', { serverTime: Timestamp }, 'Reply to `ping`.')
