// The bench's reading of our server's store counters: what a scrape says,
// and the window's figures from two scrapes.
import t from 'tap'
import { parseStoreCounters, storeFigures } from '../../../bench/scenarios/store-metrics.ts'
import { Metrics } from '../../../server/metrics.ts'

t.test('reads the counters from the exposition the server serves', async (t) => {
  const stats = { commits: 40, writes: 160, flushes: 39, flushSeconds: 0.078, batchSizes: [0, 0, 40, 0, 0, 0, 0, 0, 0, 0, 0] }
  const text = await new Metrics({ loggedInUsers: () => 0, rooms: () => 0, commitStats: () => stats }).registry.metrics()
  t.same(parseStoreCounters(text), { commits: 40, writes: 160, flushes: 39, flushSeconds: 0.078 })
  t.equal(parseStoreCounters('# nothing\nother_total 3\n'), undefined, 'a server without them')
})

t.test('figures of a window: per second, per commit, mean flush', async (t) => {
  const f = storeFigures({ commits: 10, writes: 10, flushes: 10, flushSeconds: 0.01 }, { commits: 510, writes: 2010, flushes: 510, flushSeconds: 0.51 }, 10_000)
  t.equal(f.commitsPerSec, 50)
  t.equal(f.writesPerCommit, 4)
  t.equal(f.flushesPerSec, 50)
  t.ok(Math.abs(f.flushMs - 1) < 1e-9, 'mean flush 1 ms')
  const idle = storeFigures({ commits: 1, writes: 1, flushes: 1, flushSeconds: 0 }, { commits: 1, writes: 1, flushes: 1, flushSeconds: 0 }, 1000)
  t.ok(Number.isNaN(idle.writesPerCommit) && Number.isNaN(idle.flushMs), 'no commit: no per-commit figure')
})
