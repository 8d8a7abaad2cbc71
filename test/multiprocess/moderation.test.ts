// Moderation across nodes (Redis + PostgreSQL): a ban issued by a moderator
// on node A takes the user's connection on node B out of the room right after
// the ban event (in stream order), node B then refuses the rejoin, and a
// mute set on A refuses a post on B.
import t from 'tap'
import { RawClient } from '../helpers/raw-client.ts'
import { startCluster } from './cluster.ts'

const V = '1.3.0'
const CROSS_NODE_MS = 10_000

t.test("a ban and a mute on node A take effect for the user's connection on node B", async (t) => {
  const {
    nodes: [a, b],
  } = await startCluster(t, 2)
  const { client: mod } = await RawClient.login(t, a!.url, { version: V, name: 'mod', rooms: [{ room: 'den' }] })
  const { client: spam, login } = await RawClient.login(t, b!.url, { version: V, name: 'spammer', rooms: [{ room: 'den' }] })
  const { client: ana } = await RawClient.login(t, b!.url, { version: V, name: 'ana', rooms: [{ room: 'den' }] })

  t.match(await mod.request({ type: 'mute', room: 'den', userId: login.userId }), { type: 'mute-ok' })
  await spam.take((f) => f.type === 'chat' && f.message.event?.kind === 'mute', 'the mute event on B', CROSS_NODE_MS)
  t.match(await spam.request({ type: 'chat', room: 'den', text: 'hello?' }), { type: 'error', code: 'muted' }, 'node B refuses the post')

  t.match(await mod.request({ type: 'ban', room: 'den', userId: login.userId }), { type: 'ban-ok' })
  t.match(await spam.take((f) => f.type === 'chat' && f.message.event?.kind === 'ban', 'the ban event on B', CROSS_NODE_MS), {}, 'the banned user sees the event first')
  t.match(await ana.take((f) => f.type === 'alarm' && f.kind === 'left', 'the left alarm on B', CROSS_NODE_MS), { userId: login.userId }, 'then leaves the room')
  t.match(await spam.request({ type: 'history', room: 'den' }), { type: 'error', code: 'not-in-room' })
  t.match(await spam.request({ type: 'join-room', room: 'den' }), { type: 'error', code: 'banned' }, 'node B refuses the rejoin')
})
