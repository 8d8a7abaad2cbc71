// PROTOCOL.md §1: a later version may add error codes, and a client MUST
// treat one it does not know by its `retryable` flag. The kit refuses a chat
// with a code no version defines and `retryable: false`: the client must not
// send it again (on this connection or after a reconnect the kit then
// causes), must not show it as sent, and must keep working — the next chat
// goes out and is shown.
import { defineScenario, logIn, need, PROMPT_MS, sleep, verdict, waitShown } from '../scenario.ts'

interface ObservedUnknownError {
  refusedAt: number
  /** Chats with the refused text after the refusal, in ms after it. */
  again: number[]
  shownAsSent: boolean
  next: boolean
}

export const UNKNOWN_CODE = 'conformance-code-from-the-future'
const REFUSED = 'refused with an unknown code'
const NEXT = 'the chat after the refusal'
/** How long the kit watches for a re-send: past a few capped backoff delays. */
const WATCH_MS = 1_500

export const unknownError = defineScenario<ObservedUnknownError>({
  name: 'unknown-error',
  async play(stage, o) {
    const { server, client } = stage
    await logIn(stage, ['lobby'])
    server.post('lobby', 'bob is here')
    await waitShown(stage, 'lobby', 'bob is here')
    server.intercept = (frame, conn) => {
      if (frame.type !== 'chat' || frame.text !== REFUSED) return false
      if (o.refusedAt !== undefined) return true // a re-send is recorded, not answered
      conn.send({ type: 'error', ...(frame.id !== undefined && { id: frame.id }), code: UNKNOWN_CODE, message: 'A refusal this client cannot know.', retryable: false })
      o.refusedAt = performance.now()
      return true
    }
    const from = server.received.length
    client.do({ do: 'send', room: 'lobby', text: REFUSED })
    await server.until(() => o.refusedAt, `the chat "${REFUSED}"`, PROMPT_MS)
    await sleep(WATCH_MS)
    // A reconnect must not bring it back either (an outbox that keeps it would).
    server.connections.at(-1)!.cut()
    await server.waitLogin(2, PROMPT_MS + stage.hints.backoffMaxMs)
    client.do({ do: 'send', room: 'lobby', text: NEXT })
    await waitShown(stage, 'lobby', NEXT)
    o.next = true
    o.again = server.received
      .slice(from)
      .filter((r) => r.frame?.type === 'chat' && r.frame.text === REFUSED && r.at > o.refusedAt!)
      .map((r) => r.at - o.refusedAt!)
    o.shownAsSent = client.timesShown('lobby', REFUSED) > 0
  },
  checks: [
    {
      id: 'CLI-ERROR-UNKNOWN',
      judge(t, o, stage) {
        if (!need(t, o.again, 'the refusal, a reconnect and a chat after it', stage)) return
        verdict(
          t,
          o.again.length === 0,
          `the chat refused with an unknown code and retryable: false was not sent again (watched ${WATCH_MS} ms, and a reconnect)`,
          `the chat refused with retryable: false was sent again ${o.again.map((ms) => `${Math.round(ms)} ms`).join(', ')} after the refusal`,
        )
        verdict(t, !o.shownAsSent, 'it was not shown as a sent message', 'it was shown as a message although the server refused it')
        t.ok(o.next === true, 'the next chat went out and was shown')
      },
    },
  ],
})
