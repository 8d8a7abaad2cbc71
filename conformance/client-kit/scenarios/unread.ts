// PROTOCOL.md §7a, LIFE-33: a client keeps the unread counts live itself. The
// login's room state for "side" says readSeq 0 and unread 2 (bob's two
// messages there); the user opens "lobby" and stays there. Into "side" then
// come a message of bob, a reaction (an event: not counted), a message of the
// user's own sent from another device (not counted) and another of bob: the
// client must show 4 unread for "side". Only for clients that announce 1.3.0,
// which get the counts in the first place.
import { BOB } from '../fake-server.ts'
import { announces, defineScenario, logIn, need, PROMPT_MS, verdict, waitShown } from '../scenario.ts'

const SIDE = 'side'
const LOBBY = 'lobby'
const EXPECTED = 4

interface ObservedUnread {
  /** The counts shown for "side", in order. */
  shown: number[]
  last: number | undefined
}

export const unread = defineScenario<ObservedUnread>({
  name: 'unread',
  async play(stage, o) {
    const { server, client } = stage
    const { world } = server
    world.post(LOBBY, BOB, 'unread: read already in lobby')
    world.post(SIDE, BOB, 'unread: one, before the login')
    world.post(SIDE, BOB, 'unread: two, before the login')
    world.markers.set(LOBBY, 1) // lobby is read; in side bob's two messages are unread: the login says unread 2
    world.markers.set(SIDE, 0)
    const loggingIn = logIn(stage, [LOBBY, SIDE])
    client.do({ do: 'view', room: LOBBY }) // at once: the user never looks at side
    const { login, conn } = await loggingIn
    if (!announces(stage, login, '1.3.0', 'keeping unread counts (§7a)')) return
    await waitShown(stage, LOBBY, 'unread: read already in lobby')
    const self = conn.user!
    const three = server.post(SIDE, 'unread: three, while ana reads lobby')
    server.append(SIDE, { userId: BOB.userId, name: BOB.name, text: 'reacted 👀', event: { kind: 'react', target: three.seq, emoji: '👀', on: true } })
    server.append(SIDE, { userId: self.userId, name: self.name, text: 'unread: sent by ana from her phone' })
    server.post(SIDE, 'unread: six, while ana reads lobby')
    server.post(LOBBY, 'unread: lobby goes on')
    await waitShown(stage, LOBBY, 'unread: lobby goes on')
    await server.until(() => (client.unread(SIDE) === EXPECTED ? true : undefined), `the client to show ${EXPECTED} unread for ${SIDE}`, PROMPT_MS).catch(() => {})
    o.shown = client.shown.filter(({ line }) => line.shown === 'unread' && line.room === SIDE).map(({ line }) => line.count as number)
    o.last = client.unread(SIDE)
  },
  checks: [
    {
      id: 'CLI-UNREAD-LIVE',
      judge(t, o, stage) {
        if (!need(t, o.shown, 'new messages in a room not on screen', stage)) return
        verdict(
          t,
          o.last === EXPECTED,
          `${SIDE} shows ${EXPECTED} unread: 2 from the login, bob's two since (counts shown: ${o.shown.join(', ')})`,
          o.last === undefined
            ? `no unread count shown for ${SIDE} (adapter line {"shown":"unread","room":"${SIDE}","count":…}); expected ${EXPECTED}: 2 from the login, and bob's two new messages`
            : `${SIDE} shows ${o.last} unread (counts shown: ${o.shown.join(', ')}); expected ${EXPECTED}: 2 from the login's room state, and bob's two new messages (not the reaction, not the user's own message from another device)`,
        )
      },
    },
  ],
})
