// login, rename, logout.
import type { ClientFrameOf, JoinSpec } from '../../protocol/index.ts'
import { openInbox, releaseInbox } from './dm.ts'
import type { Session } from '../session.ts'
import { randomToken } from '../store/ids.ts'
import { announceRename, leaveEverything, openRoom, releaseRoom, type OpenedRoom } from './rooms.ts'

const DEFAULT_ROOMS: JoinSpec[] = [{ room: 'lobby' }]

export async function handleLogin(session: Session, frame: ClientFrameOf<'login'>): Promise<void> {
  const { hub } = session
  const specs = [...new Map((frame.rooms ?? DEFAULT_ROOMS).map((s) => [s.room, s])).values()]
  if (specs.length > hub.config.maxRooms) return session.fail(frame, 'too-many-rooms', `At most ${hub.config.maxRooms} rooms per connection.`)

  let userId: string
  let name: string
  let sessionKey: string
  if (frame.session !== undefined) {
    const record = await hub.store.findSession(frame.session)
    if (!record) return session.fail(frame, 'invalid-session', 'Unknown or expired session; log in without it.')
    userId = record.userId
    name = hub.users.get(userId)?.name ?? record.name
    sessionKey = frame.session
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

  const user = hub.users.connect(userId, name, session.id)
  session.user = user
  session.state = 'ready'
  const inbox = await openInbox(session, frame.inbox)
  if (frame.name !== undefined && frame.name !== user.name) await rename(session, frame.name)

  const opened: OpenedRoom[] = []
  for (const spec of specs) opened.push(await openRoom(session, spec))
  session.reply(frame, { type: 'login-ok', userId, name: user.name, session: sessionKey, rooms: opened.map((o) => o.state), inbox: inbox.state })
  for (const o of opened) releaseRoom(session, o)
  releaseInbox(session, inbox)
}

async function rename(session: Session, name: string): Promise<void> {
  const { hub } = session
  const user = session.user!
  const oldName = user.name
  hub.users.rename(user, name)
  await hub.store.renameUser(user.userId, name)
  await announceRename(session, oldName)
}

export async function handleRename(session: Session, frame: ClientFrameOf<'rename'>): Promise<void> {
  const user = session.user!
  if (frame.name !== user.name) {
    if (session.hub.users.isTaken(frame.name, user.userId)) return session.fail(frame, 'name-taken', `The name "${frame.name}" is in use.`)
    await rename(session, frame.name)
  }
  session.reply(frame, { type: 'rename-ok', name: user.name })
}

export async function handleLogout(session: Session, frame: ClientFrameOf<'logout'>): Promise<void> {
  await leaveEverything(session)
  session.reply(frame, { type: 'logout-ok' })
  session.close(1000)
}
