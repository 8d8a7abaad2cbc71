// PROTOCOL.md §1, compatibility: within chat.v1 a server may add optional
// fields, push types and alarm kinds, and clients MUST ignore what they do
// not know (an unknown alarm SHOULD be shown by its text). The kit sends a
// welcome, a login-ok and a chat push carrying fields no version defines, a
// push of an unknown type and an alarm of an unknown kind, each followed by
// an ordinary message: the client must show those and keep its connection.
import { BOB, DEFAULT_LIMITS, type FakeConnection } from '../fake-server.ts'
import { defineScenario, logIn, need, PROMPT_MS, type Stage, waitShown } from '../scenario.ts'

interface ObservedCompat {
  /** Whether the first connection was still open after each step. */
  fields: { shown: boolean; open: boolean }
  push: { shown: boolean; open: boolean }
  alarm: { shown: boolean; open: boolean }
  /** The chat the client sent afterwards was received, and shown once acknowledged. */
  sent: boolean
}

async function step(stage: Stage, conn: FakeConnection, text: string): Promise<{ shown: boolean; open: boolean }> {
  await waitShown(stage, 'lobby', text)
  return { shown: true, open: conn.open && stage.server.attempts.length === 1 }
}

export const compat = defineScenario<ObservedCompat>({
  name: 'compat',
  server: {
    welcomeExtra: { region: 'eu-1', features: { sparkles: true }, limits: { ...DEFAULT_LIMITS, maxSparkles: 3 } },
    loginOkExtra: { theme: { accent: 'teal' } },
  },
  async play(stage, o) {
    const { server, client } = stage
    const { conn } = await logIn(stage, ['lobby'])

    const message = server.world.post('lobby', BOB, 'a message with fields from the future')
    conn.send({ type: 'chat', message: { ...message, sparkle: { level: 3 }, colour: 'teal' }, via: 'node-7' })
    o.fields = await step(stage, conn, message.text)

    conn.send({ type: 'sparkle', room: 'lobby', intensity: 3, text: 'a push type no version defines' })
    server.post('lobby', 'after an unknown push')
    o.push = await step(stage, conn, 'after an unknown push')

    conn.send({ type: 'alarm', room: 'lobby', kind: 'confetti', userId: BOB.userId, name: BOB.name, text: 'bob threw confetti', ts: Date.now(), colour: 'gold' })
    server.post('lobby', 'after an unknown alarm')
    o.alarm = await step(stage, conn, 'after an unknown alarm')

    const from = server.received.length
    client.do({ do: 'send', room: 'lobby', text: 'still working' })
    await server.waitFrame((r) => r.frame?.type === 'chat' && r.frame.text === 'still working', 'the chat "still working"', PROMPT_MS, from)
    await waitShown(stage, 'lobby', 'still working')
    o.sent = true
  },
  checks: [
    {
      id: 'CLI-COMPAT-FIELDS',
      judge(t, o, stage) {
        if (!need(t, o.fields, 'showing a message with unknown fields (after a welcome and login-ok with unknown fields)', stage)) return
        t.ok(o.fields.open, 'the connection was kept (no close, no reconnect)')
      },
    },
    {
      id: 'CLI-COMPAT-PUSH',
      judge(t, o, stage) {
        if (!need(t, o.push, 'showing the message after a push of an unknown type', stage)) return
        t.ok(o.push.open, 'the connection was kept (no close, no reconnect)')
      },
    },
    {
      id: 'CLI-COMPAT-ALARM',
      judge(t, o, stage) {
        if (!need(t, o.alarm, 'showing the message after an alarm of an unknown kind', stage)) return
        t.ok(o.alarm.open, 'the connection was kept (no close, no reconnect)')
        if (o.sent === true) t.pass('a message sent afterwards goes out and is shown')
        else t.fail('a message sent afterwards goes out and is shown', stage.error?.message)
      },
    },
  ],
})
