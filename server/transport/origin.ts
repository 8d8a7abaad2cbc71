// Cross-site WebSocket hijacking defence: browsers always send Origin, so a
// page on another site cannot open a socket with the user's cookies/network.

/**
 * True when a handshake's Origin may connect. No Origin (a non-browser
 * client) is allowed; an empty allowlist means the server's own origin only,
 * compared whole: scheme, host and port. `own` is the origin of the page the
 * server serves, http(s)://host[:port] — never ws(s), which no page has.
 */
export function isOriginAllowed(origin: string | undefined, own: string | undefined, allowed: readonly string[]): boolean {
  if (origin === undefined) return true
  if (allowed.includes('*') || allowed.includes(origin)) return true
  if (allowed.length > 0 || own === undefined) return false
  const theirs = originOf(origin)
  return theirs !== undefined && theirs === originOf(own)
}

// URL.origin normalises case, default ports and IDN, and is "null" for
// anything without a host (file:, data:, the literal "null").
function originOf(text: string): string | undefined {
  if (!URL.canParse(text)) return undefined
  const { origin } = new URL(text)
  return origin === 'null' ? undefined : origin
}

/**
 * The server's own origin as the browser sees it: the scheme and Host of the
 * request, or, when a trusted proxy is configured, what it forwarded
 * (Fastify's `protocol` and `host` read X-Forwarded-Proto/Host only then).
 */
export function ownOrigin(req: { protocol: string; host: string | undefined }): string | undefined {
  return req.host ? `${req.protocol}://${req.host}` : undefined
}
