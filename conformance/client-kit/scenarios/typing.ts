// PROTOCOL.md §9 and §13: while the user types, a client repeats
// `typing: true` at least every limits.typingTtlMs / 2, and reads that limit
// from welcome rather than hard-coding it. The fake server announces a TTL far
// below the reference server's 5 s (TYPING_TTL_MS); the kit has the user type
// a line slowly (the adapter's `type` instruction) and measures, at the
// server, the gaps between the client's `typing: true` frames: the first gap
// from the first keystroke, the last up to the last one.
import { DEFAULT_LIMITS } from '../fake-server.ts'
import { defineScenario, listMs, logIn, need, sleep, verdict, waitShown } from '../scenario.ts'

/** The TTL the fake server announces: a client refreshing at the reference server's pace (2.5 s) misses it. */
export const TYPING_TTL_MS = 1_200
/** How long the user types. */
export const TYPING_FOR_MS = 4_000
/** How far past TTL / 2 a gap may be measured (timers, scheduling on a busy machine). */
const SLACK_MS = 350

interface ObservedTyping {
  startedAt: number
  endedAt: number
  /** Arrival of each typing: true for lobby, ms after the instruction. */
  signals: number[]
}

const LINE = 'a long line, typed slowly, and not sent yet'

export const typing = defineScenario<ObservedTyping>({
  name: 'typing',
  server: { welcomeExtra: { limits: { ...DEFAULT_LIMITS, typingTtlMs: TYPING_TTL_MS } } },
  async play(stage, o) {
    const { server, client } = stage
    await logIn(stage, ['lobby'])
    server.post('lobby', 'bob is here')
    await waitShown(stage, 'lobby', 'bob is here')
    const from = server.received.length
    o.startedAt = performance.now()
    client.do({ do: 'type', room: 'lobby', text: LINE, ms: TYPING_FOR_MS })
    await sleep(TYPING_FOR_MS)
    o.endedAt = performance.now()
    o.signals = server.received
      .slice(from)
      .filter((r) => r.frame?.type === 'typing' && r.frame.room === 'lobby' && r.frame.typing === true)
      .map((r) => r.at - o.startedAt!)
  },
  checks: [
    {
      id: 'CLI-TYPING-REFRESH',
      judge(t, o, stage) {
        if (!need(t, o.signals, `${TYPING_FOR_MS} ms of typing`, stage)) return
        const signals = o.signals
        const bound = TYPING_TTL_MS / 2 + SLACK_MS
        if (!verdict(t, signals.length > 0, `typing: true sent ${signals.length} times`, `no typing: true while the user typed for ${TYPING_FOR_MS} ms`)) return
        // The first keystroke comes a character's time after the instruction; the last one just before the end.
        const firstKey = TYPING_FOR_MS / LINE.length
        const gaps = [signals[0]! - firstKey, ...signals.slice(1).map((at, i) => at - signals[i]!), TYPING_FOR_MS - firstKey - signals.at(-1)!]
        const over = gaps.filter((g) => g > bound)
        verdict(
          t,
          over.length === 0,
          `every gap within typingTtlMs / 2 (${TYPING_TTL_MS / 2} ms, +${SLACK_MS} ms for scheduling): signals at ${listMs(signals)} after the first key`,
          `typing was not refreshed within typingTtlMs / 2 (${TYPING_TTL_MS / 2} ms, announced in welcome; +${SLACK_MS} ms allowed): gaps of ${listMs(over)}; signals at ${listMs(signals)} while typing for ${TYPING_FOR_MS} ms`,
        )
      },
    },
  ],
})
