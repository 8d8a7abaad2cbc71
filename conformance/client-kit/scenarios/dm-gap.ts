// PROTOCOL.md §17: a client that sees a skipped seq in live `dm` pushes SHOULD
// treat it as a missed message and get it back (a login with `inbox`, which
// replays what came after its position). The kit pushes inbox seq 1, stores 2
// without pushing it, then pushes 3: the client must show all three direct
// messages once each, in seq order.
import type { FakeUser } from '../fake-server.ts'
import { defineScenario, logIn, PROMPT_MS, type Stage } from '../scenario.ts'

interface ObservedDmGap {
  shown: string[]
}

const TEXTS = ['dm one', 'dm two (never pushed)', 'dm three']

const dmTexts = (stage: Stage): string[] => stage.client.shown.filter((s) => s.line.shown === 'dm' && typeof s.line.text === 'string').map((s) => s.line.text as string)

function waitDm(stage: Stage, text: string, timeoutMs: number): Promise<true> {
  return stage.server.until(() => (dmTexts(stage).includes(text) ? true : undefined), `the client to show the direct message "${text}" ({"shown":"dm","text":"${text}",…})`, timeoutMs)
}

export const dmGap = defineScenario<ObservedDmGap>({
  name: 'dm-gap',
  async play(stage, o) {
    const { server, hints } = stage
    const { conn } = await logIn(stage, ['lobby'])
    const user: FakeUser = conn.user!
    server.dm(user, TEXTS[0]!)
    await waitDm(stage, TEXTS[0]!, PROMPT_MS)
    server.world.dm(user, TEXTS[1]!)
    server.dm(user, TEXTS[2]!)
    // A login again (after a backoff delay) replays the inbox after its position.
    await waitDm(stage, TEXTS[1]!, PROMPT_MS + hints.backoffMaxMs)
    await waitDm(stage, TEXTS[2]!, PROMPT_MS)
    o.shown = dmTexts(stage)
  },
  checks: [
    {
      id: 'CLI-GAP-DM',
      judge(t, o, stage) {
        const shown = o.shown ?? dmTexts(stage)
        if (o.shown === undefined) return void t.fail(`direct messages shown: ${JSON.stringify(shown)}; expected ${JSON.stringify(TEXTS)}`, stage.error?.message)
        t.same(shown, TEXTS, 'inbox seq 1 … 3 shown once each, in seq order (2 fetched after the gap)')
      },
    },
  ],
})
