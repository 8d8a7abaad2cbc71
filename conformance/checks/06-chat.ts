// PROTOCOL.md §6 Chat: chat-ok carries the server copy, every other
// connection in the room gets the same push (the sender's other tabs too),
// seq is gapless, clientMsgId deduplicates.
import type { ChatMessage } from '@wirechat/protocol'
import type { Test } from '../harness.ts'
import { type Target, uniqueName, uniqueRoom } from '../target.ts'
import type { Wire } from '../wire.ts'

export default async function checks(t: Test, target: Target): Promise<void> {
  const chats = async (wire: Wire, count: number): Promise<ChatMessage[]> => {
    const out: ChatMessage[] = []
    for (let i = 0; i < count; i++) out.push((await wire.takeType('chat')).message)
    return out
  }

  t.test("§6 a chat reaches every other connection in the room, the sender's other tabs included, as the same server copy", { clauses: ['CHAT-1', 'CHAT-2', 'CHAT-3'] }, async (t) => {
    const room = uniqueRoom('talk')
    const name = uniqueName('ana')
    const { wire: tab1, ok: ana } = await target.login(t, { name, rooms: [{ room }] })
    const { wire: tab2 } = await target.login(t, { session: ana.session, rooms: [{ room }] })
    const { wire: bob } = await target.login(t, { name: uniqueName('bob'), rooms: [{ room }] })
    const { wire: carol } = await target.login(t, { name: uniqueName('carol'), rooms: [{ room: uniqueRoom('other') }] })
    await tab1.next('alarm')
    await tab2.next('alarm')

    const ack = await tab1.ok('chat-ok', { type: 'chat', id: 'c1', room, text: 'hello room', clientMsgId: 'cm-000001' })
    t.match(ack, { type: 'chat-ok', id: 'c1', message: { msgId: String, room, seq: 1, userId: ana.userId, name, text: 'hello room', ts: Number, clientMsgId: 'cm-000001' } })
    t.not(ack.duplicate, true, 'a first send is not a duplicate')
    t.same(await bob.next('chat'), { type: 'chat', message: ack.message }, 'another user gets the push')
    t.same(await tab2.next('chat'), { type: 'chat', message: ack.message }, "the sender's other tab gets the push")
    t.same(await tab1.framesBeforePong(), [], 'the sending connection gets its reply only, no push')
    t.same(await carol.framesBeforePong(), [], 'a connection outside the room gets nothing')
  })

  t.test('§6 seq starts at 1 and grows by exactly 1, and pushes arrive in seq order', { clauses: ['CHAT-4'] }, async (t) => {
    const room = uniqueRoom('seq')
    const { wire: ana } = await target.login(t, { name: uniqueName('ana'), rooms: [{ room }] })
    const { wire: bob } = await target.login(t, { name: uniqueName('bob'), rooms: [{ room }] })
    await ana.next('alarm')
    for (let i = 1; i <= 6; i++) ana.send({ type: 'chat', id: `s${i}`, room, text: `line ${i}` })
    const acks = []
    for (let i = 1; i <= 6; i++) acks.push(await ana.next('chat-ok'))
    t.same(
      acks.map((a) => a.message.seq),
      [1, 2, 3, 4, 5, 6],
    )
    t.same(
      (await chats(bob, 6)).map((m) => m.seq),
      [1, 2, 3, 4, 5, 6],
    )
  })

  t.test('§6 with two senders at once every member sees one gapless sequence', { clauses: ['CHAT-2', 'CHAT-4'] }, async (t) => {
    const room = uniqueRoom('race')
    const { wire: ana } = await target.login(t, { name: uniqueName('ana'), rooms: [{ room }] })
    const { wire: bob } = await target.login(t, { name: uniqueName('bob'), rooms: [{ room }] })
    const { wire: carol } = await target.login(t, { name: uniqueName('carol'), rooms: [{ room }] })
    for (let i = 0; i < 8; i++) {
      ana.send({ type: 'chat', room, text: `ana ${i}` })
      bob.send({ type: 'chat', room, text: `bob ${i}` })
    }
    const seen = await chats(carol, 16)
    t.same(
      seen.map((m) => m.seq),
      Array.from({ length: 16 }, (_, i) => i + 1),
      'a reader sees 1..16 in order',
    )
    t.same(
      seen.filter((m) => m.text.startsWith('ana')).map((m) => m.text),
      Array.from({ length: 8 }, (_, i) => `ana ${i}`),
      "each sender's messages keep their order",
    )
    for (const [who, wire] of [
      ['ana', ana],
      ['bob', bob],
    ] as const) {
      const acks = []
      for (let i = 0; i < 8; i++) acks.push((await wire.takeType('chat-ok')).message)
      const pushes = await chats(wire, 8)
      t.same(
        [...acks, ...pushes].map((m) => m.seq).sort((a, b) => a - b),
        Array.from({ length: 16 }, (_, i) => i + 1),
        `${who} sees every seq once: own as chat-ok, others as pushes`,
      )
      t.same(
        pushes.map((m) => m.seq),
        [...pushes.map((m) => m.seq)].sort((a, b) => a - b),
        `${who}'s pushes are in seq order`,
      )
    }
  })

  t.test('§6 re-sending a clientMsgId returns the original with duplicate:true and delivers nothing', { clauses: ['CHAT-6'] }, async (t) => {
    const room = uniqueRoom('dedup')
    const { wire: ana } = await target.login(t, { name: uniqueName('ana'), rooms: [{ room }] })
    const { wire: bob } = await target.login(t, { name: uniqueName('bob'), rooms: [{ room }] })
    await ana.next('alarm')
    const first = await ana.ok('chat-ok', { type: 'chat', room, text: 'once', clientMsgId: 'retry-0001' })
    await bob.next('chat')
    const again = await ana.ok('chat-ok', { type: 'chat', id: 'again', room, text: 'once', clientMsgId: 'retry-0001' })
    t.same(again, { type: 'chat-ok', id: 'again', message: first.message, duplicate: true }, 'the original acknowledgement, marked duplicate')
    const changed = await ana.ok('chat-ok', { type: 'chat', room, text: 'edited retry', clientMsgId: 'retry-0001' })
    t.same(changed.message, first.message, 'the original wins even when the text differs')
    const next = await ana.ok('chat-ok', { type: 'chat', room, text: 'new', clientMsgId: 'retry-0002' })
    t.equal(next.message.seq, first.message.seq + 1, 'duplicates used no seq')
    t.same(await bob.next('chat'), { type: 'chat', message: next.message }, 'the next push the other member gets is the new message')
  })

  t.test('§6 message text is delivered exactly as sent: newline, tab and any script, not normalised', { clauses: ['CHAT-2', 'CHAT-3', 'ENV-9'] }, async (t) => {
    const room = uniqueRoom('text')
    const { wire: ana } = await target.login(t, { name: uniqueName('ana'), rooms: [{ room }] })
    const { wire: bob } = await target.login(t, { name: uniqueName('bob'), rooms: [{ room }] })
    const text = 'line one\n\tindented — 👋 مرحبا 日本語 cafe\u0301'
    const ack = await ana.ok('chat-ok', { type: 'chat', room, text })
    t.equal(ack.message.text, text)
    t.equal((await bob.takeType('chat')).message.text, text)
  })

  t.test('§6 a chat to a room the connection has not joined is refused with not-in-room', { clauses: ['CHAT-1'] }, async (t) => {
    const room = uniqueRoom('closed')
    const { wire: bob } = await target.login(t, { name: uniqueName('bob'), rooms: [{ room }] })
    const { wire: ana } = await target.login(t, { name: uniqueName('ana'), rooms: [] })
    t.match(await ana.request({ type: 'chat', id: 'nope', room, text: 'let me in' }), { type: 'error', id: 'nope', code: 'not-in-room', retryable: false })
    t.same(await bob.framesBeforePong(), [], 'nothing reaches the room')
  })
}
