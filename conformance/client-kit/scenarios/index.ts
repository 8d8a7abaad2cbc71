// Every scenario of the client kit. They run a few at once, each with its own
// client process and fake server; the longest come first so a pool of a few
// workers finishes soonest. The report orders checks by the id table, not by this list.
import type { Scenario } from '../scenario.ts'
import { compat } from './compat.ts'
import { dmGap } from './dm-gap.ts'
import { gap } from './gap.ts'
import { heartbeat } from './heartbeat.ts'
import { nfc } from './nfc.ts'
import { rateLimit } from './rate-limit.ts'
import { reconnect1001, reconnect1006 } from './reconnect.ts'
import { duplicate, resend } from './resend.ts'
import { unknownError } from './unknown-error.ts'
import { typing } from './typing.ts'
import { oldServer } from './old-server.ts'
import { lateTarget } from './late-target.ts'
import { messageLife } from './message-life.ts'
import { unread } from './unread.ts'
import { terminal4008, terminal4011, terminal4013, terminal4014, terminalLogout } from './terminal.ts'

// Each scenario records its own observation type; the runner only passes them from play to the checks.
export const SCENARIOS: ReadonlyArray<Scenario<any>> = [
  reconnect1006,
  heartbeat,
  reconnect1001,
  terminal4008,
  terminal4011,
  terminal4013,
  terminal4014,
  terminalLogout,
  resend,
  duplicate,
  unknownError,
  dmGap,
  rateLimit,
  gap,
  compat,
  nfc,
  typing,
  messageLife,
  lateTarget,
  unread,
  oldServer,
]
