// The settings our server runs the conformance kit with (test/conformance/
// kit.test.ts) and lists the kit's checks with (test/protocol/clauses.test.ts):
// short enough that every check can run.
import { join } from 'node:path'
import type { Config } from '../../server/config.ts'

/** Settings that let every check run (the kit skips checks whose timers or rates are out of its reach). */
export const kitSettings: Partial<Config> = {
  loginTimeoutMs: 2000, // room for a login on a loaded machine; the kit waits this long once, for 4001
  typingTtlMs: 300,
  heartbeatMs: 2000,
  maxRooms: 4,
  historyPageMax: 5,
  maxReplay: 8,
  messagesPerSecond: 50,
  messageBurst: 40,
  abuseStrikes: 30,
  maxFrameBytes: 8192,
  allowedOrigins: ['https://allowed.example'],
  // A namespace where only moderators post (news), so the §5 check of that rule runs.
  namespacesFile: join(import.meta.dirname, '..', '..', 'docs', 'namespaces.example.json'),
}
