// The inspector's request/reply matcher: by echoed id, in order for requests
// without one, and what is left over (unasked replies, unanswered requests).
import t from 'tap'
import { Correlator } from '../../../client/inspect/correlator.ts'

t.test('a reply with the request id settles that request', async (t) => {
  const c = new Correlator<string>()
  c.sent('req-a', { type: 'chat', id: 'a', room: 'lobby', text: 'hi' }, 0)
  c.sent('req-b', { type: 'ping', id: 'b' }, 1)
  t.match(c.received({ type: 'pong', id: 'b' }), { kind: 'matched', request: { entry: 'req-b', reply: 'pong' } })
  t.match(c.received({ type: 'error', id: 'a', code: 'not-logged-in' }), { kind: 'matched', request: { entry: 'req-a' } }, 'an error answers any request')
  t.equal(c.size, 0)
})

t.test('a reply whose id no request carries is unmatched', async (t) => {
  const c = new Correlator<string>()
  t.same(c.received({ type: 'chat-ok', id: 'ghost', message: {} }), { kind: 'unmatched', id: 'ghost' })
  c.sent('req', { type: 'ping', id: 'p' }, 0)
  t.match(c.received({ type: 'pong', id: 'p' }), { kind: 'matched' })
  t.same(c.received({ type: 'pong', id: 'p' }), { kind: 'unmatched', id: 'p' }, 'a second reply to the same request is unmatched')
})

t.test('a reply of the wrong type for its request is reported', async (t) => {
  const c = new Correlator<string>()
  c.sent('req', { type: 'join-room', id: 'j', room: 'dev' }, 0)
  t.match(c.received({ type: 'leave-room-ok', id: 'j', room: 'dev' }), { kind: 'wrong-type', expected: 'join-room-ok', request: { entry: 'req' } })
})

t.test('pushes are not replies, even when they share a name with a request', async (t) => {
  const c = new Correlator<string>()
  c.sent('req', { type: 'chat', room: 'lobby', text: 'x' }, 0)
  for (const type of ['welcome', 'chat', 'dm', 'alarm', 'typing', 'dm-read']) t.same(c.received({ type }), { kind: 'push' }, type)
  t.equal(c.size, 1, 'the request still waits')
})

t.test('requests without a usable id are answered in order, by reply type', async (t) => {
  const c = new Correlator<string>()
  c.sent('ping-1', { type: 'ping' }, 0)
  c.sent('typing-1', { type: 'typing', room: 'lobby', typing: true }, 1)
  c.sent('bad-id', { type: 'ping', id: 'has space' }, 2)
  t.match(c.received({ type: 'typing-ok', room: 'lobby' }), { kind: 'matched', request: { entry: 'typing-1' } })
  t.match(c.received({ type: 'pong' }), { kind: 'matched', request: { entry: 'ping-1' } })
  t.match(c.received({ type: 'error', code: 'bad-frame' }), { kind: 'matched', request: { entry: 'bad-id' } }, 'the server does not echo an invalid id')
  t.same(c.received({ type: 'pong' }), { kind: 'unmatched', id: undefined })
})

t.test('text that was not a frame is answered by an id-less error', async (t) => {
  const c = new Correlator<string>()
  c.sent('garbage', undefined, 0)
  t.match(c.received({ type: 'error', code: 'bad-json' }), { kind: 'matched', request: { entry: 'garbage', reply: undefined } })
})

t.test('requests without a reply after the timeout are reported once, oldest first', async (t) => {
  const c = new Correlator<string>()
  c.sent('a', { type: 'ping', id: 'a' }, 0)
  c.sent('b', { type: 'ping' }, 100)
  c.sent('c', { type: 'ping', id: 'c' }, 4_000)
  t.same(c.overdue(4_999, 5_000), [])
  t.same(
    c.overdue(5_100, 5_000).map((p) => p.entry),
    ['a', 'b'],
  )
  t.same(c.overdue(5_100, 5_000), [], 'each is reported once')
  t.same(
    c.drain().map((p) => p.entry),
    ['c'],
    'closing hands back the rest',
  )
  t.equal(c.size, 0)
})

t.test('reusing an id that still waits is reported to the caller', async (t) => {
  const c = new Correlator<string>()
  t.equal(c.sent('first', { type: 'ping', id: 'x' }, 0), undefined)
  t.match(c.sent('second', { type: 'ping', id: 'x' }, 1), { entry: 'first' })
})
