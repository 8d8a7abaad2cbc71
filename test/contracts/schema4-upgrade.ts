// What a store opened on data written at schema 4 (room "tea": ana's "hello"
// with clientMsgId c-1 at seq 1, bo's "hi" at seq 2, ana a member) must show
// after the upgrade to schema 5 (protocol 1.3.0): the old messages exactly as
// before, byte for byte, and every 1.3.0 write working on them. Shared by the
// SQLite and PostgreSQL upgrade tests, which write that data each in their
// own dialect.
import type { Test } from 'tap'
import type { HistoryStore } from '../../server/store/store.ts'

export async function checkSchema4Upgrade(t: Test, store: HistoryStore): Promise<void> {
  const page = await store.range('tea', { after: 0, limit: 10 })
  t.same(
    page.messages.map((m) => JSON.stringify(m)),
    [
      '{"msgId":"m-1","room":"tea","seq":1,"userId":"u-ana","name":"ana","text":"hello","ts":1000,"clientMsgId":"c-1"}',
      '{"msgId":"m-2","room":"tea","seq":2,"userId":"u-bo","name":"bo","text":"hi","ts":1001}',
    ],
    'old messages come back as they always did',
  )
  const reply = await store.appendChat({ room: 'tea', userId: 'u-bo', name: 'bo', text: 'hello to you', ts: 2000, replyTo: 1, mentions: ['u-ana'] })
  t.match(reply.message, { seq: 3, replyTo: { msgId: 'm-1', seq: 1, userId: 'u-ana', name: 'ana', excerpt: 'hello' }, mentions: ['u-ana'] })
  t.match(await store.appendEvent({ room: 'tea', userId: 'u-ana', name: 'ana', text: 'ana reacted 👍', ts: 2001, event: { kind: 'react', target: 2, emoji: '👍', on: true } }), {
    appended: true,
    message: { seq: 4 },
  })
  t.match(await store.appendEvent({ room: 'tea', userId: 'u-ana', name: 'ana', text: 'hello!', ts: 2002, event: { kind: 'edit', target: 1 } }), { appended: true, message: { seq: 5 } })
  t.match(await store.findMessage('tea', 1), { text: 'hello!', edited: 2002, rev: 5, clientMsgId: 'c-1' })
  t.match(await store.findMessage('tea', 2), { reactions: [{ emoji: '👍', count: 1, users: ['u-ana'] }], rev: 4 })
  t.match(await store.appendEvent({ room: 'tea', userId: 'u-ana', name: 'ana', text: 'bo was muted', ts: 2003, event: { kind: 'mute', userId: 'u-bo', name: 'bo' } }), { appended: true })
  t.match(await store.findRestriction('tea', 'u-bo', 'mute', 3000), { kind: 'mute', by: 'u-ana' }, 'the restrictions table exists')
  t.equal(await store.markRoomRead('u-ana', 'tea', 1), 1, 'the read markers table exists')
  t.same(await store.unreadCounts('u-ana', ['tea']), [{ room: 'tea', readSeq: 1, unread: 2, mentions: 1 }])
  t.same(await store.listMemberships('u-ana'), ['tea'])
}
