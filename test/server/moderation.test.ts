// Moderation (protocol 1.3.0) against a real server over sockets: kick, ban
// and mute by owners and moderators only, down the ranks; each an event in
// the room's stream; a kicked or banned user's connections leave the room; a
// banned user cannot rejoin or read, a muted one cannot post; bans and mutes
// end; blocks stop DMs and typing.
import t, { type Test } from 'tap'
import type { ServerFrame, ServerFrameOf } from '../../protocol/index.ts'
import { RawClient } from '../helpers/raw-client.ts'
import { startServer } from '../helpers/server.ts'

const V = '1.3.0'
const login = (t: Test, url: string, name: string, rooms = ['den']) => RawClient.login(t, url, { name, version: V, rooms: rooms.map((room) => ({ room })) })
const code = (frame: ServerFrame) => (frame.type === 'error' ? frame.code : frame.type)

/** A room made by `owner` (its creator), with a moderator and two members. */
async function room(t: Test) {
  const { url } = await startServer(t, { store: 'memory' })
  const owner = await login(t, url, 'owner')
  const mod = await login(t, url, 'mod')
  const ana = await login(t, url, 'ana')
  const spam = await login(t, url, 'spammer')
  t.match(await owner.client.request({ type: 'set-role', room: 'den', userId: mod.login.userId, role: 'moderator' }), { type: 'set-role-ok' })
  return { url, owner, mod, ana, spam }
}

t.test('kick: the user leaves the room on every connection, everyone sees the event; they may come back', async (t) => {
  const { url, mod, ana, spam } = await room(t)
  const second = await RawClient.login(t, url, { version: V, session: spam.login.session, rooms: [{ room: 'den' }] })
  const kicked = await mod.client.request({ type: 'kick', room: 'den', userId: spam.login.userId, reason: 'spam' })
  t.match(kicked, { type: 'kick-ok', room: 'den', userId: spam.login.userId, message: { event: { kind: 'kick', userId: spam.login.userId, name: 'spammer', reason: 'spam' } } })
  t.match(await ana.client.take((f) => f.type === 'chat' && f.message.event?.kind === 'kick'), { message: { userId: mod.login.userId } })
  for (const c of [spam.client, second.client]) {
    t.match(await c.take((f) => f.type === 'chat' && f.message.event?.kind === 'kick'), {}, 'the kicked user sees why')
    t.match(await c.request({ type: 'chat', room: 'den', text: 'still here?' }), { type: 'error', code: 'not-in-room' }, 'and is out of the room')
  }
  t.equal(code(await mod.client.request({ type: 'kick', room: 'den', userId: spam.login.userId })), 'kick-ok', 'a kick of someone not there is idempotent')
  t.equal(code(await spam.client.request({ type: 'join-room', room: 'den' })), 'join-room-ok', 'a kick is not a ban')
})

t.test('ban: out now, cannot rejoin or read until lifted; the directory and history say nothing to them', async (t) => {
  const { mod, ana, spam } = await room(t)
  const banned = await mod.client.request({ type: 'ban', room: 'den', userId: spam.login.userId })
  t.match(banned, { type: 'ban-ok', message: { event: { kind: 'ban', userId: spam.login.userId } } })
  await spam.client.take((f) => f.type === 'chat' && f.message.event?.kind === 'ban')
  t.match(await spam.client.request({ type: 'history', room: 'den' }), { type: 'error', code: 'not-in-room' })
  const refused = await spam.client.request({ type: 'join-room', room: 'den' })
  t.match(refused, { type: 'error', code: 'banned', details: ['until:never'] })
  t.match(await spam.client.request({ type: 'chat', room: 'den', text: 'let me in' }), { type: 'error', code: 'not-in-room' })
  const list = (await mod.client.request({ type: 'restrictions', room: 'den' })) as ServerFrameOf<'restrictions-ok'>
  t.match(list, { type: 'restrictions-ok', bans: [{ userId: spam.login.userId, name: 'spammer', by: mod.login.userId }], mutes: [] })
  t.equal(code(await ana.client.request({ type: 'restrictions', room: 'den' })), 'forbidden', 'members do not see the list')
  t.equal(code(await mod.client.request({ type: 'ban', room: 'den', userId: spam.login.userId })), 'ban-ok', 'banning again is fine')
  t.match(await mod.client.request({ type: 'unban', room: 'den', userId: spam.login.userId }), { type: 'unban-ok', message: { event: { kind: 'unban' } } })
  const again = await mod.client.request({ type: 'unban', room: 'den', userId: spam.login.userId })
  t.match(again, { type: 'unban-ok', room: 'den', userId: spam.login.userId })
  t.notOk('message' in again, 'idempotent: nothing appended')
  t.equal(code(await spam.client.request({ type: 'join-room', room: 'den' })), 'join-room-ok', 'welcome back')
})

t.test('a timed ban ends by itself', async (t) => {
  const { mod, spam } = await room(t)
  t.equal(code(await mod.client.request({ type: 'ban', room: 'den', userId: spam.login.userId, durationMs: 1000 })), 'ban-ok')
  const refused = await spam.client.request({ type: 'join-room', room: 'den' })
  t.match(refused, { type: 'error', code: 'banned', details: [/^until:\d+$/] })
  const until = Number((refused as ServerFrameOf<'error'>).details![0]!.slice('until:'.length))
  await new Promise((r) => setTimeout(r, Math.max(0, until - Date.now()) + 50))
  t.equal(code(await spam.client.request({ type: 'join-room', room: 'den' })), 'join-room-ok')
})

t.test('mute: reads, cannot post, edit, react or type; lifted by unmute', async (t) => {
  const { mod, ana, spam } = await room(t)
  const said = await spam.client.request({ type: 'chat', room: 'den', text: 'before' })
  if (said.type !== 'chat-ok') throw new Error('chat failed')
  t.match(await mod.client.request({ type: 'mute', room: 'den', userId: spam.login.userId, durationMs: 60_000, reason: 'cool down' }), {
    type: 'mute-ok',
    message: { event: { kind: 'mute', reason: 'cool down', until: Number } },
  })
  const muted = await spam.client.request({ type: 'chat', room: 'den', text: 'hello?' })
  t.match(muted, { type: 'error', code: 'muted', retryable: false, details: [/^until:\d+$/] })
  t.equal(code(await spam.client.request({ type: 'edit', room: 'den', seq: said.message.seq, text: 'edited' })), 'muted')
  t.equal(code(await spam.client.request({ type: 'react', room: 'den', seq: said.message.seq, emoji: '👍' })), 'muted')
  t.equal(code(await spam.client.request({ type: 'typing', room: 'den', typing: true })), 'muted')
  t.equal(code(await ana.client.request({ type: 'chat', room: 'den', text: 'ana can' })), 'chat-ok')
  t.match(await spam.client.take((f) => f.type === 'chat' && f.message.text === 'ana can'), {}, 'the muted user still reads')
  t.equal(code(await mod.client.request({ type: 'unmute', room: 'den', userId: spam.login.userId })), 'unmute-ok')
  t.equal(code(await spam.client.request({ type: 'chat', room: 'den', text: 'thanks' })), 'chat-ok')
})

t.test('who may act on whom: down the ranks only, never on oneself', async (t) => {
  const { owner, mod, ana, spam } = await room(t)
  t.equal(code(await ana.client.request({ type: 'kick', room: 'den', userId: spam.login.userId })), 'forbidden', 'a member cannot kick')
  t.equal(code(await ana.client.request({ type: 'ban', room: 'den', userId: spam.login.userId })), 'forbidden')
  t.equal(code(await ana.client.request({ type: 'mute', room: 'den', userId: spam.login.userId })), 'forbidden')
  t.equal(code(await mod.client.request({ type: 'ban', room: 'den', userId: owner.login.userId })), 'forbidden', 'a moderator cannot ban an owner')
  t.equal(code(await mod.client.request({ type: 'kick', room: 'den', userId: mod.login.userId })), 'forbidden', 'nor act on themselves')
  t.equal(code(await owner.client.request({ type: 'mute', room: 'den', userId: mod.login.userId })), 'mute-ok', 'an owner mutes a moderator')
  t.equal(code(await mod.client.request({ type: 'kick', room: 'den', userId: 'u_nobody' })), 'user-not-found')
  t.equal(code(await mod.client.request({ type: 'kick', room: 'nowhere', userId: spam.login.userId })), 'not-found')
  t.equal(code(await ana.client.request({ type: 'chat', room: 'den', text: 'nothing happened to me' })), 'chat-ok')
})

t.test('delete any message: moderators yes, members no; the tombstone reaches everyone', async (t) => {
  const { mod, ana, spam } = await room(t)
  const bad = await spam.client.request({ type: 'chat', room: 'den', text: 'buy pills' })
  if (bad.type !== 'chat-ok') throw new Error('chat failed')
  t.equal(code(await ana.client.request({ type: 'delete', room: 'den', seq: bad.message.seq })), 'forbidden')
  t.equal(code(await mod.client.request({ type: 'delete', room: 'den', seq: bad.message.seq })), 'delete-ok')
  t.match(await ana.client.take((f) => f.type === 'chat' && f.message.event?.kind === 'delete'), { message: { event: { target: bad.message.seq } } })
})

t.test('block: DMs from the blocked user are refused, their typing no longer arrives; unblock restores both', async (t) => {
  const { url, ana, spam } = await room(t)
  const anaPhone = await RawClient.login(t, url, { version: V, session: ana.login.session, rooms: [{ room: 'den' }] })
  t.match(await ana.client.request({ type: 'block', userId: spam.login.userId }), { type: 'block-ok', userId: spam.login.userId })
  t.match(await spam.client.request({ type: 'dm', to: ana.login.userId, text: 'hi' }), { type: 'error', code: 'blocked' })
  t.equal(code(await spam.client.request({ type: 'typing', room: 'den', typing: true })), 'typing-ok')
  await ana.client.quiet(300) // a bounded wait for anything in flight
  t.notOk(
    ana.client.pending().some((f) => f.type === 'typing'),
    'no typing reaches the blocker',
  )
  t.notOk(
    anaPhone.client.pending().some((f) => f.type === 'typing'),
    'nor her other connection',
  )
  const relog = await RawClient.connect(t, url)
  const ok = (await relog.request({ type: 'login', version: V, session: ana.login.session, rooms: [] })) as ServerFrameOf<'login-ok'>
  t.same(ok.blocked, [spam.login.userId], 'login lists the blocks')
  t.equal(code(await ana.client.request({ type: 'unblock', userId: spam.login.userId })), 'unblock-ok')
  t.equal(code(await spam.client.request({ type: 'dm', to: ana.login.userId, text: 'sorry' })), 'dm-ok')
  t.equal(code(await ana.client.request({ type: 'block', userId: ana.login.userId })), 'forbidden', 'nobody blocks themselves')
})
