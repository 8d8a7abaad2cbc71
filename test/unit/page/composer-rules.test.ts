// The composer's rules on their own: length and refused characters as the
// protocol's Text defines them, the limit per conversation, drafts and the
// typing gate. No DOM.
import t from 'tap'
import { Value } from 'typebox/value'
import { noticeText } from '../../../client/page/composer.ts'
import { Drafts, MAX_DRAFTS, type DraftStorage } from '../../../client/page/drafts.ts'
import { checkText, codePoints, DEFAULT_MAX_TEXT_CHARS, forbiddenChars, removeForbidden, textLimit } from '../../../client/page/text-rules.ts'
import { TypingGate } from '../../../client/page/typing-gate.ts'
import { MAX_TEXT_CHARS, Text } from '../../../protocol/primitives.ts'

t.test('the refused characters are exactly those the protocol Text refuses', async (t) => {
  t.equal(DEFAULT_MAX_TEXT_CHARS, MAX_TEXT_CHARS)
  for (let code = 0; code <= 0x2100; code++) {
    const ch = String.fromCodePoint(code)
    if (code >= 0xd800 && code <= 0xdfff) continue
    const refused = !Value.Check(Text, `a${ch}b`)
    if (refused !== forbiddenChars(`a${ch}b`).length > 0) t.fail(`U+${code.toString(16)}: protocol refuses ${refused}`)
  }
  t.pass('U+0000–U+2100 agree')
})

t.test('length counts code points, as the server does', async (t) => {
  t.equal(codePoints('abc'), 3)
  t.equal(codePoints('😀😀'), 2)
  t.equal(codePoints('한국어'), 3)
  t.equal(codePoints('e\u0301'), 2, 'a combining mark is its own code point')
  const emoji = '😀'.repeat(MAX_TEXT_CHARS)
  t.ok(Value.Check(Text, emoji))
  t.ok(checkText(emoji, MAX_TEXT_CHARS).sendable, '2000 emoji (4000 UTF-16 units) fit')
  t.notOk(checkText(`${emoji}😀`, MAX_TEXT_CHARS).sendable)
})

t.test('checkText: counter near the limit, over the limit, refused characters, blank', async (t) => {
  t.match(checkText('hi', 2000), { length: 2, nearLimit: false, over: 0, sendable: true, empty: false })
  t.match(checkText('a'.repeat(1799), 2000), { nearLimit: false })
  t.match(checkText('a'.repeat(1800), 2000), { nearLimit: true, sendable: true })
  t.match(checkText('a'.repeat(2045), 2000), { over: 45, sendable: false })
  t.match(checkText(`  ${'a'.repeat(2000)}  \n`, 2000), { length: 2000, over: 0, sendable: true }, 'measured as sent: trimmed')
  t.match(checkText('   \n ', 2000), { empty: true, sendable: false })
  const bidi = checkText('pay \u202Egnp.exe\u202C now\u0007', 2000)
  t.equal(bidi.sendable, false)
  t.same(
    bidi.forbidden.map((f) => [f.code, f.name, f.count]),
    [
      ['U+202E', 'right-to-left override', 1],
      ['U+202C', 'pop directional formatting', 1],
      ['U+0007', 'bell', 1],
    ],
  )
  t.equal(removeForbidden('pay \u202Egnp.exe\u202C now\u0007'), 'pay gnp.exe now')
  t.equal(removeForbidden('tab\tand\nnewline stay'), 'tab\tand\nnewline stay')
})

t.test('the notice says what is wrong and what to do', async (t) => {
  t.equal(noticeText(checkText('a'.repeat(2001), 2000)), 'Too long by 1 character: the limit is 2,000. Shorten it to send.')
  t.match(noticeText(checkText('a'.repeat(2100), 2000)), /^Too long by 100 characters/)
  t.equal(noticeText(checkText('x\u2066y', 2000)), 'An invisible character cannot be sent (U+2066 left-to-right isolate).')
  t.equal(noticeText(checkText('\u0001\u0001x', 2000)), '2 invisible characters cannot be sent (U+0001 control character).')
  t.equal(noticeText(checkText('fine', 2000)), '')
})

t.test('textLimit: the namespace of the room, else the connection, else 2000', async (t) => {
  const namespaces = [
    { name: '', limits: {} },
    { name: 'news', limits: { maxTextChars: 280 } },
  ]
  t.equal(textLimit('lobby', namespaces, 2000), 2000)
  t.equal(textLimit('news:releases', namespaces, 2000), 280)
  t.equal(textLimit('news:releases', namespaces, 100), 100, 'never above the connection limit')
  t.equal(textLimit('other:x', namespaces, undefined), 2000)
  t.equal(textLimit(undefined, namespaces, 1500), 1500, 'direct messages: the connection limit')
})

/** localStorage as a Map, optionally refusing writes. */
function memoryStorage(refuse = false): DraftStorage & { data: Map<string, string> } {
  const data = new Map<string, string>()
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => {
      if (refuse) throw new Error('QuotaExceededError')
      data.set(k, v)
    },
    removeItem: (k) => void data.delete(k),
  }
}

t.test('drafts: per conversation and per user, kept in storage, blank ones forgotten', async (t) => {
  const storage = memoryStorage()
  const drafts = new Drafts(storage)
  drafts.setUser('u1')
  drafts.set('room:a', 'half a thought')
  drafts.set('room:b', 'another')
  t.equal(drafts.get('room:a'), 'half a thought')
  const reloaded = new Drafts(storage)
  reloaded.setUser('u1')
  t.equal(reloaded.get('room:b'), 'another', 'a new page finds them')
  reloaded.setUser('u2')
  t.equal(reloaded.get('room:b'), '', 'another user does not')
  reloaded.setUser('u1')
  reloaded.set('room:b', '  ')
  t.equal(reloaded.get('room:b'), '')
  reloaded.clear()
  t.equal(new Drafts(storage).get('room:a'), '')
  t.equal(storage.data.size, 0, 'nothing left after clear')
})

t.test('drafts: bounded in number, oldest first out; memory carries on when storage refuses', async (t) => {
  let now = 0
  const storage = memoryStorage()
  const drafts = new Drafts(storage, () => ++now)
  drafts.setUser('u1')
  for (let i = 0; i < MAX_DRAFTS + 5; i++) drafts.set(`room:r${i}`, `draft ${i}`)
  const stored = JSON.parse(storage.data.get('wirechat.drafts.v1:u1')!)
  t.equal(Object.keys(stored).length, MAX_DRAFTS)
  t.notOk('room:r0' in stored)
  t.ok(`room:r${MAX_DRAFTS + 4}` in stored)

  const refusing = new Drafts(memoryStorage(true))
  refusing.setUser('u1')
  refusing.set('room:a', 'kept anyway')
  t.equal(refusing.get('room:a'), 'kept anyway')

  const corrupt = memoryStorage()
  corrupt.data.set('wirechat.drafts.v1:u1', '{not json')
  const fromCorrupt = new Drafts(corrupt)
  fromCorrupt.setUser('u1')
  t.equal(fromCorrupt.get('room:a'), '')
})

t.test('typing gate: typing never takes the second half of the request budget', async (t) => {
  let now = 1_000_000
  const gate = new TypingGate({ messageBurst: 6, messagesPerSecond: 2, typingBurst: 6, typingPerSecond: 2 }, { now: () => now })
  t.ok(gate.take(), 'a full bucket: typing goes')
  gate.spent()
  gate.spent()
  // 6 - 1 (typing) - 2 (sends) = 3 left: one more typing would leave 2 < 3 reserved.
  t.notOk(gate.take(), 'sends took the budget: typing waits')
  now += 500 // one token back
  t.ok(gate.take())
  t.notOk(gate.take())

  // Eight quick messages at human speed (one every 700 ms): every message is counted, typing fits around them.
  let typing = 0
  for (let i = 0; i < 8; i++) {
    now += 700
    if (gate.take()) typing++
    gate.spent()
  }
  t.ok(typing < 8, `typing signals were skipped when the budget was short (${typing} of 8 went)`)
})

t.test('typing gate: the typing bucket, the stop signal and a refusal', async (t) => {
  let now = 1_000_000
  const gate = new TypingGate({ messageBurst: 100, messagesPerSecond: 100, typingBurst: 2, typingPerSecond: 1 }, { now: () => now, minIntervalMs: 1_000 })
  t.ok(gate.take())
  t.notOk(gate.take(), 'within the interval')
  t.ok(gate.take({ stopping: true }), 'a stop need not wait the interval')
  now += 1_000
  t.ok(gate.take(), 'one typing token back after 1 s')
  now += 1_000
  gate.refused(3_000)
  t.notOk(gate.take({ stopping: true }), 'the server asked for quiet')
  now += 3_000
  t.ok(gate.take())
  const unknown = new TypingGate({ messageBurst: 1, messagesPerSecond: 1 })
  t.notOk(unknown.take(), 'a burst of one is all for sends')
})
