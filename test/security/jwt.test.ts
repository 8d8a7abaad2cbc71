// Optional token authentication: required, failed, ok, expired, wrong
// algorithm; the user id is the token's sub; tokens never reach the log.
import { exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose'
import t, { type Test } from 'tap'
import type { ServerFrameOf } from '../../protocol/index.ts'
import { loadConfig } from '../../server/config.ts'
import { captureLog } from '../helpers/log.ts'
import { RawClient } from '../helpers/raw-client.ts'
import { startServer } from '../helpers/server.ts'

const SECRET = 'a-test-secret-that-is-long-enough-for-hs256'
const hmacKey = new TextEncoder().encode(SECRET)

async function sign(claims: JWTPayload, key: CryptoKey | Uint8Array = hmacKey, alg = 'HS256', expiresIn: string | number = '10m'): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg }).setIssuedAt().setExpirationTime(expiresIn).sign(key)
}

/** An unsigned token ("alg": "none"), which must never be accepted. */
function unsecured(claims: JWTPayload): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url')
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ ...claims, exp: Math.floor(Date.now() / 1000) + 600 })}.`
}

async function loginReply(t: Test, url: string, login: Record<string, unknown>) {
  const client = await RawClient.connect(t, url)
  return { client, reply: await client.request({ type: 'login', ...login }) }
}

t.test("HS256: login needs a valid token; the user is the token's sub and name", async (t) => {
  const server = await startServer(t, { jwtSecret: SECRET })
  const { client, reply } = await loginReply(t, server.url, {})
  t.equal(client.welcome.authRequired, true, 'the welcome says a token is required')
  t.match(reply, { type: 'error', code: 'auth-required', retryable: false })

  const cases: [string, Promise<string> | string][] = [
    ['garbage', 'not-a-token'],
    ['a token signed with another secret', sign({ sub: 'ana' }, new TextEncoder().encode('another-secret-that-is-also-long-enough'))],
    ['an expired token', sign({ sub: 'ana' }, hmacKey, 'HS256', Math.floor(Date.now() / 1000) - 60)],
    ['a token without exp', new SignJWT({ sub: 'ana' }).setProtectedHeader({ alg: 'HS256' }).sign(hmacKey)],
    ['a token without sub', sign({ name: 'ana' })],
    ['an unsigned token (alg none)', unsecured({ sub: 'ana' })],
    ['HS384 instead of HS256', sign({ sub: 'ana' }, hmacKey, 'HS384')],
    ['a sub with spaces', sign({ sub: 'a n a' })],
  ]
  for (const [what, token] of cases) {
    const { reply } = await loginReply(t, server.url, { token: await token })
    t.match(reply, { type: 'error', code: 'auth-failed' }, what)
  }

  const token = await sign({ sub: 'user-42', name: 'Ana' })
  const { reply: ok } = await loginReply(t, server.url, { token })
  t.match(ok, { type: 'login-ok', userId: 'user-42', name: 'Ana' })
})

t.test('a name in login is refused when authentication is on, and so is rename', async (t) => {
  const server = await startServer(t, { jwtSecret: SECRET })
  const { reply } = await loginReply(t, server.url, { token: await sign({ sub: 'user-1', name: 'ana' }), name: 'mallory' })
  t.match(reply, { type: 'error', code: 'bad-frame', details: ['/name: must be left out when authentication is on'] })
  const { client, reply: ok } = await loginReply(t, server.url, { token: await sign({ sub: 'user-1', name: 'ana' }) })
  t.match(ok, { type: 'login-ok', name: 'ana' })
  t.match(await client.request({ type: 'rename', name: 'mallory' }), { type: 'error', code: 'bad-frame' })
})

t.test('preferred_username is the fallback name; a name held by another user gets a suffix', async (t) => {
  const server = await startServer(t, { jwtSecret: SECRET })
  const { reply: first } = await loginReply(t, server.url, { token: await sign({ sub: 'u1', preferred_username: 'Ana' }) })
  t.match(first, { type: 'login-ok', userId: 'u1', name: 'Ana' })
  const { reply: second } = await loginReply(t, server.url, { token: await sign({ sub: 'u2', name: 'ana' }) })
  t.match(second, { type: 'login-ok', userId: 'u2', name: 'ana-2' }, 'another subject cannot take over or lock out a name')
  const { reply: third } = await loginReply(t, server.url, { token: await sign({ sub: 'u3', name: 'not a valid  name!' }) })
  t.match(third, { type: 'login-ok', userId: 'u3', name: /^user\d+$/ }, 'an invalid name claim falls back to the suggested name')
})

t.test('connections with the same sub are one user; session keys still work and stay with their subject', async (t) => {
  const server = await startServer(t, { jwtSecret: SECRET })
  const token = await sign({ sub: 'multi', name: 'tabby' })
  const { reply: tab1 } = await loginReply(t, server.url, { token })
  const { reply: tab2 } = await loginReply(t, server.url, { token })
  t.match(tab1, { type: 'login-ok', userId: 'multi' })
  t.match(tab2, { type: 'login-ok', userId: 'multi', name: 'tabby' })
  const members = (tab2 as ServerFrameOf<'login-ok'>).rooms[0]!.members
  t.same(members, [{ userId: 'multi', name: 'tabby' }], 'one presence entry for both tabs')

  const key = (tab1 as ServerFrameOf<'login-ok'>).session
  const { reply: resumed } = await loginReply(t, server.url, { token, session: key })
  t.match(resumed, { type: 'login-ok', userId: 'multi', session: key }, 'a reconnect with token and session key continues the user')
  const { reply: stolen } = await loginReply(t, server.url, { token: await sign({ sub: 'thief' }), session: key })
  t.match(stolen, { type: 'error', code: 'invalid-session' }, 'a session key does not carry over to another subject')
  const { reply: keyOnly } = await loginReply(t, server.url, { session: key })
  t.match(keyOnly, { type: 'error', code: 'auth-required' }, 'a session key alone is not a credential')
})

t.test('RS256 and ES256 public keys accept their algorithm only', async (t) => {
  for (const alg of ['RS256', 'ES256'] as const) {
    const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true })
    const pem = await exportSPKI(publicKey)
    const server = await startServer(t, { jwtPublicKey: pem })
    const { reply: ok } = await loginReply(t, server.url, { token: await sign({ sub: `${alg}-user` }, privateKey, alg) })
    t.match(ok, { type: 'login-ok', userId: `${alg}-user` }, `${alg} token accepted`)
    // The classic confusion attack: HS256 signed with the public key's PEM as the secret.
    const confused = await sign({ sub: 'mallory' }, new TextEncoder().encode(pem), 'HS256')
    t.match((await loginReply(t, server.url, { token: confused })).reply, { code: 'auth-failed' }, `${alg} server refuses HS256 with the public key as secret`)
    t.match((await loginReply(t, server.url, { token: unsecured({ sub: 'mallory' }) })).reply, { code: 'auth-failed' }, `${alg} server refuses alg none`)
    const other = await generateKeyPair(alg)
    t.match((await loginReply(t, server.url, { token: await sign({ sub: 'x' }, other.privateKey, alg) })).reply, { code: 'auth-failed' }, 'another key pair is refused')
  }
})

t.test('issuer and audience are checked when configured', async (t) => {
  const server = await startServer(t, { jwtSecret: SECRET, jwtIssuer: 'https://idp.example', jwtAudience: 'wirechat' })
  t.match((await loginReply(t, server.url, { token: await sign({ sub: 'a' }) })).reply, { code: 'auth-failed' })
  t.match((await loginReply(t, server.url, { token: await sign({ sub: 'a', iss: 'https://idp.example', aud: 'other' }) })).reply, { code: 'auth-failed' })
  t.match((await loginReply(t, server.url, { token: await sign({ sub: 'a', iss: 'https://idp.example', aud: 'wirechat' }) })).reply, { type: 'login-ok', userId: 'a' })
})

t.test('unusable key settings stop the server at start', async (t) => {
  t.throws(() => loadConfig({ JWT_SECRET: 'short' }), /JWT_SECRET/, 'a short secret')
  t.throws(() => loadConfig({ JWT_SECRET: SECRET, JWT_PUBLIC_KEY: 'x' }), /not both/)
  await t.rejects(startServer(t, { jwtPublicKey: 'not a pem' }), 'a key that does not parse')
  const { publicKey } = await generateKeyPair('EdDSA', { extractable: true })
  await t.rejects(startServer(t, { jwtPublicKey: await exportSPKI(publicKey) }), /RSA|P-256/, 'an unsupported key type')
})

t.test('without authentication, welcome says so and a token is ignored', async (t) => {
  const server = await startServer(t)
  const { client, reply } = await loginReply(t, server.url, { token: 'whatever', name: 'ana' })
  t.equal(client.welcome.authRequired, false)
  t.match(reply, { type: 'login-ok', name: 'ana', userId: /^u_/ })
})

t.test('tokens never reach the log, even at trace level', async (t) => {
  const captured = captureLog()
  const server = await startServer(t, { jwtSecret: SECRET, logLevel: 'trace' }, { logStream: captured.stream })
  const good = await sign({ sub: 'logged', name: 'logan' })
  const expired = await sign({ sub: 'logged' }, hmacKey, 'HS256', Math.floor(Date.now() / 1000) - 60)
  const { client } = await loginReply(t, server.url, { token: good })
  await loginReply(t, server.url, { token: expired })
  await loginReply(t, server.url, { token: 'garbage.garbage.garbage' })
  client.send(JSON.stringify({ type: 'login', token: good, extra: 'bad frame carrying a token' }))
  await client.take((f) => f.type === 'error')
  client.close()
  await client.closed()
  const url = server.url.replace('/ws', `/ws?token=${good}`)
  await RawClient.connect(t, url).catch(() => {})
  await server.app.close()
  const log = captured.text()
  t.ok(log.length > 0, 'the logger did write (the capture works)')
  for (const token of [good, expired]) {
    const signature = token.split('.')[2]!
    t.notOk(log.includes(signature), 'no token signature in the log')
    t.notOk(log.includes(token.split('.')[1]!), 'no token payload in the log')
  }
  t.notOk(log.includes('garbage.garbage'), 'not even an invalid token')
})

t.test('an open connection closes with 4012 when its token expires; register is off with tokens', async (t) => {
  const server = await startServer(t, { jwtSecret: SECRET, store: 'memory' })
  // exp is in whole seconds: 2 s ahead expires 1–2 s after login.
  const { client, reply } = await loginReply(t, server.url, { token: await sign({ sub: 'short-lived' }, hmacKey, 'HS256', Math.floor(Date.now() / 1000) + 2) })
  t.match(reply, { type: 'login-ok', userId: 'short-lived' })
  t.match(await client.request({ type: 'register', password: 'a long password' }), { type: 'error', code: 'bad-frame' }, 'accounts come from the token')
  t.equal((await client.request({ type: 'ping' })).type, 'pong', 'open until the expiry')
  t.same(await client.closed(6_000), { code: 4012, reason: 'session-expired' })
  const { reply: again } = await loginReply(t, server.url, { token: await sign({ sub: 'long-lived' }) })
  t.match(again, { type: 'login-ok' }, 'a token with a later expiry is not closed by it')
})
