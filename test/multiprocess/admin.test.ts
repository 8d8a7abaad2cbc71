// The admin API across nodes (Redis + PostgreSQL): a forced disconnect and a
// server-wide ban issued through node A's admin API close the user's
// connection on node B (4013, 4014), and node B then refuses the banned
// user's login; a system post on A reaches a member on B.
import t from 'tap'
import type { ServerFrameOf } from '../../protocol/index.ts'
import { RawClient } from '../helpers/raw-client.ts'
import { startCluster } from './cluster.ts'

const TOKEN = 'multiprocess-admin-token-0123456789abcdef'
const CROSS_NODE_MS = 10_000

function admin(httpUrl: string, method: string, path: string, body: unknown = undefined) {
  const headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }
  if (body !== undefined) headers['content-type'] = 'application/json'
  return fetch(`${httpUrl}/admin${path}`, { method, headers, ...(body !== undefined && { body: JSON.stringify(body) }) })
}

t.test("node A's disconnect and ban take effect on node B", async (t) => {
  const {
    nodes: [a, b],
  } = await startCluster(t, 2, { env: { ADMIN_TOKEN: TOKEN } })
  const { client: onB, login } = await RawClient.login(t, b!.url, { version: '1.2.0', name: 'ana', rooms: [{ room: 'news' }] })

  const posted = await admin(a!.httpUrl, 'POST', '/rooms/news/messages', { text: 'hello from the operators' })
  t.equal(posted.status, 200)
  t.match(await onB.take((f) => f.type === 'chat', 'the system post on node B', CROSS_NODE_MS), { type: 'chat', message: { userId: 'system', text: 'hello from the operators' } })

  const disconnected = await admin(a!.httpUrl, 'POST', `/users/${login.userId}/disconnect`, { reason: 'test' })
  t.same(await disconnected.json(), { userId: login.userId, closedHere: 0 }, 'node A holds none of her connections')
  t.same(await onB.closed(CROSS_NODE_MS), { code: 4013, reason: 'disconnected' })

  const back = await RawClient.connect(t, b!.url)
  t.match(await back.request({ type: 'login', version: '1.2.0', session: login.session, rooms: [] }), { type: 'login-ok', userId: login.userId })
  t.equal((await admin(a!.httpUrl, 'POST', `/users/${login.userId}/ban`, { reason: 'spam' })).status, 200)
  t.same(await back.closed(CROSS_NODE_MS), { code: 4014, reason: 'banned' })
  const refused = await RawClient.connect(t, b!.url)
  t.match(await refused.request({ type: 'login', version: '1.2.0', session: login.session }), { type: 'error', code: 'banned' }, 'node B refuses the login (the ban is in the shared store)')

  t.equal((await admin(b!.httpUrl, 'DELETE', `/users/${login.userId}/ban`)).status, 200)
  const ok = (await refused.request({ type: 'login', version: '1.2.0', session: login.session, rooms: [] })) as ServerFrameOf<'login-ok'>
  t.equal(ok.type, 'login-ok', 'lifted on B, in force nowhere')
})
