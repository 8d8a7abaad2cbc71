// "@" autocomplete without DOM: the "@…" at the caret, matching members, inserting the choice.
import t from 'tap'
import { insertMention, matchMembers, mentionAt } from '../../../client/page/mention-complete.ts'

t.test('the caret is in a mention from its "@" up to the caret', async (t) => {
  t.same(mentionAt('hi @an', 6), { at: 3, query: 'an' })
  t.same(mentionAt('@', 1), { at: 0, query: '' })
  t.same(mentionAt('hey @ana k', 10), { at: 4, query: 'ana k' }, 'names may hold a space')
  t.same(mentionAt('(@bo', 4), { at: 1, query: 'bo' }, 'after punctuation')
  t.equal(mentionAt('mail ana@example', 16), undefined, 'not inside an address')
  t.equal(mentionAt('@ana, hi', 8), undefined, 'a comma ended it')
  t.equal(mentionAt('@ ana', 5), undefined, 'no space right after the "@"')
  t.equal(mentionAt('@ana  k', 7), undefined, 'two spaces end it')
  t.equal(mentionAt('no at sign', 5), undefined)
  t.equal(mentionAt(`@${'a'.repeat(33)}`, 34), undefined, 'longer than a name')
  t.same(mentionAt('@ana and @bo', 12), { at: 9, query: 'bo' }, 'the last "@" before the caret')
  t.same(mentionAt('@ana and @bo', 4), { at: 0, query: 'ana' }, 'the caret decides which "@"')
})

t.test('members whose name starts with the query come first, then those with a word that does; never oneself', async (t) => {
  const members = [
    { userId: 'u1', name: 'Ana' },
    { userId: 'u2', name: 'bob' },
    { userId: 'u3', name: 'Jo Anand' },
    { userId: 'u4', name: 'Ángela' },
    { userId: 'me', name: 'anna' },
    { userId: 'u1', name: 'Ana' },
  ]
  t.same(
    matchMembers(members, 'an', 'me').map((m) => m.userId),
    ['u1', 'u4', 'u3'],
    'case and accents do not matter; duplicates once',
  )
  t.same(
    matchMembers(members, '', 'me').map((m) => m.userId),
    ['u1', 'u2', 'u3', 'u4'],
    'everyone for a bare "@"',
  )
  t.equal(matchMembers(members, '', undefined, 2).length, 2, 'bounded')
  t.same(matchMembers(members, 'zz', 'me'), [])
})

t.test('choosing a member replaces the query with "@name " and puts the caret after it', async (t) => {
  t.same(insertMention('hi @an', { at: 3, query: 'an' }, 'Ana'), { text: 'hi @Ana ', caret: 8 })
  t.same(insertMention('hi @an there', { at: 3, query: 'an' }, 'Jo Anand'), { text: 'hi @Jo Anand there', caret: 13 }, 'no second space')
  t.same(insertMention('@', { at: 0, query: '' }, 'bob'), { text: '@bob ', caret: 5 })
})
