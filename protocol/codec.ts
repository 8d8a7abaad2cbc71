// The only place that parses wire text. decode* return results, never throw.
import { Compile, type Validator } from 'typebox/compile'
import type { TObject } from 'typebox'
import type { ErrorCode } from './codes.ts'
import { ClientFrames, ServerFrames, type ClientFrame, type ClientFrameType, type ServerFrame, type ServerFrameType } from './frames.ts'
import { isEmoji } from './emoji.ts'
import { RequestId } from './primitives.ts'

/** Why a frame was refused, ready to become an `error` frame. */
export interface DecodeFailure {
  ok: false
  code: Extract<ErrorCode, 'bad-json' | 'unknown-type' | 'bad-frame'>
  message: string
  /** The request id, when the frame had a readable one. */
  id?: string
  details?: string[]
}
export type DecodeResult<F> = { ok: true; frame: F } | DecodeFailure

const MAX_DETAILS = 10
/** Same rule as RequestId: 1–64 printable ASCII characters, no spaces. */

function compileAll<K extends string>(registry: Record<K, { schema: TObject }>): Map<string, Validator> {
  const validators = new Map<string, Validator>()
  for (const type of Object.keys(registry) as K[]) validators.set(type, Compile(registry[type].schema))
  return validators
}

// Compiled once at module load.
const clientValidators = compileAll(ClientFrames)
const checkRequestId = Compile(RequestId)
const serverValidators = compileAll(ServerFrames)

/**
 * Rules a JSON Schema cannot state, checked after it: the details of what
 * breaks them (empty when the frame is fine). A reaction is one emoji.
 */
type Refinement = (frame: Record<string, unknown>) => string[]
const clientRefinements: ReadonlyMap<string, Refinement> = new Map([['react', (frame) => (isEmoji(frame.emoji as string) ? [] : ['/emoji: must be exactly one emoji (RGI, fully qualified)'])]])

// Names and room names are compared in NFC, so they are normalised before the
// schema sees them (the schema's length bound applies to the normalised form).
function normalizeNames(frame: Record<string, unknown>): void {
  if (typeof frame.name === 'string') frame.name = frame.name.normalize('NFC')
  if (typeof frame.room === 'string') frame.room = frame.room.normalize('NFC')
  if (Array.isArray(frame.rooms)) {
    for (const spec of frame.rooms) {
      if (spec !== null && typeof spec === 'object' && typeof (spec as Record<string, unknown>).room === 'string') {
        ;(spec as Record<string, string>).room = (spec as Record<string, string>).room!.normalize('NFC')
      }
    }
  }
}

// A JSON text can carry a lone UTF-16 surrogate as an escape ("\ud800"); it
// decodes to a string that is not well-formed Unicode, which UTF-8 (and so
// every store) cannot hold: it would come back as U+FFFD, different from what
// was acknowledged. The wire text itself is well-formed (ws refuses invalid
// UTF-8 with 1007), so only a text with such an escape needs the walk.
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/

/** JSON Pointer of the first key or string value that is not well-formed Unicode, if any. */
function illFormedPath(text: string, value: unknown): string | undefined {
  if (text.isWellFormed() && !SURROGATE_ESCAPE.test(text)) return undefined
  // Iterative: a 32 KiB frame can nest thousands of levels deep.
  const stack: Array<[unknown, string]> = [[value, '']]
  let item: [unknown, string] | undefined
  while ((item = stack.pop()) !== undefined) {
    const [node, path] = item
    if (typeof node === 'string') {
      if (!node.isWellFormed()) return path || '/'
    } else if (node !== null && typeof node === 'object') {
      // Pushed in reverse, so the first offending field in document order is reported.
      const entries = Object.entries(node)
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i]!
        const childPath = `${path}/${pointerToken(key.toWellFormed())}`
        if (!key.isWellFormed()) return childPath
        stack.push([child, childPath])
      }
    }
  }
  return undefined
}

const pointerToken = (key: string): string => key.replaceAll('~', '~0').replaceAll('/', '~1')

/** Cuts a string to at most `max` UTF-16 units without splitting a surrogate pair. */
function clip(text: string, max: number): string {
  if (text.length <= max) return text
  const last = text.charCodeAt(max - 1)
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max)
}

function describeErrors(validator: Validator, value: unknown): string[] {
  return validator
    .Errors(value)
    .slice(0, MAX_DETAILS)
    .map((e) => clip(`${e.instancePath || '/'}: ${e.message}`, 200))
}

function decodeWith<F>(text: string, validators: Map<string, Validator>, normalize: boolean, refinements?: ReadonlyMap<string, Refinement>): DecodeResult<F> {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return { ok: false, code: 'bad-json', message: 'Frame is not valid JSON.' }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, code: 'bad-json', message: 'Frame must be a JSON object.' }
  }
  const frame = value as Record<string, unknown>
  // Only an id that is itself valid is echoed: the error frame's `id` has the
  // request id's schema, so echoing "a b" or "é" would break the reply.
  const rawId = frame.id
  // Only an id that is itself valid is echoed: an error reply must match its schema too.
  const id = checkRequestId.Check(rawId) ? (rawId as string) : undefined
  const illFormed = illFormedPath(text, frame)
  if (illFormed !== undefined) {
    return {
      ok: false,
      code: 'bad-frame',
      message: 'Frame holds a string that is not well-formed Unicode.',
      details: [`${illFormed}: must be well-formed Unicode (no lone UTF-16 surrogate)`],
      ...(id && { id }),
    }
  }
  const type = frame.type
  const validator = typeof type === 'string' ? validators.get(type) : undefined
  if (validator === undefined) {
    return { ok: false, code: 'unknown-type', message: typeof type === 'string' ? `Unknown frame type "${clip(type, 40)}".` : 'Frame has no string "type".', ...(id && { id }) }
  }
  if (normalize) normalizeNames(frame)
  if (!validator.Check(frame)) {
    return { ok: false, code: 'bad-frame', message: `Invalid "${type as string}" frame.`, details: describeErrors(validator, frame), ...(id && { id }) }
  }
  const refused = refinements?.get(type as string)?.(frame) ?? []
  if (refused.length > 0) return { ok: false, code: 'bad-frame', message: `Invalid "${type as string}" frame.`, details: refused, ...(id && { id }) }
  return { ok: true, frame: frame as F }
}

/** Decodes and validates a frame sent by a client. */
export function decodeClientFrame(text: string): DecodeResult<ClientFrame> {
  return decodeWith<ClientFrame>(text, clientValidators, true, clientRefinements)
}

/** Decodes and validates a frame sent by a server (for clients and tests). */
export function decodeServerFrame(text: string): DecodeResult<ServerFrame> {
  return decodeWith<ServerFrame>(text, serverValidators, false)
}

/** True when `type` names a client frame. */
export function isClientFrameType(type: string): type is ClientFrameType {
  return clientValidators.has(type)
}

/** True when `type` names a server frame. */
export function isServerFrameType(type: string): type is ServerFrameType {
  return serverValidators.has(type)
}

/** Encodes a frame for the wire. */
export function encode(frame: ClientFrame | ServerFrame): string {
  return JSON.stringify(frame)
}
