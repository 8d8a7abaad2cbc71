// PROTOCOL.md §3: servers store names and texts in NFC, and a client SHOULD
// send NFC itself, so that what it shows is what others see. The kit gives
// the client a name and a text in decomposed form (NFD: "e" followed by a
// combining accent) and reads the login and the chat off the wire.
import { defineScenario, logIn, need, PROMPT_MS, verdict, waitShown } from '../scenario.ts'

interface ObservedNfc {
  /** The name as the login frame carried it (read from the raw text: decoding may normalize names). */
  loginName: string
  /** The text as the chat frame carried it. */
  chatText: string
}

/** A string field of a frame as it was on the wire. */
const raw = (text: string, field: string): string => {
  const value = (JSON.parse(text) as Record<string, unknown>)[field]
  return typeof value === 'string' ? value : ''
}

/** "Zoë" and "café crème" as a keyboard or a file may hand them over: decomposed. */
export const NFD_NAME = 'Zoe\u0308'
export const NFD_TEXT = 'cafe\u0301 cre\u0300me'

const show = (s: string): string => JSON.stringify(s).replace(/[\u0300-\u036f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)

export const nfc = defineScenario<ObservedNfc>({
  name: 'nfc',
  async play(stage, o) {
    const { server, client } = stage
    const { conn } = await logIn(stage, ['lobby'], NFD_NAME)
    o.loginName = raw(conn.frames.find((r) => r.frame?.type === 'login')!.text, 'name')
    server.post('lobby', 'bob is here')
    await waitShown(stage, 'lobby', 'bob is here')
    const from = server.received.length
    client.do({ do: 'send', room: 'lobby', text: NFD_TEXT })
    const chat = await server.waitFrame((r) => r.frame?.type === 'chat' && r.frame.text.normalize('NFC') === NFD_TEXT.normalize('NFC'), 'the chat "café crème"', PROMPT_MS, from)
    o.chatText = raw(chat.text, 'text')
  },
  checks: [
    {
      id: 'CLI-NFC-OUT',
      judge(t, o, stage) {
        if (!need(t, o.loginName, 'the login', stage)) return
        const name = o.loginName
        verdict(t, name === NFD_NAME.normalize('NFC'), `the login name ${show(name)} is in NFC`, `the login name ${show(name)} is not in NFC (${show(NFD_NAME.normalize('NFC'))})`)
        if (!need(t, o.chatText, 'the chat', stage)) return
        const text = o.chatText
        verdict(t, text === NFD_TEXT.normalize('NFC'), `the chat text ${show(text)} is in NFC`, `the chat text ${show(text)} is not in NFC (${show(NFD_TEXT.normalize('NFC'))})`)
      },
    },
  ],
})
