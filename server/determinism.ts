// Deterministic mode (DETERMINISTIC_SEED) for servers under test: the server's
// randomness and its clock, in one place, so that two runs of the same frames
// against two fresh servers with the same seed send the same bytes, and a
// conformance kit can move time forward instead of waiting for it.
//
// Normal mode uses the real sources directly: `now` IS Date.now, `setTimer`
// IS setTimeout (live ES module bindings, reassigned only by
// enableDeterminism), so the indirection costs nothing.
//
// The state is per process (module bindings): one deterministic server per
// process at a time. buildApp calls enableDeterminism again for each server,
// which restarts the sequence and the clock, so servers started one after the
// other in one process each begin from the same state.
import { randomBytes as cryptoRandomBytes, randomInt as cryptoRandomInt, randomUUID as cryptoRandomUUID } from 'node:crypto'

/** Epoch ms the fake clock starts at: 2023-11-14T22:13:20.000Z. */
export const DETERMINISTIC_EPOCH_MS = 1_700_000_000_000

/** A timer of either clock; only setTimer/setRepeating/clearTimer of this module handle one. */
export interface Timer {
  unref(): Timer
}

// ---- the live bindings the server imports ----------------------------------

/** Epoch ms for every protocol-visible time (ts, serverTime, until) and expiry. */
export let now: () => number = Date.now
/** Calls `fn` once after `ms` of this module's clock. */
export let setTimer: (fn: () => void, ms: number) => Timer = setTimeout
/** Calls `fn` every `ms` of this module's clock. */
export let setRepeating: (fn: () => void, ms: number) => Timer = setInterval
/** Cancels a timer of setTimer or setRepeating; undefined is ignored. */
export let clearTimer: (timer: Timer | undefined) => void = clearTimeout as (timer: Timer | undefined) => void
/** `bytes` random bytes. */
export let randomBytes: (bytes: number) => Buffer = cryptoRandomBytes
/** An integer in [min, max). */
export let randomInt: (min: number, max: number) => number = cryptoRandomInt
/** A version 4 UUID. */
export let randomUUID: () => string = cryptoRandomUUID

// ---- the seeded generator ---------------------------------------------------

/** splitmix32: spreads a small integer seed over the generator's state. */
function splitmix32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x9e3779b9) >>> 0
    let z = a
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0
    return (z ^ (z >>> 16)) >>> 0
  }
}

/** sfc32 (Chris Doty-Humphrey's Small Fast Counting generator): 32 random bits per call. Not for secrets. */
export function seededRandom(seed: number): () => number {
  const init = splitmix32(seed)
  let a = init()
  let b = init()
  let c = init()
  let d = init()
  return () => {
    const t = (((a + b) >>> 0) + d) >>> 0
    d = (d + 1) >>> 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) >>> 0
    c = (c << 21) | (c >>> 11)
    c = (c + t) >>> 0
    return t
  }
}

// ---- the fake clock ----------------------------------------------------------

interface FakeTimer extends Timer {
  at: number
  every: number | undefined
  fn: () => void
  order: number
}

/** A clock that stands still until advanced; its timers fire in deadline order as it passes them. */
export class FakeClock {
  #now: number
  #order = 0
  readonly #timers = new Set<FakeTimer>()

  constructor(startMs: number) {
    this.#now = startMs
  }

  now = (): number => this.#now

  setTimer = (fn: () => void, ms: number): Timer => this.#add(fn, ms, undefined)
  setRepeating = (fn: () => void, ms: number): Timer => this.#add(fn, ms, Math.max(1, ms))
  clearTimer = (timer: Timer | undefined): void => {
    if (timer !== undefined) this.#timers.delete(timer as FakeTimer)
  }

  /** Timers waiting to fire. */
  get pending(): number {
    return this.#timers.size
  }

  /**
   * Moves the clock `ms` forward, firing each timer whose deadline it passes, in deadline
   * order (the clock reads the deadline while its callback runs), repeating ones as often as
   * their interval fits. Returns the number of callbacks run.
   */
  advance(ms: number): number {
    const target = this.#now + Math.max(0, ms)
    let fired = 0
    for (;;) {
      let next: FakeTimer | undefined
      for (const timer of this.#timers) if (timer.at <= target && (next === undefined || timer.at < next.at || (timer.at === next.at && timer.order < next.order))) next = timer
      if (next === undefined) break
      this.#now = Math.max(this.#now, next.at)
      if (next.every === undefined) this.#timers.delete(next)
      else {
        next.at += next.every
        next.order = this.#order++
      }
      fired++
      next.fn()
    }
    this.#now = target
    return fired
  }

  #add(fn: () => void, ms: number, every: number | undefined): Timer {
    const delay = Number.isFinite(ms) ? Math.max(0, ms) : 0
    const timer: FakeTimer = { at: this.#now + delay, every, fn, order: this.#order++, unref: () => timer }
    this.#timers.add(timer)
    return timer
  }
}

/** The fake clock of deterministic mode, or undefined in normal mode. */
export let fakeClock: FakeClock | undefined

/**
 * Switches this process to deterministic mode: seeded randomness, and a clock at
 * DETERMINISTIC_EPOCH_MS that only `fakeClock.advance` moves. Calling it again restarts both.
 */
export function enableDeterminism(seed: number): FakeClock {
  const next = seededRandom(seed)
  const clock = new FakeClock(DETERMINISTIC_EPOCH_MS)
  fakeClock = clock
  now = clock.now
  setTimer = clock.setTimer
  setRepeating = clock.setRepeating
  clearTimer = clock.clearTimer
  randomBytes = (bytes) => {
    const out = Buffer.alloc(bytes)
    for (let i = 0; i < bytes; i += 4) {
      const word = next()
      for (let j = 0; j < 4 && i + j < bytes; j++) out[i + j] = (word >>> (8 * j)) & 0xff
    }
    return out
  }
  // Multiply-shift on 32 bits: uniform enough for names in a test, and the same on every platform.
  randomInt = (min, max) => min + Math.floor((next() / 2 ** 32) * (max - min))
  randomUUID = () => {
    const b = randomBytes(16)
    b[6] = (b[6]! & 0x0f) | 0x40
    b[8] = (b[8]! & 0x3f) | 0x80
    const hex = b.toString('hex')
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
  }
  return clock
}

/** Back to the real clock and randomness (for tests that start a normal server after a deterministic one). */
export function disableDeterminism(): void {
  fakeClock = undefined
  now = Date.now
  setTimer = setTimeout
  setRepeating = setInterval
  clearTimer = clearTimeout as (timer: Timer | undefined) => void
  randomBytes = cryptoRandomBytes
  randomInt = cryptoRandomInt
  randomUUID = cryptoRandomUUID
}
