// PROTOCOL.md §9 Typing: typing-ok to the typer, a typing push to the others
// on changes only, and expiry after limits.typingTtlMs without a refresh.
import type { Test } from '../harness.ts'
import { skipLongTimer, type Target, uniqueName, uniqueRoom } from '../target.ts'
import type { Teardown } from '../wire.ts'

export default async function checks(t: Test, target: Target): Promise<void> {
  const { typingTtlMs } = target.limits

  const pair = async (t: Teardown) => {
    const room = uniqueRoom('type')
    const anaName = uniqueName('ana')
    const { wire: bob } = await target.login(t, { name: uniqueName('bob'), rooms: [{ room }] })
    const { wire: ana, ok } = await target.login(t, { name: anaName, rooms: [{ room }] })
    await bob.next('alarm')
    return { room, ana, bob, anaId: ok.userId, anaName }
  }

  t.test('§9 typing is answered with typing-ok and pushed to the other members on changes only', async (t) => {
    const { room, ana, bob, anaId, anaName } = await pair(t)
    t.same(await ana.ok('typing-ok', { type: 'typing', id: 't1', room, typing: true }), { type: 'typing-ok', id: 't1', room })
    t.same(await bob.next('typing'), { type: 'typing', room, userId: anaId, name: anaName, typing: true })
    await ana.ok('typing-ok', { type: 'typing', room, typing: true }) // a refresh: no change
    await ana.ok('typing-ok', { type: 'typing', room, typing: false })
    t.same(await bob.next('typing'), { type: 'typing', room, userId: anaId, name: anaName, typing: false }, 'the refresh sent nothing; the stop did')
    await ana.ok('typing-ok', { type: 'typing', room, typing: false }) // no change
    t.same(await bob.framesBeforePong(), [], 'no push for a repeated stop')
    t.same(await ana.framesBeforePong(), [], 'the typer gets no push about itself')
  })

  t.test('§9 a typing indicator expires after limits.typingTtlMs without a refresh', { skip: skipLongTimer('typingTtlMs', typingTtlMs, target) }, async (t) => {
    const { room, ana, bob, anaId } = await pair(t)
    await ana.ok('typing-ok', { type: 'typing', room, typing: true })
    t.match(await bob.next('typing'), { userId: anaId, typing: true })
    if (target.clock !== undefined) await target.wait(typingTtlMs)
    t.match(await bob.next('typing', typingTtlMs + 2_000), { type: 'typing', room, userId: anaId, typing: false }, 'the expiry is pushed as typing:false')
    t.same(await ana.framesBeforePong(), [], 'the typer is not told')
  })

  t.test('§9 typing in a room not joined is refused with not-in-room', async (t) => {
    const { wire } = await target.login(t, { name: uniqueName('ana'), rooms: [] })
    t.match(await wire.request({ type: 'typing', room: uniqueRoom('x'), typing: true }), { type: 'error', code: 'not-in-room', retryable: false })
  })
}
