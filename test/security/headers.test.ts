// Security headers on every HTTP response: a strict CSP with frame-ancestors
// 'none', nosniff and the legacy framing header.
import Fastify from 'fastify'
import t from 'tap'
import securityHeaders from '../../server/http/security-headers.ts'
import { startServer } from '../helpers/server.ts'

function checkHeaders(t: { match: Function; equal: Function }, headers: Headers, what: string) {
  const csp = headers.get('content-security-policy') ?? ''
  t.match(csp, /(^|; )script-src 'self'(;|$)/, `${what}: only own scripts`)
  t.match(csp, /(^|; )default-src 'self'(;|$)/, `${what}: default-src 'self'`)
  t.match(csp, /(^|; )frame-ancestors 'none'(;|$)/, `${what}: cannot be framed`)
  t.match(csp, /(^|; )object-src 'none'(;|$)/, `${what}: no plugins`)
  t.equal(headers.get('x-content-type-options'), 'nosniff', `${what}: nosniff`)
  t.equal(headers.get('x-frame-options'), 'DENY', `${what}: X-Frame-Options`)
}

t.test('the page, health, 404s and refused upgrades carry the security headers', async (t) => {
  const server = await startServer(t)
  const page = await fetch(`${server.httpUrl}/`)
  t.equal(page.status, 200)
  checkHeaders(t, page.headers, '/')
  t.notMatch(page.headers.get('content-security-policy') ?? '', /unsafe-inline|unsafe-eval|\*/, 'no unsafe sources or wildcards')
  checkHeaders(t, (await fetch(`${server.httpUrl}/healthz`)).headers, '/healthz')
  const inspector = await fetch(`${server.httpUrl}/inspect`)
  t.equal(inspector.status, 200)
  t.equal(
    inspector.headers.get('content-security-policy'),
    (page.headers.get('content-security-policy') ?? '').replace("connect-src 'self'", "connect-src 'self' ws: wss:"),
    '/inspect: the page CSP, sockets to any ws:/wss: endpoint',
  )
  checkHeaders(t, inspector.headers, '/inspect')
  const missing = await fetch(`${server.httpUrl}/no-such-file.js`)
  t.equal(missing.status, 404)
  checkHeaders(t, missing.headers, '404')
  const refused = await fetch(`${server.httpUrl}/ws?token=x`)
  t.equal(refused.status, 400)
  checkHeaders(t, refused.headers, 'refused /ws')
})

t.test('a header a route set itself is kept', async (t) => {
  const app = Fastify()
  await app.register(securityHeaders)
  app.get('/own', async (_req, reply) => reply.header('content-security-policy', "default-src 'none'").send('x'))
  t.teardown(() => app.close())
  const res = await app.inject('/own')
  t.equal(res.headers['content-security-policy'], "default-src 'none'")
  t.equal(res.headers['x-content-type-options'], 'nosniff', 'the others are still added')
})
