// PROTOCOL.md §7a The life of a message (protocol 1.3.0): edit, delete,
// react, reply, mentions and read markers. Every change is an event entry with
// the room's next seq, reaching every member; history returns messages as
// they are now. The key check (issue 13): a client that drops its connection
// between an edit and a reaction (and a delete) and resumes with `since` ends,
// reducing with the protocol's `applyEntry`, in exactly the state of a client
// that stayed online, and so does one that pages history. A client that
// announced an older version sees the same gapless seqs without a 1.3.0
// field. Skipped against a server that announces a version before 1.3.0.
import { DELETED_TEXT, MAX_EXCERPT_CHARS, MAX_MENTIONS, MAX_REACTIONS_PER_USER, type ChatMessage } from '@wirechat/protocol'
import type { Test } from '../harness.ts'
import { type Target, uniqueName, uniqueRoom } from '../target.ts'
import type { Wire } from '../wire.ts'
import {
  arrivedBeforePong,
  FIELDS_SINCE_1_3,
  fieldsOf,
  historyBackwards,
  historyForwards,
  lines,
  member,
  nextEntries,
  nextEntry,
  ownedRoomsSkip,
  reduce,
  ROOM_FIELDS_SINCE_1_3,
  secondConnection,
  V,
} from './life-helpers.ts'

/** Ten distinct emoji (MAX_REACTIONS_PER_USER), then one more. */
const ELEVEN_EMOJI = ['😀', '😁', '😂', '🤣', '😃', '😄', '😅', '😆', '😉', '😊', '😋']

export default async function checks(t: Test, target: Target): Promise<void> {
  const skip = await ownedRoomsSkip(target)
  const { limits } = target

  const say = async (wire: Wire, room: string, text: string, extra: Record<string, unknown> = {}): Promise<ChatMessage> => (await wire.ok('chat-ok', { type: 'chat', room, text, ...extra })).message

  /** A new room with its creator (ana, the owner) and a member (bob), both 1.3.0. */
  const pair = async (t: Test, base: string) => {
    const room = uniqueRoom(base)
    const ana = await member(target, t, 'ana', [room])
    const bob = await member(target, t, 'bob', [room])
    await ana.wire.takeType('alarm', (a) => a.kind === 'joined')
    return { room, ana, bob }
  }

  t.test(
    '§7a edit: the author replaces the text; an edit entry with the next seq reaches the members; history has the new text, edited and rev',
    { clauses: ['LIFE-1', 'LIFE-2', 'LIFE-4', 'LIFE-7', 'LIFE-9', 'LIFE-13', 'LIFE-14', 'LIFE-16'], skip },
    async (t) => {
      const { room, ana, bob } = await pair(t, 'edit')
      const m = await say(ana.wire, room, 'helo wrold')
      t.same(await nextEntry(bob.wire, room), m)
      const edited = await ana.wire.ok('edit-ok', { type: 'edit', id: 'ed1', room, seq: m.seq, text: 'hello world' })
      t.match(edited, {
        type: 'edit-ok',
        id: 'ed1',
        room,
        message: { room, seq: m.seq + 1, userId: ana.ok.userId, name: ana.ok.name, text: 'hello world', ts: Number, event: { kind: 'edit', target: m.seq } },
      })
      t.same(await nextEntry(bob.wire, room), edited.message, 'members get the same entry as a chat push')
      t.same(await arrivedBeforePong(ana.wire), [], 'the editor gets its reply in place of the push')
      const page = await bob.wire.ok('history-ok', { type: 'history', room, after: 0 })
      t.match(page.messages, [
        { seq: m.seq, msgId: m.msgId, text: 'hello world', edited: edited.message!.ts, rev: m.seq + 1 },
        { seq: m.seq + 1, event: { kind: 'edit', target: m.seq } },
      ])
      t.same(reduce(page.messages).get(m.seq), reduce([m, edited.message!]).get(m.seq), 'the history copy is what the reducer makes of the message and its edit')
      t.match(
        await ana.wire.request({ type: 'edit', id: 'ed2', room, seq: m.seq, text: 'hello world' }),
        { type: 'edit-ok', id: 'ed2', room, message: undefined },
        'the same text again: edit-ok without message (idempotent)',
      )
      t.same(await arrivedBeforePong(bob.wire), [], 'and nothing reaches the members')
    },
  )

  t.test(
    '§7a edit: forbidden for another’s message; not-found for a missing seq, an event and a deleted message; the text validated as in chat',
    { clauses: ['LIFE-15', 'LIFE-16'], skip },
    async (t) => {
      const { room, ana, bob } = await pair(t, 'noedit')
      const m = await say(ana.wire, room, 'mine')
      const gone = await say(ana.wire, room, 'soon gone')
      const deleted = await ana.wire.ok('delete-ok', { type: 'delete', room, seq: gone.seq })
      await nextEntries(bob.wire, room, 3)
      const refused = (id: string, seq: number, text: string, who: Wire = ana.wire) => who.request({ type: 'edit', id, room, seq, text })
      t.match(await refused('ne1', m.seq, 'bob was here', bob.wire), { type: 'error', id: 'ne1', code: 'forbidden', retryable: false }, 'not the author')
      t.match(await refused('ne2', deleted.message!.seq + 100, 'x'), { type: 'error', id: 'ne2', code: 'not-found', retryable: false }, 'no entry at that seq')
      t.match(await refused('ne3', deleted.message!.seq, 'x'), { type: 'error', id: 'ne3', code: 'not-found' }, 'an event is not a message')
      t.match(await refused('ne4', gone.seq, 'back again'), { type: 'error', id: 'ne4', code: 'not-found' }, 'a deleted message')
      t.match(await refused('ne5', m.seq, 'bell\u0007'), { type: 'error', id: 'ne5', code: 'bad-frame' }, 'a control character, as in chat')
      t.match(await refused('ne6', m.seq, 'x'.repeat(limits.maxTextChars + 1)), { type: 'error', id: 'ne6', code: 'bad-frame' }, 'longer than limits.maxTextChars')
      t.match(await refused('ne7', m.seq, ''), { type: 'error', id: 'ne7', code: 'bad-frame' }, 'empty')
      const outside = await member(target, t, 'out')
      t.match(await outside.wire.request({ type: 'edit', id: 'ne8', room, seq: m.seq, text: 'x' }), { type: 'error', id: 'ne8', code: 'not-in-room' }, 'a room not joined')
      t.same(await arrivedBeforePong(bob.wire), [], 'no refused edit reached the room')
      t.match((await bob.wire.ok('history-ok', { type: 'history', room, after: 0, limit: 1 })).messages, [{ seq: m.seq, text: 'mine', edited: undefined }], 'the message is unchanged')
    },
  )

  t.test(
    '§7a delete: the author or an owner; a member cannot delete another’s message; a tombstone live and in history without its words, edits, mentions, reply reference or reactions; idempotent',
    { clauses: ['LIFE-5', 'LIFE-9', 'LIFE-13', 'LIFE-14', 'LIFE-17', 'LIFE-18', 'LIFE-19'], skip },
    async (t) => {
      // ana created the room: she owns it; bob and carol are members.
      const { room, ana, bob } = await pair(t, 'delete')
      const carol = await member(target, t, 'carol', [room])
      const asked = await say(ana.wire, room, 'what is the plan?')
      const secret = await say(bob.wire, room, `my secret words, @${carol.ok.name}`, { replyTo: asked.seq })
      t.match(secret, { mentions: [carol.ok.userId], replyTo: { seq: asked.seq } })
      const edit = await bob.wire.ok('edit-ok', { type: 'edit', room, seq: secret.seq, text: 'my edited secret' })
      const reaction = await ana.wire.ok('react-ok', { type: 'react', room, seq: secret.seq, emoji: '👀' })
      const own = await say(carol.wire, room, 'carol regrets this')
      await nextEntries(ana.wire, room, 3)
      await nextEntries(bob.wire, room, 3)
      const before = (await bob.wire.ok('history-ok', { type: 'history', room, after: asked.seq, limit: 1 })).messages[0]
      t.match(before, { text: 'my edited secret', mentions: [carol.ok.userId], reactions: [{ emoji: '👀', count: 1 }] }, 'an edit keeps the mentions of the message as sent')
      t.match(await carol.wire.request({ type: 'delete', id: 'dl1', room, seq: secret.seq }), { type: 'error', id: 'dl1', code: 'forbidden', retryable: false }, 'a member, not the author')
      const byOwner = await ana.wire.ok('delete-ok', { type: 'delete', id: 'dl2', room, seq: secret.seq })
      t.match(byOwner, { type: 'delete-ok', id: 'dl2', room, message: { seq: own.seq + 1, userId: ana.ok.userId, event: { kind: 'delete', target: secret.seq } } }, 'the owner deletes any message')
      t.same(await nextEntry(bob.wire, room), byOwner.message, 'the author sees the delete entry')
      const byAuthor = await carol.wire.ok('delete-ok', { type: 'delete', room, seq: own.seq })
      t.match(byAuthor.message, { userId: carol.ok.userId, event: { kind: 'delete', target: own.seq } }, 'the author deletes their own')
      t.same(await nextEntries(bob.wire, room, 1), [byAuthor.message], 'members get it live')
      t.match(await ana.wire.request({ type: 'delete', id: 'dl3', room, seq: secret.seq }), { type: 'delete-ok', id: 'dl3', room, message: undefined }, 'a second delete: no message')
      t.same(await arrivedBeforePong(bob.wire), [], 'and nothing reaches the members')

      const stream = await historyForwards(bob.wire, room, limits.historyPageMax)
      t.match(
        stream.find((m) => m.seq === secret.seq),
        { seq: secret.seq, msgId: secret.msgId, userId: bob.ok.userId, text: DELETED_TEXT, deleted: true, edited: undefined, reactions: undefined, mentions: undefined, replyTo: undefined },
        'history: a tombstone',
      )
      const json = JSON.stringify(stream)
      t.notOk(json.includes('secret words') || json.includes('edited secret') || json.includes('regrets'), 'the deleted words (and their edit) are nowhere in history')
      const state = reduce([asked, secret, edit.message!, reaction.message!, own, byOwner.message!, byAuthor.message!])
      t.match(state.get(secret.seq), { text: DELETED_TEXT, deleted: true }, 'reducing the live entries gives the tombstone')
      t.same(lines(reduce(stream)), lines(state), 'and reducing history the same state')
    },
  )

  t.test('§7a react: a toggle per user and emoji; counts and users in the order they reacted; a repeat changes nothing', { clauses: ['LIFE-6', 'LIFE-14', 'LIFE-20', 'LIFE-23'], skip }, async (t) => {
    const { room, ana, bob } = await pair(t, 'react')
    const m = await say(ana.wire, room, 'react to me')
    await nextEntry(bob.wire, room)
    const thumbs = await bob.wire.ok('react-ok', { type: 'react', id: 'rc1', room, seq: m.seq, emoji: '👍' })
    t.match(thumbs, { type: 'react-ok', id: 'rc1', room, message: { seq: m.seq + 1, userId: bob.ok.userId, event: { kind: 'react', target: m.seq, emoji: '👍', on: true } } })
    t.same(await nextEntry(ana.wire, room), thumbs.message, 'the author sees it')
    t.match(await bob.wire.request({ type: 'react', id: 'rc2', room, seq: m.seq, emoji: '👍' }), { type: 'react-ok', id: 'rc2', message: undefined }, 'a repeat: no message')
    await ana.wire.ok('react-ok', { type: 'react', room, seq: m.seq, emoji: '👍' })
    await ana.wire.ok('react-ok', { type: 'react', room, seq: m.seq, emoji: '🎉', on: true })
    const copy = async () => (await ana.wire.ok('history-ok', { type: 'history', room, after: 0, limit: 1 })).messages[0]!
    t.same(
      (await copy()).reactions,
      [
        { emoji: '👍', count: 2, users: [bob.ok.userId, ana.ok.userId] },
        { emoji: '🎉', count: 1, users: [ana.ok.userId] },
      ],
      'groups in the order they began, users in the order they reacted',
    )
    const off = await bob.wire.ok('react-ok', { type: 'react', room, seq: m.seq, emoji: '👍', on: false })
    t.match(off.message, { event: { kind: 'react', target: m.seq, emoji: '👍', on: false } }, 'on:false takes it back')
    t.match(await bob.wire.request({ type: 'react', id: 'rc3', room, seq: m.seq, emoji: '👍', on: false }), { type: 'react-ok', id: 'rc3', message: undefined }, 'taking back twice: no message')
    const now = await copy()
    t.same(now.reactions, [
      { emoji: '👍', count: 1, users: [ana.ok.userId] },
      { emoji: '🎉', count: 1, users: [ana.ok.userId] },
    ])
    t.equal(now.rev, off.message!.seq, 'rev is the newest event applied')
  })

  t.test(
    `§7a react: not exactly one emoji is bad-frame; a user's ${MAX_REACTIONS_PER_USER + 1}th emoji on a message is too-many-reactions; a deleted message or an event is not-found`,
    { clauses: ['LIFE-20', 'LIFE-21', 'LIFE-22'], skip },
    async (t) => {
      const { room, ana, bob } = await pair(t, 'emoji')
      const m = await say(ana.wire, room, 'react to me')
      for (const [i, emoji] of ['a', '👍👍', ':)', '❤', '<b>'].entries()) {
        t.match(
          await bob.wire.request({ type: 'react', id: `nb${i}`, room, seq: m.seq, emoji }),
          { type: 'error', id: `nb${i}`, code: 'bad-frame', retryable: false },
          `"${emoji}" is not one (fully qualified) emoji`,
        )
      }
      for (const emoji of ELEVEN_EMOJI.slice(0, MAX_REACTIONS_PER_USER)) await bob.wire.ok('react-ok', { type: 'react', room, seq: m.seq, emoji })
      t.match(
        await bob.wire.request({ type: 'react', id: 'tm1', room, seq: m.seq, emoji: ELEVEN_EMOJI[MAX_REACTIONS_PER_USER]! }),
        { type: 'error', id: 'tm1', code: 'too-many-reactions', retryable: false },
        `${MAX_REACTIONS_PER_USER} per user per message`,
      )
      t.match(await ana.wire.request({ type: 'react', room, seq: m.seq, emoji: ELEVEN_EMOJI[MAX_REACTIONS_PER_USER]! }), { type: 'react-ok' }, 'another user still may')
      const event = await ana.wire.ok('delete-ok', { type: 'delete', room, seq: m.seq })
      t.match(await bob.wire.request({ type: 'react', id: 'nf1', room, seq: m.seq, emoji: '👍' }), { type: 'error', id: 'nf1', code: 'not-found' }, 'a deleted message')
      t.match(await bob.wire.request({ type: 'react', id: 'nf2', room, seq: event.message!.seq, emoji: '👍' }), { type: 'error', id: 'nf2', code: 'not-found' }, 'an event')
    },
  )

  t.test(
    `§7a reply: replyTo carries the original's msgId, seq, author and an excerpt of ${MAX_EXCERPT_CHARS} code points; a reply to a missing seq, an event or a deleted message is not-found and stores nothing; an edit keeps the excerpt, a delete removes it`,
    { clauses: ['LIFE-24', 'LIFE-25', 'LIFE-26'], skip },
    async (t) => {
      const { room, ana, bob } = await pair(t, 'reply')
      const long = `${'α'.repeat(60)}${'😀'.repeat(70)}`
      const original = await say(ana.wire, room, long)
      const reply = await say(bob.wire, room, 'a fair point', { replyTo: original.seq })
      t.same(reply.replyTo, { msgId: original.msgId, seq: original.seq, userId: ana.ok.userId, name: ana.ok.name, excerpt: [...long].slice(0, MAX_EXCERPT_CHARS).join('') })
      t.same(await nextEntry(ana.wire, room), reply, 'members get the reply with its reference')
      const gone = await say(ana.wire, room, 'not for long')
      const deleted = await ana.wire.ok('delete-ok', { type: 'delete', room, seq: gone.seq })
      await nextEntries(bob.wire, room, 3)
      for (const [id, seq, what] of [
        ['rp1', deleted.message!.seq + 50, 'no message at that seq'],
        ['rp2', deleted.message!.seq, 'an event'],
        ['rp3', gone.seq, 'a deleted message'],
      ] as const) {
        t.match(await bob.wire.request({ type: 'chat', id, room, text: 're', replyTo: seq }), { type: 'error', id, code: 'not-found', retryable: false }, what)
      }
      t.same(await arrivedBeforePong(ana.wire), [], 'nothing reached the room')
      t.equal((await say(bob.wire, room, 'next')).seq, deleted.message!.seq + 1, 'and nothing took a seq')
      const replyCopy = async () => (await ana.wire.ok('history-ok', { type: 'history', room, after: original.seq, limit: 1 })).messages[0]?.replyTo
      t.same(await replyCopy(), reply.replyTo, 'history keeps the reference')
      await ana.wire.ok('edit-ok', { type: 'edit', room, seq: original.seq, text: 'a shorter question' })
      t.same(await replyCopy(), reply.replyTo, 'an edit of the original does not change the excerpt')
      await ana.wire.ok('delete-ok', { type: 'delete', room, seq: original.seq })
      const { excerpt: _, ...withoutExcerpt } = reply.replyTo!
      t.same(await replyCopy(), withoutExcerpt, 'a delete of the original removes the excerpt, the reference stays')
    },
  )

  t.test(
    `§7a mentions: @name resolves to the user ids of present users, stored with the message; an e-mail address is no mention; more than ${MAX_MENTIONS} is bad-frame`,
    { clauses: ['LIFE-27', 'LIFE-28', 'LIFE-29', 'LIFE-30'], skip },
    async (t) => {
      const { room, ana, bob } = await pair(t, 'mention')
      const m = await say(ana.wire, room, `thanks @${bob.ok.name}! and @${ana.ok.name}`)
      t.same(m.mentions, [bob.ok.userId, ana.ok.userId], 'user ids in order of first mention')
      t.same((await nextEntry(bob.wire, room)).mentions, m.mentions, 'members get them')
      const mail = await say(ana.wire, room, `write to ${bob.ok.name}@example.com`)
      t.equal(mail.mentions, undefined, 'no mention in an e-mail address')
      t.equal((await say(ana.wire, room, `hi @${uniqueName('nobody')}`)).mentions, undefined, 'a name nobody has mentions nobody')
      const crowd: string[] = []
      for (let i = 0; i <= MAX_MENTIONS; i++) crowd.push((await member(target, t, 'm', [room])).ok.name)
      const flood = crowd.map((name) => `@${name}`).join(' ')
      await arrivedBeforePong(bob.wire)
      t.match(await ana.wire.request({ type: 'chat', id: 'mf1', room, text: flood }), { type: 'error', id: 'mf1', code: 'bad-frame', retryable: false }, `${MAX_MENTIONS + 1} users mentioned`)
      t.same(await arrivedBeforePong(bob.wire), [], 'nothing reached the room')
      const most = await say(
        ana.wire,
        room,
        crowd
          .slice(0, MAX_MENTIONS)
          .map((name) => `@${name}`)
          .join(' '),
      )
      t.equal(most.mentions?.length, MAX_MENTIONS, `${MAX_MENTIONS} are fine`)
    },
  )

  t.test(
    '§7a read markers: read-ok never moves down nor past the newest seq; the user’s other connection gets a read push; unread and mentions in login-ok and join-room-ok',
    { clauses: ['LIFE-12', 'LIFE-31', 'LIFE-32'], skip },
    async (t) => {
      const room = uniqueRoom('read')
      const ana = await member(target, t, 'ana', [room])
      const bob = await member(target, t, 'bob', [room])
      await say(bob.wire, room, 'one')
      await say(bob.wire, room, `two @${ana.ok.name}`)
      const three = await say(bob.wire, room, 'three')
      await say(ana.wire, room, 'her own words do not count')
      const phone = await secondConnection(target, t, ana, [room])
      const old = await secondConnection(target, t, ana, [room], null)
      t.match(phone.ok.rooms, [{ room, readSeq: 0, unread: 3, mentions: 1 }], 'login-ok: three unread of others, one mentioning her')
      t.same(await ana.wire.ok('read-ok', { type: 'read', id: 'rd1', room, seq: three.seq }), { type: 'read-ok', id: 'rd1', room, seq: three.seq })
      t.same(await phone.wire.takeType('read'), { type: 'read', room, seq: three.seq }, 'the other connection hears it')
      t.same(
        (await old.wire.framesBeforePong()).filter((f) => f.type === 'read'),
        [],
        'a connection that announced no version does not (it would not know the push)',
      )
      t.same(
        (await ana.wire.framesBeforePong()).filter((f) => f.type === 'read'),
        [],
        'the reading connection gets its reply only',
      )
      t.match(await ana.wire.request({ type: 'read', room, seq: 1 }), { type: 'read-ok', seq: three.seq }, 'never down')
      const head = (await ana.wire.ok('history-ok', { type: 'history', room, limit: 1 })).messages[0]!.seq
      t.match(await ana.wire.request({ type: 'read', room, seq: head + 1000 }), { type: 'read-ok', seq: head }, 'never past the newest seq')
      const four = await say(bob.wire, room, 'four')
      await say(bob.wire, room, `five @${ana.ok.name}`)
      await bob.wire.ok('delete-ok', { type: 'delete', room, seq: four.seq })
      await phone.wire.ok('leave-room-ok', { type: 'leave-room', room })
      const joined = await phone.wire.ok('join-room-ok', { type: 'join-room', room })
      t.match(joined.state, { room, readSeq: head, unread: 1, mentions: 1 }, 'join-room-ok: a deleted message and events are not unread')
      t.match(await phone.wire.request({ type: 'read', id: 'rd2', room: uniqueRoom('elsewhere'), seq: 1 }), { type: 'error', id: 'rd2', code: 'not-in-room' })
    },
  )

  /** Entries the resume check misses while away. */
  const replayed = 6
  const resumeSkip =
    skip ||
    (target.maxReplay !== undefined && target.maxReplay < replayed ? `the server replays at most ${target.maxReplay} entries (--max-replay), fewer than the ${replayed} this check misses` : false)

  t.test(
    '§7a resume equals online: a client that dropped between an edit and a reaction (and a delete), resumed with since and reduced the replay ends in the state of a client that stayed online; history pages reduce to it too',
    { clauses: ['LIFE-2', 'LIFE-7', 'LIFE-9', 'HIST-11', 'HIST-16'], skip: resumeSkip },
    async (t) => {
      const room = uniqueRoom('resume')
      const ana = await member(target, t, 'ana', [room])
      const bob = await member(target, t, 'bob', [room])
      const online = await member(target, t, 'online', [room])
      // Two clients drop: one comes back with `since` in login, the other with `since` in join-room.
      const dropper = await member(target, t, 'dropper', [room])
      const rejoiner = await member(target, t, 'rejoiner', [room])
      const onlineState = reduce(online.ok.rooms[0]!.history)
      const dropperState = reduce(dropper.ok.rooms[0]!.history)
      const rejoinerState = reduce(rejoiner.ok.rooms[0]!.history)
      const follow = async (count: number) => {
        reduce(await nextEntries(online.wire, room, count), onlineState)
        reduce(await nextEntries(rejoiner.wire, room, count), rejoinerState)
        return reduce(await nextEntries(dropper.wire, room, count), dropperState)
      }

      // Seen by both: two messages, a reaction and an edit.
      const first = await say(ana.wire, room, 'first words')
      const second = await say(ana.wire, room, 'second words')
      await bob.wire.ok('react-ok', { type: 'react', room, seq: first.seq, emoji: '👍' })
      const edit = await ana.wire.ok('edit-ok', { type: 'edit', room, seq: first.seq, text: 'first words, edited' })
      await follow(4)
      t.equal(dropperState.get(first.seq)?.text, 'first words, edited', 'the dropper saw the edit')

      // The connections drop between the edit and the next reaction.
      dropper.wire.terminate()
      rejoiner.wire.terminate()
      await ana.wire.ok('react-ok', { type: 'react', room, seq: first.seq, emoji: '🎉' })
      await ana.wire.ok('delete-ok', { type: 'delete', room, seq: second.seq })
      await bob.wire.ok('react-ok', { type: 'react', room, seq: first.seq, emoji: '👍', on: false })
      await say(bob.wire, room, 'a reply', { replyTo: first.seq })
      await ana.wire.ok('edit-ok', { type: 'edit', room, seq: first.seq, text: 'first words, edited twice' })
      await bob.wire.ok('react-ok', { type: 'react', room, seq: first.seq, emoji: '🎉' })
      reduce(await nextEntries(online.wire, room, replayed), onlineState)

      const back = await target.open(t)
      const since = { epoch: dropper.ok.rooms[0]!.epoch, seq: edit.message!.seq }
      const login = await back.ok('login-ok', { type: 'login', session: dropper.ok.session, rooms: [{ room, since }], version: V })
      t.match(login.rooms, [{ room, resume: { resumed: true, missed: replayed } }], 'resumed with the missed entries')
      reduce(login.rooms[0]!.history, dropperState)
      reduce(await nextEntries(back, room, replayed), dropperState)
      t.same(lines(dropperState), lines(onlineState), 'resumed = online: the same messages, texts, edited marks, reactions, tombstones and revs')
      const { wire: again } = await secondConnection(target, t, rejoiner)
      const joined = await again.ok('join-room-ok', { type: 'join-room', room, since: { epoch: rejoiner.ok.rooms[0]!.epoch, seq: edit.message!.seq } })
      t.match(joined.state.resume, { resumed: true, missed: replayed }, 'join-room with since: resumed too')
      reduce(joined.state.history, rejoinerState)
      reduce(await nextEntries(again, room, replayed), rejoinerState)
      t.same(lines(rejoinerState), lines(onlineState), 'resumed through join-room = online')
      t.match(onlineState.get(first.seq), { text: 'first words, edited twice', reactions: [{ emoji: '🎉', count: 2, users: [ana.ok.userId, bob.ok.userId] }] })
      t.match(onlineState.get(second.seq), { text: DELETED_TEXT, deleted: true })

      t.same(lines(reduce(await historyForwards(back, room, limits.historyPageMax))), lines(onlineState), 'history read forwards and reduced = online')
      const backwards = await historyBackwards(back, room, limits.historyPageMax)
      t.same(lines(reduce(backwards.flat())), lines(onlineState), 'history read backwards, pages reduced in the order they arrived = online')
      const late = await member(target, t, 'late', [room])
      const older = late.ok.rooms[0]!.history[0] === undefined ? [] : await historyBackwards(late.wire, room, limits.historyPageMax)
      t.same(lines(reduce([...late.ok.rooms[0]!.history, ...older.flat()])), lines(onlineState), 'a late joiner’s snapshot, then older pages, reduced = online')
    },
  )

  t.test(
    '§7a older clients: a client announcing 1.0.0 (or no version) gets every entry with gapless seqs and no 1.3.0 field while 1.3.0 clients edit, react, reply and delete',
    { clauses: ['OVR-6', 'LIFE-11'], skip },
    async (t) => {
      const { room, ana, bob } = await pair(t, 'compat')
      const old = await member(target, t, 'old', [room], '1.0.0')
      const unversioned = await member(target, t, 'plain', [room], null)
      for (const [who, login] of [
        ['1.0.0', old],
        ['no version', unversioned],
      ] as const) {
        t.same(fieldsOf(login.ok.rooms[0]!, ROOM_FIELDS_SINCE_1_3), [], `${who}: no read marker fields in login-ok`)
        t.notOk('blocked' in login.ok, `${who}: no blocked list in login-ok`)
      }
      const m = await say(ana.wire, room, `hello @${old.ok.name}`)
      await bob.wire.ok('react-ok', { type: 'react', room, seq: m.seq, emoji: '👍' })
      await ana.wire.ok('edit-ok', { type: 'edit', room, seq: m.seq, text: 'hello again' })
      await say(bob.wire, room, 'a reply', { replyTo: m.seq })
      const gone = await say(bob.wire, room, 'oops')
      await bob.wire.ok('delete-ok', { type: 'delete', room, seq: gone.seq })
      const count = 6
      for (const [who, login] of [
        ['1.0.0', old],
        ['no version', unversioned],
      ] as const) {
        const seen = await nextEntries(login.wire, room, count)
        t.same(
          seen.map((x) => x.seq),
          Array.from({ length: count }, (_, i) => m.seq + i),
          `${who}: every seq, gapless`,
        )
        t.same(
          seen.flatMap((x) => fieldsOf(x, FIELDS_SINCE_1_3)),
          [],
          `${who}: no 1.3.0 field in any push`,
        )
        t.equal(seen[2]!.text, 'hello again', `${who}: an edit reads as the new text`)
        t.ok(
          seen.every((x) => x.text.length > 0),
          `${who}: every entry has a text to show`,
        )
        const page = { messages: await historyForwards(login.wire, room, limits.historyPageMax) }
        t.same(
          page.messages.flatMap((x) => fieldsOf(x, FIELDS_SINCE_1_3)),
          [],
          `${who}: no 1.3.0 field in history`,
        )
        t.match(
          page.messages.find((x) => x.seq === m.seq),
          { text: 'hello again' },
          `${who}: history has the current text`,
        )
        t.match(
          page.messages.find((x) => x.seq === gone.seq),
          { text: DELETED_TEXT },
          `${who}: and the tombstone text`,
        )
      }
    },
  )
}
