// PROTOCOL.md §11 Errors: every error code of protocol/codes.ts, provoked
// from the outside. Each must arrive as an error frame with the request id
// (when the request had a readable one), the code, a message and the
// code's retryable flag — and the connection must keep working.
import { ERROR_CODES, ErrorCodes, MAX_REACTIONS_PER_MESSAGE, MAX_REACTIONS_PER_USER, type ErrorCode, type ServerFrameOf } from '@wirechat/protocol'
import { DEFAULT_TIMEOUT_MS, type Test } from '../harness.ts'
import { accountsSkip } from './14-accounts.ts'
import { namespacesSkip, roomCreationSkip, unknownNamespace, V as V_NAMESPACES } from './15-rooms-namespaces.ts'
import { lifecycleSkip, V as V_LIFECYCLE } from './lifecycle-version.ts'
import { joinPacingMs, MAX_PACING_MS, type Target, uniqueName, uniqueRoom } from '../target.ts'
import type { Teardown, Wire } from '../wire.ts'

/** MAX_REACTIONS_PER_MESSAGE + 1 distinct emoji, each one RGI emoji. */
const REACTION_EMOJI = ['👍', '❤️', '😂', '😮', '😢', '🎉', '🔥', '👀', '🙏', '✅', '🚀', '💯', '🤔', '👏', '😍', '🙌', '💡', '⭐', '🍕', '🌈', '🐱']

export default async function checks(t: Test, target: Target): Promise<void> {
  const { limits, welcome } = target

  interface Provoked {
    wire: Wire
    error: ServerFrameOf<'error'>
    /** The id the error must echo, or undefined when it must carry none. */
    id: string | undefined
  }
  type Provoker = (t: Teardown, target: Target) => Promise<Provoked>

  const expectError = async (wire: Wire, frame: Record<string, unknown> | string, id: string | undefined): Promise<Provoked> => {
    wire.send(frame)
    const error = await wire.next('error')
    return { wire, error, id }
  }
  const loggedIn = async (tt: Teardown, rooms: string[] = []) => await target.login(tt, { name: uniqueName('err'), rooms: rooms.map((room) => ({ room })) })
  const noAccounts = accountsSkip(welcome)
  const noNamespaces = namespacesSkip(welcome)
  const noLifecycle = lifecycleSkip(welcome)
  /** The room checks of 1.3.0 create a room (its creator owns it): they need the version and a default namespace that allows it. */
  const noOwnRoom = noLifecycle || (await roomCreationSkip(target))
  /** A logged-in 1.3.0 user, optionally in rooms. */
  const modern = async (tt: Teardown, base: string, rooms: string[] = []) => await target.login(tt, { name: uniqueName(base), rooms: rooms.map((room) => ({ room })), version: V_LIFECYCLE })
  /** Sends a request and resolves with its error reply (any other reply fails the check). */
  const expectErrorReply = async (wire: Wire, frame: Record<string, unknown> & { id: string }): Promise<Provoked> => {
    const reply = await wire.request(frame)
    if (reply.type !== 'error') throw new Error(`expected an error in reply to ${JSON.stringify(frame).slice(0, 200)}, got ${JSON.stringify(reply).slice(0, 300)}`)
    return { wire, error: reply, id: frame.id }
  }
  /** A logged-in user that registered its name. */
  const registered = async (tt: Teardown) => {
    const { wire, ok } = await loggedIn(tt)
    await wire.ok('register-ok', { type: 'register', password: 'kit password 1' })
    return { wire, ok }
  }

  /**
   * How to provoke each code, or why a black box cannot. `unavailable` and
   * `internal` need a failing dependency or a server bug, `banned` an
   * operator's action before 1.3.0 (since then a room owner's ban will do);
   * no client can cause the others on purpose.
   */
  const provokers: Record<ErrorCode, Provoker | { skip: string }> = {
    'bad-json': async (tt) => expectError(await target.open(tt), '{"type":"ping","id":"j1",', undefined),
    'unknown-type': async (tt) => expectError(await target.open(tt), { type: 'shout', id: 'u1' }, 'u1'),
    'bad-frame': async (tt) => expectError((await loggedIn(tt)).wire, { type: 'chat', id: 'b1', room: 'lobby', text: 42 }, 'b1'),
    'not-logged-in': async (tt) => expectError(await target.open(tt), { type: 'join-room', id: 'n1', room: 'lobby' }, 'n1'),
    'already-logged-in': async (tt) => expectError((await loggedIn(tt)).wire, { type: 'login', id: 'a1', rooms: [] }, 'a1'),
    'name-taken': async (tt) => {
      const { ok } = await loggedIn(tt)
      return expectError(await target.open(tt), { type: 'login', id: 'nt1', name: ok.name, rooms: [] }, 'nt1')
    },
    'invalid-session': async (tt) => expectError(await target.open(tt), { type: 'login', id: 'is1', session: 'ZZZZZZZZZZZZZZZZZZZZZZZZ', rooms: [] }, 'is1'),
    'auth-required': welcome.authRequired
      ? async (tt) => expectError(await target.open(tt), { type: 'login', id: 'ar1', rooms: [] }, 'ar1')
      : { skip: 'the server announces authRequired:false, so a login without token is valid' },
    'auth-failed': welcome.authRequired
      ? async (tt) => expectError(await target.open(tt), { type: 'login', id: 'af1', token: 'not.a.valid-token', rooms: [] }, 'af1')
      : noAccounts
        ? { skip: 'the server announces authRequired:false, so tokens are not checked, and has no accounts (1.0.0)' }
        : async (tt) => expectError(await target.open(tt), { type: 'login', id: 'af1', name: uniqueName('nobody'), password: 'not the password', rooms: [] }, 'af1'),
    'name-reserved': noAccounts
      ? { skip: noAccounts }
      : async (tt) => {
          const { ok } = await registered(tt)
          return expectError((await loggedIn(tt)).wire, { type: 'rename', id: 'nr1', name: ok.name }, 'nr1')
        },
    'already-registered': noAccounts ? { skip: noAccounts } : async (tt) => expectError((await registered(tt)).wire, { type: 'register', id: 'ar2', password: 'kit password 1' }, 'ar2'),
    'not-registered': noAccounts ? { skip: noAccounts } : async (tt) => expectError((await loggedIn(tt)).wire, { type: 'delete-account', id: 'nr2', password: 'kit password 1' }, 'nr2'),
    'session-not-found': noAccounts ? { skip: noAccounts } : async (tt) => expectError((await loggedIn(tt)).wire, { type: 'revoke-session', id: 'sn1', sessionId: 'no-such-session' }, 'sn1'),
    banned: noOwnRoom
      ? { skip: `needs an operator to ban a user through the admin HTTP API, which is not part of the protocol, or a room ban (${noOwnRoom})` }
      : async (tt) => {
          // The room's creator owns it and bans a user who then tries to join.
          const room = uniqueRoom('banning')
          const owner = await modern(tt, 'owner', [room])
          const banned = await modern(tt, 'err')
          await owner.wire.ok('ban-ok', { type: 'ban', room, userId: banned.ok.userId, reason: 'kit check' })
          return expectErrorReply(banned.wire, { type: 'join-room', id: 'bn1', room })
        },
    'not-in-room': async (tt) => expectError((await loggedIn(tt)).wire, { type: 'chat', id: 'ni1', room: uniqueRoom('elsewhere'), text: 'hi' }, 'ni1'),
    'already-in-room': async (tt) => {
      const room = uniqueRoom('here')
      return expectError((await loggedIn(tt, [room])).wire, { type: 'join-room', id: 'ai1', room }, 'ai1')
    },
    'too-many-rooms':
      limits.maxRooms > 100
        ? { skip: `maxRooms ${limits.maxRooms} > 100: too many joins` }
        : joinPacingMs(limits, limits.maxRooms + 1) > MAX_PACING_MS
          ? { skip: `${limits.maxRooms + 1} joins at the announced join rate take too long` }
          : async (tt) => {
              const { wire } = await loggedIn(tt)
              for (let i = 0; i < limits.maxRooms; i++) await wire.ok('join-room-ok', { type: 'join-room', room: uniqueRoom('r') })
              return expectError(wire, { type: 'join-room', id: 'tm1', room: uniqueRoom('one-more') }, 'tm1')
            },
    'user-not-found': async (tt) => expectError((await loggedIn(tt)).wire, { type: 'dm', id: 'uf1', to: 'no-such-user-1a2b3c', text: 'hi' }, 'uf1'),
    'not-found': noNamespaces
      ? { skip: noNamespaces }
      : async (tt) => {
          const { wire, ok } = await target.login(tt, { name: uniqueName('err'), rooms: [], version: V_NAMESPACES })
          return expectError(wire, { type: 'join-room', id: 'nf1', room: `${unknownNamespace(ok)}:${uniqueRoom('r')}` }, 'nf1')
        },
    forbidden: noNamespaces
      ? { skip: noNamespaces }
      : async (tt) => {
          // The room's creator owns it; a member cannot raise their own role.
          const room = uniqueRoom('owned')
          await target.login(tt, { name: uniqueName('owner'), rooms: [{ room }], version: V_NAMESPACES })
          const { wire, ok } = await target.login(tt, { name: uniqueName('err'), rooms: [{ room }], version: V_NAMESPACES })
          return expectError(wire, { type: 'set-role', id: 'fb1', room, userId: ok.userId, role: 'moderator' }, 'fb1')
        },
    // Since 1.3.0. The room's creator owns it and may mute a member.
    muted: noOwnRoom
      ? { skip: noOwnRoom }
      : async (tt) => {
          const room = uniqueRoom('muting')
          const owner = await modern(tt, 'owner', [room])
          const member = await modern(tt, 'err', [room])
          await owner.wire.ok('mute-ok', { type: 'mute', room, userId: member.ok.userId, durationMs: 60_000, reason: 'kit check' })
          return expectErrorReply(member.wire, { type: 'chat', id: 'mu1', room, text: 'may I speak?' })
        },
    blocked: noLifecycle
      ? { skip: noLifecycle }
      : async (tt) => {
          const blocker = await modern(tt, 'blocker')
          const sender = await modern(tt, 'err')
          await blocker.wire.ok('block-ok', { type: 'block', userId: sender.ok.userId })
          return expectErrorReply(sender.wire, { type: 'dm', id: 'bl1', to: blocker.ok.userId, text: 'hello?' })
        },
    // MAX_REACTIONS_PER_MESSAGE distinct emoji, then one more; each user reacts with at most MAX_REACTIONS_PER_USER.
    'too-many-reactions': noOwnRoom
      ? { skip: noOwnRoom }
      : async (tt) => {
          const room = uniqueRoom('reactions')
          const author = await modern(tt, 'author', [room])
          const { message } = await author.wire.ok('chat-ok', { type: 'chat', room, text: 'react to me' })
          const reactors = [author.wire]
          for (let i = 1; i * MAX_REACTIONS_PER_USER < MAX_REACTIONS_PER_MESSAGE; i++) reactors.push((await modern(tt, 'reactor', [room])).wire)
          for (const [i, emoji] of REACTION_EMOJI.slice(0, MAX_REACTIONS_PER_MESSAGE).entries()) {
            await reactors[Math.floor(i / MAX_REACTIONS_PER_USER)]!.ok('react-ok', { type: 'react', room, seq: message.seq, emoji })
          }
          const last = await modern(tt, 'err', [room])
          return expectErrorReply(last.wire, { type: 'react', id: 'tr1', room, seq: message.seq, emoji: REACTION_EMOJI[MAX_REACTIONS_PER_MESSAGE]! })
        },
    'rate-limited':
      limits.messageBurst > 500
        ? { skip: `messageBurst ${limits.messageBurst} > 500: the kit will not flood that much` }
        : async (tt) => {
            const { wire } = await target.login(tt, { name: uniqueName('fast'), rooms: [] }, { pace: false })
            const count = limits.messageBurst + 5
            for (let i = 0; i < count; i++) wire.sendNow(JSON.stringify({ type: 'ping', id: `rl${i}` }))
            for (let i = 0; i < count; i++) {
              const reply = await wire.next()
              if (reply.type === 'error') {
                if (reply.retryAfterMs !== undefined) await new Promise((resolve) => setTimeout(resolve, reply.retryAfterMs! + 50))
                return { wire, error: reply, id: `rl${i}` }
              }
            }
            throw new Error(`${count} pings at once were all answered: no rate limit at messageBurst ${limits.messageBurst}`)
          },
    unavailable: { skip: 'needs an unreachable history store or broker: not provokable by a client' },
    internal: { skip: 'needs an unexpected server failure: not provokable by a client' },
  }

  /** Codes no client can cause on any server: their checks are always skipped and prove no clause (test/protocol/clauses.test.ts lists them as not provokable). */
  const NEVER_PROVOKED = new Set<ErrorCode>(['unavailable', 'internal'])

  /** Hand-written rules a provoked code proves too: a login without token, or with a bad one, on a server that requires tokens. */
  const CODE_RULES: Partial<Record<ErrorCode, string[]>> = { 'auth-required': ['SES-9'], ...(welcome.authRequired && { 'auth-failed': ['SES-9'] }) }

  // A check of the kit itself: it cites no clause.
  t.test('§11 the kit has a check for every error code in protocol/codes.ts', { clauses: [] }, async (t) => {
    t.same(Object.keys(provokers).sort(), [...ERROR_CODES].sort())
  })

  for (const code of ERROR_CODES) {
    const provoke = provokers[code]
    const skip = 'skip' in provoke ? provoke.skip : false
    // Joining up to the room limit waits for the announced join rate.
    const timeout = DEFAULT_TIMEOUT_MS + (code === 'too-many-rooms' ? joinPacingMs(limits, limits.maxRooms + 1) : 0)
    const clauses = NEVER_PROVOKED.has(code) ? [] : [`ERR-${code}`, 'ERR-1', 'ERR-2', ...(CODE_RULES[code] ?? [])]
    t.test(`§11 ${code}: an error frame with the code, the id, a message and retryable ${ErrorCodes[code].retryable}`, { skip, timeout, clauses }, async (t) => {
      if (typeof provoke !== 'function') return
      const { wire, error, id } = await provoke(t, target)
      t.equal(error.code, code)
      t.equal(error.retryable, ErrorCodes[code].retryable, 'retryable as the code table says')
      t.type(error.message, 'string')
      if (id === undefined) t.notOk('id' in error, 'no id: the request had no readable one')
      else t.equal(error.id, id, 'the request id is echoed')
      if (code === 'rate-limited') t.ok(Number.isInteger(error.retryAfterMs) && error.retryAfterMs! >= 0, 'rate-limited carries retryAfterMs')
      t.equal((await wire.request({ type: 'ping' })).type, 'pong', 'the connection keeps working')
    })
  }
}
