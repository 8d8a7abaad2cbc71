// PROTOCOL.md §11 and §13: `rate-limited` carries `retryAfterMs`, and the
// client waits at least that long before sending again. The kit refuses the
// first chat with it and, a moment later (once the client has surely read the
// refusal), gives the client a second message to send (a user typing on):
// neither may reach the wire before the time is up. The refused message must
// not vanish silently: re-sent after the wait, or the error shown.
import { defineScenario, listMs, logIn, need, sleep, verdict, waitShown } from '../scenario.ts'

/** retryAfterMs of the refusal. */
export const RETRY_AFTER_MS = 1_000
/** When the second message is given to the client, after the refusal went out. */
export const SECOND_AFTER_MS = 250

interface ObservedRate {
  refusedAt: number
  /** Chats that arrived before retryAfterMs had passed: text and ms after the refusal. */
  early: Array<{ text: string; after: number }>
  /** The refused text sent again after the wait (ms after the refusal). */
  resentAfter: number | undefined
  resentShown: boolean
  errorShown: boolean
}

const FIRST = 'sent too fast'
const SECOND = 'typed during the wait'

export const rateLimit = defineScenario<ObservedRate>({
  name: 'rate-limit',
  async play(stage, o) {
    const { server, client } = stage
    await logIn(stage, ['lobby'])
    server.post('lobby', 'bob is here')
    await waitShown(stage, 'lobby', 'bob is here')
    let refused = false
    server.intercept = (frame, conn) => {
      if (refused || frame.type !== 'chat' || frame.text !== FIRST) return false
      refused = true
      conn.send({ type: 'error', ...(frame.id !== undefined && { id: frame.id }), code: 'rate-limited', message: 'Too many requests.', retryable: true, retryAfterMs: RETRY_AFTER_MS })
      o.refusedAt = performance.now()
      setTimeout(() => client.do({ do: 'send', room: 'lobby', text: SECOND }), SECOND_AFTER_MS)
      return true
    }
    const from = server.received.length
    client.do({ do: 'send', room: 'lobby', text: FIRST })
    await server.until(() => o.refusedAt, `the chat "${FIRST}"`, 4_000)
    await sleep(RETRY_AFTER_MS)
    const errorShown = (): boolean => client.shown.some((s) => s.line.shown === 'error' && s.line.code === 'rate-limited')
    const resent = () => server.received.slice(from).find((r) => r.frame?.type === 'chat' && r.frame.text === FIRST && r.at > o.refusedAt!)
    await server.until(() => (resent() !== undefined || errorShown() ? true : undefined), `"${FIRST}" sent again or the error shown`, 3_000).catch(() => undefined)
    const again = resent()
    if (again !== undefined) await waitShown(stage, 'lobby', FIRST, 3_000).catch(() => undefined)
    o.early = server.received
      .slice(from)
      .filter((r) => r.frame?.type === 'chat' && r.at > o.refusedAt! && r.at < o.refusedAt! + RETRY_AFTER_MS - 10)
      .map((r) => ({ text: (r.frame as { text: string }).text, after: r.at - o.refusedAt! }))
    o.resentAfter = again === undefined ? undefined : again.at - o.refusedAt!
    o.resentShown = client.timesShown('lobby', FIRST) === 1
    o.errorShown = errorShown()
  },
  checks: [
    {
      id: 'CLI-RATE-WAIT',
      judge(t, o, stage) {
        if (!need(t, o.early, 'the refusal and the wait after it', stage)) return
        verdict(
          t,
          o.early.length === 0,
          `no chat reached the server within retryAfterMs (${RETRY_AFTER_MS} ms) of the refusal`,
          `retryAfterMs (${RETRY_AFTER_MS} ms) ignored: ${o.early.map((e) => `"${e.text}" came ${listMs([e.after])} after the refusal`).join(', ')}`,
        )
      },
    },
    {
      id: 'CLI-RATE-RESEND',
      judge(t, o, stage) {
        if (!need(t, o.early, 'the refusal and the wait after it', stage)) return
        const resent = o.resentAfter !== undefined && o.resentShown
        verdict(
          t,
          resent || o.errorShown === true,
          resent ? `sent again ${listMs([o.resentAfter!])} after the refusal, and shown once` : 'the error was shown ({"shown":"error","code":"rate-limited"})',
          `the refused message was lost silently: ${o.resentAfter === undefined ? 'never sent again' : `sent again after ${listMs([o.resentAfter])} but not shown once`}, and no {"shown":"error","code":"rate-limited"} line`,
        )
      },
    },
  ],
})
