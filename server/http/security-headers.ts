// Security headers on every HTTP response (the page, health, refusals, 404s).
// A header a route already set wins, so the page may send its own stricter
// CSP (hashes, nonces); these are the floor, not the ceiling.
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

/**
 * Only the server's own scripts, styles, images and sockets; no plugins, no
 * <base> tricks, and the page cannot be framed (clickjacking). `connect-src
 * 'self'` covers ws:/wss: to the same host in CSP Level 3 browsers.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ')

/**
 * The protocol inspector's page: the same policy, except that its sockets may go to any
 * ws:/wss: endpoint the user types — inspecting other servers is its job. Scripts, styles and
 * everything else stay 'self' only; the server it connects to still applies its own Origin rule.
 */
export const INSPECTOR_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.replace("connect-src 'self'", "connect-src 'self' ws: wss:")

/** Headers set on every response unless the route set them. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  // For browsers without CSP frame-ancestors.
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
}

async function securityHeaders(app: FastifyInstance): Promise<void> {
  app.addHook('onSend', async (_req, reply, payload) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) if (!reply.hasHeader(name)) reply.header(name, value)
    return payload
  })
}

export default fp(securityHeaders, { name: 'security-headers' })
