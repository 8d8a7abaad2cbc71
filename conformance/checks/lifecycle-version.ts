// The version the checks of protocol 1.3.0 (the life of a message:
// edit, delete, react, read, search; moderation and blocks) speak, and the
// reason to skip them against a server that announces an older one.
import type { ServerFrameOf } from '@wirechat/protocol'

/** The checks of 1.3.0 features log in with this version. */
export const V = '1.3.0'

/** Why the 1.3.0 checks cannot run against this server, or false when they can. */
export function lifecycleSkip(welcome: ServerFrameOf<'welcome'>): string | false {
  const [major, minor] = welcome.version.split('.').map(Number) as [number, number]
  return major === 1 && minor < 3 ? `the server speaks ${welcome.version}; edits, reactions, moderation and blocks are 1.3.0` : false
}
