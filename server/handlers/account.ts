// Accounts and sessions (protocol 1.1.0): register, change-password,
// delete-account, sessions, revoke-session, find-users; the password check
// and revocation that login and logout use too.
import * as clock from '../determinism.ts'
import type { ClientFrameOf, FoundUser } from '@wirechat/protocol'
import { tokenVerifier } from '../auth/jwt.ts'
import { dummyHash, hashPassword, verifyPassword } from '../auth/password.ts'
import { inboxChannel } from '../channels.ts'
import { nameKey } from '../names.ts'
import type { Session } from '../session/session.ts'
import type { Account } from '../store/store.ts'
import type { User } from '../users.ts'

type Request = { id?: string | undefined }

/** One message for an unknown name and a wrong password, so neither tells which. */
export const WRONG_PASSWORD = 'The name or password is wrong.'
const FIND_USERS_DEFAULT = 20

/**
 * Checks a password against an account's hash (a dummy one when there is no
 * account, so an unknown name costs the same time). Answers the request with
 * `rate-limited` (without running the KDF) or `auth-failed` and resolves false.
 */
export async function checkPassword(session: Session, frame: Request, key: string, account: Account | undefined, password: string): Promise<boolean> {
  const { hub } = session
  const { address } = session.conn
  const wait = hub.loginLimits.retryAfter(key, address)
  if (wait > 0) {
    session.fail(frame, 'rate-limited', 'Too many failed password attempts; wait before trying again.', { retryAfterMs: wait })
    return false
  }
  const attemptedAt = hub.loginLimits.attempt(key, address)
  const matches = await verifyPassword(password, account?.passwordHash ?? (await dummyHash(hub.config.scryptCost)))
  if (!matches || account === undefined) {
    session.fail(frame, 'auth-failed', WRONG_PASSWORD)
    return false
  }
  hub.loginLimits.succeeded(key, address, attemptedAt)
  return true
}

/**
 * Closes with 4011 the connections of these sessions on every node: at once on
 * this node, and through the user's channel on the others (as fast as a DM).
 * `except` is a connection that closes otherwise (delete-account, logout).
 */
export async function revokeConnections(session: Session, userId: string, sessionIds: string[], except?: string): Promise<void> {
  if (sessionIds.length === 0) return
  const control = except === undefined ? { kind: 'revoke' as const, sessionIds } : { kind: 'revoke' as const, sessionIds, except }
  try {
    await session.hub.control(inboxChannel(userId), control)
  } catch (err) {
    // The store refuses the keys already; connections on other nodes stay open until they reconnect.
    session.log.error({ err }, 'revocation publish failed')
  }
}

/** The account that owns a name's nameKey when it is not `userId`'s. */
export async function reservedBy(session: Session, name: string, userId: string): Promise<Account | undefined> {
  const account = await session.hub.store.findAccountByNameKey(nameKey(name))
  return account !== undefined && account.userId !== userId ? account : undefined
}

export async function handleRegister(session: Session, user: User, frame: ClientFrameOf<'register'>): Promise<void> {
  const { hub } = session
  if (tokenVerifier(hub.config) !== undefined)
    return session.fail(frame, 'bad-frame', 'On this server accounts come from the login token.', { details: ['/type: register is off when authentication is on'] })
  if ((await hub.store.findAccount(user.userId)) !== undefined) return session.fail(frame, 'already-registered', 'This user is registered already.')
  const passwordHash = await hashPassword(frame.password, hub.config.scryptCost)
  const name = user.name
  if (await hub.store.createAccount({ userId: user.userId, name, nameKey: nameKey(name), passwordHash, createdAt: clock.now() })) {
    return session.reply(frame, { type: 'register-ok', userId: user.userId, name })
  }
  // Refused: another connection of the user registered meanwhile, or another account took the name.
  if ((await hub.store.findAccount(user.userId)) !== undefined) return session.fail(frame, 'already-registered', 'This user is registered already.')
  session.fail(frame, 'name-reserved', `The name "${name}" is registered to another user.`)
}

/** The user's account, or undefined after answering `not-registered`. */
async function accountOf(session: Session, user: User, frame: Request): Promise<Account | undefined> {
  const account = await session.hub.store.findAccount(user.userId)
  if (account === undefined) session.fail(frame, 'not-registered', 'This user is a guest; register first.')
  return account
}

export async function handleChangePassword(session: Session, user: User, frame: ClientFrameOf<'change-password'>): Promise<void> {
  const { hub } = session
  const account = await accountOf(session, user, frame)
  if (account === undefined || !(await checkPassword(session, frame, account.nameKey, account, frame.password))) return
  await hub.store.setPasswordHash(user.userId, await hashPassword(frame.newPassword, hub.config.scryptCost))
  const revoked = await hub.store.revokeUserSessions(user.userId, session.sessionId)
  session.reply(frame, { type: 'change-password-ok' })
  await revokeConnections(session, user.userId, revoked)
}

export async function handleDeleteAccount(session: Session, user: User, frame: ClientFrameOf<'delete-account'>): Promise<void> {
  const { hub } = session
  const account = await accountOf(session, user, frame)
  if (account === undefined || !(await checkPassword(session, frame, account.nameKey, account, frame.password))) return
  const revoked = await hub.store.revokeUserSessions(user.userId)
  await hub.store.deleteAccount(user.userId)
  const { userId } = user
  // Like logout: this connection goes closing now and closes with 1000 after the reply.
  const loggingOut = session.logOut()
  session.reply(frame, { type: 'delete-account-ok' })
  await revokeConnections(session, userId, revoked, session.id)
  await loggingOut
}

export async function handleSessions(session: Session, user: User, frame: ClientFrameOf<'sessions'>): Promise<void> {
  const rows = await session.hub.store.listSessions(user.userId, clock.now())
  const sessions = rows.slice(0, 100).map((row) => {
    const info = { sessionId: row.sessionId, createdAt: row.createdAt, lastSeenAt: row.lastSeenAt, expiresAt: row.expiresAt, current: row.sessionId === session.sessionId }
    return row.device === undefined ? info : { ...info, device: row.device }
  })
  session.reply(frame, { type: 'sessions-ok', sessions })
}

export async function handleRevokeSession(session: Session, user: User, frame: ClientFrameOf<'revoke-session'>): Promise<void> {
  // Another user's session id answers like an unknown one: ids of others are not confirmed.
  if (!(await session.hub.store.revokeSession(user.userId, frame.sessionId))) return session.fail(frame, 'session-not-found', 'You have no session with this id.')
  session.reply(frame, { type: 'revoke-session-ok', sessionId: frame.sessionId })
  // The current session too: its close follows the reply.
  await revokeConnections(session, user.userId, [frame.sessionId])
}

/**
 * Online users of this node and registered accounts whose name starts with the
 * prefix, online first, then by name. In a cluster, users online only on other
 * nodes are found when registered (presence is kept per room, not per user).
 */
export async function handleFindUsers(session: Session, user: User, frame: ClientFrameOf<'find-users'>): Promise<void> {
  const { hub } = session
  const limit = frame.limit ?? FIND_USERS_DEFAULT
  const prefix = nameKey(frame.prefix)
  const byName = (a: { name: string }, b: { name: string }) => nameKey(a.name).localeCompare(nameKey(b.name))
  const online = [...hub.users.values()]
    .filter((u) => u.userId !== user.userId && nameKey(u.name).startsWith(prefix))
    .sort(byName)
    .slice(0, limit)
  const accounts = await hub.store.findAccountsByPrefix(prefix, limit + 1)
  const registered = new Set(accounts.map((a) => a.userId))
  const found: FoundUser[] = []
  for (const u of online) {
    const isRegistered = registered.has(u.userId) || (await hub.store.findAccount(u.userId)) !== undefined
    found.push({ userId: u.userId, name: u.name, online: true, registered: isRegistered })
  }
  const onlineIds = new Set(online.map((u) => u.userId))
  for (const a of accounts) {
    if (found.length >= limit) break
    if (a.userId === user.userId || onlineIds.has(a.userId)) continue
    found.push({ userId: a.userId, name: a.name, online: hub.users.get(a.userId) !== undefined, registered: true })
  }
  session.reply(frame, { type: 'find-users-ok', users: found })
}
