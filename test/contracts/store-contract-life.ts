// The HistoryStore contract of protocol 1.3.0 (server/store/store.ts, "the
// life of a message and moderation"): replies and mentions, event entries and
// what they do to the messages they name, restrictions, read markers and
// unread counts. storeContract runs it for every implementation; it lives
// apart only to keep each file readable.
import type { Test } from 'tap'
import { applyEntry, type ChatMessage, DELETED_TEXT, MAX_EXCERPT_CHARS, MAX_REACTIONS_PER_MESSAGE, MAX_REACTIONS_PER_USER, type RoomEvent, type Timeline } from '@wirechat/protocol'
import { type AppendedEvent, type ChatInput, type EventInput, type HistoryStore, ReplyTargetError } from '../../server/store/store.ts'
import type { MakeStore, StoreUnderTest } from './store-contract.ts'

/** What storeContract lends this suite: its factory and its open/close bookkeeping. */
export interface LifeContractTools {
  makeStore: MakeStore
  /** Opens a store and closes it in teardown unless the test closed it. */
  open(t: Test, store: HistoryStore): Promise<HistoryStore>
  fresh(t: Test): Promise<StoreUnderTest & { opened: HistoryStore }>
}

const T0 = 1_700_000_000_000
/** Restrictions are judged at the `now` a caller gives, never by the clock. */
const NOW = 1_800_000_000_000
const HOUR = 3_600_000

const as = (userId: string) => ({ userId, name: userId.slice(2) })
const chat = (room: string, n: number, extra: Partial<ChatInput> = {}): ChatInput => ({ room, ...as('u-ana'), text: `line ${n}`, ts: T0 + n, ...extra })
const ev = (room: string, event: RoomEvent, extra: Partial<EventInput> = {}): EventInput => ({ room, ...as('u-ana'), text: `${event.kind} happened`, ts: T0 + 500, event, ...extra })
const edit = (room: string, target: number, text: string, extra: Partial<EventInput> = {}) => ev(room, { kind: 'edit', target }, { text, ...extra })
const del = (room: string, target: number, extra: Partial<EventInput> = {}) => ev(room, { kind: 'delete', target }, extra)
const react = (room: string, target: number, userId: string, emoji: string, on = true) => ev(room, { kind: 'react', target, emoji, on }, { ...as(userId), text: `${userId.slice(2)} reacted ${emoji}` })
const moderate = (room: string, kind: 'kick' | 'ban' | 'unban' | 'mute' | 'unmute', userId: string, extra: { until?: number; reason?: string } = {}, input: Partial<EventInput> = {}) =>
  ev(room, { kind, ...as(userId), ...extra } as RoomEvent, { ts: NOW, ...input })
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i)
const sorted = (xs: number[]): number[] => [...xs].sort((a, b) => a - b)
/** The entry an appendEvent appended (throws, failing the test, when it refused). */
function entry(result: AppendedEvent): ChatMessage {
  if (!result.appended) throw new Error(`the event was refused: ${result.refusal}`)
  return result.message
}
const refused = (refusal: string) => ({ appended: false, refusal })
const NEW_FIELDS = ['event', 'replyTo', 'mentions', 'edited', 'deleted', 'reactions', 'rev'] as const
// 21 distinct emoji: one more than a message may carry.
const EMOJI = ['👍', '👎', '😀', '😂', '😍', '😢', '😮', '😡', '🎉', '❤️', '🔥', '👀', '🙏', '💯', '✅', '❌', '🤔', '👏', '🚀', '⭐', '🍵']

export function lifeContract(t: Test, { makeStore, open, fresh }: LifeContractTools): void {
  t.test('a reply carries its target: id, seq, author and the first 120 code points of its text as it was then', async (t) => {
    const { opened: store } = await fresh(t)
    const long = (await store.appendChat(chat('lobby', 1, { text: '😀'.repeat(MAX_EXCERPT_CHARS) + 'ab' }))).message
    const short = (await store.appendChat(chat('lobby', 2, { ...as('u-bob'), text: 'short' }))).message
    entry(await store.appendEvent(edit('lobby', 2, 'short, edited', as('u-bob'))))
    const toLong = await store.appendChat(chat('lobby', 4, { ...as('u-cy'), replyTo: 1 }))
    const toShort = await store.appendChat(chat('lobby', 5, { replyTo: 2, clientMsgId: 'c-reply' }))
    t.same(
      toLong,
      {
        duplicate: false,
        message: {
          msgId: toLong.message.msgId,
          room: 'lobby',
          seq: 4,
          userId: 'u-cy',
          name: 'cy',
          text: 'line 4',
          ts: T0 + 4,
          replyTo: { msgId: long.msgId, seq: 1, userId: 'u-ana', name: 'ana', excerpt: '😀'.repeat(MAX_EXCERPT_CHARS) },
        },
      },
      'code points, not UTF-16 units',
    )
    t.same(toShort.message.replyTo, { msgId: short.msgId, seq: 2, userId: 'u-bob', name: 'bob', excerpt: 'short, edited' }, 'the text as it is when the reply is sent')
    t.equal(toShort.message.clientMsgId, 'c-reply')
    entry(await store.appendEvent(edit('lobby', 2, 'short, edited again', as('u-bob'))))
    t.same((await store.range('lobby', { after: 3, limit: 10 })).messages.slice(0, 2), [toLong.message, toShort.message], 'range returns them as acknowledged: a later edit leaves the excerpt')
    t.same(await store.findMessage('lobby', 5), toShort.message)
  })

  t.test('mentions are kept on the message; a message without replyTo or mentions has none of the 1.3.0 keys', async (t) => {
    const { opened: store } = await fresh(t)
    const mentioning = await store.appendChat(chat('lobby', 1, { text: '@bob @cy look', mentions: ['u-bob', 'u-cy'] }))
    t.same(mentioning.message.mentions, ['u-bob', 'u-cy'])
    const plain = await store.appendChat(chat('lobby', 2, { mentions: [] }))
    const page = await store.range('lobby', { after: 0, limit: 10 })
    t.same(page.messages, [mentioning.message, plain.message])
    for (const message of [plain.message, page.messages[1]!]) for (const key of NEW_FIELDS) t.notOk(key in message, `no ${key} key`)
  })

  t.test('a reply to no message, an event or a deleted message rejects with ReplyTargetError, stores nothing and burns no seq', async (t) => {
    const { opened: store } = await fresh(t)
    await store.appendChat(chat('lobby', 1))
    entry(await store.appendEvent(edit('lobby', 1, 'line 1, edited')))
    await store.appendChat(chat('lobby', 3))
    entry(await store.appendEvent(del('lobby', 3)))
    for (const replyTo of [5, 99, 2, 4, 3]) await t.rejects(store.appendChat(chat('lobby', 10, { replyTo, clientMsgId: 'c-reply' })), ReplyTargetError, `replyTo ${replyTo}`)
    await t.rejects(store.appendChat(chat('side', 10, { replyTo: 1 })), ReplyTargetError, 'the target must be in the same room')
    t.equal(await store.head('lobby'), 4)
    t.equal(await store.head('side'), 0)
    t.equal((await store.range('lobby', { after: 0, limit: 10 })).messages.length, 4)
    const next = await store.appendChat(chat('lobby', 11, { replyTo: 1, clientMsgId: 'c-reply' }))
    t.match(next, { duplicate: false, message: { seq: 5, replyTo: { seq: 1, excerpt: 'line 1, edited' } } }, 'no seq burned and the clientMsgId not taken')
  })

  t.test('a retried reply returns the original as it is now, even once its target is deleted', async (t) => {
    const { opened: store } = await fresh(t)
    const target = (await store.appendChat(chat('lobby', 1))).message
    const first = await store.appendChat(chat('lobby', 2, { replyTo: 1, clientMsgId: 'c-r' }))
    entry(await store.appendEvent(del('lobby', 1)))
    const again = await store.appendChat(chat('lobby', 2, { replyTo: 1, clientMsgId: 'c-r' }))
    t.equal(again.duplicate, true)
    t.same(again.message, { ...first.message, replyTo: { msgId: target.msgId, seq: 1, userId: 'u-ana', name: 'ana' } }, 'the excerpt went with the target')
    t.same(again.message, await store.findMessage('lobby', 2))
    t.equal(await store.head('lobby'), 3)
  })

  t.test('an edit is an event entry with the next seq; the target gets the new text, edited and rev', async (t) => {
    const { opened: store } = await fresh(t)
    const one = (await store.appendChat(chat('lobby', 1, { clientMsgId: 'c-1' }))).message
    const two = (await store.appendChat(chat('lobby', 2))).message
    const edited = entry(await store.appendEvent(edit('lobby', 1, 'line 1, fixed', { ts: T0 + 10 })))
    t.same(
      edited,
      { msgId: edited.msgId, room: 'lobby', seq: 3, userId: 'u-ana', name: 'ana', text: 'line 1, fixed', ts: T0 + 10, event: { kind: 'edit', target: 1 } },
      'an entry of its own, nothing more',
    )
    t.type(edited.msgId, 'string')
    t.not(edited.msgId, one.msgId)
    const now = { ...one, text: 'line 1, fixed', edited: T0 + 10, rev: 3 }
    t.same((await store.range('lobby', { after: 0, limit: 10 })).messages, [now, two, edited])
    t.same(await store.findMessage('lobby', 1), now)
    t.same(await store.findMessage('lobby', 3), edited, 'findMessage finds event entries too')
    t.equal(await store.findMessage('lobby', 4), undefined)
    t.equal(await store.findMessage('side', 1), undefined)
    t.equal(entry(await store.appendEvent(edit('lobby', 1, 'line 1, final', { ts: T0 + 20 }))).seq, 4)
    t.same(await store.findMessage('lobby', 1), { ...one, text: 'line 1, final', edited: T0 + 20, rev: 4 })
    t.equal(await store.head('lobby'), 4)
  })

  t.test('a delete leaves a tombstone: DELETED_TEXT, deleted, rev; no reactions, mentions, reply or edited; its edits lose their text', async (t) => {
    const { opened: store } = await fresh(t)
    await store.appendChat(chat('lobby', 1))
    const said = (await store.appendChat(chat('lobby', 2, { ...as('u-bob'), clientMsgId: 'c-2', replyTo: 1, mentions: ['u-ana'] }))).message
    const reacted = entry(await store.appendEvent(react('lobby', 2, 'u-cy', '👍')))
    const edited = entry(await store.appendEvent(edit('lobby', 2, 'a secret', as('u-bob'))))
    const deleted = entry(await store.appendEvent(del('lobby', 2, { ...as('u-bob'), ts: T0 + 50 })))
    t.same(deleted, { msgId: deleted.msgId, room: 'lobby', seq: 5, userId: 'u-bob', name: 'bob', text: 'delete happened', ts: T0 + 50, event: { kind: 'delete', target: 2 } })
    const { replyTo: _r, mentions: _m, ...kept } = said
    const tombstone = { ...kept, text: DELETED_TEXT, deleted: true, rev: 5 }
    t.same(await store.findMessage('lobby', 2), tombstone, 'id, seq, author, time and clientMsgId stay')
    const page = await store.range('lobby', { after: 1, limit: 10 })
    t.same(page.messages, [tombstone, reacted, { ...edited, text: DELETED_TEXT }, deleted], 'the edit entry no longer carries the text; the others stay')
  })

  t.test('deleting a message drops the excerpt of the replies to it, and nothing else of them', async (t) => {
    const { opened: store } = await fresh(t)
    const one = (await store.appendChat(chat('lobby', 1))).message
    const reply = (await store.appendChat(chat('lobby', 2, { ...as('u-bob'), replyTo: 1 }))).message
    const other = (await store.appendChat(chat('lobby', 3, { replyTo: 2 }))).message
    entry(await store.appendEvent(del('lobby', 1)))
    t.same(await store.findMessage('lobby', 2), { ...reply, replyTo: { msgId: one.msgId, seq: 1, userId: 'u-ana', name: 'ana' } }, 'no rev: the reply was not the target')
    t.same(await store.findMessage('lobby', 3), other, 'a reply to another message keeps its excerpt')
  })

  t.test('a second delete is unchanged; an edit or reaction of a deleted message is not-found; none burns a seq', async (t) => {
    const { opened: store } = await fresh(t)
    await store.appendChat(chat('lobby', 1))
    entry(await store.appendEvent(del('lobby', 1)))
    t.same(await store.appendEvent(del('lobby', 1)), refused('unchanged'))
    t.same(await store.appendEvent(edit('lobby', 1, 'resurrected')), refused('not-found'))
    t.same(await store.appendEvent(react('lobby', 1, 'u-bob', '👍')), refused('not-found'))
    t.same(await store.appendEvent(react('lobby', 1, 'u-bob', '👍', false)), refused('not-found'))
    t.equal(await store.head('lobby'), 2)
    t.match(await store.findMessage('lobby', 1), { text: DELETED_TEXT, deleted: true, rev: 2 }, 'the tombstone is untouched')
    t.equal((await store.appendChat(chat('lobby', 3))).message.seq, 3)
  })

  t.test('events naming no message of the room, or an event entry, are not-found and burn no seq', async (t) => {
    const { opened: store } = await fresh(t)
    await store.appendChat(chat('lobby', 1))
    entry(await store.appendEvent(edit('lobby', 1, 'line 1, edited')))
    for (const target of [3, 99, 2]) {
      t.same(await store.appendEvent(edit('lobby', target, 'x')), refused('not-found'), `edit of ${target}`)
      t.same(await store.appendEvent(del('lobby', target)), refused('not-found'), `delete of ${target}`)
      t.same(await store.appendEvent(react('lobby', target, 'u-bob', '👍')), refused('not-found'), `reaction to ${target}`)
      t.same(await store.appendEvent(react('lobby', target, 'u-bob', '👍', false)), refused('not-found'), `reaction taken back from ${target}`)
    }
    t.same(await store.appendEvent(del('side', 1)), refused('not-found'), 'the target is in the same room')
    t.equal(await store.head('lobby'), 2)
    t.equal(await store.head('side'), 0)
    t.equal((await store.appendChat(chat('lobby', 3))).message.seq, 3)
  })

  t.test('reactions: groups in the order they began, users oldest first; a repeat is unchanged', async (t) => {
    const { opened: store } = await fresh(t)
    const one = (await store.appendChat(chat('lobby', 1))).message
    const reactions = async () => (await store.findMessage('lobby', 1))?.reactions
    entry(await store.appendEvent(react('lobby', 1, 'u-bob', '👍')))
    entry(await store.appendEvent(react('lobby', 1, 'u-cy', '❤️')))
    const third = entry(await store.appendEvent(react('lobby', 1, 'u-ana', '👍')))
    t.same(third, { msgId: third.msgId, room: 'lobby', seq: 4, userId: 'u-ana', name: 'ana', text: 'ana reacted 👍', ts: T0 + 500, event: { kind: 'react', target: 1, emoji: '👍', on: true } })
    t.same(await store.appendEvent(react('lobby', 1, 'u-bob', '👍')), refused('unchanged'), 'a repeat')
    t.same(await store.appendEvent(react('lobby', 1, 'u-dan', '🎉', false)), refused('unchanged'), 'taking back a reaction never made')
    t.same(await store.findMessage('lobby', 1), {
      ...one,
      reactions: [
        { emoji: '👍', count: 2, users: ['u-bob', 'u-ana'] },
        { emoji: '❤️', count: 1, users: ['u-cy'] },
      ],
      rev: 4,
    })
    entry(await store.appendEvent(react('lobby', 1, 'u-bob', '👍', false)))
    t.same(
      await reactions(),
      [
        { emoji: '👍', count: 1, users: ['u-ana'] },
        { emoji: '❤️', count: 1, users: ['u-cy'] },
      ],
      'a group keeps its place while it has users',
    )
    entry(await store.appendEvent(react('lobby', 1, 'u-ana', '👍', false)))
    entry(await store.appendEvent(react('lobby', 1, 'u-ana', '👍')))
    t.same(
      await reactions(),
      [
        { emoji: '❤️', count: 1, users: ['u-cy'] },
        { emoji: '👍', count: 1, users: ['u-ana'] },
      ],
      'a group that emptied and began again comes last',
    )
    entry(await store.appendEvent(react('lobby', 1, 'u-cy', '❤️', false)))
    entry(await store.appendEvent(react('lobby', 1, 'u-ana', '👍', false)))
    t.same(await store.findMessage('lobby', 1), { ...one, rev: 9 }, 'no reactions left: no reactions key')
    t.equal(await store.head('lobby'), 9)
  })

  t.test('too-many-reactions: at most 20 emoji on a message and 10 of one user on it', async (t) => {
    const { opened: store } = await fresh(t)
    await store.appendChat(chat('lobby', 1))
    for (const emoji of EMOJI.slice(0, MAX_REACTIONS_PER_USER)) entry(await store.appendEvent(react('lobby', 1, 'u-ana', emoji)))
    t.same(await store.appendEvent(react('lobby', 1, 'u-ana', EMOJI[10]!)), refused('too-many-reactions'), '10 per user')
    for (const emoji of EMOJI.slice(10, MAX_REACTIONS_PER_MESSAGE)) entry(await store.appendEvent(react('lobby', 1, 'u-bob', emoji)))
    t.same(await store.appendEvent(react('lobby', 1, 'u-cy', EMOJI[20]!)), refused('too-many-reactions'), '20 emoji per message')
    t.same(await store.appendEvent(react('lobby', 1, 'u-ana', EMOJI[0]!)), refused('unchanged'), 'a repeat at the limit is unchanged, not refused')
    entry(await store.appendEvent(react('lobby', 1, 'u-cy', EMOJI[0]!)))
    t.equal(await store.head('lobby'), 22, 'refusals burn no seq')
    t.equal((await store.findMessage('lobby', 1))?.reactions?.length, MAX_REACTIONS_PER_MESSAGE)
    entry(await store.appendEvent(react('lobby', 1, 'u-ana', EMOJI[0]!, false)))
    entry(await store.appendEvent(react('lobby', 1, 'u-cy', EMOJI[0]!, false)))
    entry(await store.appendEvent(react('lobby', 1, 'u-ana', EMOJI[20]!)))
    t.same(
      (await store.findMessage('lobby', 1))?.reactions?.map((r) => r.emoji),
      [...EMOJI.slice(1, 20), EMOJI[20]],
      'room again once a group emptied',
    )
  })

  t.test('ban and mute set a restriction found until it ends; a new one replaces it; listRestrictions oldest first', async (t) => {
    const { opened: store } = await fresh(t)
    for (const room of ['dev', 'other']) await store.addMembership('u-bob', room, NOW)
    await store.addMembership('u-cy', 'dev', NOW)
    await store.addInvitation('dev', 'u-bob', 'u-ana', NOW)
    const ban = entry(await store.appendEvent(moderate('dev', 'ban', 'u-bob', { until: NOW + HOUR, reason: 'spam' })))
    t.same(ban, {
      msgId: ban.msgId,
      room: 'dev',
      seq: 1,
      userId: 'u-ana',
      name: 'ana',
      text: 'ban happened',
      ts: NOW,
      event: { kind: 'ban', userId: 'u-bob', name: 'bob', until: NOW + HOUR, reason: 'spam' },
    })
    const banned = { room: 'dev', userId: 'u-bob', kind: 'ban', name: 'bob', until: NOW + HOUR, by: 'u-ana', reason: 'spam', since: NOW }
    t.same(await store.findRestriction('dev', 'u-bob', 'ban', NOW), banned)
    t.same(await store.findRestriction('dev', 'u-bob', 'ban', NOW + HOUR - 1), banned, 'in force until its end')
    t.equal(await store.findRestriction('dev', 'u-bob', 'ban', NOW + HOUR), undefined, 'ended at until')
    t.equal(await store.findRestriction('dev', 'u-bob', 'mute', NOW), undefined, 'a ban is not a mute')
    t.equal(await store.findRestriction('other', 'u-bob', 'ban', NOW), undefined, 'per room')
    t.same(await store.listMemberships('u-bob'), ['other'], 'the ban removed the membership of that room')
    t.equal(await store.hasInvitation('dev', 'u-bob'), false, 'and the invitation')
    entry(await store.appendEvent(moderate('dev', 'mute', 'u-cy', {}, { ts: NOW + 1 })))
    t.same(await store.findRestriction('dev', 'u-cy', 'mute', NOW + 100 * HOUR), { room: 'dev', userId: 'u-cy', kind: 'mute', name: 'cy', by: 'u-ana', since: NOW + 1 }, 'until lifted; no reason')
    t.same(await store.listMemberships('u-cy'), ['dev'], 'a mute keeps the membership')
    t.same(
      (await store.listRestrictions('dev', NOW + 2)).map((r) => [r.kind, r.userId]),
      [
        ['ban', 'u-bob'],
        ['mute', 'u-cy'],
      ],
    )
    entry(await store.appendEvent(moderate('dev', 'ban', 'u-bob', { until: NOW + 3 * HOUR }, { ...as('u-dan'), ts: NOW + 2 })))
    const replaced = await store.findRestriction('dev', 'u-bob', 'ban', NOW + 2 * HOUR)
    t.same(replaced, { room: 'dev', userId: 'u-bob', kind: 'ban', name: 'bob', until: NOW + 3 * HOUR, by: 'u-dan', since: NOW + 2 }, 'replaced, reason and all')
    t.same(
      (await store.listRestrictions('dev', NOW + 2)).map((r) => [r.kind, r.userId]),
      [
        ['mute', 'u-cy'],
        ['ban', 'u-bob'],
      ],
      'oldest first: the new ban is the newest',
    )
    t.same(await store.listRestrictions('dev', NOW + 3 * HOUR), [await store.findRestriction('dev', 'u-cy', 'mute', NOW)], 'an ended ban is not listed')
    entry(await store.appendEvent(moderate('dev', 'mute', 'u-dan', { until: NOW - 1 }, { ts: NOW - HOUR })))
    t.equal(await store.findRestriction('dev', 'u-dan', 'mute', NOW), undefined, 'a restriction set already ended is not found')
    t.same(await store.listRestrictions('other', NOW), [])
  })

  t.test('a kick removes the membership and restricts nothing', async (t) => {
    const { opened: store } = await fresh(t)
    await store.addMembership('u-bob', 'dev', NOW)
    await store.addInvitation('dev', 'u-bob', 'u-ana', NOW)
    const kick = entry(await store.appendEvent(moderate('dev', 'kick', 'u-bob', { reason: 'calm down' })))
    t.match(kick, { seq: 1, event: { kind: 'kick', userId: 'u-bob', name: 'bob', reason: 'calm down' } })
    t.same(await store.listMemberships('u-bob'), [])
    t.equal(await store.countMembers('dev'), 0)
    t.equal(await store.hasInvitation('dev', 'u-bob'), true, 'they may join again')
    t.equal(await store.findRestriction('dev', 'u-bob', 'ban', NOW), undefined)
    t.same(await store.listRestrictions('dev', NOW), [])
  })

  t.test('unban and unmute lift a restriction; unchanged when none is in force', async (t) => {
    const { opened: store } = await fresh(t)
    t.same(await store.appendEvent(moderate('dev', 'unban', 'u-bob')), refused('unchanged'))
    t.same(await store.appendEvent(moderate('dev', 'unmute', 'u-bob')), refused('unchanged'))
    entry(await store.appendEvent(moderate('dev', 'ban', 'u-bob')))
    entry(await store.appendEvent(moderate('dev', 'mute', 'u-bob', { until: NOW + HOUR })))
    const unban = entry(await store.appendEvent(moderate('dev', 'unban', 'u-bob', {}, { ts: NOW + 1 })))
    t.same(unban.event, { kind: 'unban', userId: 'u-bob', name: 'bob' })
    t.equal(unban.seq, 3)
    t.equal(await store.findRestriction('dev', 'u-bob', 'ban', NOW + 1), undefined, 'lifted')
    t.ok(await store.findRestriction('dev', 'u-bob', 'mute', NOW + 1), 'the mute stays')
    t.same(await store.appendEvent(moderate('dev', 'unban', 'u-bob', {}, { ts: NOW + 2 })), refused('unchanged'), 'twice')
    t.same(await store.appendEvent(moderate('dev', 'unmute', 'u-bob', {}, { ts: NOW + HOUR })), refused('unchanged'), 'a mute that ended is not in force')
    t.equal(await store.head('dev'), 3, 'refusals burn no seq')
  })

  t.test('every kind of event takes the next seq of the one stream and comes back from range with its event', async (t) => {
    const { opened: store } = await fresh(t)
    const messages = [(await store.appendChat(chat('dev', 1))).message, (await store.appendChat(chat('dev', 2))).message]
    const inputs = [
      edit('dev', 1, 'line 1, edited'),
      react('dev', 2, 'u-bob', '👍'),
      moderate('dev', 'kick', 'u-cy', { reason: 'r' }),
      moderate('dev', 'ban', 'u-cy', { until: NOW + HOUR, reason: 'r' }),
      moderate('dev', 'mute', 'u-dan'),
      moderate('dev', 'unmute', 'u-dan'),
      moderate('dev', 'unban', 'u-cy'),
      react('dev', 2, 'u-bob', '👍', false),
      del('dev', 2),
    ]
    const entries: ChatMessage[] = []
    for (const input of inputs) entries.push(entry(await store.appendEvent(input)))
    t.same(
      entries.map((e) => e.seq),
      range(3, 11),
    )
    t.same(
      entries.map((e) => e.event),
      inputs.map((i) => i.event),
    )
    const page = await store.range('dev', { after: 0, limit: 20 })
    t.same(page.messages, [{ ...messages[0]!, text: 'line 1, edited', edited: T0 + 500, rev: 3 }, { ...messages[1]!, text: DELETED_TEXT, deleted: true, rev: 11 }, ...entries])
    t.same((await store.range('dev', { before: 11, limit: 3 })).messages, entries.slice(5, 8), 'paging backward too')
  })

  t.test('concurrent messages and events in one room take every seq exactly once', async (t) => {
    const made = await makeStore(t)
    const stores = [await open(t, made.store)]
    if (made.sameData) stores.push(await open(t, made.sameData()))
    await stores[0]!.appendChat(chat('lobby', 0))
    const seqs = await Promise.all(
      range(1, 60).map((n) => {
        const store = stores[n % stores.length]!
        if (n % 3 === 0) return store.appendEvent(react('lobby', 1, `u-${n}`, '👍')).then((r) => entry(r).seq)
        return store.appendChat(chat('lobby', n, { replyTo: 1 })).then((a) => a.message.seq)
      }),
    )
    t.same(sorted(seqs), range(2, 61))
    const target = await stores[0]!.findMessage('lobby', 1)
    t.match(target, { reactions: [{ emoji: '👍', count: 20 }], rev: Math.max(...seqs.filter((_, i) => (i + 1) % 3 === 0)) })
    t.equal(new Set(target?.reactions?.[0]?.users).size, 20)
    t.same(
      (await stores[0]!.range('lobby', { after: 0, limit: 100 })).messages.map((m) => m.seq),
      range(1, 61),
    )
  })

  t.test('the snapshots agree with the protocol reducer run over the stream', async (t) => {
    const { opened: store } = await fresh(t)
    const stream: ChatMessage[] = []
    const say = async (input: ChatInput) => stream.push((await store.appendChat(input)).message)
    const act = async (input: EventInput) => stream.push(entry(await store.appendEvent(input)))
    await say(chat('lobby', 1))
    await say(chat('lobby', 2, { ...as('u-bob'), replyTo: 1, mentions: ['u-ana'] }))
    await act(react('lobby', 1, 'u-bob', '👍'))
    await act(react('lobby', 1, 'u-cy', '🎉'))
    await act(react('lobby', 2, 'u-cy', '🎉'))
    await act(edit('lobby', 1, 'line 1, edited'))
    await say(chat('lobby', 7, { replyTo: 2 }))
    await act(react('lobby', 1, 'u-bob', '👍', false))
    await act(react('lobby', 1, 'u-ana', '👍'))
    await act(moderate('lobby', 'mute', 'u-cy'))
    await act(del('lobby', 2))
    await say(chat('lobby', 12, { replyTo: 1 }))
    await act(edit('lobby', 12, 'line 12, edited'))
    const timeline: Timeline = new Map()
    for (const e of stream) applyEntry(timeline, e)
    // The timeline keeps moderation events as lines too; the snapshots of messages are the rest.
    const snapshots = (await store.range('lobby', { after: 0, limit: 100 })).messages.filter((m) => m.event === undefined)
    t.same(
      snapshots,
      [...timeline.values()].filter((m) => m.event === undefined),
    )
  })

  t.test('markRoomRead moves the marker up, never down; per user and room', async (t) => {
    const { opened: store } = await fresh(t)
    t.same(await store.unreadCounts('u-ana', ['dev']), [{ room: 'dev', readSeq: 0, unread: 0, mentions: 0 }])
    t.equal(await store.markRoomRead('u-ana', 'dev', 5), 5)
    t.equal(await store.markRoomRead('u-ana', 'dev', 3), 5, 'never down')
    t.equal(await store.markRoomRead('u-ana', 'dev', 7), 7)
    t.equal(await store.markRoomRead('u-bob', 'dev', 1), 1, 'per user')
    t.equal(await store.markRoomRead('u-ana', 'ops', 2), 2, 'per room')
    t.same(
      (await store.unreadCounts('u-ana', ['ops', 'dev', 'none'])).map((r) => [r.room, r.readSeq]),
      [
        ['ops', 2],
        ['dev', 7],
        ['none', 0],
      ],
      'in the order given',
    )
    t.same(await store.unreadCounts('u-ana', []), [])
  })

  t.test("unreadCounts: others' messages above the marker, not events, not deleted; mentions of the user among them", async (t) => {
    const { opened: store } = await fresh(t)
    await store.appendChat(chat('dev', 1, { text: 'mine' }))
    await store.appendChat(chat('dev', 2, as('u-bob')))
    await store.appendChat(chat('dev', 3, { ...as('u-bob'), mentions: ['u-ana'] }))
    await store.appendChat(chat('dev', 4, { ...as('u-cy'), mentions: ['u-bob'] }))
    entry(await store.appendEvent(react('dev', 2, 'u-cy', '👍')))
    await store.appendChat(chat('dev', 6, { ...as('u-cy'), mentions: ['u-ana', 'u-bob'] }))
    await store.appendChat(chat('dev', 7, { ...as('u-bob'), mentions: ['u-ana'] }))
    entry(await store.appendEvent(del('dev', 7, as('u-bob'))))
    entry(await store.appendEvent(edit('dev', 2, 'edited', as('u-bob'))))
    await store.appendChat(chat('ops', 1, as('u-bob')))
    t.same(await store.unreadCounts('u-ana', ['dev', 'ops']), [
      { room: 'dev', readSeq: 0, unread: 4, mentions: 2 },
      { room: 'ops', readSeq: 0, unread: 1, mentions: 0 },
    ])
    await store.markRoomRead('u-ana', 'dev', 3)
    t.same(await store.unreadCounts('u-ana', ['dev']), [{ room: 'dev', readSeq: 3, unread: 2, mentions: 1 }])
    t.same(await store.unreadCounts('u-bob', ['dev']), [{ room: 'dev', readSeq: 0, unread: 3, mentions: 2 }], "bob's own messages and the deleted one do not count")
    await store.markRoomRead('u-ana', 'dev', 9)
    t.same(await store.unreadCounts('u-ana', ['dev']), [{ room: 'dev', readSeq: 9, unread: 0, mentions: 0 }])
  })

  t.test('deleting a room removes its restrictions; deleting an account removes its room read markers', async (t) => {
    const { opened: store } = await fresh(t)
    await store.appendChat(chat('dev', 1))
    entry(await store.appendEvent(moderate('dev', 'ban', 'u-bob')))
    entry(await store.appendEvent(react('dev', 1, 'u-cy', '👍')))
    await store.markRoomRead('u-ana', 'dev', 2)
    await store.markRoomRead('u-ana', 'ops', 1)
    await store.deleteRoom('dev')
    t.equal(await store.findRestriction('dev', 'u-bob', 'ban', NOW), undefined)
    t.same(await store.listRestrictions('dev', NOW), [])
    const again = await store.appendChat(chat('dev', 4))
    t.same(again.message.seq, 4, 'the numbering goes on')
    t.same(await store.findMessage('dev', 4), again.message)
    t.same(await store.unreadCounts('u-ana', ['dev']), [{ room: 'dev', readSeq: 2, unread: 0, mentions: 0 }], 'read markers stay: the numbering did')
    await store.deleteAccount('u-ana')
    t.same(
      (await store.unreadCounts('u-ana', ['dev', 'ops'])).map((r) => r.readSeq),
      [0, 0],
    )
  })

  t.test('replies, mentions, edits, tombstones, reactions, restrictions and read markers survive a reopen', async (t) => {
    const made = await makeStore(t)
    if (!made.sameData) return t.plan(0, 'this store keeps its data in the instance')
    const first = await open(t, made.store)
    await first.appendChat(chat('dev', 1))
    await first.appendChat(chat('dev', 2, { ...as('u-bob'), replyTo: 1, mentions: ['u-ana'] }))
    entry(await first.appendEvent(edit('dev', 1, 'line 1, edited')))
    entry(await first.appendEvent(react('dev', 2, 'u-cy', '👍')))
    await first.appendChat(chat('dev', 5, { replyTo: 2 }))
    entry(await first.appendEvent(del('dev', 2)))
    entry(await first.appendEvent(moderate('dev', 'mute', 'u-cy', { until: NOW + HOUR, reason: 'loud' })))
    await first.markRoomRead('u-bob', 'dev', 3)
    const before = await first.range('dev', { after: 0, limit: 20 })
    const restrictions = await first.listRestrictions('dev', NOW)
    const counts = await first.unreadCounts('u-bob', ['dev'])
    await first.close()
    const reopened = await open(t, made.sameData())
    t.same(await reopened.range('dev', { after: 0, limit: 20 }), before)
    t.same(await reopened.listRestrictions('dev', NOW), restrictions)
    t.equal(restrictions.length, 1)
    t.same(await reopened.unreadCounts('u-bob', ['dev']), counts)
    t.same(counts, [{ room: 'dev', readSeq: 3, unread: 1, mentions: 0 }])
    t.same(await reopened.appendEvent(react('dev', 1, 'u-cy', '👍')).then((r) => r.appended && r.message.seq), 8, 'the numbering goes on')
  })
}
