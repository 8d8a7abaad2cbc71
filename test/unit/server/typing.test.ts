import t from 'tap'
import { disableDeterminism, enableDeterminism } from '../../../server/determinism.ts'
import { TypingTracker } from '../../../server/rooms/typing.ts'

t.test('typing reports changes only and expires without refresh', async (t) => {
  const expired: string[] = []
  // The fake clock of deterministic mode fires the expiry when advanced, instead of waiting for it.
  const clock = enableDeterminism(1)
  t.teardown(disableDeterminism)
  const tracker = new TypingTracker(1000, (room, user) => expired.push(`${room}/${user}`))
  t.equal(tracker.set('lobby', 'u1', true), true, 'start is a change')
  clock.advance(999)
  t.equal(tracker.set('lobby', 'u1', true), false, 'a refresh is not')
  clock.advance(999)
  t.same(expired, [], 'the refresh restarted the lifetime')
  clock.advance(1)
  t.same(expired, ['lobby/u1'], 'expiry reports the stop')
  t.equal(tracker.set('lobby', 'u1', false), false, 'stopping after expiry is not a change')
  t.equal(tracker.set('lobby', 'u1', true), true)
  t.equal(tracker.set('lobby', 'u1', false), true, 'an explicit stop is a change')
  clock.advance(5000)
  t.same(expired, ['lobby/u1'], 'a stopped indicator does not expire again')
})
