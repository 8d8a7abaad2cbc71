// The kit's own harness: assertions (stricter than tap's where noted in
// compare.ts), skips, timeouts, nesting, teardown order, results as data.
import t from 'tap'
import { runTest, Test, type TestResult } from '../../conformance/harness.ts'

const run = (fn: (t: Test) => unknown, timeoutMs = 5_000): Promise<TestResult> => runTest(new Test('root'), fn, timeoutMs)

t.test('assertions pass and fail as documented', async (t) => {
  const result = await run(async (k) => {
    k.equal(1, 1)
    k.equal(1, '1' as unknown, 'no coercion')
    k.not(1, 2)
    k.not(1, 1, 'not equal to itself')
    k.ok(1)
    k.ok(0, 'falsy')
    k.notOk('')
    k.notOk('x', 'truthy')
    k.same({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })
    k.same({ a: 1 }, { a: 1, b: 2 }, 'missing key')
    k.match({ a: 'x', b: 1, c: [true], d: 'v1.2' }, { a: String, b: Number, c: [Boolean], d: /^v\d/ })
    k.match({ rooms: [1] }, { rooms: [] }, 'an array pattern needs as many items')
    k.match({ code: 'bad-frame-x' }, { code: 'bad-frame' }, 'a string pattern must be equal')
    k.match(Object.assign(new Error('HTTP 400'), { statusCode: 400 }), Object.assign(new Error('HTTP 400'), { statusCode: 400 }))
    k.type('s', 'string')
    k.type([], 'array')
    k.type(new Date(), Date)
    k.type(1, 'string', 'wrong type')
    k.throws(
      () => {
        throw new Error('boom')
      },
      { message: 'boom' },
    )
    k.throws(() => {}, undefined, 'does not throw')
    await k.resolves(Promise.resolve(1))
    await k.resolves(Promise.reject(new Error('no')), 'rejects')
    await k.rejects(Promise.reject(new Error('HTTP 403')), new Error('HTTP 403'))
    await k.rejects(Promise.resolve(), 'resolves')
    k.pass()
    k.fail('failed on purpose')
  })
  t.equal(result.status, 'fail')
  t.same(
    result.failures.map((f) => f.message),
    [
      'no coercion',
      'not equal to itself',
      'falsy',
      'truthy',
      'missing key',
      'an array pattern needs as many items',
      'a string pattern must be equal',
      'wrong type',
      'does not throw',
      'rejects',
      'resolves',
      'failed on purpose',
    ],
  )
  t.equal(result.assertions, 26)
  t.match(result.failures[0], { detail: 'expected "1", got 1' })
})

t.test('subtests run in order, skips carry their reason, a thrown error and a timeout fail the test, teardowns run last first', async (t) => {
  const order: string[] = []
  const result = await run((k) => {
    k.teardown(() => {
      order.push('root teardown')
    })
    k.test('first', async (k) => {
      k.teardown(() => {
        order.push('first teardown 1')
      })
      k.teardown(() => {
        order.push('first teardown 2')
      })
      await new Promise((resolve) => setTimeout(resolve, 20))
      order.push('first')
      k.pass()
    })
    k.test('second', async () => {
      order.push('second')
      throw new Error('thrown')
    })
    k.test('skipped', { skip: 'not today' }, () => {
      order.push('never')
    })
    k.test('slow', { timeout: 50 }, async (k) => {
      await new Promise((resolve) => setTimeout(resolve, 300))
      k.fail('after the timeout: ignored')
    })
    k.test('nested', async (k) => {
      k.test('inner', (k) => {
        k.equal(1, 2, 'inner fails')
      })
    })
  })
  t.same(order, ['first', 'first teardown 2', 'first teardown 1', 'second', 'root teardown'])
  t.match(result.subtests, [
    { name: 'first', status: 'pass', assertions: 1 },
    { name: 'second', status: 'fail', failures: [{ message: 'thrown', stack: /Error: thrown/ }] },
    { name: 'skipped', status: 'skip', skipReason: 'not today' },
    { name: 'slow', status: 'fail', failures: [{ message: 'timed out after 50 ms' }] },
    { name: 'nested', status: 'fail', failures: [], subtests: [{ name: 'inner', status: 'fail', failures: [{ message: 'inner fails' }] }] },
  ])
  t.equal(result.status, 'fail', 'a failed subtest fails its parent')
})
