// PROTOCOL.md §12: close codes 4000–4099 are terminal (never reconnect
// automatically), and so is 1000 after a logout. One scenario per code: the
// kit closes the logged-in connection with it, then watches for a new
// connection attempt for a while longer than several capped backoff delays.
// Any attempt that comes anyway is upgraded and told nothing.
import type { ClientCheckId } from '../ids.ts'
import { defineScenario, listMs, logIn, need, PROMPT_MS, type Scenario, sleep, verdict, waitShown } from '../scenario.ts'

/** How long the kit watches for a reconnect after a terminal close: well past a few capped delays. */
export const watchMs = (maxMs: number): number => Math.max(2_000, 1.5 * maxMs)

interface ObservedTerminal {
  closedAt: number
  /** Attempts after the close, as ms after it. */
  retries: number[]
  /** Codes of the stopped lines the client showed. */
  stopped: unknown[]
}

const NAMES: Record<number, string> = { 4008: 'abuse', 4011: 'session-revoked', 4013: 'disconnected', 4014: 'banned' }

function terminalScenario(code: 4008 | 4011 | 4013 | 4014): Scenario<ObservedTerminal> {
  const id = `CLI-TERMINAL-${code}` as ClientCheckId
  return defineScenario<ObservedTerminal>({
    name: `terminal-${code}`,
    async play(stage, o) {
      const { server, client, hints } = stage
      const { conn } = await logIn(stage, ['lobby'])
      server.post('lobby', 'before the close')
      await waitShown(stage, 'lobby', 'before the close')
      server.policy = () => 'hang'
      o.closedAt = performance.now()
      conn.close(code, NAMES[code])
      await sleep(watchMs(hints.backoffMaxMs))
      o.retries = server.attempts.slice(1).map((a) => a.at - o.closedAt!)
      o.stopped = client.stops().map((s) => s.code)
    },
    checks: [
      {
        id,
        judge(t, o, stage) {
          if (!need(t, o.retries, `the close with ${code}`, stage)) return
          const watched = watchMs(stage.hints.backoffMaxMs)
          verdict(t, o.retries.length === 0, `no new connection within ${watched} ms of close ${code}`, `it reconnected after close ${code}: attempts ${listMs(o.retries)} after it (none may come)`)
          verdict(
            t,
            o.stopped?.includes(code) === true,
            `it shows that it stopped: {"shown":"stopped","code":${code}}`,
            `it does not show that it stopped with the code: no {"shown":"stopped","code":${code}} (${o.stopped?.length ? `it showed stopped with ${o.stopped.map((c) => JSON.stringify(c)).join(', ')}` : 'no stopped line at all'})`,
          )
        },
      },
    ],
  })
}

export const terminal4008 = terminalScenario(4008)
export const terminal4011 = terminalScenario(4011)
export const terminal4013 = terminalScenario(4013)
export const terminal4014 = terminalScenario(4014)

interface ObservedLogout {
  logoutAt: number
  closedAt: number
  retries: number[]
}

export const terminalLogout = defineScenario<ObservedLogout>({
  name: 'terminal-1000',
  async play(stage, o) {
    const { server, client, hints } = stage
    const { conn } = await logIn(stage, ['lobby'])
    server.post('lobby', 'before the logout')
    await waitShown(stage, 'lobby', 'before the logout')
    server.policy = () => 'hang'
    client.do({ do: 'logout' })
    o.logoutAt = performance.now()
    // The fake server answers logout-ok and closes with 1000 (its default).
    await server.until(() => (conn.ended === undefined ? undefined : conn.ended.at), 'the logout request and the close 1000 after logout-ok', PROMPT_MS)
    o.closedAt = conn.ended!.at
    await sleep(watchMs(hints.backoffMaxMs))
    o.retries = server.attempts.slice(1).map((a) => a.at - o.closedAt!)
  },
  checks: [
    {
      id: 'CLI-TERMINAL-1000',
      judge(t, o, stage) {
        if (!need(t, o.retries, 'the logout and its close 1000', stage)) return
        const watched = watchMs(stage.hints.backoffMaxMs)
        verdict(
          t,
          o.retries.length === 0,
          `no new connection within ${watched} ms of the close 1000 that ended the logout`,
          `it reconnected after logging out: attempts ${listMs(o.retries)} after the close 1000 (none may come)`,
        )
      },
    },
  ],
})
