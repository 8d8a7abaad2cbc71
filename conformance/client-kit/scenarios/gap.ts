// PROTOCOL.md §6: seq is gapless per room, and a client that sees a gap has
// missed something and SHOULD fill it with `history` (after the last seq it
// has). The kit pushes seq 1 and 2, stores 3 and 4 without pushing them, then
// pushes 5 and 6: the client must ask for history after 2 and show 1 … 7 once
// each, in order — never 5 before 3.
import type { ClientFrameOf } from '@wirechat/protocol'
import { defineScenario, logIn, need, PROMPT_MS, waitShown } from '../scenario.ts'

interface ObservedGap {
  history: ClientFrameOf<'history'>
  shown: string[]
}

const TEXTS = ['gap one', 'gap two', 'gap three (skipped)', 'gap four (skipped)', 'gap five', 'gap six', 'gap seven']

export const gap = defineScenario<ObservedGap>({
  name: 'gap',
  async play(stage, o) {
    const { server, client } = stage
    const { conn } = await logIn(stage, ['lobby'])
    server.post('lobby', TEXTS[0]!)
    server.post('lobby', TEXTS[1]!)
    await waitShown(stage, 'lobby', TEXTS[1]!)
    const from = server.received.length
    server.world.post('lobby', { userId: 'u-bob', name: 'bob' }, TEXTS[2]!)
    server.world.post('lobby', { userId: 'u-bob', name: 'bob' }, TEXTS[3]!)
    server.post('lobby', TEXTS[4]!)
    server.post('lobby', TEXTS[5]!)
    const request = await server.waitFrame((r) => r.conn === conn && r.frame?.type === 'history', 'a history request after the skipped seq', PROMPT_MS, from)
    o.history = request.frame as ClientFrameOf<'history'>
    await waitShown(stage, 'lobby', TEXTS[5]!)
    server.post('lobby', TEXTS[6]!)
    await waitShown(stage, 'lobby', TEXTS[6]!)
    o.shown = client.messages('lobby').map((m) => m.text)
  },
  checks: [
    {
      id: 'CLI-GAP-HISTORY',
      judge(t, o, stage) {
        if (!need(t, o.history, 'a history request after the gap (seq 2, then 5)', stage)) return
        t.match(o.history, { room: 'lobby', after: 2 }, 'history of lobby after seq 2, the last one before the gap')
        t.equal(o.history.before, undefined, 'no `before` (it pages forwards from the gap)')
      },
    },
    {
      id: 'CLI-GAP-ORDER',
      judge(t, o, stage) {
        const shown = o.shown ?? stage.client.messages('lobby').map((m) => m.text)
        if (o.shown === undefined) return void t.fail(`shown in lobby: ${JSON.stringify(shown)}; expected ${JSON.stringify(TEXTS)}`, stage.error?.message)
        t.same(shown, TEXTS, 'seq 1 … 7 shown once each, in seq order (3 and 4 from history, before 5)')
      },
    },
  ],
})
