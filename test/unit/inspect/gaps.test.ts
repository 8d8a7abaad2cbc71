// The inspector's seq follower: heads from login-ok / join-room-ok (resume
// included), one step per message, gaps and repeats reported, history filling.
import t from 'tap'
import { GapDetector } from '../../../client/inspect/gaps.ts'

const state = (room: string, seq: number, resume?: { resumed: boolean; missed: number }) => ({ room, epoch: 'e1', seq, members: [], history: [], ...(resume && { resume }) })
const chat = (room: string, seq: number) => ({ type: 'chat', message: { msgId: `m${seq}`, room, seq, userId: 'u1', name: 'ana', text: 'hi', ts: 1 } })
const chatOk = (room: string, seq: number, duplicate?: boolean) => ({ ...chat(room, seq), type: 'chat-ok', id: 'r1', ...(duplicate !== undefined && { duplicate }) })
const dm = (seq: number) => ({ type: 'dm', message: { seq } })
const loginOk = (rooms: unknown[], inboxSeq = 0) => ({ type: 'login-ok', userId: 'u1', name: 'ana', session: 'x'.repeat(16), rooms, inbox: { epoch: 'e1', seq: inboxSeq } })

t.test('messages that follow the head one by one, pushes and own acks alike, raise nothing', async (t) => {
  const g = new GapDetector()
  t.same(g.received(loginOk([state('lobby', 3)])), [])
  t.same(g.received(chat('lobby', 4)), [])
  t.same(g.received(chatOk('lobby', 5)), [])
  t.same(g.received(chat('lobby', 6)), [])
})

t.test('a skipped seq in a room is a gap naming the missing seqs', async (t) => {
  const g = new GapDetector()
  g.received({ type: 'join-room-ok', id: 'j', state: state('dev', 2) })
  const [finding, ...rest] = g.received(chat('dev', 5))
  t.same(rest, [])
  t.match(finding, { stream: 'room:dev', kind: 'gap', expected: 3, got: 5, text: /seqs 3–4 never arrived/ })
  t.same(g.missing('room:dev'), [3, 4])
  t.same(g.received(chat('dev', 6)), [], 'the stream goes on from the new seq')
})

t.test('streams are separate: a gap in one room says nothing about another', async (t) => {
  const g = new GapDetector()
  g.received(loginOk([state('a', 0), state('b', 10)]))
  t.same(g.received(chat('a', 1)), [])
  t.same(g.received(chat('b', 11)), [])
  t.match(g.received(chat('a', 3)), [{ stream: 'room:a', expected: 2 }])
})

t.test('a resumed head counts the replayed messages that follow the reply', async (t) => {
  const g = new GapDetector()
  g.received({ type: 'join-room-ok', state: state('dev', 7, { resumed: true, missed: 2 }) })
  t.same(g.received(chat('dev', 6)), [], 'the first replayed message is seq − missed + 1')
  t.same(g.received(chat('dev', 7)), [])
})

t.test('a repeated or backward seq is reported, a duplicate acknowledgement is not', async (t) => {
  const g = new GapDetector()
  g.received(loginOk([state('lobby', 1)]))
  t.same(g.received(chatOk('lobby', 2)), [])
  t.same(g.received(chatOk('lobby', 2, true)), [], 'duplicate: true repeats the original ack')
  t.match(g.received(chat('lobby', 2)), [{ kind: 'repeat', expected: 3, got: 2 }])
})

t.test('history that reads the skipped seqs fills the gap; a late one is out of order', async (t) => {
  const g = new GapDetector()
  g.received(loginOk([state('lobby', 0)]))
  g.received(chat('lobby', 4))
  t.same(g.missing('room:lobby'), [1, 2, 3])
  g.received({ type: 'history-ok', room: 'lobby', epoch: 'e1', messages: [chat('lobby', 1).message, chat('lobby', 2).message], hasMore: false })
  t.same(g.missing('room:lobby'), [3])
  t.match(g.received(chat('lobby', 3)), [{ kind: 'repeat', text: /arrived late/ }])
  t.same(g.missing('room:lobby'), [])
})

t.test('the DM inbox is one stream, from the login head', async (t) => {
  const g = new GapDetector()
  g.received(loginOk([], 4))
  t.same(g.received(dm(5)), [])
  t.same(g.received({ type: 'dm-ok', id: 'd', message: { seq: 6 } }), [])
  t.match(g.received(dm(8)), [{ stream: 'inbox', kind: 'gap', expected: 7, got: 8, text: /seq 7 never arrived/ }])
})

t.test('leaving a room forgets it; a stream seen without a head starts at its first message', async (t) => {
  const g = new GapDetector()
  g.received(loginOk([state('dev', 3)]))
  g.received({ type: 'leave-room-ok', room: 'dev' })
  t.same(g.received(chat('dev', 9)), [], 'no head: nothing to compare with')
  t.same(g.received(chat('dev', 10)), [])
  t.match(g.received(chat('dev', 12)), [{ kind: 'gap' }])
  g.reset()
  t.same(g.received(chat('dev', 20)), [], 'a new connection starts over')
})
