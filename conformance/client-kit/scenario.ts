// A scenario of the client kit: one run of the client under test against a
// fresh fake server. `play` drives both (instructions to the client, scripted
// server behaviour) and records what it observed into a plain object; the
// checks then judge that record. Play stops at its first failed wait, and the
// checks that needed what came after fail with the reason — so a client that
// never logs in fails every check with "the client did not log in", not a
// crash of the kit.
import { type ClientFrameOf, speaksAtLeast } from '@wirechat/protocol'
import type { Test } from '../harness.ts'
import type { ClientProcess, Hints } from './client-process.ts'
import type { FakeServer, FakeServerOptions } from './fake-server.ts'
import type { ClientCheckId } from './ids.ts'

/** Bound of a wait for the client's first login (a process start included, on a busy machine too). */
export const LOGIN_WAIT_MS = 20_000
/** Bound of a wait for something the client does promptly (show a message, send a request). */
export const PROMPT_MS = 4_000

/** What a scenario plays with. */
export interface Stage {
  server: FakeServer
  client: ClientProcess
  hints: Hints
  /** Why play stopped before its end, if it did. */
  error: Error | undefined
  /**
   * Set by play when the scenario does not apply to this client (it announced
   * an older protocol version): every check of the scenario is skipped with it.
   */
  notApplicable: string | undefined
}

export interface ScenarioCheck<O> {
  id: ClientCheckId
  judge(t: Test, observed: Partial<O>, stage: Stage): void
}

export interface Scenario<O = Record<string, unknown>> {
  /** Short name, e.g. "reconnect-1006" (the report's file column). */
  name: string
  /** The fake server's settings. */
  server?: FakeServerOptions
  /** Bound of the whole play (default 30 s). */
  maxMs?: number
  play(stage: Stage, observed: Partial<O>): Promise<void>
  checks: Array<ScenarioCheck<O>>
}

export const defineScenario = <O>(scenario: Scenario<O>): Scenario<O> => scenario

/**
 * True when the play recorded `value`; otherwise fails the check with what
 * was missing and why the play stopped.
 */
export function need<T>(t: Test, value: T | undefined, what: string, stage: Stage): value is T {
  if (value !== undefined) return true
  t.fail(`the scenario did not get as far as ${what}`, stage.error === undefined ? undefined : stage.error.message)
  return false
}

/** One assertion with a sentence for each outcome, so a report reads as what happened. */
export function verdict(t: Test, ok: boolean, passed: string, failed: string): boolean {
  if (ok) t.pass(passed)
  else t.fail(failed)
  return ok
}

/** Waits until the client has shown `text` as a message in `room`. */
export function waitShown(stage: Stage, room: string, text: string, timeoutMs = PROMPT_MS): Promise<number> {
  return stage.server.until(
    () => stage.client.messages(room).find((m) => m.text === text)?.at,
    `the client to show the message "${text}" in ${room} (adapter line {"shown":"message","room":"${room}","text":"${text}",…})`,
    timeoutMs,
  )
}

/** Sends the login instruction and waits for the login on the wire; returns the connection. */
export async function logIn(stage: Stage, rooms: string[], name = 'ana') {
  stage.client.do({ do: 'login', name, rooms })
  return stage.server.waitLogin(1, LOGIN_WAIT_MS).catch((err: Error) => {
    throw new Error(`${err.message}; the client ${stage.client.describe()}`)
  })
}

/**
 * True when the client announced at least `version` in its login; otherwise
 * marks the scenario not applicable (its checks are skipped, saying why).
 */
export function announces(stage: Stage, login: ClientFrameOf<'login'>, version: string, what: string): boolean {
  if (speaksAtLeast(login.version, version)) return true
  stage.notApplicable = `the client announced ${login.version === undefined ? 'no version (1.0.0)' : `version ${login.version}`} in login; ${what} is for clients of ${version} or later`
  return false
}

/** Resolves after `ms`. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** "12, 40, 3 ms" */
export const listMs = (values: readonly number[]): string => `${values.map((v) => Math.round(v)).join(', ')} ms`
