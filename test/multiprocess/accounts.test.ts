// Accounts across nodes (Redis + PostgreSQL): revoking a session on node A
// closes that session's connection on node B with 4011, a password change on
// A closes the user's other sessions on B, and dm-read on A reaches the user's
// connection on B. Needs the PostgreSQL store's account methods.
import t from 'tap'
import type { ServerFrameOf } from '../../protocol/index.ts'
import { RawClient } from '../helpers/raw-client.ts'
import { startCluster } from './cluster.ts'

const PASSWORD = 'correct horse battery'
const CROSS_NODE_MS = 10_000

t.test('revocation and dm-read reach the user on the other node', async (t) => {
  const {
    nodes: [a, b],
  } = await startCluster(t, 2)
  const { client: laptop, login } = await RawClient.login(t, a!.url, { version: '1.1.0', name: 'ana', rooms: [], device: 'Laptop' })
  t.match(await laptop.request({ type: 'register', password: PASSWORD }), { type: 'register-ok' })
  const phone = await RawClient.connect(t, b!.url)
  const phoneLogin = (await phone.request({ type: 'login', version: '1.1.0', name: 'ana', password: PASSWORD, device: 'Phone', rooms: [] })) as ServerFrameOf<'login-ok'>
  t.match(phoneLogin, { type: 'login-ok', userId: login.userId, registered: true }, 'the same user on node B')

  // dm-read on A is pushed to the connection on B.
  const { client: bob, login: bobLogin } = await RawClient.login(t, b!.url, { version: '1.1.0', name: 'bob', rooms: [] })
  const dm = (await bob.request({ type: 'dm', to: login.userId, text: 'hello' })) as ServerFrameOf<'dm-ok'>
  t.equal(dm.type, 'dm-ok')
  const received = await laptop.take((f) => f.type === 'dm', 'the DM on node A', CROSS_NODE_MS)
  const seq = (received as ServerFrameOf<'dm'>).message.seq
  t.match(await laptop.request({ type: 'dm-read', userId: bobLogin.userId, seq }), { type: 'dm-read-ok', seq })
  t.same(await phone.take((f) => f.type === 'dm-read', 'dm-read on node B', CROSS_NODE_MS), { type: 'dm-read', userId: bobLogin.userId, seq })

  // Revoking the phone's session on A closes its connection on B.
  t.match(await laptop.request({ type: 'revoke-session', sessionId: phoneLogin.sessionId! }), { type: 'revoke-session-ok' })
  t.same(await phone.closed(CROSS_NODE_MS), { code: 4011, reason: 'session-revoked' })
  const late = await RawClient.connect(t, b!.url)
  t.match(await late.request({ type: 'login', version: '1.1.0', session: phoneLogin.session }), { type: 'error', code: 'invalid-session' }, 'the key is refused on B too')

  // A password change on B closes the laptop's connection on A.
  const tablet = await RawClient.connect(t, b!.url)
  t.match(await tablet.request({ type: 'login', version: '1.1.0', name: 'ana', password: PASSWORD, rooms: [] }), { type: 'login-ok' })
  t.match(await tablet.request({ type: 'change-password', password: PASSWORD, newPassword: 'another password' }), { type: 'change-password-ok' })
  t.same(await laptop.closed(CROSS_NODE_MS), { code: 4011, reason: 'session-revoked' })
  t.equal((await tablet.request({ type: 'ping' })).type, 'pong', 'the changing connection stays')
})
