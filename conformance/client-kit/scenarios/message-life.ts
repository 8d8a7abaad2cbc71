// PROTOCOL.md §7a: a 1.3.0 client applies the room's stream in seq order with
// one reducer (LIFE-3), and skips an event at or below its message's `rev`
// (LIFE-8). The login snapshot holds a message as it reads now — edited, with
// bob's 👍, rev 3 — together with the two events of those seqs, as a server
// returns them (LIFE-9). Then bob posts three messages and the kit pushes
// edits, reactions (one taken back) and a delete for them, and carol adds a
// 👍 to the snapshot's message. What the client shows at the end is judged:
// the edited text of the second edit, the reaction groups in their order and
// counts, the tombstone, and a 👍 counted twice on the snapshot's message, not
// three times. Only for clients that announce 1.3.0: older ones get none of it.
import type { ChatMessage, Member } from '@wirechat/protocol'
import type { MessageLook } from '../client-process.ts'
import { BOB } from '../fake-server.ts'
import { announces, defineScenario, logIn, need, PROMPT_MS, verdict, waitShown } from '../scenario.ts'

const CAROL: Member = { userId: 'u-carol', name: 'carol' }
const ROOM = 'lobby'

/** The snapshot's message, as it reads now (edited at seq 3). */
const REV_NOW = 'rev: as it reads now'
const EDITED = 'life: to be edited'
const REACTED = 'life: to be reacted to'
const DELETED = 'life: to be deleted'
const END = 'life: the end'

/** How each message must look at the end, by its text when posted. */
const EXPECTED: Record<string, Omit<MessageLook, 'text'> & { text?: string }> = {
  [REV_NOW]: { text: REV_NOW, reactions: ['👍 2'], deleted: false },
  [EDITED]: { text: 'life: edited twice', reactions: [], deleted: false },
  [REACTED]: { text: REACTED, reactions: ['👍 1', '🎉 1'], deleted: false },
  [DELETED]: { reactions: [], deleted: true },
}

interface ObservedLife {
  /** Seq of each message, by the text it was posted with. */
  seqs: Record<string, number>
  /** Seqs of the edit, react and delete events. */
  events: number[]
  looks: Map<number, MessageLook>
  /** Message lines shown for event seqs. */
  eventLines: string[]
}

const describe = (look: MessageLook | undefined): string =>
  look === undefined ? 'not shown' : `${look.deleted ? 'deleted' : JSON.stringify(look.text)}${look.reactions.length > 0 ? ` with ${look.reactions.join(', ')}` : ''}`

/** True when the look is the expected one (a tombstone's text is the client's own sentence). */
function looksRight(look: MessageLook | undefined, want: (typeof EXPECTED)[string]): boolean {
  if (look === undefined || look.deleted !== want.deleted) return false
  if (want.text !== undefined && look.text !== want.text) return false
  return look.reactions.join(',') === want.reactions.join(',')
}

const react = (target: number, emoji: string, on: boolean, by: Member = BOB) => ({
  userId: by.userId,
  name: by.name,
  text: `${on ? 'reacted' : 'took back'} ${emoji}`,
  event: { kind: 'react' as const, target, emoji, on },
})
const edit = (target: number, text: string) => ({ userId: BOB.userId, name: BOB.name, text, event: { kind: 'edit' as const, target } })

export const messageLife = defineScenario<ObservedLife>({
  name: 'message-life',
  async play(stage, o) {
    const { server, client } = stage
    const { world } = server
    // The snapshot: seq 1 as it reads now (its events are seqs 2 and 3), then those events.
    const now = Date.now()
    world.append(ROOM, { userId: BOB.userId, name: BOB.name, text: REV_NOW, edited: now, reactions: [{ emoji: '👍', count: 1, users: [BOB.userId] }], rev: 3 })
    world.append(ROOM, react(1, '👍', true))
    world.append(ROOM, { ...edit(1, REV_NOW), ts: now })
    const { login } = await logIn(stage, [ROOM])
    if (!announces(stage, login, '1.3.0', 'the life of a message (§7a)')) return
    await waitShown(stage, ROOM, REV_NOW)
    const posted = [EDITED, REACTED, DELETED].map((text) => server.post(ROOM, text))
    await waitShown(stage, ROOM, DELETED)
    const [a, b, c] = posted.map((m) => m.seq) as [number, number, number]
    const events: ChatMessage[] = [
      server.append(ROOM, edit(a, 'life: edited once')),
      server.append(ROOM, react(b, '👍', true)),
      server.append(ROOM, react(b, '🎉', true, CAROL)),
      server.append(ROOM, edit(a, 'life: edited twice')),
      server.append(ROOM, react(b, '👍', true, CAROL)),
      server.append(ROOM, { userId: BOB.userId, name: BOB.name, text: 'deleted their message', event: { kind: 'delete', target: c } }),
      server.append(ROOM, react(b, '👍', false)),
      server.append(ROOM, react(1, '👍', true, CAROL)),
    ]
    server.post(ROOM, END)
    o.seqs = { [REV_NOW]: 1, [EDITED]: a, [REACTED]: b, [DELETED]: c }
    o.events = [2, 3, ...events.map((e) => e.seq)]
    await waitShown(stage, ROOM, END)
    // A client redraws after it shows the next line, at its own pace: wait until all is as expected, or a while.
    const settled = (): true | undefined => (Object.entries(EXPECTED).every(([text, want]) => looksRight(client.looks(ROOM).get(o.seqs![text]!), want)) ? true : undefined)
    await server.until(settled, 'every message to look as the events say', PROMPT_MS).catch(() => {})
    o.looks = client.looks(ROOM)
    o.eventLines = client
      .messages(ROOM)
      .filter((m) => m.seq !== undefined && o.events!.includes(m.seq))
      .map((m) => `seq ${m.seq} ${JSON.stringify(m.text)}`)
  },
  checks: [
    {
      id: 'CLI-LIFE-APPLY',
      judge(t, o, stage) {
        if (!need(t, o.looks, 'the edits, reactions and delete of three messages', stage)) return
        for (const text of [EDITED, REACTED, DELETED]) {
          const look = o.looks.get(o.seqs![text]!)
          const want = EXPECTED[text]!
          verdict(
            t,
            looksRight(look, want),
            `"${text}" (seq ${o.seqs![text]}) shows as ${describe(look)}`,
            `"${text}" (seq ${o.seqs![text]}) shows as ${describe(look)}; after its events it is ${want.deleted ? 'deleted (a tombstone)' : `${JSON.stringify(want.text)}${want.reactions.length > 0 ? ` with ${want.reactions.join(', ')}` : ' without reactions'}`} (lines {"shown":"changed","room":"${ROOM}","seq":…,"text":…,"reactions":[{"emoji":…,"count":…}],"deleted":…})`,
          )
        }
        verdict(t, o.eventLines!.length === 0, 'no event is shown as a line of its own', `events shown as messages of their own: ${o.eventLines!.join('; ')}`)
      },
    },
    {
      id: 'CLI-LIFE-REV',
      judge(t, o, stage) {
        if (!need(t, o.looks, "carol's 👍 on the snapshot's message", stage)) return
        const look = o.looks.get(1)
        verdict(
          t,
          looksRight(look, EXPECTED[REV_NOW]!),
          `the snapshot's message (rev 3) shows as ${describe(look)}: bob's 👍 at seq 2 counted once, carol's added`,
          `the snapshot's message (seq 1, rev 3, with bob's 👍 already in it) shows as ${describe(look)}; expected "${REV_NOW}" with 👍 2 (bob's, in the snapshot, and carol's, pushed later): the events at seq 2 and 3 are at or below its rev and must be skipped`,
        )
      },
    },
  ],
})
