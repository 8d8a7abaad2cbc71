// The hand-rolled histogram must read like prom-client's in the exposition.
import t from 'tap'
import { Metrics } from '../../../server/metrics.ts'

t.test('HotHistogram: cumulative buckets, +Inf, sum and count', async (t) => {
  const metrics = new Metrics({ loggedInUsers: () => 0, rooms: () => 0 })
  for (const v of [1, 3, 200, 9000]) metrics.fanout.observe(v)
  const lines = (await metrics.registry.metrics()).split('\n').filter((l) => l.startsWith('wirechat_broadcast_fanout'))
  const value = (series: string) => Number(lines.find((l) => l.startsWith(`${series} `))?.split(' ')[1])
  t.equal(value('wirechat_broadcast_fanout_bucket{le="1"}'), 1, 'a value on a bound counts in that bucket')
  t.equal(value('wirechat_broadcast_fanout_bucket{le="5"}'), 2)
  t.equal(value('wirechat_broadcast_fanout_bucket{le="250"}'), 3)
  t.equal(value('wirechat_broadcast_fanout_bucket{le="5000"}'), 3, 'a value past the last bound is in no finite bucket')
  t.equal(value('wirechat_broadcast_fanout_bucket{le="+Inf"}'), 4)
  t.equal(value('wirechat_broadcast_fanout_sum'), 9204)
  t.equal(value('wirechat_broadcast_fanout_count'), 4)
  t.match(await metrics.registry.metrics(), /# TYPE wirechat_store_append_seconds histogram/)
})
