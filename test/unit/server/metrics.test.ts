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

t.test("the store's group-commit counters are served as counters and a batch-size histogram", async (t) => {
  let stats = { commits: 3, writes: 10, flushes: 2, flushSeconds: 0.004, batchSizes: [1, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0] }
  const metrics = new Metrics({ loggedInUsers: () => 0, rooms: () => 0, commitStats: () => stats })
  const scrape = async () => {
    const lines = (await metrics.registry.metrics()).split('\n')
    return (series: string) => Number(lines.find((l) => l.startsWith(`${series} `))?.split(' ')[1])
  }
  let value = await scrape()
  t.equal(value('wirechat_store_commits_total'), 3)
  t.equal(value('wirechat_store_writes_total'), 10)
  t.equal(value('wirechat_store_flushes_total'), 2)
  t.equal(value('wirechat_store_flush_seconds_total'), 0.004)
  t.equal(value('wirechat_store_batch_size_bucket{le="1"}'), 1)
  t.equal(value('wirechat_store_batch_size_bucket{le="2"}'), 1)
  t.equal(value('wirechat_store_batch_size_bucket{le="4"}'), 2)
  t.equal(value('wirechat_store_batch_size_bucket{le="8"}'), 3)
  t.equal(value('wirechat_store_batch_size_bucket{le="+Inf"}'), 3)
  t.equal(value('wirechat_store_batch_size_sum'), 10)
  t.equal(value('wirechat_store_batch_size_count'), 3)
  stats = { ...stats, commits: 5, batchSizes: [2, 0, 1, 1, 0, 0, 0, 0, 0, 0, 1] }
  value = await scrape()
  t.equal(value('wirechat_store_commits_total'), 5, 'read again at each scrape')
  t.equal(value('wirechat_store_batch_size_bucket{le="512"}'), 4)
  t.equal(value('wirechat_store_batch_size_bucket{le="+Inf"}'), 5, 'a batch past the last bound counts only in +Inf')
})

t.test('without a group-committing store the counters read 0', async (t) => {
  const metrics = new Metrics({ loggedInUsers: () => 0, rooms: () => 0 })
  const text = await metrics.registry.metrics()
  t.match(text, /^wirechat_store_commits_total 0$/m)
  t.match(text, /^wirechat_store_batch_size_count 0$/m)
})
