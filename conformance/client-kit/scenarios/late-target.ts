// PROTOCOL.md §7a, LIFE-10: an event whose message the client does not hold
// yet is kept until the message arrives. The kit makes the case the clause
// names: a history page read before the event and answered after it. Bob's
// seq 2 and 3 are stored without a push and seq 4 is pushed, so the client
// asks for history after 1 (§6). The kit reads that page at once — 2, 3 and 4
// as they are then — but before answering it appends and pushes an edit of 2
// and a ❤️ on 3; only then does the page go out, its copies without those
// events. A client that dropped the events (their messages were not there
// when they came) shows seq 2 unedited and seq 3 without a reaction.
import type { ChatMessage, ClientFrameOf } from '@wirechat/protocol'
import type { MessageLook } from '../client-process.ts'
import { BOB } from '../fake-server.ts'
import { announces, defineScenario, logIn, need, PROMPT_MS, verdict, waitShown } from '../scenario.ts'

const ROOM = 'lobby'
const FIRST = 'late: before the gap'
const TARGET = 'late: the message edited before it arrives'
const EDITED = 'late: edited while its page was on its way'
const REACTED = 'late: the message reacted to before it arrives'
const AFTER = 'late: after the gap'
const END = 'late: the end'

interface ObservedLate {
  history: ClientFrameOf<'history'>
  looks: Map<number, MessageLook>
}

const describe = (look: MessageLook | undefined): string =>
  look === undefined ? 'not shown' : `${look.deleted ? 'deleted' : JSON.stringify(look.text)}${look.reactions.length > 0 ? ` with ${look.reactions.join(', ')}` : ' without reactions'}`

export const lateTarget = defineScenario<ObservedLate>({
  name: 'late-target',
  async play(stage, o) {
    const { server, client } = stage
    const { world } = server
    world.post(ROOM, BOB, FIRST)
    const { conn, login } = await logIn(stage, [ROOM])
    if (!announces(stage, login, '1.3.0', 'the life of a message (§7a)')) return
    await waitShown(stage, ROOM, FIRST)
    world.post(ROOM, BOB, TARGET)
    world.post(ROOM, BOB, REACTED)
    let answered = false
    server.intercept = (frame, from) => {
      if (frame.type !== 'history' || from !== conn || answered) return false
      answered = true
      o.history = frame
      // The page as read now; the events come after the read and before the answer.
      const page: ChatMessage[] = world.messages(ROOM).filter((m) => m.seq > (frame.after ?? 0) && m.seq <= 4)
      server.append(ROOM, { userId: BOB.userId, name: BOB.name, text: EDITED, event: { kind: 'edit', target: 2 } })
      server.append(ROOM, { userId: BOB.userId, name: BOB.name, text: 'reacted ❤️', event: { kind: 'react', target: 3, emoji: '❤️', on: true } })
      from.send({ type: 'history-ok', id: frame.id, room: ROOM, epoch: world.epoch, messages: page, hasMore: false })
      return true
    }
    server.post(ROOM, AFTER)
    await server.until(() => o.history, 'a history request after the skipped seqs 2 and 3 (then the edit and the reaction are pushed before the page is answered)', PROMPT_MS)
    server.post(ROOM, END)
    await waitShown(stage, ROOM, END)
    const settled = (): true | undefined => {
      const looks = client.looks(ROOM)
      return looks.get(2)?.text === EDITED && looks.get(3)?.reactions.join() === '❤️ 1' ? true : undefined
    }
    await server.until(settled, 'the edit and the reaction to be shown', PROMPT_MS).catch(() => {})
    o.looks = client.looks(ROOM)
  },
  checks: [
    {
      id: 'CLI-LIFE-WAIT',
      judge(t, o, stage) {
        if (!need(t, o.looks, 'events pushed while the page holding their messages was on its way', stage)) return
        const target = o.looks.get(2)
        const reacted = o.looks.get(3)
        verdict(
          t,
          target?.text === EDITED,
          `seq 2 shows its edit (pushed before the page that brought it): ${describe(target)}`,
          `seq 2 shows as ${describe(target)}; its edit at seq 5 came while the history page holding it was on its way, and must be kept until it arrives: ${JSON.stringify(EDITED)}`,
        )
        verdict(
          t,
          reacted?.reactions.join() === '❤️ 1' && reacted.text === REACTED,
          `seq 3 shows the reaction pushed before it arrived: ${describe(reacted)}`,
          `seq 3 shows as ${describe(reacted)}; the ❤️ at seq 6 came before the page holding it, and must be applied once it arrives: ${JSON.stringify(REACTED)} with ❤️ 1`,
        )
      },
    },
  ],
})
