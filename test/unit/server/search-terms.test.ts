import t from 'tap'
import { indexTokens, MAX_QUERY_CHARS, MAX_TOKEN_CHARS, matchesTerms, parseSearchQuery, usableTerms } from '../../../server/store/search-terms.ts'
import type { SearchTerm } from '../../../server/store/store.ts'

/** The terms of a query that must parse. */
function terms(query: string): SearchTerm[] {
  const parsed = parseSearchQuery(query)
  if (!parsed.ok) throw new Error(`"${query}" did not parse: ${parsed.reason}`)
  return parsed.terms
}

/** True when a query finds the text (the reference meaning every store implements). */
const finds = (query: string, text: string): boolean => matchesTerms(indexTokens(text), terms(query))

t.test('index tokens: European words are folded (case, accents, width) and split at anything but letters and digits', async (t) => {
  t.same(indexTokens('Café NAÏVE Straße ＡＢＣ１２３'), { words: ['cafe', 'naive', 'strasse', 'abc123'], chars: [] })
  t.same(indexTokens("e-mail l'homme snake_case x@y.com"), { words: ['e', 'mail', 'l', 'homme', 'snake', 'case', 'x', 'y', 'com'], chars: [] })
  t.same(indexTokens('İstanbul Łódź Ølstykke Æble'), { words: ['istanbul', 'lodz', 'olstykke', 'aeble'], chars: [] })
  t.same(indexTokens('Москва ёлка ΑΘΉΝΑ'), { words: ['москва', 'елка', 'αθηνα'], chars: [] }, 'Cyrillic and Greek lose their accents too')
  t.same(indexTokens('🎉 *** --- ...'), { words: [], chars: [] }, 'emoji and punctuation are not words')
})

t.test('index tokens: CJK runs become overlapping bigrams, and every CJK character is a char token', async (t) => {
  t.same(indexTokens('明日の会議は'), { words: ['明日', '日の', 'の会', '会議', '議は'], chars: ['明', '日', 'の', '会', '議', 'は'] })
  t.same(indexTokens('今天天气很好。'), { words: ['今天', '天天', '天气', '气很', '很好'], chars: ['今', '天', '气', '很', '好'] }, 'punctuation ends a run; chars are distinct')
  t.same(indexTokens('회의가 있어요'), { words: ['회의', '의가', '있어', '어요'], chars: ['회', '의', '가', '있', '어', '요'] })
  t.same(indexTokens('コーヒー'), { words: ['コー', 'ーヒ', 'ヒー'], chars: ['コ', 'ー', 'ヒ'] }, 'the prolonged sound mark stays in the run')
  t.same(indexTokens('ｶﾀｶﾅ'), { words: ['カタ', 'タカ', 'カナ'], chars: ['カ', 'タ', 'ナ'] }, 'half-width katakana is folded')
  t.same(indexTokens('3시 가 iPhone15を買った'), { words: ['3', 'iphone15', 'を買', '買っ', 'った'], chars: ['시', '가', 'を', '買', 'っ', 'た'] }, 'a run of one character is only a char token')
})

t.test('index tokens: a very long word is cut, in the index and in queries alike', async (t) => {
  const long = 'x'.repeat(MAX_TOKEN_CHARS * 3)
  t.same(indexTokens(long).words, ['x'.repeat(MAX_TOKEN_CHARS)])
  t.ok(finds('y'.repeat(150), `a ${'y'.repeat(150)} b`))
})

t.test('queries: words are separate terms, quoted words a phrase, and a word that folds to several tokens is a phrase', async (t) => {
  t.same(terms('red car'), [
    { tokens: ['red'], phrase: false },
    { tokens: ['car'], phrase: false },
  ])
  t.same(terms('"Red Car" Blue'), [
    { tokens: ['red', 'car'], phrase: true },
    { tokens: ['blue'], phrase: false },
  ])
  t.same(terms('e-mail'), [{ tokens: ['e', 'mail'], phrase: true }])
  t.same(terms('“smart quotes”'), [{ tokens: ['smart', 'quotes'], phrase: true }], 'typographic quotes are quotes')
  t.same(terms('"unclosed phrase'), [{ tokens: ['unclosed', 'phrase'], phrase: true }], 'an unclosed quote runs to the end')
  t.same(terms('red red RED'), [{ tokens: ['red'], phrase: false }], 'repeated terms count once')
})

t.test('queries: CJK words are bigram phrases; a single CJK character is a char term', async (t) => {
  t.same(terms('회의'), [{ tokens: ['회의'], phrase: false }])
  t.same(terms('회의실'), [{ tokens: ['회의', '의실'], phrase: true }])
  t.same(terms('会'), [{ tokens: ['会'], phrase: false, char: true }])
  t.same(terms('iphone15を'), [
    { tokens: ['iphone15'], phrase: false },
    { tokens: ['を'], phrase: false, char: true },
  ])
})

t.test('queries: Korean words are found with their particles, and not inside other words', async (t) => {
  t.ok(finds('회의', '내일 회의가 있어요'))
  t.ok(finds('회의', '회의를 시작합니다'))
  t.ok(finds('회의실', '회의실에서 봐요'))
  t.notOk(finds('회의', '오늘 회식 어때요'))
  t.notOk(finds('회의실', '회의 실수'), 'a space breaks the run')
})

t.test('queries: Chinese and Japanese words are found inside sentences', async (t) => {
  t.ok(finds('会議', '明日の会議は十時から'))
  t.ok(finds('天气', '今天天气很好'))
  t.ok(finds('今天 很好', '今天天气很好'))
  t.notOk(finds('天好', '今天天气很好'))
  t.ok(finds('会', '大会'), 'a single character is found at the end of a run')
  t.ok(finds('会', 'の会議'))
  t.notOk(finds('会', '議論'))
})

t.test('queries: European words match whole words, whatever their case, accents or width', async (t) => {
  t.ok(finds('cafe', 'Un CAFÉ, s’il vous plaît'))
  t.ok(finds('Café', 'the cafe is open'))
  t.ok(finds('ＡＢＣ', 'abc'))
  t.ok(finds('strasse', 'Hauptstraße 5'.replace('Haupt', 'Haupt ')))
  t.notOk(finds('cat', 'category theory'), 'no prefix matching')
  t.ok(finds('"red car"', 'a red, car!'), 'punctuation between words does not break a phrase')
  t.notOk(finds('"red car"', 'a car, red'))
  t.ok(finds('red car', 'a car, red'), 'unquoted words may come in any order')
})

t.test('queries: hostile input is plain text and never an operator', async (t) => {
  const hostile = [
    'NEAR(a b, 2)',
    'NEAR(',
    'a* OR b',
    "it's",
    'C:\\path\\to',
    'col:value',
    '-excluded +required',
    '^start',
    '(a OR b) AND NOT c',
    "'; DROP TABLE messages; --",
    'a & b | !c <-> d:*',
    '{words}: x',
  ]
  for (const query of hostile) {
    const parsed = parseSearchQuery(query)
    t.ok(parsed.ok, `"${query}" parses`)
    if (!parsed.ok) continue
    for (const term of parsed.terms) for (const token of term.tokens) t.notMatch(token, /[\s"'*^:()\\{}&|!<>+\-;,]/u, `"${query}": token "${token}" holds no operator character`)
  }
  t.same(terms('NEAR(a b)'), [
    { tokens: ['near', 'a'], phrase: true },
    { tokens: ['b'], phrase: false },
  ])
})

t.test('queries: nothing to find, or too long', async (t) => {
  const nothing = ['', '   ', '***', '*', '"', '""', '"""', "'", '\\', '-', ':', '^', '()', '🎉🎉', '!?'.repeat(100), `"${'-*:'.repeat(66)}`, '.'.repeat(MAX_QUERY_CHARS)]
  for (const query of nothing) t.same(parseSearchQuery(query), { ok: false, reason: 'no-words' }, JSON.stringify(query.slice(0, 20)))
  t.same(parseSearchQuery('a'.repeat(MAX_QUERY_CHARS + 1)), { ok: false, reason: 'too-long' })
  t.same(parseSearchQuery('한'.repeat(MAX_QUERY_CHARS)).ok, true, '200 code points are fine')
  t.same(parseSearchQuery('😀'.repeat(MAX_QUERY_CHARS)), { ok: false, reason: 'no-words' }, 'the limit counts code points, not UTF-16 units')
})

t.test('usable terms: terms that could never match make a query that finds nothing', async (t) => {
  const good: SearchTerm[] = [
    { tokens: ['red', 'car'], phrase: true },
    { tokens: ['회의'], phrase: false },
    { tokens: ['会'], phrase: false, char: true },
  ]
  t.same(usableTerms(good), good)
  for (const bad of [
    [{ tokens: [], phrase: false }],
    [{ tokens: [''], phrase: false }],
    [{ tokens: ['Red'], phrase: false }],
    [{ tokens: ['café'], phrase: false }],
    [{ tokens: ['a b'], phrase: false }],
    [{ tokens: ['NEAR(a'], phrase: false }],
    [{ tokens: ['"'], phrase: false }],
    [{ tokens: ['会議室'], phrase: false }],
    [{ tokens: ['会議'], phrase: false, char: true }],
    [{ tokens: ['a'], phrase: false, char: true }],
    [{ tokens: ['x'.repeat(MAX_TOKEN_CHARS + 1)], phrase: false }],
    [...good, { tokens: ['*'], phrase: false }],
  ] satisfies SearchTerm[][])
    t.same(usableTerms(bad), [], JSON.stringify(bad).slice(0, 60))
  t.notOk(matchesTerms(indexTokens('anything'), []))
})
