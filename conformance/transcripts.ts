// Replays golden transcripts (protocol/transcripts/NN-name.json) against a
// server, matching every frame with the patterns protocol/transcripts/format.ts
// documents:
// - "$name" binds a variable on first use and must equal it afterwards
//   (variables are shared by all clients of one transcript);
// - "<string>", "<integer>", "<boolean>", "<any>" match any value of that kind;
// - objects must have exactly the listed keys, arrays exactly the listed items
//   in order; anything else must be equal.
// In `send` frames, "$name" strings are replaced by the bound value.
// Each `expect` is the client's next frame. At the end, every client still
// open must have nothing left: a ping is answered by the very next frame.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { isDeepStrictEqual } from 'node:util'
import type { Transcript, TranscriptStep } from '@wirechat/protocol/transcripts/format'
import { Wire, WAIT_MS, type Teardown } from './wire.ts'

export type Vars = Map<string, unknown>

const KINDS: Record<string, (v: unknown) => boolean> = {
  '<string>': (v) => typeof v === 'string',
  '<integer>': (v) => Number.isInteger(v),
  '<boolean>': (v) => typeof v === 'boolean',
  '<any>': (v) => v !== undefined,
}

const isVar = (p: unknown): p is string => typeof p === 'string' && /^\$[A-Za-z_][\w.-]*$/.test(p)
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v)
const show = (v: unknown): string => (v === undefined ? 'nothing' : JSON.stringify(v).slice(0, 200))

/**
 * Matches `actual` against `pattern`, binding variables in `vars`.
 * Returns undefined on a match, else where and why it differs.
 */
export function match(pattern: unknown, actual: unknown, vars: Vars, path = ''): string | undefined {
  const at = path || '/'
  if (isVar(pattern)) {
    if (!vars.has(pattern)) {
      if (actual === undefined) return `${at}: expected a value to bind ${pattern}, got nothing`
      vars.set(pattern, actual)
      return undefined
    }
    return isDeepStrictEqual(vars.get(pattern), actual) ? undefined : `${at}: expected ${pattern} = ${show(vars.get(pattern))}, got ${show(actual)}`
  }
  if (typeof pattern === 'string' && pattern in KINDS) {
    return KINDS[pattern]!(actual) ? undefined : `${at}: expected ${pattern}, got ${show(actual)}`
  }
  if (Array.isArray(pattern)) {
    if (!Array.isArray(actual)) return `${at}: expected an array, got ${show(actual)}`
    if (actual.length !== pattern.length) return `${at}: expected ${pattern.length} items, got ${actual.length}: ${show(actual)}`
    for (let i = 0; i < pattern.length; i++) {
      const problem = match(pattern[i], actual[i], vars, `${path}/${i}`)
      if (problem !== undefined) return problem
    }
    return undefined
  }
  if (isObject(pattern)) {
    if (!isObject(actual)) return `${at}: expected an object, got ${show(actual)}`
    const missing = Object.keys(pattern).filter((k) => !Object.hasOwn(actual, k))
    if (missing.length > 0) return `${at}: missing key(s) ${missing.join(', ')} in ${show(actual)}`
    const extra = Object.keys(actual).filter((k) => !Object.hasOwn(pattern, k))
    if (extra.length > 0) return `${at}: unexpected key(s) ${extra.join(', ')} in ${show(actual)}`
    for (const key of Object.keys(pattern)) {
      const problem = match(pattern[key], actual[key], vars, `${path}/${key}`)
      if (problem !== undefined) return problem
    }
    return undefined
  }
  return Object.is(pattern, actual) ? undefined : `${at}: expected ${show(pattern)}, got ${show(actual)}`
}

/** Replaces "$name" strings by their bound values; an unbound variable is an error in the transcript. */
export function substitute(value: unknown, vars: Vars): unknown {
  if (isVar(value)) {
    if (!vars.has(value)) throw new Error(`variable ${value} is used in a send before any expect bound it`)
    return vars.get(value)
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, vars))
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, vars)]))
  return value
}

/** Checks that a parsed file has the Transcript shape; returns the problems. */
export function checkTranscript(value: unknown): string[] {
  if (!isObject(value)) return ['not an object']
  const problems: string[] = []
  for (const key of ['title', 'section', 'description']) if (typeof value[key] !== 'string') problems.push(`"${key}" must be a string`)
  if (typeof value.section === 'string' && !/^\d+[a-z]?$/.test(value.section)) problems.push('"section" must be a PROTOCOL.md section number')
  if (!Array.isArray(value.steps) || value.steps.length === 0) return [...problems, '"steps" must be a non-empty array']
  const connected = new Set<string>()
  value.steps.forEach((step: unknown, i: number) => {
    if (!isObject(step)) return problems.push(`step ${i}: not an object`)
    const keys = Object.keys(step).sort().join(',')
    if (keys === 'connect' && typeof step.connect === 'string') return connected.add(step.connect)
    const shapes: Record<string, (s: Record<string, unknown>) => boolean> = {
      'client,send': (s) => isObject(s.send) && typeof s.send.type === 'string',
      'client,expect': (s) => isObject(s.expect),
      'client,close': (s) => Number.isInteger(s.close),
      'client,expectClose': (s) => isObject(s.expectClose) && Number.isInteger(s.expectClose.code),
    }
    if (!(keys in shapes) || !shapes[keys]!(step)) return problems.push(`step ${i}: not one of connect / send / expect / close / expectClose`)
    if (!connected.has(step.client as string)) problems.push(`step ${i}: client "${String(step.client)}" is used before it connects`)
  })
  return problems
}

/** Every transcript file in `dir` (NN-name.json), in name order. */
export function loadTranscripts(dir: string): Array<{ file: string; transcript: Transcript; problems: string[] }> {
  return readdirSync(dir)
    .filter((f) => /^\d{2}-[a-z0-9-]+\.json$/.test(f))
    .sort()
    .map((file) => {
      const value: unknown = JSON.parse(readFileSync(join(dir, file), 'utf8'))
      return { file, transcript: value as Transcript, problems: checkTranscript(value) }
    })
}

/**
 * Gives the user and room names a transcript chooses a per-run suffix, so it
 * can run on a shared server where "ana" may be online and room "tea" may
 * have history. Every string equal to a chosen name is renamed, in sends and
 * expects alike.
 */
export function renameLiterals(transcript: Transcript, suffix: string): Transcript {
  const names = new Map<string, string>()
  const collect = (frame: Record<string, unknown>): void => {
    for (const key of ['name', 'room']) if (typeof frame[key] === 'string' && !isVar(frame[key])) names.set(frame[key] as string, `${frame[key] as string}-${suffix}`)
    if (Array.isArray(frame.rooms)) for (const spec of frame.rooms) if (isObject(spec)) collect(spec)
  }
  for (const step of transcript.steps) if ('send' in step) collect(step.send)
  names.delete('lobby') // the default room keeps its meaning
  const rename = (value: unknown): unknown => {
    if (typeof value === 'string') return names.get(value) ?? value
    if (Array.isArray(value)) return value.map(rename)
    if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rename(v)]))
    return value
  }
  const steps = transcript.steps.map((step): TranscriptStep => {
    if ('send' in step) return { ...step, send: rename(step.send) as Record<string, unknown> }
    if ('expect' in step) return { ...step, expect: rename(step.expect) as Record<string, unknown> }
    return step
  })
  return { ...transcript, steps }
}

export type RunResult = { ok: true; vars: Vars } | { ok: false; step: number; reason: string; vars: Vars }

/** Replays one transcript against `url`. Never throws for a mismatch: it reports the step. */
export async function runTranscript(t: Teardown, url: string, transcript: Transcript, timeoutMs = WAIT_MS): Promise<RunResult> {
  const vars: Vars = new Map()
  const clients = new Map<string, Wire>()
  const client = (name: string): Wire => {
    const wire = clients.get(name)
    if (wire === undefined) throw new Error(`client "${name}" has not connected`)
    return wire
  }
  let i = 0
  try {
    for (; i < transcript.steps.length; i++) {
      const step = transcript.steps[i]!
      if ('connect' in step) {
        clients.set(step.connect, await Wire.open(t, url, { welcome: false, pace: false }))
      } else if ('send' in step) {
        client(step.client).send(substitute(step.send, vars) as Record<string, unknown>)
      } else if ('expect' in step) {
        const frame = await client(step.client).next(undefined, timeoutMs)
        const problem = match(step.expect, frame, vars)
        if (problem !== undefined) return { ok: false, step: i, reason: `${step.client} expected ${show(step.expect)}: ${problem}`, vars }
      } else if ('expectClose' in step) {
        const closed = await client(step.client).closed(timeoutMs)
        const wanted = step.expectClose
        if (closed.code !== wanted.code || (wanted.reason !== undefined && closed.reason !== wanted.reason)) {
          return { ok: false, step: i, reason: `${step.client} expected close ${show(wanted)}, got ${show(closed)}`, vars }
        }
      } else {
        const wire = client(step.client)
        wire.close(step.close)
        await wire.closed(timeoutMs)
      }
    }
    for (const [name, wire] of clients) {
      if (wire.isClosed) continue
      const extra = await wire.framesBeforePong(timeoutMs)
      if (extra.length > 0) return { ok: false, step: i, reason: `${name} got frames the transcript does not list: ${show(extra)}`, vars }
    }
    return { ok: true, vars }
  } catch (err) {
    return { ok: false, step: i, reason: (err as Error).message, vars }
  } finally {
    for (const wire of clients.values()) wire.terminate()
  }
}
