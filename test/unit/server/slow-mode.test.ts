// SlowMode: one post per interval per user and room, at given times; expired entries are swept.
import t from 'tap'
import { SlowMode } from '../../../server/limits/slow-mode.ts'

t.test('one post per interval per user and room', async (t) => {
  const slow = new SlowMode()
  t.equal(slow.take('r', 'u', 1000, 10_000), 0)
  t.equal(slow.take('r', 'u', 1000, 10_400), 600, 'the wait left')
  t.equal(slow.take('r', 'v', 1000, 10_400), 0, 'another user')
  t.equal(slow.take('s', 'u', 1000, 10_400), 0, 'another room')
  t.equal(slow.take('r', 'u', 1000, 11_000), 0, 'allowed again after the interval')
  t.equal(slow.take('r', 'u', 0, 11_001), 0, 'no interval: no slow mode')
  slow.forget('r', 'u')
  t.equal(slow.take('r', 'u', 1000, 11_002), 0, 'a forgotten post does not slow')
})

t.test('expired entries are swept as the map grows, live ones kept', async (t) => {
  const slow = new SlowMode()
  for (let i = 0; i < 9_999; i++) slow.take('r', `u${i}`, 10, 0)
  t.equal(slow.size, 9_999)
  slow.take('r', 'live', 1000, 100)
  t.equal(slow.size, 1, 'the 9,999 expired entries are gone at the sweep')
  t.equal(slow.take('r', 'live', 1000, 200), 900, 'the live entry stays')
})
