// The PresenceTracker contract (server/rooms/presence.ts), run for every
// implementation by presence.test.ts. Two trackers are two nodes of one
// cluster; node liveness cases need a third node that can die.
import type { Test } from 'tap'
import type { Member } from '../../protocol/index.ts'
import type { PresenceTracker } from '../../server/rooms/presence.ts'
import { until } from './services.ts'

/** A node that can die as a crashed process would: no cleanup. */
export interface MortalNode {
  presence: PresenceTracker
  /** Stops the node without removing anything it recorded. */
  crash(): Promise<void>
}

export interface PresencePair {
  /** Two nodes of one cluster; a single-process tracker gives the same instance twice. */
  a: PresenceTracker
  b: PresenceTracker
  /** Trackers with node liveness only: another node of the same cluster. */
  mortal?: () => Promise<MortalNode>
  /** Trackers with node liveness only: longest time from a crash to its report, ms. */
  expiryMs?: number
}

/** Makes a pair of trackers on a fresh cluster; the factory closes them and removes their data in `t`'s teardown. */
export type MakePresencePair = (t: Test) => Promise<PresencePair>

const ana: Member = { userId: 'u-ana', name: 'ana' }
const bob: Member = { userId: 'u-bob', name: 'bob' }
const cy: Member = { userId: 'u-cy', name: 'cy' }
const dee: Member = { userId: 'u-dee', name: 'dee' }

const byId = (members: Member[]): Member[] => [...members].sort((x, y) => x.userId.localeCompare(y.userId))
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export function presenceContract(t: Test, makePresencePair: MakePresencePair): void {
  t.test('a user joins with the first connection anywhere and leaves with the last', async (t) => {
    const { a, b } = await makePresencePair(t)
    t.equal(await a.add('lobby', ana, 'c1'), true, 'first connection: joined')
    t.equal(await b.add('lobby', ana, 'c2'), false, 'second, on another node: not joined again')
    t.equal(await a.remove('lobby', 'u-ana', 'c1'), false, 'one connection left: not gone')
    t.same(await b.list('lobby'), [ana])
    t.equal(await b.remove('lobby', 'u-ana', 'c2'), true, 'last connection: left')
    t.same(await a.list('lobby'), [])
  })

  t.test('several connections on one node count like connections anywhere', async (t) => {
    const { a } = await makePresencePair(t)
    t.equal(await a.add('lobby', ana, 'c1'), true)
    t.equal(await a.add('lobby', ana, 'c2'), false)
    t.equal(await a.add('lobby', ana, 'c3'), false)
    t.equal(await a.remove('lobby', 'u-ana', 'c3'), false)
    t.equal(await a.remove('lobby', 'u-ana', 'c1'), false)
    t.equal(await a.remove('lobby', 'u-ana', 'c2'), true)
  })

  t.test('adding one connection twice counts it once', async (t) => {
    const { a } = await makePresencePair(t)
    t.equal(await a.add('lobby', ana, 'c1'), true)
    t.equal(await a.add('lobby', ana, 'c1'), false)
    t.equal(await a.remove('lobby', 'u-ana', 'c1'), true, 'one remove is the last')
  })

  t.test('removing an unknown or already removed connection reports no leave', async (t) => {
    const { a, b } = await makePresencePair(t)
    t.equal(await a.remove('lobby', 'u-ana', 'c-none'), false, 'nobody there')
    await a.add('lobby', ana, 'c1')
    t.equal(await b.remove('lobby', 'u-ana', 'c-other'), false, 'not her connection')
    t.equal(await a.remove('lobby', 'u-bob', 'c1'), false, 'not his connection')
    t.equal(await a.remove('lobby', 'u-ana', 'c1'), true)
    t.equal(await a.remove('lobby', 'u-ana', 'c1'), false, 'a second remove is not a second leave')
  })

  t.test('concurrent adds and removes of one user report one join and one leave', async (t) => {
    const { a, b } = await makePresencePair(t)
    const ids = Array.from({ length: 20 }, (_, i) => `c${i}`)
    const joins = await Promise.all(ids.map((id, i) => (i % 2 ? a : b).add('lobby', ana, id)))
    t.equal(joins.filter(Boolean).length, 1)
    // Removed in another order than added, each by the node that added it (a connection lives on one node).
    const leaves = await Promise.all([...ids].reverse().map((id) => (Number(id.slice(1)) % 2 ? a : b).remove('lobby', 'u-ana', id)))
    t.equal(leaves.filter(Boolean).length, 1)
    t.same(await a.list('lobby'), [])
  })

  t.test('every node lists each present user once, with their name', async (t) => {
    const { a, b } = await makePresencePair(t)
    t.same(await a.list('lobby'), [], 'an empty room lists nobody')
    await a.add('lobby', ana, 'c1')
    await a.add('lobby', ana, 'c2')
    await b.add('lobby', ana, 'c3')
    await b.add('lobby', bob, 'c4')
    await b.add('side', cy, 'c5')
    t.same(byId(await a.list('lobby')), [ana, bob])
    t.same(byId(await b.list('lobby')), [ana, bob])
    t.same(await a.list('side'), [cy], 'rooms are separate')
  })

  t.test('rooms are independent: leaving one keeps the user in the other', async (t) => {
    const { a, b } = await makePresencePair(t)
    t.equal(await a.add('lobby', ana, 'c1'), true)
    t.equal(await a.add('side', ana, 'c1'), true, 'the same connection joins a second room')
    t.equal(await a.remove('lobby', 'u-ana', 'c1'), true)
    t.same(await b.list('side'), [ana])
    t.equal(await a.remove('side', 'u-ana', 'c1'), true)
  })

  t.test('a rename is seen by every node; renaming an absent user adds nobody', async (t) => {
    const { a, b } = await makePresencePair(t)
    await a.add('lobby', ana, 'c1')
    await b.add('lobby', ana, 'c2')
    await b.rename('lobby', 'u-ana', 'anna')
    t.same(await a.list('lobby'), [{ userId: 'u-ana', name: 'anna' }])
    await a.rename('lobby', 'u-bob', 'bobby')
    await a.rename('empty', 'u-bob', 'bobby')
    t.same(await b.list('lobby'), [{ userId: 'u-ana', name: 'anna' }])
    t.same(await b.list('empty'), [])
  })

  t.test("a dead node's users are reported gone once, cluster-wide, and only they", async (t) => {
    const { a, b, mortal, expiryMs } = await makePresencePair(t)
    if (!mortal || expiryMs === undefined) return t.plan(0, 'this tracker has no node liveness')
    const reports: Array<{ by: string; room: string; member: Member }> = []
    a.onExpired?.((room, member) => reports.push({ by: 'a', room, member }))
    b.onExpired?.((room, member) => reports.push({ by: 'b', room, member }))
    const doomed = await mortal()
    doomed.presence.onExpired?.((room, member) => reports.push({ by: 'doomed', room, member }))
    await a.add('lobby', ana, 'c1')
    await doomed.presence.add('lobby', ana, 'c2') // ana stays: she has c1 on a live node
    await doomed.presence.add('lobby', cy, 'c3')
    await doomed.presence.add('lobby', cy, 'c4')
    await doomed.presence.add('side', cy, 'c3')
    await doomed.presence.add('lobby', dee, 'c5')
    await b.add('side', bob, 'c6')
    await doomed.crash()
    const crashedAt = Date.now()
    await until(() => reports.length >= 3, expiryMs + 2000, "the dead node's users to be reported")
    // Slack for timers delayed on a loaded machine; the order of magnitude is what is checked.
    t.ok(Date.now() - crashedAt <= expiryMs * 1.5, `reported within the expiry time (${Date.now() - crashedAt} ms, bound ${expiryMs} ms)`)
    await sleep(expiryMs) // any second report would come within another sweep or two
    const seen = reports.map((r) => `${r.room}/${r.member.userId}/${r.member.name}`).sort()
    t.same(seen, ['lobby/u-cy/cy', 'lobby/u-dee/dee', 'side/u-cy/cy'], 'each user who left a room, once')
    t.notOk(
      reports.some((r) => r.by === 'doomed'),
      'by the live nodes',
    )
    t.same(await a.list('lobby'), [ana], "live nodes' users stay")
    t.same(await b.list('side'), [bob])
    t.equal(await a.remove('lobby', 'u-ana', 'c1'), true, 'her last live connection is now her last')
  })

  t.test('a node that closes removes its connections and reports who left', async (t) => {
    const { a, mortal } = await makePresencePair(t)
    if (!mortal) return t.plan(0, 'this tracker has no node liveness')
    const node = await mortal()
    const reports: string[] = []
    node.presence.onExpired?.((room, member) => reports.push(`${room}/${member.userId}`))
    a.onExpired?.((room, member) => reports.push(`a saw ${room}/${member.userId}`))
    await a.add('lobby', ana, 'c1')
    await node.presence.add('lobby', ana, 'c2')
    await node.presence.add('lobby', bob, 'c3')
    await node.presence.add('side', bob, 'c3')
    await node.presence.remove('side', 'u-bob', 'c3')
    await node.presence.close?.()
    t.same(reports, ['lobby/u-bob'], 'reported by the closing node before close resolves')
    t.same(await a.list('lobby'), [ana])
    t.equal(await a.add('lobby', bob, 'c4'), true, 'bob is gone for good')
  })
}
