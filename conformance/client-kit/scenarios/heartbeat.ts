// PROTOCOL.md §10: a client that wants to detect a dead connection sends
// `ping` and, without `pong` in time, closes the link and reconnects. The
// fake server announces a short heartbeat in welcome (HEARTBEAT_MS) and pings
// every interval; after a healthy while it goes silent — no frames, no pings,
// no pongs, the TCP connection left up, as a dead NAT mapping or a frozen
// peer looks. The client must notice and replace the link within
// 10 × heartbeatMs plus one capped backoff delay, and must not have dropped
// the link while the server was answering.
import type { ClientFrameOf } from '@wirechat/protocol'
import { capTolerance } from './reconnect.ts'
import { defineScenario, LOGIN_WAIT_MS, listMs, logIn, need, sleep, waitShown } from '../scenario.ts'

/** The heartbeat the fake server announces. */
export const HEARTBEAT_MS = 400

interface ObservedHeartbeat {
  session: string
  keptWhileLive: boolean
  silentAt: number
  detectedAfter: number
  relogin: ClientFrameOf<'login'>
  shownAfter: boolean
}

export const heartbeat = defineScenario<ObservedHeartbeat>({
  name: 'heartbeat',
  server: { heartbeatMs: HEARTBEAT_MS, pings: true },
  async play(stage, o) {
    const { server, hints } = stage
    const { conn } = await logIn(stage, ['lobby'])
    o.session = conn.user!.session
    server.post('lobby', 'the link is alive')
    await waitShown(stage, 'lobby', 'the link is alive')
    await sleep(3 * HEARTBEAT_MS)
    o.keptWhileLive = conn.open && server.attempts.length === 1
    o.silentAt = performance.now()
    conn.goSilent()
    const bound = 10 * HEARTBEAT_MS + hints.backoffMaxMs + capTolerance(hints)
    const attempt = await server.waitAttempt(2, bound).catch(() => {
      throw new Error(`no new connection within ${bound} ms of the server going silent`)
    })
    o.detectedAfter = attempt.at - o.silentAt
    o.relogin = (await server.waitLogin(2, LOGIN_WAIT_MS)).login
    server.post('lobby', 'the new link works')
    await waitShown(stage, 'lobby', 'the new link works')
    o.shownAfter = true
  },
  checks: [
    {
      id: 'CLI-HEARTBEAT-DEAD',
      judge(t, o, stage) {
        if (!need(t, o.keptWhileLive, 'a healthy link', stage)) return
        t.ok(o.keptWhileLive, `the link was kept for ${3 * HEARTBEAT_MS} ms while the server answered (heartbeatMs ${HEARTBEAT_MS})`)
        if (!need(t, o.detectedAfter, 'a new connection after the server went silent', stage)) return
        t.pass(`a new connection ${listMs([o.detectedAfter])} after the server went silent`)
        if (!need(t, o.relogin, 'a login on the new connection', stage)) return
        t.equal(o.relogin.session, o.session, 'the new login carries the session key')
        t.ok(o.shownAfter === true, 'a message on the new link is shown')
      },
    },
  ],
})
