import t from 'tap'
import type { ChatMessage } from '../../protocol/index.ts'
import { RawClient } from '../helpers/raw-client.ts'
import { startServer } from '../helpers/server.ts'

const SENDERS = 3
const RECEIVERS = 5
const PER_SENDER = 40
const TOTAL = SENDERS * PER_SENDER

t.test('concurrent senders: every member sees one identical, gapless order', async (t) => {
  const server = await startServer(t, { messagesPerSecond: 10_000, messageBurst: 10_000 })
  const senders = await Promise.all(Array.from({ length: SENDERS }, (_, i) => RawClient.login(t, server.url, { name: `sender${i}` })))
  const receivers = await Promise.all(Array.from({ length: RECEIVERS }, (_, i) => RawClient.login(t, server.url, { name: `reader${i}` })))

  // Each sender pipelines all its messages without waiting for acks.
  senders.forEach(({ client }, s) => {
    for (let i = 0; i < PER_SENDER; i++) client.send({ type: 'chat', id: `s${s}-${i}`, room: 'lobby', text: `from ${s} #${i}` })
  })

  const chatSeqs = async (client: RawClient, includeAcks: boolean): Promise<ChatMessage[]> => {
    const seen: ChatMessage[] = []
    while (seen.length < TOTAL) {
      const f = await client.take((f) => f.type === 'chat' || (includeAcks && f.type === 'chat-ok'), 'chat frame', 10_000)
      if (f.type === 'chat' || f.type === 'chat-ok') seen.push(f.message)
    }
    return seen
  }

  const receiverViews = await Promise.all(receivers.map(({ client }) => chatSeqs(client, false)))
  const senderViews = await Promise.all(senders.map(({ client }) => chatSeqs(client, true)))
  const reference = receiverViews[0]!.map((m) => m.msgId)
  t.same(
    receiverViews[0]!.map((m) => m.seq),
    Array.from({ length: TOTAL }, (_, i) => i + 1),
    'seqs are 1..N, strictly +1',
  )
  for (const view of receiverViews)
    t.same(
      view.map((m) => m.msgId),
      reference,
      'every receiver sees the same order',
    )
  for (const view of senderViews)
    t.same(
      view.map((m) => m.msgId),
      reference,
      'a sender sees its acks in the same stream order as pushes',
    )
  for (let s = 0; s < SENDERS; s++) {
    const own = reference
      .map((id) => receiverViews[0]!.find((m) => m.msgId === id)!)
      .filter((m) => m.name === `sender${s}`)
      .map((m) => m.text)
    t.same(
      own,
      Array.from({ length: PER_SENDER }, (_, i) => `from ${s} #${i}`),
      `sender${s}'s messages keep their send order`,
    )
  }
})
