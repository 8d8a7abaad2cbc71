// Room stream entries as page lines (protocol 1.3.0): messages carry their
// state (edited, deleted, reactions with the reader's own marked, the reply
// quote); moderation entries are notices; edit, delete and react entries are
// no lines at all (they change their target via message-changed).
import t from 'tap'
import type { ChatMessage } from '../../../protocol/index.ts'
import { changesAMessage, messageState, roomLine } from '../../../client/page/message-lines.ts'

const ANA = 'u_ana'
const BOB = 'u_bob'
const ts = Date.UTC(2025, 4, 12, 10, 0)
const msg = (seq: number, fields: Partial<ChatMessage> = {}): ChatMessage => ({ msgId: `m${seq}`, room: 'lobby', seq, userId: BOB, name: 'bob', text: `line ${seq}`, ts: ts + seq, ...fields })

t.test('edit, delete and react entries are no lines; moderation entries are notices', async (t) => {
  for (const event of [
    { kind: 'edit', target: 1 },
    { kind: 'delete', target: 1 },
    { kind: 'react', target: 1, emoji: '👍', on: true },
  ] as const) {
    const entry = msg(5, { event, text: 'fallback for old clients' })
    t.ok(changesAMessage(entry), event.kind)
    t.equal(roomLine(entry, false, ANA), undefined, `${event.kind}: no line`)
  }
  const kick = msg(6, { event: { kind: 'kick', userId: ANA, name: 'ana', reason: 'spam' }, text: 'bob kicked ana' })
  t.notOk(changesAMessage(kick))
  t.same(roomLine(kick, false, ANA), { kind: 'system', id: 'm6', text: 'bob kicked you: spam', ts: ts + 6, seq: 6 })
})

t.test('a message line carries what it looks like now', async (t) => {
  t.same(roomLine(msg(1), false, ANA), { kind: 'message', id: 'm1', userId: BOB, name: 'bob', text: 'line 1', ts: ts + 1, own: false, seq: 1 }, 'a plain message: no state fields')
  const changed = msg(2, {
    text: 'new text',
    edited: ts + 100,
    reactions: [
      { emoji: '👍', count: 2, users: [BOB, ANA] },
      { emoji: '🎉', count: 1, users: [BOB] },
    ],
    replyTo: { msgId: 'm1', seq: 1, userId: BOB, name: 'bob', excerpt: 'line 1' },
  })
  t.same(
    messageState(changed),
    {
      edited: ts + 100,
      reactions: [
        { emoji: '👍', count: 2, users: [BOB, ANA] },
        { emoji: '🎉', count: 1, users: [BOB] },
      ],
      replyTo: { msgId: 'm1', seq: 1, userId: BOB, name: 'bob', excerpt: 'line 1' },
    },
    "reactions keep who reacted (the chip marks the reader's own and lists the others)",
  )
  t.match(roomLine(changed, false, ANA), { kind: 'message', text: 'new text', edited: ts + 100 })
  t.same(messageState(msg(3, { deleted: true, text: '(deleted)' })), { deleted: true })
  t.same(messageState(msg(4, { mentions: [ANA] })), { mentions: [ANA] }, 'mentions, for the marks and the highlight')
  t.same(messageState(msg(5, { mentions: [], reactions: [] })), {}, 'empty lists are left out')
})

t.test('an own message keeps its clientMsgId (matched with its pending line)', async (t) => {
  t.match(roomLine(msg(7, { userId: ANA, name: 'ana', clientMsgId: 'c-1' }), true, ANA), { own: true, clientMsgId: 'c-1' })
  t.notOk('clientMsgId' in roomLine(msg(8, { clientMsgId: 'c-2' }), false, ANA)!, 'not for others')
})
