// Mention candidates: for each "@" the names it may stand for, longest first,
// so a server (or a client highlighting) takes the longest that is a member's
// name. Names may hold spaces, dots and dashes (PROTOCOL.md "Mentions").
import t from 'tap'
import { MAX_MENTION_CANDIDATES, mentionCandidates, resolveMentions } from '../../../protocol/mentions.ts'

const names = (text: string) => mentionCandidates(text).map((c) => c.names)

t.test('a name with spaces: every prefix that ends before a space, longest first', async (t) => {
  t.same(names('hi @ana k how are you'), [['ana k how are you', 'ana k how are', 'ana k how', 'ana k', 'ana']])
  t.same(mentionCandidates('hi @ana')[0]!.at, 3, 'the index of the "@"')
})

t.test('a name may end before ".", "-" or any character that cannot be in a name', async (t) => {
  t.same(names('@bob.smith.'), [['bob.smith.', 'bob.smith', 'bob']])
  t.same(names('@ana, @bob-team!'), [['ana'], ['bob-team', 'bob']])
  t.same(names('(@émile)'), [['émile']])
  t.same(names('@anabel'), [['anabel']], 'never a prefix that ends inside a word')
})

t.test('an "@" inside a word is no mention (e-mail addresses)', async (t) => {
  t.same(names('mail ana@example.com'), [])
  t.same(names('x.@ana'), [])
  t.same(names('@@carol'), [['carol']], 'a second "@" after a first one still counts')
})

t.test('a candidate is a valid name: no two spaces, no leading dot, at most 32 code points', async (t) => {
  t.same(names('@ana  k'), [['ana']])
  t.same(names('@.ana'), [])
  t.same(names('@ '), [])
  const long = `@${'a'.repeat(40)}`
  t.same(names(long)[0]![0]!.length, 32)
})

t.test('a text full of "@" is looked at up to a bound', async (t) => {
  t.equal(mentionCandidates('@a '.repeat(500)).length, MAX_MENTION_CANDIDATES)
})

t.test('resolveMentions takes the longest known name per "@", each user once, in order', async (t) => {
  const members = new Map([
    ['ana k', 'u_ana'],
    ['ana', 'u_other_ana'],
    ['bob', 'u_bob'],
  ])
  const lookup = (name: string) => members.get(name.toLowerCase())
  t.same(resolveMentions('@Ana K and @bob, then @ana k again and @nobody', lookup), ['u_ana', 'u_bob'])
  t.same(resolveMentions('@ana', lookup), ['u_other_ana'])
  t.same(resolveMentions('no mentions here', lookup), [])
})
