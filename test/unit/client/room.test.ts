import t from 'tap'
import { Room } from '../../../client/room.ts'

const msg = (seq: number, userId = 'u1') => ({ msgId: `m${seq}`, room: 'lobby', seq, userId, name: 'ana', text: `t${seq}`, ts: seq })
const state = (over: Record<string, unknown> = {}) => ({ room: 'lobby', epoch: 'e1', seq: 2, members: [{ userId: 'u1', name: 'ana' }], history: [msg(1), msg(2)], ...over })

t.test('chat with seq at or below the last seen is dropped: replays and duplicate acks are harmless', async (t) => {
  const room = new Room('lobby')
  room.applyJoin(state())
  t.equal(room.lastSeq, 2)
  t.notOk(room.accept(msg(2)))
  t.notOk(room.accept(msg(1)))
  t.ok(room.accept(msg(3)))
  t.notOk(room.accept(msg(3)))
  t.same(room.since, { epoch: 'e1', seq: 3 })
})

t.test('a resumed join keeps the position, since state.seq already counts the replay that follows', async (t) => {
  const room = new Room('lobby')
  room.applyJoin(state())
  const outcome = room.applyJoin(state({ seq: 5, history: [], resume: { resumed: true, missed: 3 } }))
  t.same(outcome, { rejoined: true, resumed: true, missed: 3 })
  t.equal(room.lastSeq, 2)
  t.ok(room.accept(msg(3)), 'the replay is accepted')
})

t.test('a join that could not resume replaces the position with the snapshot', async (t) => {
  const room = new Room('lobby')
  room.applyJoin(state({ seq: 9, history: [msg(8), msg(9)] }))
  const outcome = room.applyJoin(state({ epoch: 'e2', seq: 1, history: [msg(1)], resume: { resumed: false, missed: 0, reason: 'epoch-changed' } }))
  t.same(outcome, { rejoined: true, resumed: false, missed: 0 })
  t.same(room.since, { epoch: 'e2', seq: 1 })
})

t.test('alarms and typing keep members and typists in step', async (t) => {
  const room = new Room('lobby')
  room.applyJoin(state())
  room.applyAlarm('joined', { userId: 'u2', name: 'bob' })
  t.ok(room.applyTyping({ userId: 'u2', name: 'bob' }, true))
  t.notOk(room.applyTyping({ userId: 'u2', name: 'bob' }, true), 'no change, no event')
  room.applyAlarm('renamed', { userId: 'u2', name: 'rob' })
  t.same(room.typing(), [{ userId: 'u2', name: 'rob' }])
  t.same(room.typing('u2'), [], 'the own user is left out')
  room.applyAlarm('left', { userId: 'u2', name: 'rob' })
  t.same(room.typing(), [], 'leaving ends typing')
  t.same(
    room.members.map((m) => m.name),
    ['ana'],
  )
})
