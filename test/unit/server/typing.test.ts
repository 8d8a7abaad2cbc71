import t from 'tap'
import { TypingTracker } from '../../../server/rooms/typing.ts'

t.test('typing reports changes only and expires without refresh', async (t) => {
  const expired: string[] = []
  let fire: (() => void) | undefined
  const realSetTimeout = globalThis.setTimeout
  // Capture the expiry callback instead of waiting for it.
  globalThis.setTimeout = ((fn: () => void) => {
    fire = fn
    return { unref() {} } as unknown as NodeJS.Timeout
  }) as typeof setTimeout
  t.teardown(() => {
    globalThis.setTimeout = realSetTimeout
  })
  const tracker = new TypingTracker(1000, (room, user) => expired.push(`${room}/${user}`))
  t.equal(tracker.set('lobby', 'u1', true), true, 'start is a change')
  t.equal(tracker.set('lobby', 'u1', true), false, 'a refresh is not')
  fire!()
  t.same(expired, ['lobby/u1'], 'expiry reports the stop')
  t.equal(tracker.set('lobby', 'u1', false), false, 'stopping after expiry is not a change')
  t.equal(tracker.set('lobby', 'u1', true), true)
  t.equal(tracker.set('lobby', 'u1', false), true, 'an explicit stop is a change')
})
