// PROTOCOL.md §5 Namespaces and rooms (protocol 1.2.0): namespaces announced
// in login-ok, room names with a namespace prefix, unknown namespaces
// answered not-found — and a 1.0.0 login seeing none of it; room owners and
// moderators, set-room and set-role (with the negative cases: a non-owner's
// set-role, raising one's own role), private rooms (absent from the
// directory, not-found to the uninvited, open to the invited), the
// directory's pages, and a moderators-post namespace refusing a member's
// post. Skipped against a server that announces a version before 1.2.0;
// checks that need a kind of namespace the server does not announce are
// skipped with that reason.
import type { Namespace, ServerFrameOf } from '@wirechat/protocol'
import type { Test } from '../harness.ts'
import { type Target, uniqueName, uniqueRoom } from '../target.ts'
import type { Teardown } from '../wire.ts'
import { accountsSkip } from './14-accounts.ts'

/** The checks speak 1.2.0. */
export const V = '1.2.0'

/** Why the namespace checks cannot run against this server, or false when they can. */
export function namespacesSkip(welcome: ServerFrameOf<'welcome'>): string | false {
  const [major, minor] = welcome.version.split('.').map(Number) as [number, number]
  return major === 1 && minor < 2 ? `the server speaks ${welcome.version}; namespaces and room roles are 1.2.0` : false
}

/** A namespace name that the server's announced list does not have. */
export function unknownNamespace(ok: ServerFrameOf<'login-ok'>): string {
  const taken = new Set((ok.namespaces ?? []).map((ns) => ns.name))
  for (let i = 0; ; i++) if (!taken.has(`nokit${i}`)) return `nokit${i}`
}

/** The namespaces a 1.2.0 login is told of, read on a connection closed at once. */
async function announcedNamespaces(target: Target): Promise<Namespace[]> {
  const closers: Array<() => unknown> = []
  const tt: Teardown = { teardown: (fn) => closers.push(fn) }
  try {
    const { ok } = await target.login(tt, { name: uniqueName('probe'), rooms: [], version: V })
    return ok.namespaces ?? []
  } finally {
    for (const close of closers.reverse()) await close()
  }
}

/**
 * Why a check cannot create a room without a prefix and post in it (the default namespace
 * does not let anyone create public rooms where members post), or false when it can.
 */
export async function roomCreationSkip(target: Target): Promise<string | false> {
  if (namespacesSkip(target.welcome)) return false // before 1.2.0 anyone creates a room by joining it
  const defaultNs = (await announcedNamespaces(target)).find((ns) => ns.name === '')
  return defaultNs?.create === 'anyone' && defaultNs.visibility === 'public' && defaultNs.post === 'members' ? false : 'the default namespace does not let anyone create public rooms and post'
}

export default async function checks(t: Test, target: Target): Promise<void> {
  const skip = namespacesSkip(target.welcome)
  const namespaces = skip ? [] : await announcedNamespaces(target)
  const defaultNs = namespaces.find((ns) => ns.name === '')
  /** The room checks create rooms without a prefix: the default namespace must let anyone create public rooms. */
  const roomsSkip =
    skip || (defaultNs?.create === 'anyone' && defaultNs.visibility === 'public' && defaultNs.post === 'members' ? false : 'the default namespace does not let anyone create public rooms and post')
  const noAccounts = accountsSkip(target.welcome)
  /** Whether the kit may create a room in the namespace (a registered user when it asks for one). */
  const creatable = (ns: Namespace): boolean => ns.create === 'anyone' || (ns.create === 'registered' && !noAccounts)
  /** A user in a new room of the namespace, registered first when the namespace asks for it. */
  const roomIn = async (t: Test, ns: Namespace, base: string) => {
    const room = `${ns.name}:${uniqueRoom(base)}`
    const user = await target.login(t, { name: uniqueName(base), rooms: [], version: V })
    if (ns.create === 'registered') await user.wire.ok('register-ok', { type: 'register', password: 'kit password 1' })
    await user.wire.ok('join-room-ok', { type: 'join-room', room })
    return { room, ...user }
  }
  const slow = namespaces.find((ns) => ns.name !== '' && (ns.limits.slowModeMs ?? 0) > 0 && (ns.limits.slowModeMs ?? 0) <= 5_000 && ns.post === 'members' && creatable(ns))
  const short = namespaces.find((ns) => ns.name !== '' && (ns.limits.maxTextChars ?? Number.POSITIVE_INFINITY) < target.limits.maxTextChars && ns.post === 'members' && creatable(ns))
  const prefixed = namespaces.find((ns) => ns.name !== '' && creatable(ns))
  // A namespace where only owners and moderators post, in which the kit can create a room.
  const publishing = namespaces.find((ns) => ns.post === 'moderators' && (ns.create === 'anyone' || (ns.create === 'registered' && !noAccounts)))
  const publishingSkip = skip || (publishing === undefined ? 'the server announces no namespace with post "moderators" where a client may create a room' : false)

  /** Two users in a new room of the default namespace: its creator (the owner) and a member. */
  const ownerAndMember = async (t: Test) => {
    const room = uniqueRoom('owned')
    const owner = await target.login(t, { name: uniqueName('owner'), rooms: [{ room }], version: V })
    const member = await target.login(t, { name: uniqueName('member'), rooms: [{ room }], version: V })
    await owner.wire.takeType('alarm', (a) => a.kind === 'joined')
    return { room, owner, member }
  }

  t.test('§5 login-ok announces the namespaces to a 1.2.0 client, the default one ("") included; a 1.0.0 client gets none', { clauses: ['ROOM-5', 'OVR-6'], skip }, async (t) => {
    const { ok } = await target.login(t, { name: uniqueName('ns'), rooms: [], version: V })
    t.ok(Array.isArray(ok.namespaces), 'namespaces is a list')
    const names = (ok.namespaces ?? []).map((ns) => ns.name)
    t.ok(names.includes(''), 'the default namespace is listed')
    t.equal(new Set(names).size, names.length, 'names are unique')
    const { ok: old } = await target.login(t, { name: uniqueName('old'), rooms: [] })
    t.notOk('namespaces' in old, 'no namespaces for a client that announced no version')
  })

  t.test('§5 a room of an unknown namespace is not-found, in join-room and in login rooms', { clauses: ['ROOM-4', 'ROOM-8'], skip }, async (t) => {
    const { wire, ok } = await target.login(t, { name: uniqueName('ns'), rooms: [], version: V })
    const room = `${unknownNamespace(ok)}:${uniqueRoom('x')}`
    t.match(await wire.request({ type: 'join-room', id: 'nf1', room }), { type: 'error', id: 'nf1', code: 'not-found', retryable: false })
    const other = await target.open(t)
    t.match(await other.request({ type: 'login', id: 'nf2', name: uniqueName('ns'), rooms: [{ room }], version: V }), { type: 'error', id: 'nf2', code: 'not-found' })
  })

  t.test('§5 the creator owns a new room: room-info shows owners, members and your role', { clauses: ['ROOM-10', 'ROOM-11', 'ROOM-20'], skip: roomsSkip }, async (t) => {
    const { room, owner, member } = await ownerAndMember(t)
    t.match(await member.wire.request({ type: 'room-info', id: 'ri1', room }), {
      type: 'room-info-ok',
      id: 'ri1',
      room,
      namespace: '',
      public: true,
      owners: [owner.ok.userId],
      moderators: [],
      members: 2,
      yourRole: 'member',
    })
    t.match(await owner.wire.request({ type: 'room-info', id: 'ri2', room }), { type: 'room-info-ok', yourRole: 'owner' })
  })

  t.test(
    "§5 set-role: a non-owner's set-role is refused, nobody raises their own role; an owner appoints a moderator (role alarm)",
    { clauses: ['ROOM-13', 'ROOM-14', 'ROOM-16', 'ROOM-17', 'ROOM-19', 'ROOM-40'], skip: roomsSkip },
    async (t) => {
      const { room, owner, member } = await ownerAndMember(t)
      t.match(
        await member.wire.request({ type: 'set-role', id: 'sr1', room, userId: member.ok.userId, role: 'moderator' }),
        { type: 'error', id: 'sr1', code: 'forbidden', retryable: false },
        'raise own role',
      )
      t.match(await member.wire.request({ type: 'set-role', id: 'sr2', room, userId: owner.ok.userId, role: 'member' }), { type: 'error', id: 'sr2', code: 'forbidden' }, 'demote the owner')
      t.match(await owner.wire.request({ type: 'set-role', id: 'sr3', room, userId: owner.ok.userId, role: 'member' }), { type: 'error', id: 'sr3', code: 'forbidden' }, 'the last owner steps down')
      t.match(await owner.wire.request({ type: 'set-role', id: 'sr4', room, userId: member.ok.userId, role: 'moderator' }), {
        type: 'set-role-ok',
        id: 'sr4',
        room,
        userId: member.ok.userId,
        role: 'moderator',
      })
      t.match(await member.wire.takeType('alarm', (a) => a.kind === 'role'), { room, kind: 'role', userId: member.ok.userId, role: 'moderator' })
      t.match(
        await member.wire.request({ type: 'set-role', id: 'sr5', room, userId: member.ok.userId, role: 'owner' }),
        { type: 'error', id: 'sr5', code: 'forbidden' },
        'a moderator cannot make itself owner',
      )
    },
  )

  t.test(
    '§5 set-room: the topic by owners and moderators (topic alarm), visibility by owners only',
    { clauses: ['ROOM-14', 'ROOM-15', 'ROOM-18', 'ROOM-21', 'ROOM-38'], skip: roomsSkip },
    async (t) => {
      const { room, owner, member } = await ownerAndMember(t)
      t.match(await member.wire.request({ type: 'set-room', id: 'sm1', room, topic: 'mine' }), { type: 'error', id: 'sm1', code: 'forbidden' })
      t.match(await owner.wire.request({ type: 'set-room', id: 'sm2', room, topic: 'Kit topic' }), { type: 'set-room-ok', id: 'sm2', room, topic: 'Kit topic', public: true })
      t.match(await member.wire.takeType('alarm', (a) => a.kind === 'topic'), { room, kind: 'topic', userId: owner.ok.userId, topic: 'Kit topic' })
      await owner.wire.ok('set-role-ok', { type: 'set-role', room, userId: member.ok.userId, role: 'moderator' })
      t.match(await member.wire.request({ type: 'set-room', id: 'sm3', room, public: false }), { type: 'error', id: 'sm3', code: 'forbidden' }, 'a moderator cannot change visibility')
      t.match(await member.wire.request({ type: 'set-room', id: 'sm4', room, topic: 'Moderated' }), { type: 'set-room-ok', id: 'sm4', topic: 'Moderated' }, 'but sets the topic')
    },
  )

  t.test(
    '§5 a private room is absent from the directory and not-found to the uninvited; invited, they join',
    { clauses: ['ROOM-22', 'ROOM-23', 'ROOM-24', 'ROOM-25', 'ROOM-39'], skip: roomsSkip },
    async (t) => {
      const { room, owner, member } = await ownerAndMember(t)
      t.match(await owner.wire.request({ type: 'set-room', id: 'pv1', room, public: false }), { type: 'set-room-ok', public: false })
      t.match(await member.wire.takeType('alarm', (a) => a.kind === 'visibility'), { room, kind: 'visibility', userId: owner.ok.userId, public: false }, 'a visibility alarm to the room')
      const outsider = await target.login(t, { name: uniqueName('out'), rooms: [], version: V })
      const listed = await outsider.wire.ok('list-rooms-ok', { type: 'list-rooms', namespace: '', prefix: room })
      t.same(listed.rooms, [], 'not in the directory')
      // not-found: the answer a room of an unknown namespace gets, so the private room's existence does not show.
      t.match(await outsider.wire.request({ type: 'join-room', id: 'pv2', room }), { type: 'error', id: 'pv2', code: 'not-found', retryable: false }, 'join: not-found')
      t.match(await outsider.wire.request({ type: 'room-info', id: 'pv3', room }), { type: 'error', id: 'pv3', code: 'not-found' }, 'room-info: not-found')
      t.match(await owner.wire.request({ type: 'invite', id: 'pv4', room, userId: outsider.ok.userId }), { type: 'invite-ok', id: 'pv4', room, userId: outsider.ok.userId })
      t.match(await outsider.wire.takeType('invited'), { room, by: owner.ok.userId })
      t.match(await outsider.wire.request({ type: 'join-room', id: 'pv5', room }), { type: 'join-room-ok', id: 'pv5' }, 'the invited user joins')
    },
  )

  t.test('§5 list-rooms: public rooms by name with member counts, a prefix, and cursor pages of at most limit', { clauses: ['ROOM-25', 'ROOM-26', 'ROOM-27'], skip: roomsSkip }, async (t) => {
    const base = uniqueRoom('dir')
    const rooms = [`${base}-a`, `${base}-b`, `${base}-c`]
    const { wire, ok } = await target.login(t, { name: uniqueName('dir'), rooms: rooms.map((room) => ({ room })), version: V })
    const first = await wire.ok('list-rooms-ok', { type: 'list-rooms', namespace: '', prefix: base, limit: 2 })
    t.same(
      first.rooms,
      [
        { room: rooms[0], topic: '', members: 1 },
        { room: rooms[1], topic: '', members: 1 },
      ],
      'the first page',
    )
    t.type(first.next, 'string', 'a cursor to the next page')
    const second = await wire.ok('list-rooms-ok', { type: 'list-rooms', namespace: '', prefix: base, limit: 2, cursor: first.next })
    t.same(
      second.rooms.map((r) => r.room),
      [rooms[2]],
      'the rest',
    )
    t.equal(second.next, undefined, 'no cursor after the last page')
    t.match(await wire.request({ type: 'list-rooms', id: 'lr1', limit: 51 }), { type: 'error', id: 'lr1', code: 'bad-frame' }, 'limit ≤ 50')
    t.match(await wire.request({ type: 'list-rooms', id: 'lr2', namespace: unknownNamespace(ok) }), { type: 'error', id: 'lr2', code: 'not-found' }, 'an unknown namespace')
  })

  t.test(
    '§5 a namespace with slowModeMs refuses a second message sooner than that with rate-limited and retryAfterMs; after the wait it is accepted',
    { clauses: ['ROOM-7'], skip: skip || (slow === undefined ? 'the server announces no namespace with slowModeMs (at most 5 s) where a client may create a room and post' : false) },
    async (t) => {
      const ns = slow!
      const { room, wire } = await roomIn(t, ns, 'slow')
      await wire.ok('chat-ok', { type: 'chat', room, text: 'first' })
      const refused = await wire.request({ type: 'chat', id: 'sl1', room, text: 'too soon' })
      t.match(refused, { type: 'error', id: 'sl1', code: 'rate-limited', retryable: true, retryAfterMs: Number })
      const wait = refused.type === 'error' ? (refused.retryAfterMs ?? 0) : 0
      t.ok(wait <= ns.limits.slowModeMs!, `retryAfterMs ${wait} is within slowModeMs ${ns.limits.slowModeMs}`)
      await new Promise((resolve) => setTimeout(resolve, wait + 50))
      t.match(await wire.request({ type: 'chat', room, text: 'after the wait' }), { type: 'chat-ok' })
    },
  )

  t.test(
    "§5 a namespace's limits.maxTextChars bounds chat text in its rooms: longer is bad-frame with the path /text",
    { clauses: ['ROOM-6'], skip: skip || (short === undefined ? 'the server announces no namespace with a maxTextChars below the global one where a client may create a room and post' : false) },
    async (t) => {
      const ns = short!
      const max = ns.limits.maxTextChars!
      const { room, wire } = await roomIn(t, ns, 'short')
      t.match(await wire.request({ type: 'chat', room, text: 'x'.repeat(max) }), { type: 'chat-ok' }, `${max} characters`)
      const refused = await wire.request({ type: 'chat', id: 'mt1', room, text: 'x'.repeat(max + 1) })
      t.match(refused, { type: 'error', id: 'mt1', code: 'bad-frame', retryable: false }, `${max + 1} characters`)
      t.ok(refused.type === 'error' && refused.details?.some((d) => d.startsWith('/text')), 'details name the path /text')
    },
  )

  t.test(
    '§5 a returning client of a version before 1.2.0 is rejoined only to its rooms without a namespace; joining a prefixed room by name gives that name back',
    { clauses: ['ROOM-9'], skip: skip || noAccounts || (prefixed === undefined ? 'the server announces no namespace besides the default one where a client may create a room' : false) },
    async (t) => {
      const ns = prefixed!
      const plain = uniqueRoom('plain')
      const { room, wire, ok } = await roomIn(t, ns, 'back')
      await wire.ok('join-room-ok', { type: 'join-room', room: plain })
      wire.close()
      await wire.closed()
      const old = await target.login(t, { session: ok.session, version: '1.1.0' })
      t.same(
        old.ok.rooms.map((r) => r.room),
        [plain],
        'a 1.1.0 login without rooms: the room without a namespace only',
      )
      t.match(await old.wire.request({ type: 'join-room', room }), { type: 'join-room-ok', state: { room } }, 'a prefixed room joined by name keeps its name')
    },
  )

  t.test('§5 a namespace where only owners and moderators post refuses a member’s post with forbidden', { clauses: ['ROOM-12', 'ROOM-16'], skip: publishingSkip }, async (t) => {
    const ns = publishing!
    const room = `${ns.name}:${uniqueRoom('pub')}`
    const owner = await target.login(t, { name: uniqueName('pub'), rooms: [], version: V })
    if (ns.create === 'registered') await owner.wire.ok('register-ok', { type: 'register', password: 'kit password 1' })
    await owner.wire.ok('join-room-ok', { type: 'join-room', room })
    const member = await target.login(t, { name: uniqueName('reader'), rooms: [{ room }], version: V })
    t.match(await member.wire.request({ type: 'chat', id: 'mp1', room, text: 'may I?' }), { type: 'error', id: 'mp1', code: 'forbidden', retryable: false })
    t.same(
      (await owner.wire.framesBeforePong()).filter((f) => f.type === 'chat'),
      [],
      'nothing reached the room',
    )
    t.match(await owner.wire.request({ type: 'chat', id: 'mp2', room, text: 'news' }), { type: 'chat-ok', id: 'mp2' }, 'the owner posts')
  })
}
