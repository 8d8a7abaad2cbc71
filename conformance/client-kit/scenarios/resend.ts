// PROTOCOL.md §6: a chat whose chat-ok never came (the connection dropped)
// is sent again after the reconnect with the same clientMsgId, so it is
// stored once; and a message the client already has is not shown twice when
// the re-send is answered `duplicate: true`.
import type { ClientFrameOf } from '@wirechat/protocol'
import { defineScenario, LOGIN_WAIT_MS, logIn, need, PROMPT_MS, sleep, verdict, waitShown } from '../scenario.ts'

type Chat = ClientFrameOf<'chat'>

interface ObservedResend {
  first: Chat
  relogin: ClientFrameOf<'login'>
  /** Every chat with the text after the first, on any connection. */
  resends: Chat[]
  timesShown: number
}

const LOST = 'this one lost its ack'

export const resend = defineScenario<ObservedResend>({
  name: 'resend',
  async play(stage, o) {
    const { server, client } = stage
    await logIn(stage, ['lobby'])
    server.post('lobby', 'hello from bob')
    await waitShown(stage, 'lobby', 'hello from bob')
    // The request is lost with the connection: nothing stored, no chat-ok.
    server.intercept = (frame, c) => {
      if (frame.type !== 'chat' || frame.text !== LOST || o.first !== undefined) return false
      o.first = frame
      c.cut()
      return true
    }
    client.do({ do: 'send', room: 'lobby', text: LOST })
    await server.until(() => o.first, `a chat with the text "${LOST}" after the send instruction`, PROMPT_MS)
    o.relogin = (await server.waitLogin(2, LOGIN_WAIT_MS)).login
    await server.waitFrame((r) => r.conn.n === 2 && r.frame?.type === 'chat' && r.frame.text === LOST, `the chat "${LOST}" sent again on the new connection`, PROMPT_MS)
    await waitShown(stage, 'lobby', LOST)
    server.post('lobby', 'bob again')
    await waitShown(stage, 'lobby', 'bob again')
    o.resends = server.received
      .filter((r) => r.frame?.type === 'chat' && r.frame.text === LOST)
      .map((r) => r.frame as Chat)
      .slice(1)
    o.timesShown = client.timesShown('lobby', LOST)
  },
  checks: [
    {
      id: 'CLI-RESEND-SAME-ID',
      judge(t, o, stage) {
        if (!need(t, o.first, 'the first send', stage)) return
        const id = o.first.clientMsgId
        if (!verdict(t, id !== undefined, `the chat carries a clientMsgId (${id})`, 'the chat carries no clientMsgId: a re-send cannot be recognised')) return
        if (!need(t, o.resends, 'the send again after the reconnect', stage)) return
        const others = o.resends.filter((r) => r.clientMsgId !== id || r.room !== 'lobby')
        verdict(
          t,
          others.length === 0,
          `re-sent with the same clientMsgId (${o.resends.length}×)`,
          `re-sent with another clientMsgId (${others.map((r) => `${r.clientMsgId ?? 'none'} to ${r.room}`).join(', ')}; the first was ${id}): the server stores it twice`,
        )
        verdict(t, o.timesShown === 1, 'shown once', `shown ${o.timesShown} times`)
      },
    },
  ],
})

interface ObservedDuplicate {
  first: Chat
  relogin: ClientFrameOf<'login'>
  resends: Chat[]
  timesShown: number
}

const STORED = 'stored but not acknowledged'

export const duplicate = defineScenario<ObservedDuplicate>({
  name: 'duplicate',
  async play(stage, o) {
    const { server, client } = stage
    await logIn(stage, ['lobby'])
    server.post('lobby', 'bob says hi')
    await waitShown(stage, 'lobby', 'bob says hi')
    // Stored (seq 2), then the connection drops before chat-ok: the resume replays it,
    // and a re-send with the same clientMsgId is answered chat-ok duplicate: true.
    server.intercept = (frame, c) => {
      if (frame.type !== 'chat' || frame.text !== STORED || o.first !== undefined) return false
      o.first = frame
      server.world.post(frame.room, c.user!, frame.text, frame.clientMsgId)
      c.cut()
      return true
    }
    client.do({ do: 'send', room: 'lobby', text: STORED })
    await server.until(() => o.first, `a chat with the text "${STORED}"`, PROMPT_MS)
    o.relogin = (await server.waitLogin(2, LOGIN_WAIT_MS)).login
    await waitShown(stage, 'lobby', STORED)
    // A re-send is allowed (and answered duplicate: true), not required: give it a moment.
    await server.waitFrame((r) => r.conn.n === 2 && r.frame?.type === 'chat' && r.frame.text === STORED, 'a re-send', 1_500).catch(() => undefined)
    await sleep(200)
    server.post('lobby', 'bob after the duplicate')
    await waitShown(stage, 'lobby', 'bob after the duplicate')
    o.resends = server.received
      .filter((r) => r.frame?.type === 'chat' && r.frame.text === STORED)
      .map((r) => r.frame as Chat)
      .slice(1)
    o.timesShown = client.timesShown('lobby', STORED)
  },
  checks: [
    {
      id: 'CLI-DUPLICATE-ONCE',
      judge(t, o, stage) {
        if (!need(t, o.timesShown, 'the replay and a later message', stage)) return
        const resent = o.resends?.length
          ? `re-sent ${o.resends.length}× (clientMsgId ${o.resends.map((r) => r.clientMsgId ?? 'none').join(', ')}; the first was ${o.first?.clientMsgId ?? 'none'})`
          : 'not re-sent'
        verdict(t, o.timesShown === 1, `shown once (it came in the resume replay, and was ${resent})`, `shown ${o.timesShown} times (it came in the resume replay, and was ${resent})`)
      },
    },
  ],
})
