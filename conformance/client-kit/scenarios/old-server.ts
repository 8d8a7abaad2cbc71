// PROTOCOL.md §1: a client uses a minor version's requests only when
// `welcome.version` is at least that version. The fake server says it speaks
// 1.0.0; the client logs in, reads, chats and types; every frame it sends must
// be a 1.0.0 request with 1.0.0 fields only (protocol/requests-1.0.0.ts) — a strict
// 1.0.0 server refuses anything else as a bad frame.
import { beyond1_0_0 } from '@wirechat/protocol'
import { defineScenario, logIn, need, PROMPT_MS, sleep, verdict, waitShown } from '../scenario.ts'

interface ObservedOldServer {
  /** Each frame with something 1.0.0 did not have: what, and the frame. */
  beyond: string[]
  frames: number
}

export const oldServer = defineScenario<ObservedOldServer>({
  name: 'old-server',
  server: { welcomeExtra: { version: '1.0.0' } },
  async play(stage, o) {
    const { server, client } = stage
    await logIn(stage, ['lobby'])
    server.post('lobby', 'a server from the first release')
    await waitShown(stage, 'lobby', 'a server from the first release')
    client.do({ do: 'type', room: 'lobby', text: 'typing to an old server', ms: 600 })
    await sleep(700)
    client.do({ do: 'send', room: 'lobby', text: 'sent to an old server' })
    await waitShown(stage, 'lobby', 'sent to an old server', PROMPT_MS)
    await sleep(300) // what the client sends after it shows a message (read markers and the like) counts too
    o.frames = server.received.length
    o.beyond = server.received.flatMap((r) => {
      let frame: Record<string, unknown>
      try {
        frame = JSON.parse(r.text) as Record<string, unknown>
      } catch {
        return [] // not JSON: CLI-FRAMES-VALID reports it
      }
      return beyond1_0_0(frame).map((what) => `${what}: ${r.text.slice(0, 160)}`)
    })
  },
  checks: [
    {
      id: 'CLI-VERSION-OLD-SERVER',
      judge(t, o, stage) {
        if (!need(t, o.beyond, 'a login, a message, typing and a chat', stage)) return
        verdict(
          t,
          o.beyond.length === 0,
          `all ${o.frames} frames sent to a server of welcome.version 1.0.0 are 1.0.0 requests`,
          `to a server of welcome.version 1.0.0 the client sent what 1.0.0 does not have: ${o.beyond.slice(0, 6).join('; ')}${o.beyond.length > 6 ? ` (${o.beyond.length} in all)` : ''}`,
        )
      },
    },
  ],
})
