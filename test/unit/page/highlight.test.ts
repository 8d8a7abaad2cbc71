// Search results mark the query's words in the text, case-insensitively, without changing it.
import t from 'tap'
import { excerptAround, highlightSegments, queryWords } from '../../../client/page/highlight.ts'

const marked = (text: string, query: string): string =>
  highlightSegments(text, queryWords(query))
    .map((s) => (s.match ? `[${s.text}]` : s.text))
    .join('')

t.test('query words: lower-case, quoted phrases whole, longest first, each once', async (t) => {
  t.same(queryWords('Deploy the "Release Notes" deploy'), ['release notes', 'deploy', 'the'])
  t.same(queryWords('  '), [])
  t.same(queryWords('""'), [], 'an empty phrase is no word')
  t.equal(queryWords(Array.from({ length: 30 }, (_, i) => `w${i}`).join(' ')).length, 20, 'bounded')
})

t.test('every occurrence of every word is marked, whatever its case', async (t) => {
  t.equal(marked('Deploy at noon, then DEPLOY again', 'deploy'), '[Deploy] at noon, then [DEPLOY] again')
  t.equal(marked('release notes are out', '"release notes"'), '[release notes] are out')
  t.equal(marked('회의가 몇 시예요?', '회의'), '[회의]가 몇 시예요?', 'a Korean word inside a longer run')
  t.equal(marked('nothing here', 'absent'), 'nothing here')
  t.equal(marked('abcabc', 'bc ab'), '[abcabc]', 'overlapping and touching matches merge')
  t.equal(marked('', 'x'), '')
})

t.test('the runs always join back to the text; texts whose length changes when lower-cased are left unmarked', async (t) => {
  for (const [text, query] of [
    ['<b>bold</b> & "quotes"', 'b'],
    ['İstanbul trip', 'istanbul'],
    ['😀 smile 😀', 'smile'],
  ] as const) {
    t.equal(
      highlightSegments(text, queryWords(query))
        .map((s) => s.text)
        .join(''),
      text,
    )
  }
  t.same(highlightSegments('İstanbul', ['i̇stanbul']), [{ text: 'İstanbul', match: false }])
})

t.test('long texts are cut around the first match, short ones are whole', async (t) => {
  t.equal(excerptAround('short\n text', ['x']), 'short text', 'whitespace flattened')
  const long = `${'a '.repeat(200)}needle${' b'.repeat(200)}`
  const cut = excerptAround(long, ['needle'], 100)
  t.ok(cut.includes('needle'), 'the match is in the excerpt')
  t.ok(cut.startsWith('…') && cut.endsWith('…'), 'ellipses where it was cut')
  t.ok(cut.length <= 102)
  t.ok(excerptAround(`needle ${'a '.repeat(200)}`, ['needle'], 100).startsWith('needle'), 'a match near the start keeps the start')
  const emoji = `${'😀'.repeat(100)}`
  t.notOk(/[\uD800-\uDBFF]$|^[\uDC00-\uDFFF]/.test(excerptAround(emoji, ['x'], 51).replace(/…/g, '')), 'no surrogate half at the edges')
})
