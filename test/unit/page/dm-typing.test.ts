// "bob is typing…" in a DM: on with a signal, off with "stopped", a message, or the TTL.
import t from 'tap'
import { DmTyping, type Timers } from '../../../client/page/dm-typing.ts'

function fakeTimers(): Timers & { fire(): void; pending(): number } {
  const timers = new Map<number, () => void>()
  let next = 0
  return {
    set: (fn) => {
      timers.set(++next, fn)
      return next
    },
    clear: (handle) => {
      timers.delete(handle as number)
    },
    fire: () => {
      for (const [id, fn] of [...timers]) {
        timers.delete(id)
        fn()
      }
    },
    pending: () => timers.size,
  }
}

t.test('a signal shows the name until "stopped"', async (t) => {
  const timers = fakeTimers()
  const typing = new DmTyping(timers)
  const changes: string[] = []
  typing.onChange = (id) => changes.push(`${id}:${typing.typingName(id) ?? '-'}`)
  typing.apply('bob', 'bob', true)
  typing.apply('bob', 'bob', true)
  t.equal(typing.typingName('bob'), 'bob')
  t.equal(timers.pending(), 1, 'a refresh replaces the timer')
  typing.apply('bob', 'bob', false)
  t.same(changes, ['bob:bob', 'bob:-'], 'one change each way, none for the refresh')
  t.equal(timers.pending(), 0)
})

t.test('without a refresh it lapses after the TTL', async (t) => {
  const timers = fakeTimers()
  const typing = new DmTyping(timers)
  typing.apply('bob', 'bob', true)
  timers.fire()
  t.equal(typing.typingName('bob'), undefined)
})

t.test('a message from the partner ends it; stopping someone who was not typing changes nothing', async (t) => {
  const timers = fakeTimers()
  const typing = new DmTyping(timers)
  let changes = 0
  typing.onChange = () => changes++
  typing.apply('bob', 'bob', true)
  typing.messageFrom('bob')
  typing.messageFrom('carol')
  typing.apply('carol', 'carol', false)
  t.equal(typing.typingName('bob'), undefined)
  t.equal(changes, 2)
  typing.apply('dan', 'dan', true)
  typing.clear()
  t.equal(typing.typingName('dan'), undefined)
  t.equal(timers.pending(), 0, 'clear stops the timers')
})
