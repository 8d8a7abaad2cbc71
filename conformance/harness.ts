// The kit's own test harness: just what the checks need, so the kit runs
// without a test framework installed. A Test has nested subtests (run one
// after another, in the order declared, like tap's), skips with a reason, a
// timeout per test, teardown functions, and the assertions the checks use.
// Results are plain data (TestResult), turned into reports by report.ts.
import { inspect } from 'node:util'
import { difference, mismatch, show } from './compare.ts'

export interface TestOptions {
  /** Skip the test: a reason (string), or true. */
  skip?: string | boolean
  /** Fail the test when it (with its subtests) runs longer than this. */
  timeout?: number
  /** PROTOCOL.md clause ids the test proves (`SES-4`, `ERR-not-found`); carried into its result. */
  clauses?: readonly string[]
}

export type TestFn = (t: Test) => unknown

/** One failed assertion (or a thrown error, or a timeout). */
export interface Failure {
  message: string
  /** How the values differed. */
  detail?: string
  /** Where an error was thrown. */
  stack?: string
}

export interface TestResult {
  name: string
  status: 'pass' | 'fail' | 'skip'
  skipReason?: string
  durationMs: number
  /** Assertions made (passed or failed). */
  assertions: number
  /** PROTOCOL.md clause ids the test proves, when it declared them. */
  clauses?: string[]
  failures: Failure[]
  subtests: TestResult[]
}

/** Default bound of one test, unless it sets its own. */
export const DEFAULT_TIMEOUT_MS = 120_000
/** Bound of each teardown function: a hung cleanup must not hang the run. */
const TEARDOWN_MS = 10_000

const errorText = (err: unknown): string => (err instanceof Error ? (err.stack ?? `${err.name}: ${err.message}`) : inspect(err, { depth: 4 }))

export class Test {
  readonly name: string
  #assertions = 0
  readonly #failures: Failure[] = []
  readonly #subtests: Array<Promise<TestResult>> = []
  #chain: Promise<unknown> = Promise.resolve()
  readonly #teardowns: Array<() => unknown> = []
  #ended = false
  readonly #timeoutMs: number
  readonly #accept: (name: string, options: TestOptions) => boolean

  /**
   * `accept` decides which subtests run (a filter by name, or a listing that
   * records each declaration with its options and runs none).
   */
  constructor(name: string, options: { timeoutMs?: number; accept?: (name: string, options: TestOptions) => boolean } = {}) {
    this.name = name
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
    this.#accept = options.accept ?? (() => true)
  }

  /**
   * Declares a subtest. It starts once the subtests declared before it have
   * finished; the returned promise settles when it has finished too.
   */
  test(name: string, fn: TestFn): Promise<void>
  test(name: string, options: TestOptions, fn: TestFn): Promise<void>
  test(name: string, optionsOrFn: TestOptions | TestFn, maybeFn?: TestFn): Promise<void> {
    const options = typeof optionsOrFn === 'function' ? {} : optionsOrFn
    const fn = typeof optionsOrFn === 'function' ? optionsOrFn : maybeFn
    if (this.#ended || fn === undefined || !this.#accept(name, options)) return Promise.resolve()
    const clauses = options.clauses === undefined ? {} : { clauses: [...options.clauses] }
    const result = this.#chain.then(async (): Promise<TestResult> => {
      if (options.skip !== undefined && options.skip !== false) {
        return { name, status: 'skip', skipReason: options.skip === true ? '' : options.skip, durationMs: 0, assertions: 0, failures: [], subtests: [], ...clauses }
      }
      return { ...(await runTest(new Test(name, { timeoutMs: this.#timeoutMs }), fn, options.timeout ?? this.#timeoutMs)), ...clauses }
    })
    this.#chain = result
    this.#subtests.push(result)
    return result.then(() => undefined)
  }

  /** Runs `fn` when the test ends (last registered, first run); at once if it has ended. */
  teardown(fn: () => unknown): void {
    if (this.#ended)
      void Promise.resolve()
        .then(fn)
        .catch(() => {})
    else this.#teardowns.push(fn)
  }

  #record(ok: boolean, message: string, detail?: string): boolean {
    if (this.#ended) return ok
    this.#assertions++
    if (!ok) this.#failures.push(detail === undefined ? { message } : { message, detail })
    return ok
  }

  pass(message = 'passed'): boolean {
    return this.#record(true, message)
  }

  fail(message = 'failed', diag?: unknown): boolean {
    return this.#record(false, message, diag === undefined ? undefined : show(diag, 600))
  }

  ok(value: unknown, message = 'expect truthy value'): boolean {
    return this.#record(Boolean(value), message, value ? undefined : `got ${show(value)}`)
  }

  notOk(value: unknown, message = 'expect falsey value'): boolean {
    return this.#record(!value, message, value ? `got ${show(value)}` : undefined)
  }

  equal(found: unknown, wanted: unknown, message = 'should be equal'): boolean {
    const ok = found === wanted || (Number.isNaN(found) && Number.isNaN(wanted))
    return this.#record(ok, message, ok ? undefined : `expected ${show(wanted)}, got ${show(found)}`)
  }

  not(found: unknown, notWanted: unknown, message = 'should not be equal'): boolean {
    const ok = found !== notWanted
    return this.#record(ok, message, ok ? undefined : `expected anything but ${show(notWanted)}`)
  }

  same(found: unknown, wanted: unknown, message = 'should be equivalent'): boolean {
    const problem = difference(found, wanted)
    return this.#record(problem === undefined, message, problem)
  }

  match(found: unknown, pattern: unknown, message = 'should match pattern'): boolean {
    const problem = mismatch(found, pattern)
    return this.#record(problem === undefined, message, problem)
  }

  /** `type` is a typeof name ('string', 'array', 'null' too) or a constructor. */
  type(found: unknown, type: string | (abstract new (...args: never[]) => unknown), message?: string): boolean {
    const name = typeof type === 'string' ? type : type.name
    const ok =
      typeof type === 'string'
        ? typeof found === type ||
          (type === 'array' && Array.isArray(found)) ||
          (type === 'null' && found === null) ||
          (typeof found === 'object' && found !== null && found.constructor?.name === type)
        : found instanceof type || mismatch(found, type) === undefined
    return this.#record(ok, message ?? `type is ${name}`, ok ? undefined : `expected a ${name}, got ${show(found)}`)
  }

  throws(fn: () => unknown, wanted?: unknown, message = 'expected to throw'): boolean {
    try {
      fn()
    } catch (err) {
      const problem = wanted === undefined ? undefined : mismatch(err, wanted)
      return this.#record(problem === undefined, message, problem)
    }
    return this.#record(false, message, 'nothing was thrown')
  }

  async resolves(promise: Promise<unknown> | (() => Promise<unknown>), message = 'expect resolving promise'): Promise<boolean> {
    try {
      await (typeof promise === 'function' ? promise() : promise)
      return this.#record(true, message)
    } catch (err) {
      return this.#record(false, message, `rejected with ${show(err, 400)}`)
    }
  }

  async rejects(promise: Promise<unknown> | (() => Promise<unknown>), wantedOrMessage?: unknown, message?: string): Promise<boolean> {
    const wanted = typeof wantedOrMessage === 'string' && message === undefined ? undefined : wantedOrMessage
    const label = message ?? (typeof wantedOrMessage === 'string' ? wantedOrMessage : 'expect rejected promise')
    try {
      await (typeof promise === 'function' ? promise() : promise)
    } catch (err) {
      const problem = wanted === undefined ? undefined : mismatch(err, wanted)
      return this.#record(problem === undefined, label, problem)
    }
    return this.#record(false, label, 'the promise resolved')
  }

  /** Records an error thrown by the test body. */
  error(err: unknown): void {
    if (this.#ended) return
    this.#assertions++
    this.#failures.push({ message: err instanceof Error ? err.message : `non-error thrown: ${inspect(err, { depth: 2 })}`, stack: errorText(err) })
  }

  /** Resolves once every subtest declared so far, and any they declare meanwhile, has finished. */
  async settled(): Promise<TestResult[]> {
    let seen: Promise<unknown> | undefined
    while (seen !== this.#chain) {
      seen = this.#chain
      await seen
    }
    return Promise.all(this.#subtests)
  }

  /** Marks the test ended (later assertions are ignored) and runs its teardowns. */
  async end(): Promise<void> {
    this.#ended = true
    for (const fn of this.#teardowns.splice(0).reverse()) {
      let timer: NodeJS.Timeout | undefined
      try {
        await Promise.race([
          fn(),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`teardown still running after ${TEARDOWN_MS} ms`)), TEARDOWN_MS)
          }),
        ])
      } catch (err) {
        this.#failures.push({ message: `teardown failed: ${(err as Error).message}`, stack: errorText(err) })
      } finally {
        clearTimeout(timer)
      }
    }
  }

  get assertions(): number {
    return this.#assertions
  }

  get failures(): readonly Failure[] {
    return this.#failures
  }
}

/** Runs `fn` as the body of `test`, then its subtests, within `timeoutMs`; then its teardowns. */
export async function runTest(test: Test, fn: TestFn, timeoutMs: number): Promise<TestResult> {
  const start = performance.now()
  let subtests: TestResult[] = []
  const body = (async () => {
    try {
      await fn(test)
    } catch (err) {
      test.error(err)
    }
    subtests = await test.settled()
  })()
  let timer: NodeJS.Timeout | undefined
  const timedOut = await Promise.race([
    body.then(() => false),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), timeoutMs)
    }),
  ])
  clearTimeout(timer)
  if (timedOut) {
    test.fail(`timed out after ${timeoutMs} ms`)
    subtests = await Promise.race([test.settled(), Promise.resolve([])])
  }
  await test.end()
  const failed = test.failures.length > 0 || subtests.some((s) => s.status === 'fail')
  return {
    name: test.name,
    status: failed ? 'fail' : 'pass',
    durationMs: Math.round(performance.now() - start),
    assertions: test.assertions,
    failures: [...test.failures],
    subtests,
  }
}
