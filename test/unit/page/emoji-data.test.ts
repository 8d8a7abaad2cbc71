// The picker's built-in emoji: every one is a reaction the server takes, and search finds them by name and keyword.
import t from 'tap'
import { isEmoji } from '../../../protocol/emoji.ts'
import { EMOJI_CATEGORIES, QUICK_REACTIONS, emojiName, searchEmoji } from '../../../client/page/emoji-data.ts'

t.test('every emoji offered is one RGI emoji in its fully-qualified form, with a name', async (t) => {
  const bad: string[] = []
  let count = 0
  for (const category of EMOJI_CATEGORIES)
    for (const entry of category.entries) {
      count++
      if (!isEmoji(entry.emoji) || entry.name === '' || entry.words.some((w) => w !== w.toLowerCase())) bad.push(`${category.id}: ${entry.emoji} ${entry.name}`)
    }
  for (const emoji of QUICK_REACTIONS) if (!isEmoji(emoji)) bad.push(`quick: ${emoji}`)
  t.same(bad, [], 'the server would refuse none of them')
  t.ok(count > 300, `a useful set (${count})`)
  t.ok(
    EMOJI_CATEGORIES.every((c) => isEmoji(c.icon)),
    'category icons are emoji',
  )
})

t.test('search matches every word as a prefix of a name or keyword, names that start with the query first', async (t) => {
  t.equal(searchEmoji('thumbs')[0]?.emoji, '👍')
  t.same(
    searchEmoji('thumbs').map((e) => e.emoji),
    ['👍', '👎'],
  )
  t.equal(searchEmoji('+1')[0]?.emoji, '👍', 'keywords count')
  t.equal(searchEmoji('HEART')[0]?.emoji, '❤️', 'case does not matter; the shortest name with the whole word first')
  t.same(
    searchEmoji('party').map((e) => e.emoji),
    ['🎉', '🥳'],
    'the name with the word before the keyword match',
  )
  t.same(
    searchEmoji('face sad').map((e) => e.emoji),
    [],
    'all words must match',
  )
  t.same(searchEmoji('   '), [], 'an empty query finds nothing')
  t.equal(searchEmoji('e', 5).length, 5, 'bounded by the limit')
  const bugs = searchEmoji('bug').filter((e) => e.emoji === '🐛')
  t.equal(bugs.length, 1, 'an emoji listed in two categories is found once')
})

t.test('emojiName gives the short name, undefined for emoji outside the set', async (t) => {
  t.equal(emojiName('👍'), 'thumbs up')
  t.equal(emojiName('🐶'), 'dog face')
  t.equal(emojiName('🦩'), undefined)
})
