// PROTOCOL.md §10 Heartbeat: the ping frame (allowed before login) and the
// server's WebSocket pings, which a peer must answer.
import type { Test } from '../harness.ts'
import { MAX_TIMER_WAIT_MS, type Target, uniqueName } from '../target.ts'

export default async function checks(t: Test, target: Target): Promise<void> {
  const { heartbeatMs } = target.welcome
  const skipHeartbeat =
    target.clock === undefined && heartbeatMs * 2 > MAX_TIMER_WAIT_MS
      ? `heartbeatMs is ${heartbeatMs} ms (announced in welcome); these checks wait two intervals, at most ${MAX_TIMER_WAIT_MS} ms — configure a shorter heartbeat to run them`
      : false

  t.test('§10 ping is answered with pong carrying serverTime, before login', async (t) => {
    const wire = await target.open(t)
    t.match(await wire.request({ type: 'ping', id: 'hb1' }), { type: 'pong', id: 'hb1', serverTime: Number })
  })

  t.test('§10 ping is answered with pong after login', async (t) => {
    const { wire } = await target.login(t, { name: uniqueName('ana'), rooms: [] })
    const pong = await wire.ok('pong', { type: 'ping', id: 'hb2' })
    t.ok(Number.isInteger(pong.serverTime) && pong.serverTime > 0)
  })

  t.test('§10 the server sends WebSocket pings every heartbeatMs', { skip: skipHeartbeat }, async (t) => {
    const { wire } = await target.login(t, { name: uniqueName('ana'), rooms: [] })
    if (target.clock !== undefined) {
      // One interval at a time; the ping round trip makes sure the server has read the pong.
      for (const wanted of [1, 2]) {
        await target.wait(heartbeatMs)
        const deadline = Date.now() + 2_000
        while (wire.pings < wanted && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10))
        await wire.request({ type: 'ping' })
      }
    }
    const deadline = Date.now() + heartbeatMs * 2 + 1_000
    while (wire.pings < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20))
    t.ok(wire.pings >= 2, `received ${wire.pings} WebSocket pings`)
    t.notOk(wire.isClosed, 'a peer that answers stays connected')
  })

  t.test('§10 a peer that answers no WebSocket ping is disconnected', { skip: skipHeartbeat }, async (t) => {
    const { wire } = await target.login(t, { name: uniqueName('mute'), rooms: [] }, { autoPong: false })
    // The first interval pings, the next finds no pong.
    if (target.clock !== undefined) for (let i = 0; i < 2 && !wire.isClosed; i++) await target.wait(heartbeatMs)
    const { code } = await wire.closed(heartbeatMs * 2 + 2_000)
    t.not(code, 1000, `closed abnormally (${code})`)
  })
}
