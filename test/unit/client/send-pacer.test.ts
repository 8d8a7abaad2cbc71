// The send pacer on its own: rate-limited sends go again after retryAfterMs,
// in the order they were first sent. A fake clock and scripted replies.
import t from 'tap'
import { ChatError } from '../../../client/errors.ts'
import { SendPacer } from '../../../client/send-pacer.ts'
import { FakeClock } from '../../helpers/fake-clock.ts'

const settle = () => new Promise<void>((resolve) => setImmediate(resolve))
const limited = (retryAfterMs?: number) => new ChatError('rate-limited', 'Too many requests.', { retryable: true, retryAfterMs })

/** A scripted server: each attempt is logged and waits for the test to answer it. */
function server() {
  const calls: Array<{ name: string; ok: (v: string) => void; fail: (e: unknown) => void }> = []
  const send = (name: string) => () =>
    new Promise<string>((ok, fail) => {
      calls.push({ name, ok, fail })
    })
  return { calls, send, names: () => calls.map((c) => c.name) }
}

t.test('without refusals, sends go out at once and side by side', async (t) => {
  const pacer = new SendPacer(new FakeClock())
  const s = server()
  const a = pacer.run(s.send('a'))
  const b = pacer.run(s.send('b'))
  t.same(s.names(), ['a', 'b'], 'both sent before either reply')
  s.calls[1]!.ok('B')
  s.calls[0]!.ok('A')
  t.same(await Promise.all([a, b]), ['A', 'B'])
  t.equal(pacer.waiting, 0)
})

t.test('a rate-limited send goes again after retryAfterMs, not before, and resolves with the later reply', async (t) => {
  const clock = new FakeClock()
  const pacer = new SendPacer(clock)
  const s = server()
  const a = pacer.run(s.send('a'))
  s.calls[0]!.fail(limited(300))
  await settle()
  clock.advance(299)
  await settle()
  t.same(s.names(), ['a'], 'still waiting')
  clock.advance(1)
  await settle()
  t.same(s.names(), ['a', 'a'], 'sent again')
  s.calls[1]!.ok('stored')
  t.equal(await a, 'stored')
})

t.test('sends made while one waits queue behind it and go one at a time, in order', async (t) => {
  const clock = new FakeClock()
  const pacer = new SendPacer(clock)
  const s = server()
  const a = pacer.run(s.send('a'))
  s.calls[0]!.fail(limited(100))
  await settle()
  const b = pacer.run(s.send('b'))
  const c = pacer.run(s.send('c'))
  t.same(s.names(), ['a'], 'b and c wait for a')
  t.equal(pacer.waiting, 3)
  clock.advance(100)
  await settle()
  t.same(s.names(), ['a', 'a'], 'a first, alone')
  s.calls[1]!.ok('A')
  await settle()
  t.same(s.names(), ['a', 'a', 'b'], 'b after the reply to a')
  // b is refused again: it waits, and c still waits behind it.
  s.calls[2]!.fail(limited(50))
  await settle()
  clock.advance(50)
  await settle()
  t.same(s.names(), ['a', 'a', 'b', 'b'])
  s.calls[3]!.ok('B')
  await settle()
  s.calls[4]!.ok('C')
  t.same(await Promise.all([a, b, c]), ['A', 'B', 'C'])
  t.equal(pacer.waiting, 0)

  const d = pacer.run(s.send('d'))
  t.same(s.names().at(-1), 'd', 'with the queue empty, sending is direct again')
  s.calls.at(-1)!.ok('D')
  t.equal(await d, 'D')
})

t.test('a refusal that comes back late still goes before sends made after it', async (t) => {
  const clock = new FakeClock()
  const pacer = new SendPacer(clock)
  const s = server()
  const a = pacer.run(s.send('a'))
  const b = pacer.run(s.send('b'))
  s.calls[1]!.fail(limited(100)) // b refused first
  await settle()
  const c = pacer.run(s.send('c'))
  s.calls[0]!.fail(limited(100)) // then a
  await settle()
  clock.advance(100)
  await settle()
  for (const [i, value] of ['A', 'B', 'C'].entries()) {
    t.equal(s.names()[2 + i], value.toLowerCase(), `${value.toLowerCase()} goes ${i + 1}.`)
    s.calls[2 + i]!.ok(value)
    await settle()
  }
  t.same(await Promise.all([a, b, c]), ['A', 'B', 'C'])
})

t.test('other failures, waits past the bound and endless refusals fail the send as before', async (t) => {
  const clock = new FakeClock()
  const pacer = new SendPacer(clock, { maxWaitMs: 1_000, maxAttempts: 2 })
  const s = server()
  const other = pacer.run(s.send('x'))
  s.calls[0]!.fail(new ChatError('not-in-room', 'No.'))
  await t.rejects(other, { code: 'not-in-room' })

  const long = pacer.run(s.send('slow'))
  s.calls[1]!.fail(limited(5_000))
  await t.rejects(long, { code: 'rate-limited', retryAfterMs: 5_000 }, 'a slow mode of 5 s is past the 1 s bound: the user decides')

  const stubborn = t.rejects(pacer.run(s.send('y')), { code: 'rate-limited' }, 'three refusals, two tries again, then it fails')
  for (let i = 0; i < 3; i++) {
    s.calls.at(-1)!.fail(limited(10))
    await settle()
    clock.advance(10)
    await settle()
  }
  await stubborn
  t.equal(s.names().filter((n) => n === 'y').length, 3)
  t.equal(pacer.waiting, 0)
})

t.test('a refusal without retryAfterMs waits the default', async (t) => {
  const clock = new FakeClock()
  const pacer = new SendPacer(clock, { defaultWaitMs: 700 })
  const s = server()
  const a = pacer.run(s.send('a'))
  s.calls[0]!.fail(limited())
  await settle()
  clock.advance(699)
  await settle()
  t.equal(s.calls.length, 1)
  clock.advance(1)
  await settle()
  s.calls[1]!.ok('A')
  t.equal(await a, 'A')
})
