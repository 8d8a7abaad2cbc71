import t from 'tap'
import { createBackoff } from '../../../client/backoff.ts'

t.test('the delay ceiling doubles per attempt and stops at the cap', async (t) => {
  const top = createBackoff({ baseMs: 100, maxMs: 1000, random: () => 0.999999 })
  t.same([0, 1, 2, 3, 4, 5, 50].map(top), [99, 199, 399, 799, 999, 999, 999])
})

t.test('jitter stays within [ceiling / 2, ceiling) for any random draw', async (t) => {
  let draw = 0
  const draws = [0, 0.25, 0.5, 0.75, 0.999999]
  const backoff = createBackoff({ baseMs: 200, maxMs: 5000, random: () => draws[draw++ % draws.length]! })
  for (let attempt = 0; attempt < 12; attempt++) {
    const ceiling = Math.min(5000, 200 * 2 ** attempt)
    for (let i = 0; i < draws.length; i++) {
      const delay = backoff(attempt)
      t.ok(delay >= ceiling / 2 && delay < ceiling, `attempt ${attempt}: ${delay} in [${ceiling / 2}, ${ceiling})`)
    }
  }
})

t.test('two draws at the same attempt differ: clients do not retry in lockstep', async (t) => {
  const values = [0.1, 0.9]
  const backoff = createBackoff({ baseMs: 1000, maxMs: 1000, random: () => values.shift()! })
  t.not(backoff(3), backoff(3))
})

t.test('huge attempt numbers stay finite and capped', async (t) => {
  const backoff = createBackoff({ maxMs: 10_000, random: () => 0.5 })
  t.equal(backoff(1e9), 7500)
  t.equal(backoff(-3), 375, 'a negative attempt counts as the first')
})

t.test('nonsense options are refused up front', async (t) => {
  t.throws(() => createBackoff({ baseMs: 0 }), RangeError)
  t.throws(() => createBackoff({ baseMs: 1000, maxMs: 10 }), RangeError)
})
