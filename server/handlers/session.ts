// login, rename, logout.
import * as clock from '../determinism.ts'
import { MAX_NAME_CHARS, speaksAtLeast, type ClientFrameOf, type JoinSpec, type ServerFrameOf } from '@wirechat/protocol'
import { tokenVerifier, type TokenIdentity } from '../auth/jwt.ts'
import { nameKey, nameProblem } from '../names.ts'
import type { Account, Ban } from '../store/store.ts'
import { checkPassword, reservedBy, revokeConnections } from './account.ts'
import { openInbox, releaseInbox } from './dm.ts'
import type { Session } from '../session/session.ts'
import { randomToken } from '../store/ids.ts'
import type { User } from '../users.ts'
import { admit, ensureRoom } from '../rooms/access.ts'
import { refuse, untilDetail, untilText } from './room-guards.ts'
import { announceRename, openRoom, releaseRoom, SYSTEM, type OpenedRoom } from './rooms.ts'

const DEFAULT_ROOMS: JoinSpec[] = [{ room: 'lobby' }]
/** Most DM conversations in login-ok (the schema's bound). */
const MAX_DMS = 100
/** A session's use is written once per this share of its lifetime at most. */
const TOUCH_SHARE = 10
const TOKEN_NAME = 'With authentication on, the display name comes from the token.'

/** Refuses a client-chosen name that passes the schema but could impersonate (see names.ts). */
function refuseName(session: Session, frame: { id?: string | undefined }, name: string): boolean {
  const problem = nameProblem(name)
  if (problem === undefined) return false
  session.fail(frame, 'bad-frame', `The name ${problem}.`, { details: [`/name: ${problem}`] })
  return true
}

/** The token's name, or "name-2", "name-3" … when another user holds it; undefined when none is free. */
function tokenName(session: Session, identity: TokenIdentity): string | undefined {
  const { users } = session.hub
  const base = identity.name
  if (base === undefined || nameProblem(base) !== undefined) return undefined
  if (!users.isTaken(base, identity.userId)) return base
  for (let n = 2; n < 100; n++) {
    const candidate = `${base.slice(0, MAX_NAME_CHARS - 1 - String(n).length)}-${n}`
    if (nameProblem(candidate) === undefined && !users.isTaken(candidate, identity.userId)) return candidate
  }
  return undefined
}

/** The refusal of a banned user's login: until when, in words and in `details`. */
export function refuseBanned(session: Session, frame: { id?: string | undefined }, ban: Ban): void {
  session.fail(frame, 'banned', `You are banned from this server ${untilText(ban.until)}.`, { details: [untilDetail(ban.until)] })
}

/** The rooms a login without `rooms` joins: the user's memberships, or lobby for a user with none. */
async function defaultRooms(session: Session, userId: string, version: string | undefined): Promise<JoinSpec[]> {
  let rooms = await session.hub.store.listMemberships(userId)
  // A client before 1.2.0 cannot read a room name with a namespace: it rejoins only the others.
  if (!speaksAtLeast(version, '1.2.0')) rooms = rooms.filter((room) => !room.includes(':'))
  return rooms.length === 0 ? DEFAULT_ROOMS : rooms.slice(0, session.hub.config.maxRooms).map((room) => ({ room }))
}

/** A random name that neither an online user nor an account holds. */
async function freeName(session: Session, userId: string): Promise<string> {
  let name = session.hub.users.randomName()
  for (let i = 0; i < 10 && (await reservedBy(session, name, userId)) !== undefined; i++) name = session.hub.users.randomName()
  return name
}

export async function handleLogin(session: Session, frame: ClientFrameOf<'login'>): Promise<void> {
  const { hub } = session
  const { store, config } = hub
  if (frame.password !== undefined && (frame.name === undefined || frame.session !== undefined || frame.token !== undefined)) {
    return session.fail(frame, 'bad-frame', 'A password goes with a name, without a session or token.', { details: ['/password: needs /name, and no /session or /token'] })
  }
  const requestedRooms = frame.rooms && [...new Map(frame.rooms.map((s) => [s.room, s])).values()]
  if (requestedRooms && requestedRooms.length > config.maxRooms) return session.fail(frame, 'too-many-rooms', `At most ${config.maxRooms} rooms per connection.`)
  const unknown = requestedRooms?.find((s) => hub.namespaces.of(s.room) === undefined)
  if (unknown !== undefined) return session.fail(frame, 'not-found', `No namespace of "${unknown.room}".`)

  // With authentication the token decides who this is; a `name` in the frame
  // is refused (not silently dropped) so a client notices.
  let identity: TokenIdentity | undefined
  const verifier = tokenVerifier(config)
  if (verifier !== undefined) {
    if (frame.token === undefined) return session.fail(frame, 'auth-required', 'This server requires a "token" in login.')
    if (frame.name !== undefined) return session.fail(frame, 'bad-frame', TOKEN_NAME, { details: ['/name: must be left out when authentication is on'] })
    const verified = await verifier.verify(frame.token)
    // The system's id is reserved (operator posts): no token subject may take it.
    if (!verified.ok || verified.identity.userId === SYSTEM.userId) return session.fail(frame, 'auth-failed', 'The token is invalid, expired or not signed by a trusted key.')
    identity = verified.identity
  } else if (frame.name !== undefined && refuseName(session, frame, frame.name)) return

  const now = clock.now()
  let userId: string
  let name: string
  let sessionKey: string
  let sessionId: string | undefined
  let account: Account | undefined
  // The name this login asks to take; a password login's name only finds the account.
  const requested = frame.password === undefined ? frame.name : undefined
  if (frame.password !== undefined) {
    const key = nameKey(frame.name!)
    account = await store.findAccountByNameKey(key)
    if (!(await checkPassword(session, frame, key, account, frame.password))) return
    userId = account!.userId
    name = hub.users.get(userId)?.name ?? account!.name
    sessionKey = randomToken(24)
  } else if (frame.session !== undefined) {
    const row = await store.findSessionByKey(frame.session, now)
    // A session key continues its own user only: never another token subject's.
    if (!row || (identity !== undefined && row.userId !== identity.userId)) {
      return session.fail(frame, 'invalid-session', 'Unknown or expired session; log in without it.')
    }
    userId = row.userId
    name = hub.users.get(userId)?.name ?? (identity && tokenName(session, identity)) ?? row.name
    sessionKey = frame.session
    sessionId = row.sessionId
    // Sliding expiry, written at most once per TOUCH_SHARE of the lifetime (and a minute) to spare the store.
    if (now - row.lastSeenAt >= Math.min(60_000, config.sessionTtlMs / TOUCH_SHARE)) await store.touchSession(row.sessionId, now, now + config.sessionTtlMs)
  } else if (identity !== undefined) {
    userId = identity.userId
    name = hub.users.get(userId)?.name ?? tokenName(session, identity) ?? session.suggestedName
    sessionKey = randomToken(24)
  } else {
    userId = `u_${randomToken(9)}`
    name = session.suggestedName
    sessionKey = randomToken(24)
  }
  // A server-wide ban refuses every way in: password, session key and token subject.
  const ban = await store.findBan(userId, now)
  if (ban !== undefined) return refuseBanned(session, frame, ban)
  account ??= await store.findAccount(userId)
  if (account !== undefined && hub.users.get(userId) === undefined) name = account.name

  // Registered names belong to their account, online or offline.
  if (requested !== undefined && (await reservedBy(session, requested, userId)) !== undefined) {
    return session.fail(frame, 'name-reserved', `The name "${requested}" is registered; log in with its password or pick another.`)
  }
  if (requested === undefined && hub.users.get(userId) === undefined && (await reservedBy(session, name, userId)) !== undefined) name = await freeName(session, userId)

  const wanted = requested ?? name
  if (hub.users.isTaken(wanted, userId)) {
    if (requested !== undefined) return session.fail(frame, 'name-taken', `The name "${wanted}" is in use.`)
    name = await freeName(session, userId) // the suggested name was taken meanwhile
  }
  // Every requested room must admit the user (private rooms, creation rules) before anything is stored.
  for (const spec of requestedRooms ?? []) {
    const refusal = await admit(hub, userId, spec.room)
    if (refusal !== undefined) return refuse(session, frame, refusal)
  }
  if (session.state !== 'awaiting-login') return // closed while reading the store
  sessionId ??= await store.createSession(sessionKey, { userId, name: requested ?? name, device: frame.device, createdAt: now, expiresAt: now + config.sessionTtlMs })

  // Names are claimed only now: check again, another login may have taken it during the awaits.
  if (hub.users.isTaken(requested ?? name, userId)) {
    if (requested !== undefined) return session.fail(frame, 'name-taken', `The name "${requested}" is in use.`)
    name = hub.users.randomName()
  }
  session.version = frame.version ?? '1.0.0'
  const user = session.logIn(userId, name, sessionId, identity?.expiresAt)
  if (user === undefined) return // closing while the store was read
  // A ban set while this login read the store was broadcast before the connection could
  // hear it (it hears its user's channel from logIn on): look once more, now that it would.
  if ((await store.findBan(userId, clock.now())) !== undefined) return void session.closeAfterReplies(4014)
  const blocked = await store.listBlocks(userId)
  if (blocked.length > 0) session.blocked = new Set(blocked)
  const inbox = await openInbox(session, user, frame.inbox)
  if (requested !== undefined && requested !== user.name) await rename(session, user, requested)

  const specs = requestedRooms ?? (await defaultRooms(session, userId, frame.version))
  const memberOf = new Set(await store.listMemberships(userId))
  const opened: OpenedRoom[] = []
  for (const spec of specs) {
    // Rooms not asked for (memberships, lobby) that no longer admit the user are left out quietly.
    if (requestedRooms === undefined && (await admit(hub, userId, spec.room)) !== undefined) continue
    await ensureRoom(hub, userId, spec.room)
    opened.push(await openRoom(session, user, spec, !memberOf.has(spec.room)))
    await store.addMembership(userId, spec.room, clock.now())
  }
  const reply: ServerFrameOf<'login-ok'> = { type: 'login-ok', userId, name: user.name, session: sessionKey, rooms: opened.map((o) => o.state), inbox: inbox.state }
  // A client written for 1.0.0 gets exactly the 1.0.0 reply (PROTOCOL.md, versioning).
  if (speaksAtLeast(frame.version, '1.1.0')) {
    reply.sessionId = sessionId
    reply.registered = account !== undefined
    reply.dms = (await store.listDmConversations(userId, MAX_DMS)).map((c) => ({ userId: c.peerId, name: c.peerName, last: c.last, unread: c.unread }))
  }
  if (speaksAtLeast(frame.version, '1.2.0')) reply.namespaces = [...hub.namespaces.list]
  if (speaksAtLeast(frame.version, '1.3.0')) reply.blocked = blocked.slice(0, 1000)
  session.reply(frame, reply)
  for (const o of opened) releaseRoom(session, o)
  releaseInbox(session, user, inbox)
}

/** Renames the user (and its account); false when an account holds the name. */
async function rename(session: Session, user: User, name: string): Promise<boolean> {
  const { hub } = session
  const key = nameKey(name)
  if ((await hub.store.findAccount(user.userId)) !== undefined) {
    if (!(await hub.store.renameAccount(user.userId, name, key))) return false
  } else if ((await reservedBy(session, name, user.userId)) !== undefined) return false
  const oldName = user.name
  hub.users.rename(user, name)
  await hub.store.renameUser(user.userId, name)
  await announceRename(session, user, oldName)
  return true
}

export async function handleRename(session: Session, user: User, frame: ClientFrameOf<'rename'>): Promise<void> {
  if (tokenVerifier(session.hub.config) !== undefined) return session.fail(frame, 'bad-frame', TOKEN_NAME, { details: ['/name: set by the token when authentication is on'] })
  if (refuseName(session, frame, frame.name)) return
  if (frame.name !== user.name) {
    // Reserved before taken: an account's name is refused the same way whether its owner is online or not.
    if ((await reservedBy(session, frame.name, user.userId)) !== undefined) return session.fail(frame, 'name-reserved', `The name "${frame.name}" is registered to another user.`)
    if (session.hub.users.isTaken(frame.name, user.userId)) return session.fail(frame, 'name-taken', `The name "${frame.name}" is in use.`)
    if (!(await rename(session, user, frame.name))) return session.fail(frame, 'name-reserved', `The name "${frame.name}" is registered to another user.`)
  }
  session.reply(frame, { type: 'rename-ok', name: user.name })
}

/**
 * The session goes closing at once, so nothing sent after logout is handled;
 * the close with 1000 follows logout-ok. The key used is revoked: other
 * connections with it (tabs sharing it) close with 4011.
 */
export async function handleLogout(session: Session, user: User, frame: ClientFrameOf<'logout'>): Promise<void> {
  const { userId } = user
  const sessionId = session.sessionId!
  await session.logOut()
  await session.hub.store.revokeSession(userId, sessionId)
  session.reply(frame, { type: 'logout-ok' })
  await revokeConnections(session, userId, [sessionId], session.id)
}
