// Unit tests of the transcript matcher: every rule of format.ts, and proof
// that a mismatch fails — in the matcher and in a replay against a server.
import t from 'tap'
import type { Transcript } from '../../protocol/transcripts/format.ts'
import { startServer } from '../helpers/server.ts'
import { ANY_WELCOME } from '../../protocol/generate/markdown/transcripts.ts'
import { checkTranscript, match, renameLiterals, runTranscript, substitute, type Vars } from '../../conformance/transcripts.ts'

const fresh = (): Vars => new Map()

t.test('literals must be equal, objects must have exactly the listed keys', async (t) => {
  t.equal(match({ a: 1, b: 'x', c: null, d: true }, { a: 1, b: 'x', c: null, d: true }, fresh()), undefined)
  t.match(match({ a: 1 }, { a: 2 }, fresh()), /\/a: expected 1, got 2/)
  t.match(match({ a: 1 }, { a: 1, b: 2 }, fresh()), /unexpected key\(s\) b/)
  t.match(match({ a: 1, b: 2 }, { a: 1 }, fresh()), /missing key\(s\) b/)
  t.match(match({ a: { b: 'x' } }, { a: { b: 'y' } }, fresh()), /\/a\/b:/)
  t.match(match('1', 1, fresh()), /expected "1", got 1/, 'no type coercion')
  t.match(match({ a: 1 }, [1], fresh()), /expected an object/)
  t.match(match(null, {}, fresh()), /expected null/)
})

t.test('arrays must have exactly the listed items, in order', async (t) => {
  t.equal(match([1, 2], [1, 2], fresh()), undefined)
  t.match(match([1, 2], [2, 1], fresh()), /\/0: expected 1, got 2/)
  t.match(match([1, 2], [1, 2, 3], fresh()), /expected 2 items, got 3/)
  t.match(match([], [1], fresh()), /expected 0 items/)
  t.match(match([1], { 0: 1 }, fresh()), /expected an array/)
})

t.test('kind placeholders match any value of their kind and nothing else', async (t) => {
  t.equal(match('<string>', '', fresh()), undefined)
  t.equal(match('<integer>', -3, fresh()), undefined)
  t.equal(match('<boolean>', false, fresh()), undefined)
  t.equal(match('<any>', { deep: [1] }, fresh()), undefined)
  t.equal(match('<any>', null, fresh()), undefined)
  t.match(match('<string>', 1, fresh()), /expected <string>/)
  t.match(match('<integer>', 1.5, fresh()), /expected <integer>/)
  t.match(match('<integer>', '1', fresh()), /expected <integer>/)
  t.match(match('<boolean>', 0, fresh()), /expected <boolean>/)
  t.match(match({ a: '<any>' }, {}, fresh()), /missing key/, '<any> does not make a key optional')
})

t.test('a $variable binds on first use and must be equal afterwards, across frames and clients', async (t) => {
  const vars = fresh()
  t.equal(match({ userId: '$ana.userId' }, { userId: 'u1' }, vars), undefined)
  t.equal(vars.get('$ana.userId'), 'u1')
  t.equal(match({ members: [{ userId: '$ana.userId' }] }, { members: [{ userId: 'u1' }] }, vars), undefined)
  t.match(match('$ana.userId', 'u2', vars), /expected \$ana\.userId = "u1", got "u2"/)
  t.equal(match('$pos', { epoch: 'e', seq: 1 }, vars), undefined, 'any value can be bound')
  t.match(match('$pos', { epoch: 'e', seq: 2 }, vars), /\$pos/)
  t.equal(match('$5 off', '$5 off', vars), undefined, 'a string that is no variable name is a literal')
})

t.test('send frames get bound values substituted; an unbound one is an error', async (t) => {
  const vars: Vars = new Map<string, unknown>([
    ['$bob.userId', 'u9'],
    ['$pos', { epoch: 'e', seq: 3 }],
  ])
  t.same(substitute({ type: 'dm', to: '$bob.userId', rooms: [{ since: '$pos' }] }, vars), { type: 'dm', to: 'u9', rooms: [{ since: { epoch: 'e', seq: 3 } }] })
  t.throws(() => substitute({ to: '$carol.userId' }, vars), /\$carol\.userId/)
})

t.test('checkTranscript finds structural mistakes', async (t) => {
  const ok: Transcript = { title: 'x', section: '6', description: 'y', steps: [{ connect: 'a' }, { client: 'a', send: { type: 'ping' } }, { client: 'a', expect: { type: 'pong' } }] }
  t.same(checkTranscript(ok), [])
  t.match(checkTranscript({ ...ok, section: 'six' }), [/section/])
  t.match(checkTranscript({ ...ok, steps: [{ client: 'a', send: { type: 'ping' } }] }), [/before it connects/])
  t.match(checkTranscript({ ...ok, steps: [{ connect: 'a' }, { client: 'a', shout: 1 }] }), [/not one of/])
})

t.test('renameLiterals gives chosen user and room names a suffix everywhere, and nothing else', async (t) => {
  const tr: Transcript = {
    title: 'x',
    section: '4',
    description: 'y',
    steps: [
      { connect: 'ana' },
      { client: 'ana', send: { type: 'login', name: 'ana', rooms: [{ room: 'tea' }, { room: 'lobby' }] } },
      { client: 'ana', expect: { name: 'ana', text: 'ana', rooms: [{ room: 'tea' }, { room: 'lobby' }], userId: '$ana.userId' } },
    ],
  }
  const renamed = renameLiterals(tr, 'q1')
  t.same(renamed.steps[1], { client: 'ana', send: { type: 'login', name: 'ana-q1', rooms: [{ room: 'tea-q1' }, { room: 'lobby' }] } })
  t.same(renamed.steps[2], { client: 'ana', expect: { name: 'ana-q1', text: 'ana-q1', rooms: [{ room: 'tea-q1' }, { room: 'lobby' }], userId: '$ana.userId' } })
  t.same(renamed.steps[0], { connect: 'ana' }, 'client labels are not names')
})

t.test('a replay fails, naming the step, when the server answers differently from the transcript', async (t) => {
  const server = await startServer(t)
  const welcome = JSON.parse(ANY_WELCOME) as Record<string, unknown>
  const good: Transcript = {
    title: 'ping',
    section: '10',
    description: 'ping before login',
    steps: [{ connect: 'a' }, { client: 'a', expect: welcome }, { client: 'a', send: { type: 'ping', id: '1' } }, { client: 'a', expect: { type: 'pong', id: '1', serverTime: '<integer>' } }],
  }
  t.match(await runTranscript(t, server.url, good), { ok: true })

  const wrongValue = structuredClone(good)
  wrongValue.steps[3] = { client: 'a', expect: { type: 'pong', id: '2', serverTime: '<integer>' } }
  t.match(await runTranscript(t, server.url, wrongValue), { ok: false, step: 3, reason: /\/id: expected "2", got "1"/ })

  const missingFrame = structuredClone(good)
  missingFrame.steps.push({ client: 'a', expect: { type: 'pong' } })
  t.match(await runTranscript(t, server.url, missingFrame, 300), { ok: false, step: 4, reason: /timed out/ })

  const unlisted = structuredClone(good)
  unlisted.steps.splice(3, 1)
  t.match(await runTranscript(t, server.url, unlisted), { ok: false, reason: /frames the transcript does not list/ }, 'an extra frame at the end fails too')

  const wrongClose = structuredClone(good)
  wrongClose.steps.push(
    { client: 'a', send: { type: 'login', rooms: [] } },
    { client: 'a', expect: { type: 'login-ok', id: '<string>', userId: '<string>', name: '<string>', session: '<string>', rooms: [], inbox: '<any>' } },
  )
  wrongClose.steps[5] = { client: 'a', expect: '<any>' as unknown as Record<string, unknown> }
  wrongClose.steps.push({ client: 'a', send: { type: 'logout' } }, { client: 'a', expect: { type: 'logout-ok' } }, { client: 'a', expectClose: { code: 4001 } })
  t.match(await runTranscript(t, server.url, wrongClose), { ok: false, step: 8, reason: /expected close \{"code":4001\}, got \{"code":1000/ })
})
