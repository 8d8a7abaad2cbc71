// PROTOCOL.md §7a Moderation and Blocking (protocol 1.3.0): kick, ban, unban,
// mute and unmute by owners and moderators only, strictly down the ranks;
// each an event entry that every member, the removed user included, sees
// before the removal; a banned user cannot rejoin or read, a muted one reads
// but cannot post, edit, react or type; restrictions for moderators only;
// blocks stop DMs and typing (room typing and dm-typing) from the blocked
// user. And §9 dm-typing. Skipped against a server that announces a version
// before 1.3.0, or whose default namespace does not let the kit own the rooms
// it creates.
import type { Test } from '../harness.ts'
import { type Target, uniqueRoom } from '../target.ts'
import { arrivedBeforePong, type Member, member, nextEntry, ownedRoomsSkip, secondConnection } from './life-helpers.ts'

export default async function checks(t: Test, target: Target): Promise<void> {
  const skip = await ownedRoomsSkip(target)

  /** A new room made by `owner` (its creator), with a moderator the owner appointed and two members, ana and spam. */
  const cast = async (t: Test) => {
    const room = uniqueRoom('mod')
    const owner = await member(target, t, 'owner', [room])
    const mod = await member(target, t, 'mod', [room])
    const ana = await member(target, t, 'ana', [room])
    const spam = await member(target, t, 'spam', [room])
    await owner.wire.ok('set-role-ok', { type: 'set-role', room, userId: mod.ok.userId, role: 'moderator' })
    return { room, owner, mod, ana, spam }
  }
  /** The next event entry of `kind` a connection gets in `room`. */
  const nextEvent = async (who: Member, room: string, kind: string) => (await who.wire.takeType('chat', (f) => f.message.room === room && f.message.event?.kind === kind)).message

  t.test('§7a moderation: a member’s kick, ban or mute is forbidden; a moderator cannot act on an owner or on themselves; nothing is appended', { skip }, async (t) => {
    const { room, owner, mod, ana, spam } = await cast(t)
    const on = (userId: string) => ({ room, userId })
    t.match(await ana.wire.request({ type: 'kick', id: 'mk1', ...on(spam.ok.userId) }), { type: 'error', id: 'mk1', code: 'forbidden', retryable: false }, 'a member kicks')
    t.match(await ana.wire.request({ type: 'ban', id: 'mk2', ...on(spam.ok.userId) }), { type: 'error', id: 'mk2', code: 'forbidden' }, 'a member bans')
    t.match(await ana.wire.request({ type: 'mute', id: 'mk3', ...on(spam.ok.userId) }), { type: 'error', id: 'mk3', code: 'forbidden' }, 'a member mutes')
    t.match(await mod.wire.request({ type: 'kick', id: 'mk4', ...on(owner.ok.userId) }), { type: 'error', id: 'mk4', code: 'forbidden' }, 'a moderator kicks the owner')
    t.match(await mod.wire.request({ type: 'ban', id: 'mk5', ...on(owner.ok.userId) }), { type: 'error', id: 'mk5', code: 'forbidden' }, 'a moderator bans the owner')
    t.match(await mod.wire.request({ type: 'mute', id: 'mk6', ...on(mod.ok.userId) }), { type: 'error', id: 'mk6', code: 'forbidden' }, 'a moderator mutes themselves')
    t.match(await owner.wire.request({ type: 'kick', id: 'mk7', ...on(owner.ok.userId) }), { type: 'error', id: 'mk7', code: 'forbidden' }, 'an owner kicks themselves')
    t.same(await arrivedBeforePong(spam.wire), [], 'no event reached the room')
    t.match(await spam.wire.request({ type: 'chat', room, text: 'nothing happened to me' }), { type: 'chat-ok' })
    t.match(
      await owner.wire.request({ type: 'mute', id: 'mk8', ...on(mod.ok.userId), durationMs: 60_000 }),
      { type: 'mute-ok', id: 'mk8', message: { event: { kind: 'mute', userId: mod.ok.userId } } },
      'an owner acts on a moderator',
    )
  })

  t.test('§7a moderation: a room the user cannot see is not-found, an unknown user is user-not-found; restrictions are for owners and moderators (forbidden otherwise)', { skip }, async (t) => {
    const { room, mod, ana, spam } = await cast(t)
    t.match(await mod.wire.request({ type: 'kick', id: 'mn1', room: uniqueRoom('nowhere'), userId: spam.ok.userId }), { type: 'error', id: 'mn1', code: 'not-found', retryable: false })
    t.match(await mod.wire.request({ type: 'ban', id: 'mn2', room, userId: 'no-such-user-7e8f9a' }), { type: 'error', id: 'mn2', code: 'user-not-found', retryable: false })
    await mod.wire.ok('ban-ok', { type: 'ban', room, userId: spam.ok.userId, reason: 'kit ban' })
    await mod.wire.ok('mute-ok', { type: 'mute', room, userId: ana.ok.userId, durationMs: 60_000 })
    t.match(await mod.wire.request({ type: 'restrictions', id: 'rs1', room }), {
      type: 'restrictions-ok',
      id: 'rs1',
      room,
      bans: [{ userId: spam.ok.userId, name: spam.ok.name, by: mod.ok.userId, reason: 'kit ban', since: Number, until: undefined }],
      mutes: [{ userId: ana.ok.userId, name: ana.ok.name, by: mod.ok.userId, since: Number, until: Number }],
    })
    t.match(await ana.wire.request({ type: 'restrictions', id: 'rs2', room }), { type: 'error', id: 'rs2', code: 'forbidden', retryable: false }, 'a member (muted or not) may not list them')
  })

  t.test('§7a moderation in a private room: to an outsider it is not-found, like a room that does not exist; a ban drops a pending invitation', { skip }, async (t) => {
    const { room, owner, mod } = await cast(t)
    await owner.wire.ok('set-room-ok', { type: 'set-room', room, public: false })
    const outsider = await member(target, t, 'outsider')
    for (const [id, frame] of [
      ['pv1', { type: 'kick', room, userId: mod.ok.userId }],
      ['pv2', { type: 'ban', room, userId: mod.ok.userId }],
      ['pv3', { type: 'restrictions', room }],
    ] as const) {
      t.match(await outsider.wire.request({ id, ...frame }), { type: 'error', id, code: 'not-found', retryable: false }, `${frame.type}: not-found, not forbidden`)
    }
    const invited = await member(target, t, 'invited')
    await owner.wire.ok('invite-ok', { type: 'invite', room, userId: invited.ok.userId })
    await owner.wire.ok('ban-ok', { type: 'ban', room, userId: invited.ok.userId })
    await owner.wire.ok('unban-ok', { type: 'unban', room, userId: invited.ok.userId })
    t.match(await invited.wire.request({ type: 'join-room', id: 'pv4', room }), { type: 'error', id: 'pv4', code: 'not-found' }, 'unbanned, but no longer invited')
  })

  t.test('§7a kick: every member sees the event, the kicked user’s connections too, then they are out of the room; a second kick changes nothing; they may join again', { skip }, async (t) => {
    const { room, mod, ana, spam } = await cast(t)
    const tab = await secondConnection(target, t, spam, [room])
    const kicked = await mod.wire.ok('kick-ok', { type: 'kick', id: 'kk1', room, userId: spam.ok.userId, reason: 'spam' })
    t.match(kicked, {
      type: 'kick-ok',
      id: 'kk1',
      room,
      userId: spam.ok.userId,
      message: { room, userId: mod.ok.userId, name: mod.ok.name, text: String, event: { kind: 'kick', userId: spam.ok.userId, name: spam.ok.name, reason: 'spam' } },
    })
    t.same(await nextEvent(ana, room, 'kick'), kicked.message, 'a member sees the event')
    for (const [what, who] of [
      ['the kicked connection', spam],
      ['its other tab', tab],
    ] as const) {
      t.same(await nextEvent(who, room, 'kick'), kicked.message, `${what} sees the event`)
      t.match(await who.wire.request({ type: 'chat', room, text: 'still here?' }), { type: 'error', code: 'not-in-room' }, `${what} is out of the room`)
    }
    t.match(await mod.wire.request({ type: 'kick', id: 'kk2', room, userId: spam.ok.userId }), { type: 'kick-ok', id: 'kk2', message: undefined }, 'a kick of someone not in the room: no message')
    t.match(await spam.wire.request({ type: 'join-room', room }), { type: 'join-room-ok' }, 'a kick is not a ban')
  })

  t.test(
    '§7a ban: the banned user sees the event and leaves; join-room and a login naming the room are banned; history is not theirs to read; unban lets them back; unban twice changes nothing',
    { skip },
    async (t) => {
      const { room, mod, ana, spam } = await cast(t)
      const said = await ana.wire.ok('chat-ok', { type: 'chat', room, text: 'before the ban' })
      const banned = await mod.wire.ok('ban-ok', { type: 'ban', id: 'bn1', room, userId: spam.ok.userId })
      t.match(banned, { type: 'ban-ok', id: 'bn1', room, userId: spam.ok.userId, message: { userId: mod.ok.userId, event: { kind: 'ban', userId: spam.ok.userId, until: undefined } } })
      t.same(await nextEntry(spam.wire, room), said.message)
      t.same(await nextEvent(spam, room, 'ban'), banned.message, 'the banned user sees the event first')
      t.match(await spam.wire.request({ type: 'history', id: 'bn2', room }), { type: 'error', id: 'bn2', code: 'not-in-room' }, 'no history')
      t.match(await spam.wire.request({ type: 'chat', id: 'bn3', room, text: 'let me in' }), { type: 'error', id: 'bn3', code: 'not-in-room' }, 'no chat')
      t.match(await spam.wire.request({ type: 'join-room', id: 'bn4', room }), { type: 'error', id: 'bn4', code: 'banned', retryable: false, details: ['until:never'] }, 'join-room: banned')
      t.match(
        await spam.wire.request({ type: 'join-room', id: 'bn5', room, since: { epoch: spam.ok.rooms[0]!.epoch, seq: said.message.seq - 1 } }),
        { type: 'error', id: 'bn5', code: 'banned' },
        'a resume is a join too',
      )
      const relogin = await target.open(t)
      t.match(
        await relogin.request({ type: 'login', id: 'bn6', session: spam.ok.session, rooms: [{ room }], version: '1.3.0' }),
        { type: 'error', id: 'bn6', code: 'banned' },
        'login naming the room: banned',
      )
      t.same(await arrivedBeforePong(spam.wire), [], 'nothing of the room reaches the banned user')
      const unbanned = await mod.wire.ok('unban-ok', { type: 'unban', id: 'ub1', room, userId: spam.ok.userId })
      t.match(unbanned, { type: 'unban-ok', id: 'ub1', room, userId: spam.ok.userId, message: { event: { kind: 'unban', userId: spam.ok.userId } } })
      t.match(
        await mod.wire.request({ type: 'unban', id: 'ub2', room, userId: spam.ok.userId }),
        { type: 'unban-ok', id: 'ub2', room, userId: spam.ok.userId, message: undefined },
        'unban of someone not banned: no message',
      )
      t.match(await spam.wire.request({ type: 'join-room', room }), { type: 'join-room-ok' }, 'welcome back')
    },
  )

  t.test('§7a ban: a user who is not in the room can be banned before they come (the event names them); join-room is then banned', { skip }, async (t) => {
    const { room, mod, ana } = await cast(t)
    const outsider = await member(target, t, 'outsider')
    const banned = await mod.wire.ok('ban-ok', { type: 'ban', room, userId: outsider.ok.userId, reason: 'known spammer' })
    t.match(banned.message, { event: { kind: 'ban', userId: outsider.ok.userId, name: outsider.ok.name, reason: 'known spammer' } })
    t.same(await nextEvent(ana, room, 'ban'), banned.message, 'the members see it')
    t.match(await outsider.wire.request({ type: 'join-room', id: 'ob1', room }), { type: 'error', id: 'ob1', code: 'banned', details: ['until:never'] })
  })

  t.test('§7a ban: a timed ban ends by itself (banned with until:<ms> meanwhile)', { skip }, async (t) => {
    const { room, mod, spam } = await cast(t)
    const banned = await mod.wire.ok('ban-ok', { type: 'ban', room, userId: spam.ok.userId, durationMs: 1000 })
    const refused = await spam.wire.request({ type: 'join-room', room })
    t.match(refused, { type: 'error', code: 'banned', details: [/^until:\d+$/] })
    // The server's clock, not the kit's: until is a second after the ban event's time.
    const until = refused.type === 'error' ? Number(refused.details?.[0]?.slice('until:'.length)) : 0
    t.ok(Math.abs(until - (banned.message!.ts + 1000)) <= 1000, `until (${until}) is about a second after the ban (${banned.message!.ts})`)
    await target.wait(1000)
    // Then the ban ends within a few seconds more, however the two clocks differ.
    let reply = await spam.wire.request({ type: 'join-room', room })
    for (let tries = 0; reply.type === 'error' && reply.code === 'banned' && tries < 20; tries++) {
      await target.wait(250)
      reply = await spam.wire.request({ type: 'join-room', room })
    }
    t.match(reply, { type: 'join-room-ok' }, 'the ban is over')
  })

  t.test('§7a mute: the muted user reads but cannot chat, edit, react or type (muted, with until); nothing reaches the room; unmute lifts it; unmute twice changes nothing', { skip }, async (t) => {
    const { room, mod, ana, spam } = await cast(t)
    const before = await spam.wire.ok('chat-ok', { type: 'chat', room, text: 'before the mute' })
    const muted = await mod.wire.ok('mute-ok', { type: 'mute', id: 'mu1', room, userId: spam.ok.userId, durationMs: 60_000, reason: 'cool down' })
    t.match(muted, { type: 'mute-ok', id: 'mu1', room, userId: spam.ok.userId, message: { event: { kind: 'mute', userId: spam.ok.userId, until: Number, reason: 'cool down' } } })
    t.same(await nextEvent(spam, room, 'mute'), muted.message, 'the muted user sees the event')
    await arrivedBeforePong(ana.wire)
    const refusedAs = { type: 'error', code: 'muted', retryable: false, details: [/^until:\d+$/] }
    t.match(await spam.wire.request({ type: 'chat', room, text: 'hello?' }), refusedAs, 'chat')
    t.match(await spam.wire.request({ type: 'edit', room, seq: before.message.seq, text: 'edited' }), refusedAs, 'edit')
    t.match(await spam.wire.request({ type: 'react', room, seq: before.message.seq, emoji: '👍' }), refusedAs, 'react')
    t.match(await spam.wire.request({ type: 'typing', room, typing: true }), refusedAs, 'typing')
    t.same(await arrivedBeforePong(ana.wire, ['chat', 'typing']), [], 'nothing of theirs reached the room')
    const said = await ana.wire.ok('chat-ok', { type: 'chat', room, text: 'ana may speak' })
    t.same(await nextEntry(spam.wire, room), said.message, 'the muted user still reads')
    t.match(await spam.wire.request({ type: 'history', room, limit: 1 }), { type: 'history-ok' }, 'and reads history')
    t.match(await mod.wire.request({ type: 'unmute', id: 'um1', room, userId: spam.ok.userId }), { type: 'unmute-ok', id: 'um1', message: { event: { kind: 'unmute', userId: spam.ok.userId } } })
    t.match(await mod.wire.request({ type: 'unmute', id: 'um2', room, userId: spam.ok.userId }), { type: 'unmute-ok', id: 'um2', message: undefined }, 'unmute of someone not muted: no message')
    t.match(await spam.wire.request({ type: 'chat', room, text: 'thanks' }), { type: 'chat-ok' }, 'posting again')
  })

  t.test(
    '§7a block: DMs from the blocked user are refused with blocked; their typing and dm-typing no longer reach the blocker; room messages still do; login-ok lists blocks; unblock restores; both idempotent',
    { skip },
    async (t) => {
      const { room, owner: carol, ana, spam } = await cast(t)
      const phone = await secondConnection(target, t, ana, [room])
      t.same(await ana.wire.ok('block-ok', { type: 'block', id: 'bk1', userId: spam.ok.userId }), { type: 'block-ok', id: 'bk1', userId: spam.ok.userId })
      t.same(await ana.wire.ok('block-ok', { type: 'block', id: 'bk2', userId: spam.ok.userId }), { type: 'block-ok', id: 'bk2', userId: spam.ok.userId }, 'a second block is fine')
      t.match(await spam.wire.request({ type: 'dm', id: 'bk3', to: ana.ok.userId, text: 'hi' }), { type: 'error', id: 'bk3', code: 'blocked', retryable: false })
      t.match(await spam.wire.request({ type: 'typing', room, typing: true }), { type: 'typing-ok' })
      t.match(await carol.wire.takeType('typing', (f) => f.userId === spam.ok.userId), { room, typing: true }, 'others see the typing')
      t.match(await spam.wire.request({ type: 'dm-typing', to: ana.ok.userId, typing: true }), { type: 'dm-typing-ok', to: ana.ok.userId }, 'dm-typing: the sender cannot tell')
      const said = await spam.wire.ok('chat-ok', { type: 'chat', room, text: 'room messages still arrive' })
      for (const [what, who] of [
        ['the blocker', ana],
        ['her other connection', phone],
      ] as const) {
        t.same(await nextEntry(who.wire, room), said.message, `${what} gets the room message`)
        const typing = (await who.wire.framesBeforePong()).filter((f) => f.type === 'dm' || ((f.type === 'typing' || f.type === 'dm-typing') && f.userId === spam.ok.userId))
        t.same(typing, [], `${what} got no DM, typing or dm-typing from the blocked user`)
      }
      const relogin = await secondConnection(target, t, ana)
      t.same(relogin.ok.blocked, [spam.ok.userId], 'login-ok lists the blocked user')
      t.same(await ana.wire.ok('unblock-ok', { type: 'unblock', id: 'ubk1', userId: spam.ok.userId }), { type: 'unblock-ok', id: 'ubk1', userId: spam.ok.userId })
      t.match(await ana.wire.request({ type: 'unblock', userId: spam.ok.userId }), { type: 'unblock-ok' }, 'a second unblock is fine')
      const dm = await spam.wire.ok('dm-ok', { type: 'dm', to: ana.ok.userId, text: 'sorry' })
      t.match(await ana.wire.takeType('dm'), { message: { text: dm.message.text, from: spam.ok.userId, to: ana.ok.userId } }, 'DMs arrive again')
      t.match(await ana.wire.request({ type: 'block', id: 'bk4', userId: ana.ok.userId }), { type: 'error', id: 'bk4', code: 'forbidden', retryable: false }, 'nobody blocks themselves')
      t.match(await ana.wire.request({ type: 'block', id: 'bk5', userId: 'no-such-user-4a5b6c' }), { type: 'error', id: 'bk5', code: 'user-not-found' }, 'an unknown user')
    },
  )

  t.test(
    '§9 dm-typing (since 1.3.0): dm-typing-ok to the typer; a dm-typing push (userId, name, typing) to the recipient’s 1.3.0 connections only; to an unknown user user-not-found',
    { skip },
    async (t) => {
      const ana = await member(target, t, 'ana')
      const phone = await secondConnection(target, t, ana)
      const old = await secondConnection(target, t, ana, [], null)
      const bob = await member(target, t, 'bob')
      t.same(await bob.wire.ok('dm-typing-ok', { type: 'dm-typing', id: 'dt1', to: ana.ok.userId, typing: true }), { type: 'dm-typing-ok', id: 'dt1', to: ana.ok.userId })
      for (const who of [ana, phone]) t.same(await who.wire.takeType('dm-typing'), { type: 'dm-typing', userId: bob.ok.userId, name: bob.ok.name, typing: true })
      await bob.wire.ok('dm-typing-ok', { type: 'dm-typing', to: ana.ok.userId, typing: false })
      t.same(await ana.wire.takeType('dm-typing'), { type: 'dm-typing', userId: bob.ok.userId, name: bob.ok.name, typing: false }, 'and the stop')
      t.same(await old.wire.framesBeforePong(), [], 'a connection that announced no version gets no dm-typing push')
      t.same(await bob.wire.framesBeforePong(), [], 'the typer gets no push')
      t.match(await bob.wire.request({ type: 'dm-typing', id: 'dt3', to: 'no-such-user-9c8b7a', typing: true }), { type: 'error', id: 'dt3', code: 'user-not-found' })
    },
  )
}
