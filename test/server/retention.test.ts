// History retention against a real server: a namespace's `historyDays` is
// enforced by housekeeping on the server's clock (deterministic mode moves it
// days forward through /_test/clock). What is older goes, a prefix of each
// room's stream: joins and history no longer return it, a resume from before
// it is too far behind, numbering goes on, and rooms of namespaces that keep
// history forever are untouched.
import t from 'tap'
import type { ServerFrame, ServerFrameOf } from '@wirechat/protocol'
import { disableDeterminism } from '../../server/determinism.ts'
import { TEST_CLOCK_PATH } from '../../server/http/test-clock.ts'
import { namespace, namespacesFile } from '../helpers/namespaces.ts'
import { RawClient } from '../helpers/raw-client.ts'
import { startServer, type TestServer } from '../helpers/server.ts'

t.teardown(disableDeterminism)

const HOUR = 3_600_000

async function advance(server: TestServer, ms: number): Promise<void> {
  const res = await fetch(`${server.httpUrl}${TEST_CLOCK_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceMs: ms }) })
  if (!res.ok) throw new Error(`advancing the clock failed: HTTP ${res.status}`)
}

const texts = (frame: ServerFrame) => (frame as ServerFrameOf<'join-room-ok'>).state.history.map((m) => `${m.seq} ${m.text}`)

for (const store of ['sqlite', 'memory'] as const) {
  t.test(`${store}: messages older than historyDays leave; the rest of the stream and other namespaces stay`, async (t) => {
    const file = namespacesFile(t, { namespaces: [namespace('news', { historyDays: 1 })] })
    const server = await startServer(t, { store, namespacesFile: file, deterministicSeed: 7, heartbeatMs: 24 * HOUR })
    const { client: ana } = await RawClient.login(t, server.url, { name: 'ana', version: '1.3.0' })
    for (const room of ['news:daily', 'tea']) {
      t.match(await ana.request({ type: 'join-room', room }), { type: 'join-room-ok' })
      for (const text of ['one', 'two', 'three']) t.match(await ana.request({ type: 'chat', room, text }), { type: 'chat-ok' })
    }
    ana.close()

    // A day and an hour later: housekeeping has run (its first run a minute after start, then hourly).
    await advance(server, 25 * HOUR)
    await server.app.housekeeping.idle()
    const { client: bob } = await RawClient.login(t, server.url, { name: 'bob', version: '1.3.0' })
    t.same(texts(await bob.request({ type: 'join-room', room: 'news:daily' })), [], 'the day-old messages are gone')
    t.same(texts(await bob.request({ type: 'join-room', room: 'tea' })), ['1 one', '2 two', '3 three'], 'the default namespace keeps history forever')
    t.match(await bob.request({ type: 'chat', room: 'news:daily', text: 'four' }), { type: 'chat-ok', message: { seq: 4 } }, 'numbering goes on')
    t.match(await bob.request({ type: 'history', room: 'news:daily', before: 4 }), { type: 'history-ok', messages: [], hasMore: false })

    const { client: cy } = await RawClient.login(t, server.url, { name: 'cy', version: '1.3.0' })
    const epoch = (await cy.request({ type: 'join-room', room: 'tea' })) as ServerFrameOf<'join-room-ok'>
    t.match(
      await cy.request({ type: 'join-room', room: 'news:daily', since: { epoch: epoch.state.epoch, seq: 2 } }),
      { type: 'join-room-ok', state: { seq: 4, resume: { resumed: false, reason: 'too-far-behind' }, history: [{ seq: 4, text: 'four' }] } },
      'a position before what is kept cannot be resumed',
    )

    // Another day: "four" goes too, and the room keeps counting.
    await advance(server, 25 * HOUR)
    await server.app.housekeeping.idle()
    const { client: dee } = await RawClient.login(t, server.url, { name: 'dee', version: '1.3.0' })
    t.same(texts(await dee.request({ type: 'join-room', room: 'news:daily' })), [])
    t.match(await dee.request({ type: 'chat', room: 'news:daily', text: 'five' }), { type: 'chat-ok', message: { seq: 5 } })
    const metrics = await (await fetch(`${server.httpUrl}/metrics`)).text()
    t.match(metrics, /^wirechat_history_pruned_total 4$/m, 'the metric counts what went')
  })
}

t.test('a run asked for while one is under way gets one more run after it, shared, that reads the clock anew', async (t) => {
  const server = await startServer(t, { store: 'sqlite', deterministicSeed: 7 })
  const { housekeeping } = server.app
  const first = housekeeping.run()
  const [second, third] = [housekeeping.run(), housekeeping.run()]
  t.equal(second, third, 'shared')
  t.not(second, first)
  t.same(await first, { pruned: 0, rooms: 0, sessions: 0 })
  t.same(await second, { pruned: 0, rooms: 0, sessions: 0 })
  t.not(housekeeping.run(), second, 'a request after both ran starts a new run')
  await housekeeping.idle()
})
