// PROTOCOL.md §11 (and §3): malformed input. Several hundred bad frames —
// hand-written tables plus fast-check samples from a fixed seed, see
// malformed-cases.ts — each must get exactly its documented error frame (code,
// id echoed when readable, retryable flag), nothing else, and leave the
// connection working (a ping/pong round trip right after). A bystander in the
// same room as the logged-in sender must receive nothing from any of them.
//
// Frames go out over a few "lanes" (connections) of one attacking user, a
// fresh lane every few frames: a fresh connection has a full rate bucket and
// no abuse strikes, so a black-box server's rate limit and abuse limit
// (--abuse-strikes N, default 10: at most N − 1 refused frames per lane) are
// never reached. Extra tabs of a
// user already in the room cause no alarms.
//
// The cases of each kind are checked in up to three groups, by the
// conformance level of the frame type they are built from (levels.ts): a
// core server does not know `history` or `edit` and may answer their
// malformed forms with unknown-type, so those are durable and full checks.
import { ClientFrames, decodeClientFrame, ErrorCodes, type ServerFrame } from '@wirechat/protocol'
import type { Test } from '../harness.ts'
import { frameLevel, LEVELS, type Level } from '../levels.ts'
import { buildCases, type BadFrame } from '../malformed-cases.ts'
import { type Target, uniqueName, uniqueRoom } from '../target.ts'
import type { Wire } from '../wire.ts'

/** The PROTOCOL.md clauses each kind of bad frame proves, besides its error code's row. */
const KIND_CLAUSES: Readonly<Record<string, readonly string[]>> = {
  'invalid JSON': ['ENV-5'],
  'non-object JSON': ['ENV-5'],
  'lone surrogate': ['ENV-6', 'TYPE-1'],
  'unknown type': ['ENV-8'],
  'extra field': ['ENV-1', 'ENV-10'],
  'prototype key': ['ENV-1', 'ENV-10'],
  'missing field': ['ENV-10'],
  'wrong type': ['ENV-10'],
  'out-of-range number': ['ENV-10'],
  'oversized or empty string': ['ENV-10', 'ENV-13'],
  'unreadable id': ['ENV-10', 'ENV-11'],
  'forbidden character in name': ['ENV-10'],
  'forbidden character in room name': ['ENV-10', 'ROOM-1'],
  'forbidden character in text': ['ENV-10'],
  'not one emoji': ['LIFE-21'],
  'frame before login': ['SES-2'],
  'request in the wrong state': ['SES-15', 'ROOM-29', 'HIST-5'],
  'request for a room not joined': ['CHAT-1', 'HIST-1', 'ROOM-31', 'ROOM-33', 'TYP-1'],
  'dm to an unknown user': ['DM-1'],
}

/** Clauses of a group of bad frames: its kind's, each code's row, and what every error reply proves (id echoed, connection kept). */
const groupClauses = (kind: string, group: readonly BadFrame[]): string[] => [...new Set([...(KIND_CLAUSES[kind] ?? []), ...group.map((c) => `ERR-${c.code}`), 'ERR-1', 'ERR-2', 'ENV-11', 'ENV-12'])]

export default async function checks(t: Test, target: Target): Promise<void> {
  const { limits } = target
  const { loginTimeoutMs } = target.welcome

  const room = uniqueRoom('watched')
  const { wire: anchor, ok: attacker } = await target.login(t, { name: uniqueName('mallory'), rooms: [{ room }] })
  const { wire: bystander } = await target.login(t, { name: uniqueName('bystander'), rooms: [{ room }] })
  await anchor.next('alarm') // the bystander joined

  const all = buildCases({ room, knownUser: attacker.userId, maxTextChars: limits.maxTextChars, maxNameChars: limits.maxNameChars })
  // A frame over maxFrameBytes is a 1009 close (§2), not an error frame.
  const cases = all.filter((c) => Buffer.byteLength(c.text) <= limits.maxFrameBytes)

  /** Bad frames per connection: below the abuse threshold, within the burst (each frame is followed by a ping). */
  const perLane = Math.max(1, Math.min((target.abuseStrikes ?? 10) - 1, Math.floor((limits.messageBurst - 3) / 2), 500))

  class Lane {
    #wire: Wire | undefined
    #used = 0
    #openedAt = 0
    readonly loggedIn: boolean
    constructor(loggedIn: boolean) {
      this.loggedIn = loggedIn
    }

    async get(): Promise<Wire> {
      const expired = !this.loggedIn && Date.now() - this.#openedAt > loginTimeoutMs / 2
      if (this.#wire === undefined || this.#wire.isClosed || this.#used >= perLane || expired) {
        if (this.#wire !== undefined) {
          this.#wire.close()
          await this.#wire.closed().catch(() => this.#wire?.terminate())
        }
        this.#wire = this.loggedIn ? (await target.login(t, { session: attacker.session, rooms: [{ room }] })).wire : await target.open(t)
        this.#used = 0
        this.#openedAt = Date.now()
      }
      this.#used++
      return this.#wire
    }

    /** Drops the connection after a failure, so the next case starts clean. */
    discard(): void {
      this.#wire?.terminate()
      this.#wire = undefined
    }
  }
  const lanes = { pre: new Lane(false), post: new Lane(true) }

  /** Sends one bad frame; returns a description of what went wrong, or undefined. */
  async function check(c: BadFrame, i: number): Promise<string | undefined> {
    const lane = c.phase === 'pre' || (c.phase === 'any' && i % 2 === 0) ? lanes.pre : lanes.post
    const wire = await lane.get()
    wire.send(c.text)
    let got: ServerFrame[]
    try {
      got = await wire.framesBeforePong()
    } catch (err) {
      lane.discard()
      return `no pong after it (${(err as Error).message.slice(0, 200)})`
    }
    const expected: Record<string, unknown> = { type: 'error', code: c.code, retryable: ErrorCodes[c.code].retryable }
    if (c.id !== undefined) expected.id = c.id
    const [error] = got
    const wrong =
      got.length !== 1 || error === undefined || error.type !== 'error' || error.code !== c.code || error.retryable !== ErrorCodes[c.code].retryable || ('id' in error ? error.id : undefined) !== c.id
    return wrong ? `expected exactly ${JSON.stringify(expected)}, got ${JSON.stringify(got).slice(0, 300)}` : undefined
  }

  /** The level of the frame type a case is built from; core for text that names no client frame. */
  const levelOfCase = (c: BadFrame): Level => {
    let type: unknown
    try {
      type = (JSON.parse(c.text) as { type?: unknown } | null)?.type
    } catch {
      return 'core'
    }
    return typeof type === 'string' && Object.hasOwn(ClientFrames, type) ? frameLevel(type) : 'core'
  }
  /** Cases by level, then kind (in the order first met). */
  const byKind = new Map<Level, Map<string, BadFrame[]>>(LEVELS.map((level) => [level, new Map()]))
  for (const c of cases) {
    const kinds = byKind.get(levelOfCase(c))!
    kinds.set(c.kind, [...(kinds.get(c.kind) ?? []), c])
  }

  // A check of the kit itself, not of the server: it cites no clause.
  t.test(`§11 malformed input: ${cases.length} bad frames, each expectation agreeing with the protocol schemas`, { clauses: [] }, async (t) => {
    t.ok(cases.length >= 300, `${cases.length} frames (${all.length - cases.length} left out as larger than maxFrameBytes)`)
    const disagreements = []
    for (const c of cases) {
      const decoded = decodeClientFrame(c.text)
      // 'any' frames are refused by decoding; 'pre'/'post' ones are valid frames refused for the session's state.
      const agrees = c.phase === 'any' ? !decoded.ok && decoded.code === c.code && decoded.id === c.id : decoded.ok
      if (!agrees) disagreements.push({ text: c.text.slice(0, 200), expected: c.code, decoded })
    }
    t.same(disagreements, [], 'the kit expects what the schemas in protocol/ say')
  })

  let index = 0
  for (const [level, kinds] of byKind) {
    for (const [kind, group] of kinds) {
      const codes = [...new Set(group.map((c) => c.code))].join(', ')
      // Core names stay as they were before levels; the others name their level (checks/index.ts matches it).
      const head = level === 'core' ? '§11 malformed input:' : `§11 malformed input, ${level} frames:`
      t.test(`${head} ${kind} (${group.length} frames) get ${codes} and the connection keeps working`, { clauses: groupClauses(kind, group) }, async (t) => {
        const failures = []
        for (const c of group) {
          const problem = await check(c, index++)
          if (problem !== undefined) failures.push({ frame: c.text.slice(0, 200), problem })
        }
        t.same(failures, [], `${group.length - failures.length}/${group.length} answered exactly`)
      })
    }
  }

  t.test('§11 malformed input: a bystander in the same room received nothing from any bad frame', { clauses: ['ENV-7', 'ERR-1'] }, async (t) => {
    t.same(bystander.pending(), [], 'nothing queued')
    const ack = await anchor.ok('chat-ok', { type: 'chat', room, text: 'still here' })
    t.same(await bystander.next(), { type: 'chat', message: ack.message }, 'the next frame it gets is a real chat')
  })
}
