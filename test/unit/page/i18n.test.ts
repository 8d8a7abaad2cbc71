// The message catalogs: the same keys in every language, the same placeholders,
// plurals by Intl.PluralRules, the language picked from the saved choice or the
// browser, and every key the HTML and the error-code table name exists.
import { readFileSync } from 'node:fs'
import t from 'tap'
import { ErrorCodes } from '../../../protocol/codes.ts'
import { CATALOGS, createTranslator, LANGS, pickLang, placeholders, type Message } from '../../../client/page/i18n/catalog.ts'
import { ERROR_TEXT } from '../../../client/page/error-text.ts'

const texts = (message: Message): string[] => (typeof message === 'string' ? [message] : Object.values(message))
const placeholderSet = (message: Message): Set<string> => new Set(texts(message).flatMap(placeholders))

t.test('every catalog has exactly the keys of the English one', async (t) => {
  const reference = Object.keys(CATALOGS.en).sort()
  t.ok(reference.length > 300, 'the English catalog holds the page’s strings')
  for (const lang of LANGS) t.same(Object.keys(CATALOGS[lang]).sort(), reference, `${lang}: same keys`)
})

t.test('every placeholder of an English message is in its translation, and no other', async (t) => {
  const problems: string[] = []
  for (const lang of LANGS) {
    for (const [key, message] of Object.entries(CATALOGS.en)) {
      const want = placeholderSet(message)
      // Each plural form of the translation must say the same things (counts may be written as {count}).
      for (const text of texts(CATALOGS[lang][key as keyof typeof CATALOGS.en])) {
        const got = new Set(placeholders(text))
        for (const name of want) if (!got.has(name) && name !== 'count') problems.push(`${lang} ${key}: {${name}} missing in “${text}”`)
        for (const name of got) if (!want.has(name)) problems.push(`${lang} ${key}: {${name}} is not a parameter`)
      }
    }
  }
  t.same(problems, [])
})

t.test('no translation is left empty or in English by mistake', async (t) => {
  const same = Object.entries(CATALOGS.ko).filter(([key, m]) => JSON.stringify(m) === JSON.stringify(CATALOGS.en[key as keyof typeof CATALOGS.en]))
  // Only texts that are not words may equal the English: a counter, a reason's colon, a room-name placeholder.
  t.same(
    same.map(([key]) => key),
    ['composer.count', 'mod.reason', 'browse.newRoom'],
  )
  for (const [key, m] of Object.entries(CATALOGS.ko))
    t.ok(
      texts(m).every((s) => s.trim() !== ''),
      `${key} is not empty`,
    )
})

t.test('plurals follow Intl.PluralRules: one/other in English, other only in Korean', async (t) => {
  const en = createTranslator('en')
  const ko = createTranslator('ko')
  t.equal(en.t('list.newMessages', { count: 1 }), '1 new message')
  t.equal(en.t('list.newMessages', { count: 3 }), '3 new messages')
  t.equal(en.t('list.newMessages', { count: 0 }), '0 new messages')
  t.equal(en.t('list.newMessages', { count: 1234 }), '1,234 new messages', 'numbers are formatted for the language')
  t.equal(ko.t('list.newMessages', { count: 1 }), '새 메시지 1개')
  t.equal(ko.t('list.newMessages', { count: 3 }), '새 메시지 3개')
  t.equal(en.t('unit.minute', { count: 1 }), '1 minute')
  t.equal(ko.t('unit.minute', { count: 2 }), '2분')
  t.equal(createTranslator('en', 'en-GB').t('composer.count', { length: 1950, limit: 2000 }), '1,950 / 2,000')
  for (const [key, message] of Object.entries(CATALOGS.ko)) {
    if (typeof message !== 'string') t.same(Object.keys(message), ['other'], `${key}: Korean has one plural form`)
  }
  for (const [key, message] of Object.entries(CATALOGS.en)) {
    if (typeof message !== 'string') t.ok('one' in message && 'other' in message, `${key}: English has one and other`)
  }
})

t.test('placeholders are filled, unknown ones left visible', async (t) => {
  const en = createTranslator('en')
  t.equal(en.t('alarm.joined', { name: 'ana' }), 'ana joined')
  t.equal(createTranslator('ko').t('alarm.joined', { name: 'ana' }), 'ana 님이 들어왔어요')
  t.equal(en.t('alarm.joined'), '{name} joined', 'a missing parameter shows, rather than vanishing')
})

t.test('the language: the saved choice, else the browser’s first known language, else English', async (t) => {
  t.equal(pickLang('ko', ['en-US']), 'ko')
  t.equal(pickLang(null, ['ko-KR', 'en-US']), 'ko')
  t.equal(pickLang(null, ['fr-FR', 'en-GB', 'ko']), 'en')
  t.equal(pickLang(null, ['fr-FR', 'KO']), 'ko')
  t.equal(pickLang('xx', ['de']), 'en')
  t.equal(pickLang(undefined, []), 'en')
})

t.test('every protocol error code has words, in every language', async (t) => {
  for (const code of Object.keys(ErrorCodes)) t.ok(code in ERROR_TEXT, `${code} is mapped`)
  for (const key of Object.values(ERROR_TEXT))
    for (const lang of LANGS)
      t.ok(
        texts(CATALOGS[lang][key]).every((s) => s !== ''),
        `${lang} ${key}`,
      )
})

t.test('every data-i18n key of the HTML is in the catalogs', async (t) => {
  const html = readFileSync(new URL('../../../client/public/index.html', import.meta.url), 'utf8')
  const keys = [...html.matchAll(/data-i18n(?:-[a-z-]+)?="([^"]+)"/g)].map((m) => m[1]!)
  t.ok(keys.length > 40, 'the HTML marks its strings')
  t.same(
    keys.filter((k) => !(k in CATALOGS.en)),
    [],
  )
})
