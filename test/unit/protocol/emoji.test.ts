// isEmoji: what a reaction may be. One RGI emoji in its fully-qualified form,
// nothing around it; the codec refuses any other `react` emoji as bad-frame.
import t from 'tap'
import { decodeClientFrame } from '../../../protocol/codec.ts'
import { isEmoji } from '../../../protocol/emoji.ts'

t.test('one emoji of any kind is an emoji', async (t) => {
  const yes = {
    'a thumbs up': '👍',
    'a heart with its emoji selector': '❤️',
    'a ZWJ sequence with a skin tone': '👩🏽‍💻',
    'a flag': '🇰🇷',
    'a keycap': '1️⃣',
    'a hash keycap': '#️⃣',
    'a modifier sequence': '👍🏻',
    'a subdivision flag (tag sequence)': '🏴󠁧󠁢󠁳󠁣󠁴󠁿',
    'a kiss with two skin tones (10 code points)': '👩🏽‍❤️‍💋‍👨🏿',
    'a star': '⭐',
  }
  for (const [what, s] of Object.entries(yes)) t.ok(isEmoji(s), `${what}: ${s}`)
})

t.test('anything else is not', async (t) => {
  const no = {
    'a letter': 'a',
    'two emoji': '👍👍',
    'an emoji and a space': '👍 ',
    'a space and an emoji': ' 👍',
    markup: '<script>',
    'a text smiley': ':)',
    empty: '',
    'a bare heart (not fully qualified)': '\u2764',
    'a bare copyright sign': '©',
    'half a flag': '🇰',
    'a digit': '1',
    'a zero-width joiner alone': '\u200d',
    'an emoji with a bidi override': '👍\u202e',
    'an emoji and a letter': '👍a',
    'a very long run': '👍'.repeat(40),
  }
  for (const [what, s] of Object.entries(no)) t.notOk(isEmoji(s), `${what}: ${JSON.stringify(s)}`)
})

t.test('the codec refuses a react frame whose emoji is not one emoji, naming /emoji, and echoes the id', async (t) => {
  t.match(decodeClientFrame(JSON.stringify({ type: 'react', id: 'r1', room: 'lobby', seq: 1, emoji: '+1' })), {
    ok: false,
    code: 'bad-frame',
    id: 'r1',
    details: [/^\/emoji: /],
  })
  t.match(decodeClientFrame(JSON.stringify({ type: 'react', room: 'lobby', seq: 1, emoji: '🇰🇷' })), { ok: true })
})
