// The life of a message (protocol 1.3.0) against a real server over sockets:
// edit, delete, react, reply, mentions and read markers; every change an
// event entry with the next seq, seen live by members and replayed by resume
// and history so that reducing them gives the state of a client that stayed
// online; a 1.0.0 client sees the same gapless seqs without the new fields.
import t, { type Test } from 'tap'
import { applyEntry, DELETED_TEXT, type ChatMessage, type ServerFrame, type ServerFrameOf, type Timeline } from '../../protocol/index.ts'
import { RawClient } from '../helpers/raw-client.ts'
import { startServer } from '../helpers/server.ts'

const V = '1.3.0'

const login = (t: Test, url: string, name: string, rooms = ['lobby'], version = V) => RawClient.login(t, url, { name, version, rooms: rooms.map((room) => ({ room })) })

const code = (frame: ServerFrame) => (frame.type === 'error' ? frame.code : frame.type)

async function chat(client: RawClient, text: string, extra: Record<string, unknown> = {}): Promise<ChatMessage> {
  const ok = await client.request({ type: 'chat', room: 'lobby', text, ...extra })
  if (ok.type !== 'chat-ok') throw new Error(`chat refused: ${JSON.stringify(ok)}`)
  return ok.message
}

/** The next chat push (entry) of a member. */
const entry = async (client: RawClient) => ((await client.take((f) => f.type === 'chat', 'a chat push')) as ServerFrameOf<'chat'>).message

/** A reply that changed nothing: the type, and no event entry. */
function unchanged(t: Test, reply: ServerFrame, type: string, what: string) {
  t.equal(reply.type, type, what)
  t.notOk('message' in reply, `${what}: no event entry`)
}

t.test('edit: the author replaces the text; members get an edit entry with the next seq; history has the new text', async (t) => {
  const { url } = await startServer(t, { store: 'memory' })
  const { client: ana } = await login(t, url, 'ana')
  const { client: bob } = await login(t, url, 'bob')
  const first = await chat(ana, 'helo')
  t.equal((await entry(bob)).seq, first.seq)
  const edited = await ana.request({ type: 'edit', room: 'lobby', seq: first.seq, text: 'hello' })
  t.match(edited, { type: 'edit-ok', room: 'lobby', message: { seq: first.seq + 1, event: { kind: 'edit', target: first.seq }, text: 'hello', userId: first.userId } })
  t.match(await entry(bob), { seq: first.seq + 1, event: { kind: 'edit', target: first.seq }, text: 'hello' }, 'members get the event live')
  t.match(await bob.request({ type: 'edit', room: 'lobby', seq: first.seq, text: 'mine now' }), { type: 'error', code: 'forbidden' }, 'not the author')
  t.match(await ana.request({ type: 'edit', room: 'lobby', seq: 99, text: 'x' }), { type: 'error', code: 'not-found' })
  t.match(await ana.request({ type: 'edit', room: 'lobby', seq: first.seq + 1, text: 'x' }), { type: 'error', code: 'not-found' }, 'an event is not a message')
  t.match(await ana.request({ type: 'edit', room: 'lobby', seq: first.seq, text: 'bad\u0007' }), { type: 'error', code: 'bad-frame' }, 'the text is validated like a chat')
  unchanged(t, await ana.request({ type: 'edit', room: 'lobby', seq: first.seq, text: 'hello' }), 'edit-ok', 'the same text again changes nothing')
  const history = (await bob.request({ type: 'history', room: 'lobby' })) as ServerFrameOf<'history-ok'>
  t.match(history.messages[0], { seq: first.seq, text: 'hello', rev: first.seq + 1 })
  t.type(history.messages[0]!.edited, 'number')
  t.equal(history.messages.length, 2, 'the event entry is in history too')
})

t.test('delete: the author or a moderator; a tombstone live and in history; the text is gone', async (t) => {
  const { url } = await startServer(t, { store: 'memory' })
  const { client: owner } = await login(t, url, 'owner', ['den'])
  const { client: ana } = await login(t, url, 'ana', ['den'])
  const m1 = await ana.request({ type: 'chat', room: 'den', text: 'secret one' })
  const m2 = await owner.request({ type: 'chat', room: 'den', text: 'by the owner' })
  if (m1.type !== 'chat-ok' || m2.type !== 'chat-ok') throw new Error('chat failed')
  t.match(await ana.request({ type: 'delete', room: 'den', seq: m2.message.seq }), { type: 'error', code: 'forbidden' }, 'a member cannot delete others’ messages')
  t.match(
    await owner.request({ type: 'delete', room: 'den', seq: m1.message.seq }),
    { type: 'delete-ok', message: { event: { kind: 'delete', target: m1.message.seq } } },
    'the owner (creator) deletes any',
  )
  unchanged(t, await owner.request({ type: 'delete', room: 'den', seq: m1.message.seq }), 'delete-ok', 'idempotent')
  t.match(await ana.request({ type: 'edit', room: 'den', seq: m1.message.seq, text: 'back' }), { type: 'error', code: 'not-found' }, 'a deleted message cannot be edited')
  const history = (await ana.request({ type: 'history', room: 'den' })) as ServerFrameOf<'history-ok'>
  t.match(history.messages[0], { seq: m1.message.seq, text: DELETED_TEXT, deleted: true })
  t.notOk(JSON.stringify(history).includes('secret one'), 'the text is nowhere in history')
})

t.test('react: toggle, counts and who; emoji only; bounded', async (t) => {
  const { url } = await startServer(t, { store: 'memory' })
  const { client: ana, login: a } = await login(t, url, 'ana')
  const { client: bob, login: b } = await login(t, url, 'bob')
  const m = await chat(ana, 'react to me')
  await entry(bob)
  t.match(await bob.request({ type: 'react', room: 'lobby', seq: m.seq, emoji: '👍' }), { type: 'react-ok', message: { event: { kind: 'react', target: m.seq, emoji: '👍', on: true } } })
  t.match(await entry(ana), { event: { kind: 'react', emoji: '👍', on: true }, userId: b.userId })
  unchanged(t, await bob.request({ type: 'react', room: 'lobby', seq: m.seq, emoji: '👍' }), 'react-ok', 'a repeat changes nothing')
  await ana.request({ type: 'react', room: 'lobby', seq: m.seq, emoji: '👍' })
  await entry(bob)
  let history = (await ana.request({ type: 'history', room: 'lobby' })) as ServerFrameOf<'history-ok'>
  t.same(history.messages[0]!.reactions, [{ emoji: '👍', count: 2, users: [b.userId, a.userId] }])
  await bob.request({ type: 'react', room: 'lobby', seq: m.seq, emoji: '👍', on: false })
  history = (await ana.request({ type: 'history', room: 'lobby' })) as ServerFrameOf<'history-ok'>
  t.same(history.messages[0]!.reactions, [{ emoji: '👍', count: 1, users: [a.userId] }])
  for (const emoji of ['a', '👍👍', ':)', '<b>']) t.equal(code(await ana.request({ type: 'react', room: 'lobby', seq: m.seq, emoji })), 'bad-frame', `"${emoji}" is not one emoji`)
  const emoji = ['😀', '😁', '😂', '🤣', '😃', '😄', '😅', '😆', '😉', '😊']
  for (const e of emoji) t.equal(code(await bob.request({ type: 'react', room: 'lobby', seq: m.seq, emoji: e })), 'react-ok')
  t.equal(code(await bob.request({ type: 'react', room: 'lobby', seq: m.seq, emoji: '😋' })), 'too-many-reactions', 'ten per user per message')
  t.match(await ana.request({ type: 'ping' }), { type: 'pong' }, 'the connection keeps working')
})

t.test('reply and mentions: a reply carries its original; @name resolves to a user id; floods are refused', async (t) => {
  const { url } = await startServer(t, { store: 'memory' })
  const { client: ana } = await login(t, url, 'ana')
  const { client: bob, login: b } = await login(t, url, 'bob k')
  const original = await chat(ana, 'what time is the meeting?')
  const reply = await chat(bob, 'at ten, @ana', { replyTo: original.seq })
  t.match(reply.replyTo, { msgId: original.msgId, seq: original.seq, userId: original.userId, name: 'ana', excerpt: 'what time is the meeting?' })
  t.same(reply.mentions, [original.userId])
  const toBob = await chat(ana, 'thanks @bob k!')
  t.same(toBob.mentions, [b.userId], 'a name with a space')
  t.notOk((await chat(ana, 'mail me at ana@example.com')).mentions, 'an e-mail address is no mention')
  t.match(await ana.request({ type: 'chat', room: 'lobby', text: 'x', replyTo: 999 }), { type: 'error', code: 'not-found' }, 'no such message')
  const flood = Array.from({ length: 25 }, (_, i) => `@u${i}`).join(' ')
  for (let i = 0; i < 25; i++) await login(t, url, `u${i}`)
  t.match(await ana.request({ type: 'chat', room: 'lobby', text: flood }), { type: 'error', code: 'bad-frame' }, 'more than 20 mentions')
})

t.test('read markers: unread and mention counts at login; a read on one device reaches the others', async (t) => {
  const { url } = await startServer(t, { store: 'memory' })
  const { client: ana, login: a } = await login(t, url, 'ana')
  const { client: phone } = await RawClient.login(t, url, { version: V, session: a.session, rooms: [{ room: 'lobby' }] })
  const { client: bob } = await login(t, url, 'bob')
  await chat(bob, 'one')
  await chat(bob, 'two @ana')
  const three = await chat(bob, 'three')
  const laptop = await RawClient.connect(t, url)
  const ok = (await laptop.request({ type: 'login', version: V, session: a.session, rooms: [{ room: 'lobby' }] })) as ServerFrameOf<'login-ok'>
  t.match(ok.rooms[0], { room: 'lobby', readSeq: 0, unread: 3, mentions: 1 })
  t.match(await phone.request({ type: 'read', room: 'lobby', seq: three.seq }), { type: 'read-ok', seq: three.seq })
  t.match(await ana.take((f) => f.type === 'read'), { type: 'read', room: 'lobby', seq: three.seq }, 'the other connection hears it')
  t.match(await phone.request({ type: 'read', room: 'lobby', seq: 1 }), { type: 'read-ok', seq: three.seq }, 'never down')
  const again = await RawClient.connect(t, url)
  const ok2 = (await again.request({ type: 'login', version: V, session: a.session, rooms: [{ room: 'lobby' }] })) as ServerFrameOf<'login-ok'>
  t.match(ok2.rooms[0], { readSeq: three.seq, unread: 0, mentions: 0 })
})

t.test('a new member has read what was said before they came; what follows is unread', async (t) => {
  const { url } = await startServer(t, { store: 'memory' })
  const { client: ana } = await login(t, url, 'ana')
  await chat(ana, 'before you came')
  await chat(ana, 'and @cy before')
  const { login: first } = await RawClient.login(t, url, { name: 'cy', version: V, rooms: [{ room: 'lobby' }] })
  t.match(first.rooms[0], { room: 'lobby', readSeq: 2, unread: 0, mentions: 0 }, 'at login')
  const { client: dee } = await login(t, url, 'dee', [])
  t.match(await dee.request({ type: 'join-room', room: 'lobby' }), { type: 'join-room-ok', state: { readSeq: 2, unread: 0, mentions: 0 } }, 'at join-room')
  t.match(await dee.request({ type: 'leave-room', room: 'lobby' }), { type: 'leave-room-ok' })
  await chat(ana, 'while dee was away')
  t.match(await dee.request({ type: 'join-room', room: 'lobby' }), { type: 'join-room-ok', state: { readSeq: 2, unread: 1 } }, 'who left and comes back finds their marker where it was')
  const again = await RawClient.connect(t, url)
  const ok = (await again.request({ type: 'login', version: V, session: first.session, rooms: [{ room: 'lobby' }] })) as ServerFrameOf<'login-ok'>
  t.match(ok.rooms[0], { readSeq: 2, unread: 1 }, 'a member coming back finds what came since unread')
})

t.test('resume equals online: a client that dropped between an edit and a reaction ends in the same state', async (t) => {
  const { url } = await startServer(t, { store: 'memory' })
  const { client: ana } = await login(t, url, 'ana')
  const { client: online } = await login(t, url, 'watcher')
  const { client: dropper, login: joined } = await RawClient.login(t, url, { name: 'dropper', version: V, rooms: [{ room: 'lobby' }] })
  const m = await chat(ana, 'first')
  t.equal((await entry(dropper)).seq, m.seq)
  dropper.terminate()
  const onlineState: Timeline = new Map()
  applyEntry(onlineState, await entry(online))
  const position = { epoch: joined.rooms[0]!.epoch, seq: m.seq }
  await ana.request({ type: 'edit', room: 'lobby', seq: m.seq, text: 'first, edited' })
  await ana.request({ type: 'react', room: 'lobby', seq: m.seq, emoji: '🎉' })
  await ana.request({ type: 'delete', room: 'lobby', seq: (await chat(ana, 'oops')).seq })
  for (let i = 0; i < 4; i++) applyEntry(onlineState, await entry(online))
  const resumed = await RawClient.connect(t, url)
  const ok = (await resumed.request({ type: 'login', version: V, session: joined.session, rooms: [{ room: 'lobby', since: position }] })) as ServerFrameOf<'login-ok'>
  t.match(ok.rooms[0]!.resume, { resumed: true, missed: 4 })
  const resumedState: Timeline = new Map([[m.seq, m]])
  for (let i = 0; i < 4; i++) applyEntry(resumedState, await entry(resumed))
  t.same(resumedState, onlineState, 'the same messages, texts, reactions and tombstones')
  const paged = (await resumed.request({ type: 'history', room: 'lobby' })) as ServerFrameOf<'history-ok'>
  const pagedState: Timeline = new Map()
  for (const e of paged.messages) applyEntry(pagedState, e)
  t.same(pagedState, onlineState, 'and so does a history page')
})

t.test('a 1.0.0 client sees every seq, without the 1.3.0 fields', async (t) => {
  const { url } = await startServer(t, { store: 'memory' })
  const { client: ana } = await login(t, url, 'ana')
  const { client: old } = await login(t, url, 'old', ['lobby'], '1.0.0')
  const m = await chat(ana, 'hello @old')
  await ana.request({ type: 'edit', room: 'lobby', seq: m.seq, text: 'hello there @old' })
  await ana.request({ type: 'react', room: 'lobby', seq: m.seq, emoji: '👍' })
  await chat(ana, 'a reply', { replyTo: m.seq })
  const seen = [await entry(old), await entry(old), await entry(old), await entry(old)]
  t.same(
    seen.map((x) => x.seq),
    [m.seq, m.seq + 1, m.seq + 2, m.seq + 3],
    'gapless',
  )
  const newKeys = ['event', 'replyTo', 'mentions', 'edited', 'deleted', 'reactions', 'rev']
  for (const x of seen)
    t.same(
      Object.keys(x).filter((k) => newKeys.includes(k)),
      [],
      `seq ${x.seq} has no new field`,
    )
  t.equal(seen[1]!.text, 'hello there @old', 'an edit reads as the new text')
  t.match(seen[2]!.text, /👍/, 'a reaction reads as a sentence')
  const history = (await old.request({ type: 'history', room: 'lobby' })) as ServerFrameOf<'history-ok'>
  for (const x of history.messages)
    t.same(
      Object.keys(x).filter((k) => newKeys.includes(k)),
      [],
      `history seq ${x.seq} has no new field`,
    )
})

// The burst of 8 covers login, five replies and the block, not the five typing frames too.
t.test('typing never spends the budget for sending; DM typing reaches the recipient unless they block the sender', async (t) => {
  const { url } = await startServer(t, { store: 'memory', messageBurst: 8, messagesPerSecond: 0.01, typingBurst: 5 })
  const { client: ana, login: a } = await login(t, url, 'ana')
  const { client: bob, login: b } = await login(t, url, 'bob')
  for (let i = 0; i < 5; i++) t.equal(code(await ana.request({ type: 'typing', room: 'lobby', typing: i % 2 === 0 })), 'typing-ok')
  for (let i = 0; i < 5; i++) t.equal(code(await ana.request({ type: 'chat', room: 'lobby', text: `quick reply ${i}` })), 'chat-ok', `reply ${i} goes through`)
  t.match(await bob.request({ type: 'dm-typing', to: a.userId, typing: true }), { type: 'dm-typing-ok', to: a.userId })
  t.match(await ana.take((f) => f.type === 'dm-typing'), { type: 'dm-typing', userId: b.userId, name: 'bob', typing: true })
  await ana.request({ type: 'block', userId: b.userId })
  t.equal(code(await bob.request({ type: 'dm-typing', to: a.userId, typing: false })), 'dm-typing-ok', 'the sender cannot tell')
  await ana.quiet(300) // a bounded wait for anything in flight
  t.notOk(
    ana.pending().some((f) => f.type === 'dm-typing'),
    'the blocker hears nothing',
  )
})

t.test('search: words and phrases in the rooms and DMs of the user, newest first, paged; Korean particles; never deleted text', async (t) => {
  const { url } = await startServer(t)
  const { client: ana, login: a } = await login(t, url, 'ana', ['lobby', 'tea'])
  const { client: bob, login: b } = await login(t, url, 'bob', ['lobby'])
  const { client: eve } = await login(t, url, 'eve', ['secret'])
  await chat(ana, '내일 회의가 있어요')
  await chat(bob, 'the weekly meeting is at noon')
  const gone = await chat(ana, 'meeting notes: top secret')
  await ana.request({ type: 'chat', room: 'tea', text: 'tea meeting' })
  await eve.request({ type: 'chat', room: 'secret', text: 'meeting of the spies' })
  await bob.request({ type: 'dm', to: a.userId, text: 'private meeting?' })
  await ana.request({ type: 'delete', room: 'lobby', seq: gone.seq })

  const korean = (await ana.request({ type: 'search', query: '회의' })) as ServerFrameOf<'search-ok'>
  t.same(
    korean.hits.map((h) => ('message' in h ? h.message.text : h.dm.text)),
    ['내일 회의가 있어요'],
    '회의 finds 회의가',
  )
  const first = (await ana.request({ type: 'search', query: 'meeting', limit: 2 })) as ServerFrameOf<'search-ok'>
  t.same(
    first.hits.map((h) => ('message' in h ? h.message.text : h.dm.text)),
    ['private meeting?', 'tea meeting'],
    'newest first, DMs included',
  )
  t.type(first.next, 'string')
  const second = (await ana.request({ type: 'search', query: 'meeting', limit: 2, cursor: first.next })) as ServerFrameOf<'search-ok'>
  t.same(
    second.hits.map((h) => ('message' in h ? h.message.text : h.dm.text)),
    ['the weekly meeting is at noon'],
    'the rest: not the deleted message, not another room’s',
  )
  t.notOk(second.next)
  t.match(second.hits[0], { message: { room: 'lobby', userId: b.userId } }, 'a hit says where to open it')
  const phrase = (await ana.request({ type: 'search', query: '"at noon" weekly' })) as ServerFrameOf<'search-ok'>
  t.equal(phrase.hits.length, 1, 'a phrase and a word')
  const inRoom = (await ana.request({ type: 'search', query: 'meeting', room: 'tea' })) as ServerFrameOf<'search-ok'>
  t.same(
    inRoom.hits.map((h) => ('message' in h ? h.message.text : h.dm.text)),
    ['tea meeting'],
    'one room, no DMs',
  )
  t.match(await ana.request({ type: 'search', query: 'meeting', room: 'secret' }), { type: 'error', code: 'not-found' }, 'not a room of hers')
  t.match(await ana.request({ type: 'search', query: 'meeting', cursor: 'bm90IGEgY3Vyc29y' }), { type: 'error', code: 'bad-frame' }, 'a made-up cursor')
  t.match(await ana.request({ type: 'search', query: 'secret' }), { type: 'search-ok', hits: [] }, 'the deleted words are gone')
  t.match(await ana.request({ type: 'search', query: '*** OR NEAR( -:' }), { type: 'search-ok' }, 'operators are plain text, never an error')
})
