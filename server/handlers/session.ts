// login, rename, logout.
import { MAX_NAME_CHARS, type ClientFrameOf, type JoinSpec } from '@wirechat/protocol'
import { tokenVerifier, type TokenIdentity } from '../auth/jwt.ts'
import { nameProblem } from '../names.ts'
import { openInbox, releaseInbox } from './dm.ts'
import type { Session } from '../session/session.ts'
import { randomToken } from '../store/ids.ts'
import type { User } from '../users.ts'
import { announceRename, openRoom, releaseRoom, type OpenedRoom } from './rooms.ts'

const DEFAULT_ROOMS: JoinSpec[] = [{ room: 'lobby' }]
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

export async function handleLogin(session: Session, frame: ClientFrameOf<'login'>): Promise<void> {
  const { hub } = session
  const specs = [...new Map((frame.rooms ?? DEFAULT_ROOMS).map((s) => [s.room, s])).values()]
  if (specs.length > hub.config.maxRooms) return session.fail(frame, 'too-many-rooms', `At most ${hub.config.maxRooms} rooms per connection.`)

  // With authentication the token decides who this is; a `name` in the frame
  // is refused (not silently dropped) so a client notices.
  let identity: TokenIdentity | undefined
  const verifier = tokenVerifier(hub.config)
  if (verifier !== undefined) {
    if (frame.token === undefined) return session.fail(frame, 'auth-required', 'This server requires a "token" in login.')
    if (frame.name !== undefined) return session.fail(frame, 'bad-frame', TOKEN_NAME, { details: ['/name: must be left out when authentication is on'] })
    const verified = await verifier.verify(frame.token)
    if (!verified.ok) return session.fail(frame, 'auth-failed', 'The token is invalid, expired or not signed by a trusted key.')
    identity = verified.identity
  } else if (frame.name !== undefined && refuseName(session, frame, frame.name)) return

  let userId: string
  let name: string
  let sessionKey: string
  if (frame.session !== undefined) {
    const record = await hub.store.findSession(frame.session)
    // A session key continues its own user only: never another token subject's.
    if (!record || (identity !== undefined && record.userId !== identity.userId)) {
      return session.fail(frame, 'invalid-session', 'Unknown or expired session; log in without it.')
    }
    userId = record.userId
    name = hub.users.get(userId)?.name ?? (identity && tokenName(session, identity)) ?? record.name
    sessionKey = frame.session
  } else if (identity !== undefined) {
    userId = identity.userId
    name = hub.users.get(userId)?.name ?? tokenName(session, identity) ?? session.suggestedName
    sessionKey = randomToken(24)
  } else {
    userId = `u_${randomToken(9)}`
    name = session.suggestedName
    sessionKey = randomToken(24)
  }
  const wanted = frame.name ?? name
  if (hub.users.isTaken(wanted, userId)) {
    if (frame.name !== undefined) return session.fail(frame, 'name-taken', `The name "${wanted}" is in use.`)
    name = hub.users.randomName() // the suggested name was taken meanwhile
  }
  if (session.state !== 'awaiting-login') return // closed while reading the store
  if (frame.session === undefined) await hub.store.saveSession(sessionKey, { userId, name: frame.name ?? name })

  // Names are claimed only now: check again, another login may have taken it during the awaits.
  if (hub.users.isTaken(frame.name ?? name, userId)) {
    if (frame.name !== undefined) return session.fail(frame, 'name-taken', `The name "${frame.name}" is in use.`)
    name = hub.users.randomName()
  }
  const user = session.logIn(userId, name)
  if (user === undefined) return // closing while the store was read
  const inbox = await openInbox(session, user, frame.inbox)
  if (frame.name !== undefined && frame.name !== user.name) await rename(session, user, frame.name)

  const opened: OpenedRoom[] = []
  for (const spec of specs) opened.push(await openRoom(session, user, spec))
  session.reply(frame, { type: 'login-ok', userId, name: user.name, session: sessionKey, rooms: opened.map((o) => o.state), inbox: inbox.state })
  for (const o of opened) releaseRoom(session, o)
  releaseInbox(session, user, inbox)
}

async function rename(session: Session, user: User, name: string): Promise<void> {
  const { hub } = session
  const oldName = user.name
  hub.users.rename(user, name)
  await hub.store.renameUser(user.userId, name)
  await announceRename(session, user, oldName)
}

export async function handleRename(session: Session, user: User, frame: ClientFrameOf<'rename'>): Promise<void> {
  if (tokenVerifier(session.hub.config) !== undefined) return session.fail(frame, 'bad-frame', TOKEN_NAME, { details: ['/name: set by the token when authentication is on'] })
  if (refuseName(session, frame, frame.name)) return
  if (frame.name !== user.name) {
    if (session.hub.users.isTaken(frame.name, user.userId)) return session.fail(frame, 'name-taken', `The name "${frame.name}" is in use.`)
    await rename(session, user, frame.name)
  }
  session.reply(frame, { type: 'rename-ok', name: user.name })
}

/** The session goes closing at once, so nothing sent after logout is handled; the close with 1000 follows logout-ok. */
export async function handleLogout(session: Session, frame: ClientFrameOf<'logout'>): Promise<void> {
  await session.logOut()
  session.reply(frame, { type: 'logout-ok' })
}
