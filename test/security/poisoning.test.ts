// Prototype-poisoning keys and forged server fields: closed schemas refuse
// them, nothing in the server changes, nothing forged is delivered.
import t from 'tap'
import { RawClient } from '../helpers/raw-client.ts'
import { startServer } from '../helpers/server.ts'

const POISON = ['__proto__', 'constructor', 'prototype'] as const

t.test('__proto__, constructor and prototype at any depth are bad frames and change nothing', async (t) => {
  const server = await startServer(t, { messageBurst: 1000 })
  const { client } = await RawClient.login(t, server.url, { name: 'mallory' })
  const payload = '{"polluted":true,"isAdmin":true,"toString":"x"}'
  const frames: string[] = []
  for (const key of POISON) {
    frames.push(
      `{"type":"chat","room":"lobby","text":"x","${key}":${payload}}`,
      `{"type":"join-room","room":"r","since":{"epoch":"e","seq":1,"${key}":${payload}}}`,
      `{"type":"login","rooms":[{"room":"lobby","${key}":${payload}}]}`,
      `{"type":"history","room":"lobby","${key}":{"limit":1000000}}`,
      `{"${key}":${payload},"type":"ping"}`,
      `{"type":"${key}"}`,
      `{"type":"typing","room":"lobby","typing":true,"${key}":{"${key}":{"${key}":${payload}}}}`,
    )
  }
  let i = 0
  for (const frame of frames) {
    const id = `p${i++}`
    client.send(frame.replace('{', `{"id":"${id}",`))
    const reply = await client.take((f) => 'id' in f && f.id === id)
    t.match(reply, { type: 'error', code: /^(bad-frame|unknown-type)$/ }, frame.slice(0, 90))
  }
  const probe = {} as Record<string, unknown>
  t.equal(probe.polluted, undefined, 'Object.prototype of the server process is untouched')
  t.equal(probe.isAdmin, undefined)
  t.equal(typeof probe.toString, 'function')
  t.equal(Object.getPrototypeOf(Object.prototype), null)
  t.equal((await client.request({ type: 'chat', room: 'lobby', text: 'still fine' })).type, 'chat-ok', 'the connection still works')
})

t.test('forged sender fields in a chat frame are bad frames and never delivered', async (t) => {
  const server = await startServer(t)
  const { client: mallory, login } = await RawClient.login(t, server.url, { name: 'mallory' })
  const { client: victim, login: victimLogin } = await RawClient.login(t, server.url, { name: 'victim' })
  await mallory.take((f) => f.type === 'alarm')
  const forged: Record<string, unknown>[] = [
    { userId: victimLogin.userId },
    { name: 'victim' },
    { seq: 1 },
    { msgId: 'forged-id' },
    { ts: 0 },
    { from: victimLogin.userId, fromName: 'victim' },
    { message: { userId: victimLogin.userId, text: 'forged' } },
  ]
  for (const fields of forged) {
    const reply = await mallory.request({ type: 'chat', room: 'lobby', text: 'forged', ...fields })
    t.match(reply, { type: 'error', code: 'bad-frame' }, Object.keys(fields).join(','))
    const details = reply.type === 'error' ? (reply.details ?? []) : []
    t.ok(
      details.some((d) => d.startsWith(`/${Object.keys(fields)[0]}`)),
      'details name the forged field',
    )
  }
  const dm = await mallory.request({ type: 'dm', to: victimLogin.userId, text: 'forged', fromName: 'admin' } as Record<string, unknown>)
  t.match(dm, { type: 'error', code: 'bad-frame' }, 'dm with a forged sender name')

  const ok = await mallory.request({ type: 'chat', room: 'lobby', text: 'honest' })
  t.match(ok, { type: 'chat-ok', message: { seq: 1, userId: login.userId, name: 'mallory', text: 'honest' } }, 'the server assigns seq, id, time and sender')
  const push = await victim.next('chat')
  t.match(push.message, { seq: 1, userId: login.userId, name: 'mallory', text: 'honest' }, 'the first delivery is the honest one')
  t.notOk(
    victim.received.some((f) => f.type === 'chat' && f.message.text === 'forged'),
    'no forged frame was delivered',
  )
  t.notOk(
    victim.received.some((f) => f.type === 'dm'),
    'no forged dm was delivered',
  )
})
