import t from 'tap'
import { TokenBucket } from '../../../server/limits/token-bucket.ts'

t.test('a full bucket allows a burst, then refuses', async (t) => {
  const b = new TokenBucket(3, 1)
  t.same([b.take(1000), b.take(1000), b.take(1000), b.take(1000)], [true, true, true, false])
})

t.test('tokens come back at the configured rate, never above the burst', async (t) => {
  const b = new TokenBucket(2, 10) // one token per 100 ms
  b.take(1000)
  b.take(1000)
  t.equal(b.take(1050), false, 'half a token is not enough')
  t.equal(b.msUntilNext(1050), 50)
  t.equal(b.take(1100), true, 'a full token after 100 ms')
  t.equal(b.take(100_000), true)
  t.equal(b.take(100_000), true)
  t.equal(b.take(100_000), false, 'a long pause refills only up to the burst')
})
