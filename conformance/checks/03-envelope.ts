// PROTOCOL.md §3 Envelope: type, id echo, requests / replies / pushes, reply
// order, exactly one reply per request, closed objects, NFC names.
import type { ServerFrame } from '@wirechat/protocol'
import type { Test } from '../harness.ts'
import { type Target, uniqueName, uniqueRoom } from '../target.ts'

export default async function checks(t: Test, target: Target): Promise<void> {
  t.test('§3 a reply echoes the request id; a request without id gets a reply without id', { clauses: ['OVR-1', 'ENV-2'] }, async (t) => {
    const wire = await target.open(t)
    wire.send({ type: 'ping', id: 'the-id-42' })
    t.match(await wire.next('pong'), { type: 'pong', id: 'the-id-42' })
    wire.send({ type: 'ping' })
    const pong = await wire.next('pong')
    t.notOk('id' in pong, 'no id in the reply to an id-less request')
  })

  t.test('§3 an error reply echoes the request id too', { clauses: ['ENV-2', 'ERR-2', 'SES-2'] }, async (t) => {
    const wire = await target.open(t)
    wire.send({ type: 'presence', id: 'err-1', room: 'lobby' })
    t.match(await wire.next('error'), { id: 'err-1', code: 'not-logged-in' })
  })

  t.test('§3 pipelined requests get exactly one reply each, in request order', { clauses: ['ENV-3', 'ERR-1'] }, async (t) => {
    const room = uniqueRoom('pipe')
    const { wire } = await target.login(t, { name: uniqueName('pia'), rooms: [{ room }] })
    const requests: Array<[Record<string, unknown>, string]> = [
      [{ type: 'ping', id: 'p1' }, 'pong'],
      [{ type: 'presence', id: 'p2', room }, 'presence-ok'],
      [{ type: 'presence', id: 'p3', room: uniqueRoom('elsewhere') }, 'error'],
      [{ type: 'chat', id: 'p4', room, text: 'one' }, 'chat-ok'],
      [{ type: 'ping', id: 'p5', extra: true }, 'error'],
      // Core requests only (conformance/levels.ts): a minimal server has no history or typing.
      [{ type: 'presence', id: 'p6', room }, 'presence-ok'],
      [{ type: 'leave-room', id: 'p7', room: uniqueRoom('never') }, 'error'],
      [{ type: 'chat', id: 'p8', room, text: 'two' }, 'chat-ok'],
      [{ type: 'join-room', id: 'p9', room }, 'error'],
      [{ type: 'ping', id: 'p10' }, 'pong'],
    ]
    // One write per frame, without waiting: the server must answer in order.
    for (const [frame] of requests) wire.send(frame)
    const replies: ServerFrame[] = []
    for (let i = 0; i < requests.length; i++) replies.push(await wire.next())
    t.same(
      replies.map((r) => [r.type, 'id' in r ? r.id : undefined]),
      requests.map(([f, type]) => [type, f.id]),
    )
    t.same(await wire.framesBeforePong(), [], 'nothing else: one reply per request')
  })

  t.test('§3 pushes carry no id', { clauses: ['OVR-1'] }, async (t) => {
    const room = uniqueRoom('push')
    const { wire: ana } = await target.login(t, { name: uniqueName('ana'), rooms: [{ room }] })
    const { wire: bob } = await target.login(t, { name: uniqueName('bob'), rooms: [{ room }] })
    const alarm = await ana.next('alarm')
    t.notOk('id' in alarm, 'alarm push has no id')
    await bob.ok('chat-ok', { type: 'chat', id: 'with-id', room, text: 'hello' })
    const chat = await ana.next('chat')
    t.notOk('id' in chat, 'chat push has no id, even though the request had one')
  })

  t.test('§3 a frame with a field its schema does not list is rejected as bad-frame', { clauses: ['ENV-1', 'ENV-10', 'ENV-12'] }, async (t) => {
    const wire = await target.open(t)
    const reply = await wire.request({ type: 'ping', id: 'x1', extra: 1 })
    t.match(reply, { type: 'error', id: 'x1', code: 'bad-frame', retryable: false })
    t.equal((await wire.request({ type: 'ping' })).type, 'pong', 'the connection keeps working')
  })

  t.test('§3 a frame without a type is rejected as unknown-type, with its id echoed', { clauses: ['ENV-8', 'ENV-11'] }, async (t) => {
    const wire = await target.open(t)
    t.match(await wire.request({ id: 'no-type' }), { type: 'error', id: 'no-type', code: 'unknown-type' })
  })

  t.test('§3 a string holding a lone UTF-16 surrogate is refused as bad-frame naming its path, and reaches nobody', { clauses: ['ENV-6', 'ENV-7'] }, async (t) => {
    const room = uniqueRoom('surrogate')
    const { wire: ana } = await target.login(t, { name: uniqueName('ana'), rooms: [{ room }] })
    const { wire: bob } = await target.login(t, { name: uniqueName('bob'), rooms: [{ room }] })
    await ana.next('alarm')
    // JSON.stringify writes a lone surrogate as the escape "\ud800": valid JSON, not well-formed Unicode.
    const reply = await bob.request({ type: 'chat', id: 'lone1', room, text: 'half a pair: \ud800!' })
    t.match(reply, { type: 'error', id: 'lone1', code: 'bad-frame', retryable: false })
    t.ok(reply.type === 'error' && reply.details?.some((d) => d.startsWith('/text')), 'details name the path /text')
    t.match(await bob.request({ type: 'ping', id: 'lone2', '\udc00': 1 }), { type: 'error', id: 'lone2', code: 'bad-frame' }, 'in a member name too')
    t.same(await ana.framesBeforePong(), [], 'nothing reached the room')
  })

  t.test('§3 user names are NFC-normalised: decomposed and composed forms are the same name', { clauses: ['ENV-9', 'ENV-14', 'SES-4'] }, async (t) => {
    const base = uniqueName('zoe')
    const decomposed = `${base}e\u0301` // "e" + combining acute
    const composed = `${base}\u00e9`
    const { ok } = await target.login(t, { name: decomposed, rooms: [] })
    t.equal(ok.name, composed, 'login-ok carries the NFC form')
    const other = await target.open(t)
    t.match(await other.request({ type: 'login', name: composed, rooms: [] }), { type: 'error', code: 'name-taken' }, 'the composed form is taken')
  })

  t.test('§3 room names are NFC-normalised: decomposed and composed forms are the same room', { clauses: ['ENV-9', 'ENV-14'] }, async (t) => {
    const base = uniqueRoom('cafe')
    const { wire } = await target.login(t, { name: uniqueName('cy'), rooms: [{ room: `${base}e\u0301` }] })
    t.match(await wire.request({ type: 'join-room', room: `${base}\u00e9` }), { type: 'error', code: 'already-in-room' })
    const presence = await wire.ok('presence-ok', { type: 'presence', room: `${base}e\u0301` })
    t.equal(presence.room, `${base}\u00e9`, 'replies name the room in NFC')
  })

  t.test('§3 the length bound of a name applies after NFC normalisation', { clauses: ['ENV-13'] }, async (t) => {
    // 31 "a" + "e" + U+0301 is 33 UTF-16 units before NFC and 32 after: accepted.
    const name = `${'a'.repeat(31)}e\u0301`
    const wire = await target.open(t)
    t.match(await wire.request({ type: 'login', name, rooms: [] }), { type: 'login-ok', name: name.normalize('NFC') })
  })
}
