// Which "@name"s of a message are marked: those the server resolved (its `mentions`), found with the server's candidates.
import t from 'tap'
import { lookupAmong, mentionRanges } from '../../../client/page/mention-marks.ts'

const names: Record<string, string> = { u1: 'ana k', u2: 'Bob', u3: 'Ángela' }
const nameOf = (id: string): string | undefined => names[id]

t.test('the longest known name after each "@" is marked, compared like names', async (t) => {
  const lookup = lookupAmong(['u1', 'u2', 'u3'], nameOf)
  const text = 'hey @ana k and @bob, also @angela. not mail@bob'
  const ranges = mentionRanges(text, lookup)
  t.same(
    ranges.map((r) => [text.slice(r.start, r.end), r.userId]),
    [
      ['@ana k', 'u1'],
      ['@bob', 'u2'],
      ['@angela', 'u3'],
    ],
  )
})

t.test('names the message does not mention stay unmarked', async (t) => {
  const lookup = lookupAmong(['u2'], nameOf)
  t.same(
    mentionRanges('@ana k and @Bob', lookup).map((r) => r.userId),
    ['u2'],
  )
  t.same(mentionRanges('@carol', lookupAmong(['u9'], nameOf)), [], 'an id whose name is unknown marks nothing')
})
