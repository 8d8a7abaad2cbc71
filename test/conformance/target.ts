// Which server the conformance suite talks to. With CONFORMANCE_URL set, that
// server is a black box: everything the suite needs to know (timeouts, limits)
// comes from its welcome frame, and checks whose precondition it does not meet
// are skipped with a message. Without it, our own server is started in-process
// on 127.0.0.1 with short test settings.
import { randomBytes } from 'node:crypto'
import type { Limits, ServerFrameOf } from '../../protocol/index.ts'
import type { Config } from '../../server/config.ts'
import { startServer, type TestServer } from '../helpers/server.ts'
import { Wire, type LoginFields, type OpenOptions, type Teardown } from './wire.ts'

/** Settings of the in-process server: short timers, small limits, a rate no test reaches. */
export const inProcessDefaults: Partial<Config> = {
  loginTimeoutMs: 1000,
  typingTtlMs: 200,
  maxRooms: 4,
  historyPageMax: 5,
  maxReplay: 8,
  messagesPerSecond: 1000,
  messageBurst: 1000,
  abuseStrikes: 1000,
  maxFrameBytes: 8192,
  allowedOrigins: ['https://allowed.example'],
}

/** Longest timer (login deadline, typing TTL, heartbeat) a check will wait out. */
export const MAX_TIMER_WAIT_MS = 5_000

export interface Target {
  /** ws:// URL of the /ws endpoint. */
  url: string
  /** True when the server is a black box given by CONFORMANCE_URL. */
  external: boolean
  /** The welcome frame of a probe connection: the source of every timeout and limit. */
  welcome: ServerFrameOf<'welcome'>
  limits: Limits
  /** The in-process server, when there is one. */
  server?: TestServer
  /** Most messages a resume replays (not announced; CONFORMANCE_MAX_REPLAY for black boxes). */
  maxReplay: number | undefined
  /** Refused frames a connection may send before close 4008 (not announced; CONFORMANCE_ABUSE_STRIKES). */
  abuseStrikes: number | undefined
  /** An Origin the server must refuse (CONFORMANCE_BAD_ORIGIN). */
  badOrigin: string
  /** Opens a connection to this target. */
  open(t: Teardown, options?: OpenOptions): Promise<Wire>
  /** Opens a connection and logs in. */
  login(t: Teardown, login?: LoginFields, options?: OpenOptions): Promise<{ wire: Wire; ok: ServerFrameOf<'login-ok'> }>
}

const envNumber = (name: string): number | undefined => {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return undefined
  const n = Number(raw)
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, got "${raw}"`)
  return n
}

/** Reads the welcome of a throw-away connection. */
async function probe(url: string): Promise<ServerFrameOf<'welcome'>> {
  const cleanups: Array<() => unknown> = []
  try {
    const wire = await Wire.open({ teardown: (fn) => cleanups.push(fn) }, url, { pace: false })
    wire.close()
    return wire.welcome
  } catch (err) {
    throw new Error(`cannot reach a chat.v1 server at ${url}: ${(err as Error).message}`)
  } finally {
    for (const fn of cleanups) fn()
  }
}

/**
 * The server under test for one test file. In-process, `overrides` adjust the
 * server's settings (a black box ignores them and adapts to its welcome).
 */
export async function getTarget(t: Teardown, overrides: Partial<Config> = {}): Promise<Target> {
  const external = process.env.CONFORMANCE_URL
  let url: string
  let server: TestServer | undefined
  let maxReplay: number | undefined
  let abuseStrikes: number | undefined
  if (external !== undefined && external !== '') {
    url = external
    maxReplay = envNumber('CONFORMANCE_MAX_REPLAY')
    abuseStrikes = envNumber('CONFORMANCE_ABUSE_STRIKES')
  } else {
    server = await startServer(t, { ...inProcessDefaults, ...overrides })
    url = server.url
    maxReplay = server.config.maxReplay
    abuseStrikes = server.config.abuseStrikes
  }
  const welcome = await probe(url)
  const target: Target = {
    url,
    external: server === undefined,
    welcome,
    limits: welcome.limits,
    maxReplay,
    abuseStrikes,
    badOrigin: process.env.CONFORMANCE_BAD_ORIGIN || 'https://conformance-disallowed.invalid',
    open: (tt, options) => Wire.open(tt, url, options),
    login: (tt, login, options) => Wire.login(tt, url, login, options),
  }
  if (server !== undefined) target.server = server
  return target
}

const runTag = randomBytes(2).toString('hex')
let counter = 0

/** A user name unique to this run (valid, ≤ 32 characters), e.g. "ana-3f9a-7". */
export function uniqueName(base: string): string {
  return `${base}-${runTag}-${(counter++).toString(36)}`
}

/** A room name unique to this run, so a shared black box's other traffic stays out. */
export function uniqueRoom(base: string): string {
  return uniqueName(base).toLowerCase()
}

/** The reason to skip a check that must wait out a server timer, or false to run it. */
export function skipLongTimer(what: string, ms: number): string | false {
  return ms > MAX_TIMER_WAIT_MS ? `${what} is ${ms} ms (announced in welcome); the kit waits at most ${MAX_TIMER_WAIT_MS} ms — configure the server with a shorter one to run this check` : false
}
