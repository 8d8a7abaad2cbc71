// What a store opened on data written at schema 3 (room records, roles,
// invitations; messages 1–2 of room "tea", ana its owner and member, bo invited)
// must show after the upgrade to schema 4: the old rows kept, the new tables
// (bans, blocks) usable, and room deletion continuing the room's numbering.
// Shared by the SQLite and PostgreSQL upgrade tests, which write that data each
// in their own dialect.
import type { Test } from 'tap'
import type { HistoryStore } from '../../server/store/store.ts'

export async function checkSchema3Upgrade(t: Test, store: HistoryStore): Promise<void> {
  t.same(await store.findRoom('tea'), { room: 'tea', namespace: '', owner: 'u-ana', topic: 'leaves', public: false, createdAt: 900 })
  t.equal(await store.findRoomRole('tea', 'u-ana'), 'owner')
  t.equal(await store.hasInvitation('tea', 'u-bo'), true)
  await store.setBan({ userId: 'u-bo', until: null, reason: 'spam', createdAt: 2000 })
  t.match(await store.findBan('u-bo', 3000), { userId: 'u-bo', until: null }, 'the bans table exists')
  await store.addBlock('u-ana', 'u-bo', 2000)
  t.same(await store.listBlocks('u-ana'), ['u-bo'], 'the blocks table exists')
  t.equal(await store.deleteRoom('tea'), 2)
  t.same(await store.listMemberships('u-ana'), [])
  t.equal((await store.appendChat({ room: 'tea', userId: 'u-ana', name: 'ana', text: 'again', ts: 4000 })).message.seq, 3, 'the numbering of a deleted room goes on')
}
