// Issue 14, defect 1: against our server as `npm start` runs it (the default
// settings: one join per second after a burst of ten, typing limited too), the
// kit must pace itself from the limits announced in welcome. The checks that
// join or type the most run here; before the kit paced joins, the
// too-many-rooms checks got rate-limited.
import t from 'tap'
import { formatResults, runKit } from '../../conformance/index.ts'
import { defaultConfig } from '../../server/config.ts'
import { startServer } from '../helpers/server.ts'

t.setTimeout(300_000)

t.test('the join- and typing-heavy checks pass against the default settings', async (t) => {
  // Default rates; only the room limit is lowered (from 50) so the checks join 15 rooms, not
  // 51: still more than the join burst, so an unpaced kit is refused, in a few seconds.
  const server = await startServer(t, { maxRooms: 14 })
  t.equal(server.config.joinsPerSecond, defaultConfig.joinsPerSecond, 'the default join rate')
  t.equal(server.config.joinBurst, defaultConfig.joinBurst, 'the default join burst')
  t.equal(server.config.typingPerSecond, defaultConfig.typingPerSecond, 'the default typing rate')
  t.equal(server.config.messagesPerSecond, defaultConfig.messagesPerSecond, 'the default message rate')
  t.ok(server.config.maxRooms > server.config.joinBurst, 'joining one room too many takes more joins than the burst allows')
  const results = await runKit({ url: server.url, jobs: 2, only: /too-many-rooms|^§9 / })
  const failed = results.checks.filter((c) => c.status === 'fail')
  t.same(
    failed.map((c) => c.name),
    [],
    `no failed check\n${failed.length > 0 ? formatResults({ ...results, checks: failed }, 'pretty') : ''}`,
  )
  const ran = results.checks.filter((c) => c.status === 'pass').map((c) => c.name)
  t.ok(ran.filter((name) => /too-many-rooms/.test(name)).length >= 3, `the too-many-rooms checks ran: ${ran.join('; ')}`)
})
