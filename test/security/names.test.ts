// Display names that could impersonate: schema rules (control, bidi,
// zero-width), NFC, case-insensitive and look-alike uniqueness among online
// users, invisible characters and mixed scripts.
import t from 'tap'
import { RawClient } from '../helpers/raw-client.ts'
import { startServer } from '../helpers/server.ts'

t.test("names that look like an online user's are taken", async (t) => {
  const server = await startServer(t)
  await RawClient.login(t, server.url, { name: 'ana' })
  await RawClient.login(t, server.url, { name: 'Alice' })
  await RawClient.login(t, server.url, { name: 'pace' })
  const lookalikes: [string, string][] = [
    ['ANA', 'another case'],
    ['ａｎａ', 'fullwidth letters'],
    ['𝐚𝐧𝐚', 'mathematical bold letters'],
    ['расе', 'all-Cyrillic look-alike of "pace"'],
    ['αηα', 'all-Greek look-alike'],
    ['AIice', 'capital I for l'],
    ['A1ice', 'digit 1 for l'],
  ]
  for (const [name, what] of lookalikes) {
    const client = await RawClient.connect(t, server.url)
    t.match(await client.request({ type: 'login', name }), { type: 'error', code: 'name-taken' }, `${what}: ${name}`)
  }
  const decomposed = await RawClient.connect(t, server.url)
  await RawClient.login(t, server.url, { name: 'José' })
  t.match(await decomposed.request({ type: 'login', name: 'Jose\u0301' }), { code: 'name-taken' }, 'NFD spelling of an NFC name')
  const { client } = await RawClient.login(t, server.url, { name: 'bob' })
  t.match(await client.request({ type: 'rename', name: 'ＡＮＡ' }), { code: 'name-taken' }, 'rename is checked the same way')
})

t.test('names with invisible, bidi, control or mixed-script characters are refused', async (t) => {
  const server = await startServer(t)
  const refused: [string, string][] = [
    ['a\u200Bna', 'zero-width space'],
    ['\u202Eana', 'right-to-left override'],
    ['an\u2066a', 'bidi isolate'],
    ['an\u034Fa', 'combining grapheme joiner (invisible mark)'],
    ['ana\uFE0F', 'variation selector'],
    ['\u3164', 'Hangul filler (blank letter)'],
    ['a\u0007na', 'control character'],
    ['pаypal', 'Latin with one Cyrillic а'],
    ['pαypal', 'Latin with one Greek α'],
    ['ana  bob', 'two spaces in a row'],
    [' ana', 'leading space'],
  ]
  for (const [name, what] of refused) {
    const client = await RawClient.connect(t, server.url)
    t.match(await client.request({ type: 'login', name }), { type: 'error', code: 'bad-frame' }, what)
  }
  const { client } = await RawClient.login(t, server.url, { name: 'carol' })
  t.match(await client.request({ type: 'rename', name: 'cаrol' }), { code: 'bad-frame' }, 'rename refuses mixed scripts too')
  for (const name of ['Zoë', 'Ἀθηνᾶ', 'Дмитрий', '李小龙', 'ana_b-c.d', 'محمد']) {
    const other = await RawClient.connect(t, server.url)
    t.match(await other.request({ type: 'login', name }), { type: 'login-ok', name }, `single-script name ${name} is fine`)
  }
})
