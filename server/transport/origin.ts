// Cross-site WebSocket hijacking defence: browsers always send Origin, so a
// page on another site cannot open a socket with the user's cookies/network.

/**
 * True when a handshake's Origin may connect. No Origin (a non-browser
 * client) is allowed; an empty allowlist means the server's own origin only.
 */
export function isOriginAllowed(origin: string | undefined, host: string | undefined, allowed: readonly string[]): boolean {
  if (origin === undefined) return true
  if (allowed.includes('*') || allowed.includes(origin)) return true
  if (allowed.length > 0 || host === undefined) return false
  try {
    return new URL(origin).host === host
  } catch {
    return false
  }
}
