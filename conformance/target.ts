// The server under test, as the checks see it: a black box at a URL.
// Everything the kit needs to know (timeouts, limits) comes from its welcome
// frame; what the protocol does not announce (the replay bound, the abuse
// threshold, an Origin it refuses) comes from the kit's options. Checks whose
// precondition the server does not meet are skipped with a message.
import { randomBytes } from 'node:crypto'
import type { Limits, ServerFrameOf } from '@wirechat/protocol'
import { pacedBurst, pacedPerSecond, Wire, type LoginFields, type OpenOptions, type Teardown } from './wire.ts'

/** Longest timer (login deadline, typing TTL, heartbeat) a check will wait out. */
export const MAX_TIMER_WAIT_MS = 5_000

/** A server the kit may start and shut down, for the one check that needs a shutdown (§12 1001). */
export interface DisposableServer {
  /** ws:// URL of its /ws endpoint. */
  url: string
  /** Shuts it down while connections are open (a graceful shutdown: 1001 to each). */
  close(): Promise<unknown>
}

export interface TargetOptions {
  /** ws:// or wss:// URL of the /ws endpoint. */
  url: string
  /** Most messages a resume replays (not announced); without it the §7 too-far-behind check is skipped. */
  maxReplay?: number
  /**
   * The server's abuse limit (not announced; the reference server's ABUSE_STRIKES): the N-th
   * refused frame within the server's window closes the connection with 4008. The malformed-input
   * checks send at most N − 1 refused frames per connection. Default 10.
   */
  abuseStrikes?: number
  /** An Origin the server must refuse (default https://conformance-disallowed.invalid). */
  badOrigin?: string
  /** An Origin on the server's allowlist (not announced); without it the §2 allowlist check is skipped. */
  allowedOrigin?: string
  /** Starts a fresh server of the same implementation; without it the §12 1001 check is skipped. */
  startServer?: () => Promise<DisposableServer>
  /**
   * http(s) URL of the server's fake clock control (the reference server in deterministic
   * mode: http://HOST:PORT/_test/clock, see docs/conformance.md). With it the timer checks
   * (login deadline, heartbeat, typing expiry, a timed ban) move the server's clock forward
   * with POST {"advanceMs": N} instead of waiting, so they run whatever the timers' length.
   */
  clock?: string
}

export interface Target {
  /** ws:// URL of the /ws endpoint. */
  url: string
  /** The welcome frame of a probe connection: the source of every timeout and limit. */
  welcome: ServerFrameOf<'welcome'>
  limits: Limits
  maxReplay: number | undefined
  abuseStrikes: number | undefined
  /** An Origin the server must refuse. */
  badOrigin: string
  /** An Origin the server's allowlist holds, when the kit was told one. */
  allowedOrigin: string | undefined
  startServer: (() => Promise<DisposableServer>) | undefined
  /** The fake clock control's URL, when the kit was given one. */
  clock: string | undefined
  /** Lets `ms` of server time pass: advances the fake clock when there is one, else sleeps. */
  wait(ms: number): Promise<void>
  /** Opens a connection to this target. */
  open(t: Teardown, options?: OpenOptions): Promise<Wire>
  /** Opens a connection and logs in. */
  login(t: Teardown, login?: LoginFields, options?: OpenOptions): Promise<{ wire: Wire; ok: ServerFrameOf<'login-ok'> }>
}

/** The server at the URL could not be reached, or did not greet with a chat.v1 welcome. */
export class UnreachableError extends Error {}

/** Reads the welcome of a throw-away connection. */
export async function probe(url: string): Promise<ServerFrameOf<'welcome'>> {
  const cleanups: Array<() => unknown> = []
  try {
    const wire = await Wire.open({ teardown: (fn) => cleanups.push(fn) }, url, { pace: false })
    wire.close()
    return wire.welcome
  } catch (err) {
    throw new UnreachableError(`cannot reach a chat.v1 server at ${url}: ${(err as Error).message || String(err)}`)
  } finally {
    for (const fn of cleanups) fn()
  }
}

/** Probes the server and describes it to the checks. */
export async function connectTarget(options: TargetOptions): Promise<Target> {
  const { url } = options
  const welcome = await probe(url)
  return {
    url,
    welcome,
    limits: welcome.limits,
    maxReplay: options.maxReplay,
    abuseStrikes: options.abuseStrikes,
    badOrigin: options.badOrigin ?? 'https://conformance-disallowed.invalid',
    allowedOrigin: options.allowedOrigin,
    startServer: options.startServer,
    clock: options.clock,
    wait: (ms) => (options.clock === undefined ? new Promise((resolve) => setTimeout(resolve, ms)) : advanceClock(options.clock, ms)),
    open: (tt, openOptions) => Wire.open(tt, url, openOptions),
    login: (tt, login, openOptions) => Wire.login(tt, url, login, openOptions),
  }
}

const runTag = randomBytes(2).toString('hex')
let counter = 0

/**
 * The counter in octal written with the digits 2–9. Servers may treat
 * look-alike names as the same name (0 and o, 1 and l and i): these digits
 * have no look-alike among them, so two counters never fold to one name.
 */
const unconfusable = (n: number): string => n.toString(8).replace(/[0-7]/g, (d) => String(Number(d) + 2))

/** A user name unique to this run (valid, ≤ 32 characters), e.g. "ana-3f9a-27". */
export function uniqueName(base: string): string {
  return `${base}-${runTag}-${unconfusable(counter++)}`
}

/** A room name unique to this run, so a shared black box's other traffic stays out. */
export function uniqueRoom(base: string): string {
  return uniqueName(base).toLowerCase()
}

/** How long `count` join-room requests on one connection take, paced to the announced join rate. */
export function joinPacingMs(limits: Limits, count: number): number {
  if (limits.joinsPerSecond === undefined || limits.joinBurst === undefined) return 0
  return (Math.max(0, count - pacedBurst(limits.joinBurst)) / pacedPerSecond(limits.joinsPerSecond)) * 1000
}

/** Longest a check may spend pacing its joins to the announced rate. */
export const MAX_PACING_MS = 300_000

/** Moves a server's fake clock `ms` forward; its timers passed have fired when this resolves. */
export async function advanceClock(clockUrl: string, ms: number): Promise<void> {
  const response = await fetch(clockUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceMs: Math.ceil(ms) }) })
  if (!response.ok) throw new Error(`the clock at ${clockUrl} refused to advance ${ms} ms: HTTP ${response.status} ${await response.text()}`)
}

/** The reason to skip a check that must wait out a server timer, or false to run it (always, with a fake clock). */
export function skipLongTimer(what: string, ms: number, target?: Pick<Target, 'clock'>): string | false {
  if (target?.clock !== undefined) return false
  return ms > MAX_TIMER_WAIT_MS ? `${what} is ${ms} ms (announced in welcome); the kit waits at most ${MAX_TIMER_WAIT_MS} ms — configure the server with a shorter one to run this check` : false
}
