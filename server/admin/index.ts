// The operators' HTTP API under /admin (README "Administration"): list and
// force-disconnect a user's connections, ban a user server-wide, delete a
// room, post to a room as the system, set a room role. Registered only when ADMIN_TOKEN is
// set: without it these routes do not exist (404). Every route's params,
// body and responses are TypeBox schemas; the OpenAPI document at
// /admin/openapi.json (committed as docs/admin-openapi.json) is generated
// from them. Every action is logged at info (actor, action, target, reason),
// never the token.
import * as clock from '../determinism.ts'
import { createHash, timingSafeEqual } from 'node:crypto'
import fastifySwagger from '@fastify/swagger'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import Type, { type TSchema } from 'typebox'
import { Compile } from 'typebox/compile'
import { ChatMessage, RoomName, RoomRole, Text, Timestamp, UserId } from '@wirechat/protocol'
import { inboxChannel, roomChannel } from '../channels.ts'
import { publishRoleAlarm } from '../handlers/room-admin.ts'
import { SYSTEM } from '../handlers/rooms.ts'
import { roomView } from '../rooms/access.ts'
import { entryDelivery } from '../stream-entries.ts'
import type { Hub } from '../hub.ts'
import type { Session } from '../session/session.ts'

export interface AdminOptions {
  hub: Hub<Session>
  token: string
  nodeId: string
}

/** Error codes of the admin API, with their HTTP status. */
export const AdminErrors = {
  'bad-request': { status: 400, meaning: 'A parameter or the body does not match its schema (an unknown field, a value too long, a bad id); `message` says which.' },
  unauthorized: { status: 401, meaning: 'The `Authorization: Bearer <ADMIN_TOKEN>` header is missing or wrong.' },
  'not-found': { status: 404, meaning: "No such route, or the room's namespace or the user does not exist; `message` says which." },
  unavailable: { status: 503, meaning: 'The history store or the broker is unreachable; nothing was done, try again.' },
  internal: { status: 500, meaning: 'The server failed unexpectedly; details are in its log only.' },
} as const
type AdminError = keyof typeof AdminErrors

const ErrorBody = Type.Object(
  {
    error: Type.Union(
      Object.keys(AdminErrors).map((code) => Type.Literal(code)),
      {
        description: Object.entries(AdminErrors)
          .map(([code, info]) => `\`${code}\` (${info.status}): ${info.meaning}`)
          .join(' '),
      },
    ),
    message: Type.String({ description: 'What went wrong, for a person.' }),
  },
  { additionalProperties: false, $id: 'AdminError', description: 'Every error of the admin API.' },
)

const Reason = Type.String({
  minLength: 1,
  maxLength: 512,
  pattern: '^[^\\x00-\\x1F\\x7F-\\x9F]+$',
  description: 'Why, for the log (1–512 characters, no control characters). Not shown to the user.',
})
const UserParams = Type.Object({ userId: UserId }, { additionalProperties: false })
const RoomParams = Type.Object({ room: RoomName }, { additionalProperties: false })

const Connection = Type.Object(
  {
    connectionId: Type.String(),
    sessionId: Type.Optional(Type.String()),
    device: Type.Optional(Type.String()),
    name: Type.String({ description: 'The display name the user has on this connection.' }),
    node: Type.String({ description: 'The node (NODE_ID) holding the connection.' }),
  },
  { additionalProperties: false },
)

const errors = { 400: ErrorBody, 401: ErrorBody, 503: ErrorBody }

/** HTTP error with a code of AdminErrors. */
class Refusal extends Error {
  readonly code: AdminError
  constructor(code: AdminError, message: string) {
    super(message)
    this.code = code
  }
}

const digest = (s: string) => createHash('sha256').update(s).digest()

export default async function adminApi(app: FastifyInstance, options: AdminOptions): Promise<void> {
  const { hub, nodeId } = options
  const expected = digest(options.token)

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'wirechat admin API',
        version: '1.0.0',
        description: 'Operator API of a wirechat server, on when ADMIN_TOKEN is set. Every request carries `Authorization: Bearer <ADMIN_TOKEN>`.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'The ADMIN_TOKEN of the server.' } } },
      security: [{ bearer: [] }],
    },
  })

  // TypeBox checks the input as the protocol's codec does: nothing removed or coerced silently, so an unknown field is a 400.
  app.setValidatorCompiler(({ schema }) => {
    const check = Compile(schema as TSchema)
    return (data: unknown) => {
      if (check.Check(data)) return { value: data }
      const first = check.Errors(data)[0]
      // TypeBox says "schema is false" for a property the schema does not allow.
      const problem = first === undefined ? 'is invalid' : first.message === 'schema is false' ? 'is not allowed' : first.message
      return { error: new Error(`${first?.instancePath || '/'} ${problem}`) }
    }
  })

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string; validationContext?: string }, request, reply) => {
    if (err instanceof Refusal) return send(reply, err.code, err.message)
    if (err.validationContext !== undefined) return send(reply, 'bad-request', `${err.validationContext}${err.message}`)
    if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) return send(reply, 'bad-request', err.message)
    request.log.error({ err }, 'admin request failed')
    return send(reply, 'internal', 'Internal error.')
  })

  app.addHook('onRequest', async (request, reply) => {
    const header = request.headers.authorization
    const given = header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined
    // Hashes of equal length: the comparison takes the same time whatever the token's length or content.
    if (given === undefined || !timingSafeEqual(digest(given), expected)) {
      reply.header('www-authenticate', 'Bearer')
      return send(reply, 'unauthorized', 'A valid admin token is required: Authorization: Bearer <ADMIN_TOKEN>.')
    }
  })

  const audit = (request: FastifyRequest, action: string, target: string, reason: string | undefined) =>
    request.log.info({ actor: 'admin', action, target, ...(reason !== undefined && { reason }) }, 'admin action')

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())

  app.get<{ Params: Type.Static<typeof UserParams> }>(
    '/users/:userId/connections',
    {
      schema: {
        summary: "A user's connections on this node",
        description:
          'The connections of the user held by the node that answers. In a cluster each node answers for itself: ask every node (each is reachable on its own address) for the whole list. Disconnect and ban act on every node.',
        params: UserParams,
        response: { 200: Type.Object({ userId: UserId, node: Type.String(), connections: Type.Array(Connection) }, { additionalProperties: false }), ...errors },
      },
    },
    async (request) => {
      const { userId } = request.params
      const sessions = [...(hub.registry.members(inboxChannel(userId)) ?? [])]
      const devices = new Map((await unavailableOnError(hub.store.listSessions(userId, clock.now()))).map((s) => [s.sessionId, s.device]))
      const connections = sessions.map((s) => {
        const device = s.sessionId === undefined ? undefined : devices.get(s.sessionId)
        return {
          connectionId: s.id,
          name: s.user?.name ?? '',
          node: nodeId,
          ...(s.sessionId !== undefined && { sessionId: s.sessionId }),
          ...(device !== undefined && { device }),
        }
      })
      return { userId, node: nodeId, connections }
    },
  )

  app.post<{ Params: Type.Static<typeof UserParams>; Body: { reason?: string } }>(
    '/users/:userId/disconnect',
    {
      schema: {
        summary: 'Force-disconnect a user everywhere',
        description:
          'Closes every connection of the user, on every node, with close code 4013 `disconnected` (clients do not reconnect on their own). The user may log in again; ban them to keep them out.',
        params: UserParams,
        body: Type.Object({ reason: Type.Optional(Reason) }, { additionalProperties: false }),
        response: {
          200: Type.Object(
            { userId: UserId, closedHere: Type.Integer({ description: "Connections this node closed; other nodes close theirs as they receive the broker's message." }) },
            { additionalProperties: false },
          ),
          ...errors,
        },
      },
    },
    async (request) => {
      const { userId } = request.params
      audit(request, 'disconnect', userId, request.body.reason)
      return { userId, closedHere: await disconnect(hub, userId, 4013) }
    },
  )

  const BanBody = Type.Object(
    {
      until: Type.Optional(Type.Union([Timestamp, Type.Null()], { description: 'When the ban ends (epoch ms, in the future); null or absent: until lifted.' })),
      reason: Type.Optional(Reason),
    },
    { additionalProperties: false },
  )
  const BanReply = Type.Object({ userId: UserId, until: Type.Union([Timestamp, Type.Null()]), closedHere: Type.Integer() }, { additionalProperties: false })
  app.post<{ Params: Type.Static<typeof UserParams>; Body: Type.Static<typeof BanBody> }>(
    '/users/:userId/ban',
    {
      schema: {
        summary: 'Ban a user server-wide',
        description:
          'Stores the ban (it survives restarts), then closes every connection of the user on every node with 4014 `banned`. Until it ends every login of the user (password, session key or token subject) is refused with the error `banned`. Banning again replaces the earlier ban (idempotent).',
        params: UserParams,
        body: BanBody,
        response: { 200: BanReply, ...errors },
      },
    },
    async (request) => {
      const { userId } = request.params
      const until = request.body.until ?? null
      const now = clock.now()
      if (until !== null && until <= now) throw new Refusal('bad-request', 'body/until is not in the future.')
      audit(request, 'ban', userId, request.body.reason)
      await unavailableOnError(hub.store.setBan({ userId, until, reason: request.body.reason, createdAt: now }))
      return { userId, until, closedHere: await disconnect(hub, userId, 4014) }
    },
  )

  app.delete<{ Params: Type.Static<typeof UserParams> }>(
    '/users/:userId/ban',
    {
      schema: {
        summary: "Lift a user's server-wide ban",
        description: 'The user can log in again at once. Idempotent: `lifted` is false when no ban was in force.',
        params: UserParams,
        response: { 200: Type.Object({ userId: UserId, lifted: Type.Boolean() }, { additionalProperties: false }), ...errors },
      },
    },
    async (request) => {
      const { userId } = request.params
      audit(request, 'unban', userId, undefined)
      return { userId, lifted: await unavailableOnError(hub.store.removeBan(userId, clock.now())) }
    },
  )

  app.delete<{ Params: Type.Static<typeof RoomParams> }>(
    '/rooms/:room',
    {
      schema: {
        summary: 'Delete a room and its history',
        description:
          "Deletes the room from the store (its messages, memberships, record, roles and invitations), and takes every connection out of the room on every node: clients that announced protocol 1.2.0 get an `alarm` of kind `room-deleted`, older ones are not told (their next request for the room gets `not-in-room`). The room is gone: it leaves the directory, its owners and moderators lose their roles and its invitations lapse. A later join of the same name creates a new room under its namespace's rules (refused where the namespace's `create` is `nobody`; otherwise the joiner owns it), whose numbering goes on: its first message follows the deleted ones. Idempotent.",
        params: RoomParams,
        response: { 200: Type.Object({ room: RoomName, deletedMessages: Type.Integer() }, { additionalProperties: false }), ...errors },
      },
    },
    async (request) => {
      const { room } = request.params
      audit(request, 'delete-room', room, undefined)
      // In the room's queue: this node's appends to the room wait until it is gone.
      const deletedMessages = await hub.serial(room, async () => {
        const deleted = await unavailableOnError(hub.store.deleteRoom(room))
        await unavailableOnError(hub.control(roomChannel(room), { kind: 'room-deleted', room }))
        return deleted
      })
      return { room, deletedMessages }
    },
  )

  /**
   * The room the operator acts on, its record stored when it had none: a room
   * that does not exist yet is made by the operator, without an owner (the way
   * rooms of a namespace whose `create` is `nobody` come to be).
   */
  async function operatorRoom(room: string): Promise<void> {
    const ns = hub.namespaces.of(room)
    if (ns === undefined) throw new Refusal('not-found', `No namespace "${room.slice(0, room.indexOf(':'))}".`)
    await unavailableOnError(
      (async () => {
        if ((await hub.store.findRoom(room)) !== undefined) return
        const view = await roomView(hub, room)
        await hub.store.createRoom(view ?? { room, namespace: ns.name, topic: '', public: ns.visibility === 'public', createdAt: clock.now() })
      })(),
    )
  }

  const RoleParams = Type.Object({ room: RoomName, userId: UserId }, { additionalProperties: false })
  const RoleBody = Type.Object({ role: RoomRole, reason: Type.Optional(Reason) }, { additionalProperties: false })
  app.put<{ Params: Type.Static<typeof RoleParams>; Body: Type.Static<typeof RoleBody> }>(
    '/rooms/:room/roles/:userId',
    {
      schema: {
        summary: "Set a user's role in a room",
        description:
          'Makes the user an `owner`, `moderator` or `member` of the room (`member` removes a role), whatever the roles in the room are: how an operator gives a room of a namespace whose `create` is `nobody` its owners and publishers, or a room whose owners are gone a new one. A room that does not exist yet is created without an owner (public or private as its namespace says). The room gets a `role` alarm, as for `set-role`. A role is a standing in the room: the user may join it even when it is private. Idempotent.',
        params: RoleParams,
        body: RoleBody,
        response: { 200: Type.Object({ room: RoomName, userId: UserId, role: RoomRole }, { additionalProperties: false }), 404: ErrorBody, ...errors },
      },
    },
    async (request) => {
      const { room, userId } = request.params
      const { role } = request.body
      const known = await unavailableOnError(Promise.all([hub.store.hasUser(userId), hub.store.findAccount(userId)]))
      if (!known[0] && known[1] === undefined) throw new Refusal('not-found', `No user "${userId}" is known.`)
      await operatorRoom(room)
      audit(request, `role:${role}`, `${room} ${userId}`, request.body.reason)
      const before = await unavailableOnError(hub.store.findRoomRole(room, userId))
      if ((before ?? 'member') !== role) {
        await unavailableOnError(hub.store.setRoomRole(room, userId, role))
        await unavailableOnError(publishRoleAlarm(hub, room, userId, role))
      }
      return { room, userId, role }
    },
  )

  const PostBody = Type.Object({ text: Text }, { additionalProperties: false })
  app.post<{ Params: Type.Static<typeof RoomParams>; Body: Type.Static<typeof PostBody> }>(
    '/rooms/:room/messages',
    {
      schema: {
        summary: 'Post to a room as the system',
        description:
          'Stores a chat message from the reserved sender `system` (userId and name `system`: no user can take either) and delivers it to the room like any chat: it gets the next seq, and members on every node receive it. A room that does not exist yet is created without an owner (public or private as its namespace says); a room of an unknown namespace is 404.',
        params: RoomParams,
        body: PostBody,
        response: { 200: Type.Object({ message: ChatMessage }, { additionalProperties: false }), 404: ErrorBody, ...errors },
      },
    },
    async (request) => {
      const { room } = request.params
      const text = request.body.text.normalize('NFC')
      if (!text.isWellFormed()) throw new Refusal('bad-request', 'body/text is not well-formed Unicode.')
      if (!hub.broker.ready()) throw new Refusal('unavailable', 'Broker unavailable; nothing was posted.')
      await operatorRoom(room)
      audit(request, 'post', room, undefined)
      const message = await hub.serial(room, async () => {
        const { message } = await unavailableOnError(hub.store.appendChat({ room, userId: SYSTEM.userId, name: SYSTEM.name, text, ts: clock.now() }))
        try {
          await hub.publish(roomChannel(room), entryDelivery(message))
        } catch (err) {
          // Stored: members get it by filling the gap at the room's next message, or on resume.
          request.log.error({ err }, 'broker publish failed')
        }
        return message
      })
      return { message }
    },
  )
}

function send(reply: FastifyReply, code: AdminError, message: string): FastifyReply {
  return reply
    .code(AdminErrors[code].status)
    .type('application/json')
    .send(JSON.stringify({ error: code, message }))
}

/** A store or broker failure becomes a 503 `unavailable`. */
async function unavailableOnError<T>(work: Promise<T>): Promise<T> {
  try {
    return await work
  } catch (err) {
    throw Object.assign(new Refusal('unavailable', 'The history store or the broker is unavailable; try again.'), { cause: err })
  }
}

/** Closes the user's connections everywhere with `code`; resolves with the number closed on this node. */
async function disconnect(hub: Hub<Session>, userId: string, code: 4013 | 4014): Promise<number> {
  const channel = inboxChannel(userId)
  const here = [...(hub.registry.members(channel) ?? [])].filter((s) => s.state === 'ready').length
  await unavailableOnError(hub.control(channel, { kind: 'disconnect', code }))
  return here
}
