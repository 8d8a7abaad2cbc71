// The client under test, as the kit drives it: a program started with
// WIRECHAT_URL (and the backoff hints) in its environment, given instructions
// as JSON lines on stdin, printing what it shows as JSON lines on stdout (the
// adapter protocol of docs/conformance.md, "Testing a client"). Everything it
// prints is kept with its arrival time; lines that are not JSON objects with
// a string `shown` are kept apart as adapter errors.
import { type ChildProcess, spawn } from 'node:child_process'
import { createInterface } from 'node:readline'

/** An instruction to the client, as the kit writes it. */
export type Instruction =
  | { do: 'login'; name: string; rooms: string[] }
  | { do: 'send'; room: string; text: string }
  /** The user types `text` into the room's composer, a character at a time spread over `ms`, and does not send it. */
  | { do: 'type'; room: string; text: string; ms: number }
  /** The user opens this room and stays in it: other rooms' counts are what the client keeps for rooms not on screen. */
  | { do: 'view'; room: string }
  | { do: 'logout' }
  | { do: 'quit' }

/** One line the client printed. */
export interface Shown {
  /** performance.now() when the kit read it. */
  at: number
  line: { shown: string; [field: string]: unknown }
}

/** A message line: `{"shown":"message","room":…,"text":…,"seq"?:…}`. */
export interface ShownMessage {
  at: number
  room: string
  text: string
  seq: number | undefined
}

/** A message as the client shows it now (§7a): its latest `message` or `changed` line. */
export interface MessageLook {
  text: string
  /** Reaction groups as shown, in order: "👍 2". */
  reactions: string[]
  deleted: boolean
}

/** "👍 2" for each well-formed group of a line's `reactions`. */
function reactionsOf(value: unknown): string[] {
  if (!Array.isArray(value)) return []
  return value.flatMap((r: { emoji?: unknown; count?: unknown }) => (typeof r?.emoji === 'string' && typeof r.count === 'number' ? [`${r.emoji} ${r.count}`] : []))
}

/** What the kit tells the client about short timings, in its environment. */
export interface Hints {
  /** WIRECHAT_BACKOFF_BASE_MS: the ceiling of the first reconnect delay. */
  backoffBaseMs: number
  /** WIRECHAT_BACKOFF_MAX_MS: the cap of every reconnect delay. */
  backoffMaxMs: number
}

/**
 * Large enough that a backoff stands out from the time a reconnect takes by itself on a busy
 * machine (tens, at worst a few hundred ms), small enough that the kit runs in well under a minute.
 */
export const DEFAULT_HINTS: Hints = { backoffBaseMs: 200, backoffMaxMs: 1_600 }

const KEEP_STDERR = 4_000

/** The command could not be started at all (not found, not executable). */
export class CommandError extends Error {}

export class ClientProcess {
  readonly command: readonly string[]
  readonly shown: Shown[] = []
  /** stdout lines that break the adapter protocol. */
  readonly badLines: string[] = []
  /** Instructions written, with the time. */
  readonly instructions: Array<{ at: number; instruction: Instruction }> = []
  /** The end of what the client wrote on stderr. */
  stderr = ''
  exit: { code: number | null; signal: string | null; at: number } | undefined
  readonly #child: ChildProcess
  readonly #exited: Promise<void>
  #spawnError: Error | undefined
  readonly #onChange: () => void

  /** Starts the client; `onChange` is called on every line it prints and when it exits. */
  constructor(command: readonly string[], env: Record<string, string>, onChange: () => void) {
    this.command = command
    this.#onChange = onChange
    const [file, ...args] = command
    this.#child = spawn(file!, args, { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] })
    this.#exited = new Promise((resolve) => {
      this.#child.once('error', (err) => {
        this.#spawnError = err
        this.exit ??= { code: null, signal: null, at: performance.now() }
        resolve()
        onChange()
      })
      this.#child.once('exit', (code, signal) => {
        this.exit = { code, signal, at: performance.now() }
        resolve()
        onChange()
      })
    })
    this.#child.stdin!.on('error', () => {}) // the client may exit before reading everything
    createInterface({ input: this.#child.stdout! }).on('line', (line) => this.#onLine(line))
    this.#child.stderr!.setEncoding('utf8')
    this.#child.stderr!.on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-KEEP_STDERR)
    })
  }

  /** Resolves when the process started, rejects with CommandError when it could not. */
  started(): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.#spawnError) return reject(new CommandError(this.#spawnError.message))
      if (this.#child.pid !== undefined) return resolve()
      this.#child.once('spawn', () => resolve())
      this.#child.once('error', (err) => reject(new CommandError(err.message)))
    })
  }

  #onLine(text: string): void {
    const line = text.trim()
    if (line === '') return
    let value: unknown
    try {
      value = JSON.parse(line)
    } catch {
      value = undefined
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value) || typeof (value as { shown?: unknown }).shown !== 'string') {
      if (this.badLines.length < 50) this.badLines.push(line.slice(0, 300))
      return
    }
    this.shown.push({ at: performance.now(), line: value as Shown['line'] })
    this.#onChange()
  }

  /** Writes one instruction line. */
  do(instruction: Instruction): void {
    this.instructions.push({ at: performance.now(), instruction })
    if (this.exit === undefined && this.#child.stdin?.writable === true) this.#child.stdin.write(`${JSON.stringify(instruction)}\n`)
  }

  /** The message lines shown, in order. */
  messages(room?: string): ShownMessage[] {
    const out: ShownMessage[] = []
    for (const { at, line } of this.shown) {
      if (line.shown !== 'message' || typeof line.room !== 'string' || typeof line.text !== 'string') continue
      if (room !== undefined && line.room !== room) continue
      out.push({ at, room: line.room, text: line.text, seq: typeof line.seq === 'number' ? line.seq : undefined })
    }
    return out
  }

  /**
   * Each message of `room` as the client shows it now, by seq: its `message`
   * line, replaced by every later `changed` line for the same seq. Lines
   * without a seq are left out (a 1.3.0 client's lines carry it).
   */
  looks(room: string): Map<number, MessageLook> {
    const out = new Map<number, MessageLook>()
    for (const { line } of this.shown) {
      if ((line.shown !== 'message' && line.shown !== 'changed') || line.room !== room || typeof line.seq !== 'number' || typeof line.text !== 'string') continue
      out.set(line.seq, { text: line.text, reactions: reactionsOf(line.reactions), deleted: line.deleted === true })
    }
    return out
  }

  /** The unread count last shown for `room` (`unread` lines), or undefined when none was. */
  unread(room: string): number | undefined {
    const last = this.shown.findLast(({ line }) => line.shown === 'unread' && line.room === room && typeof line.count === 'number')
    return last?.line.count as number | undefined
  }

  /** How often `text` was shown as a message in `room`. */
  timesShown(room: string, text: string): number {
    return this.messages(room).filter((m) => m.text === text).length
  }

  /** The `stopped` lines shown. */
  stops(): Array<{ at: number; code: unknown }> {
    return this.shown.filter((s) => s.line.shown === 'stopped').map((s) => ({ at: s.at, code: s.line.code }))
  }

  /** Ends the client: EOF on stdin, then SIGTERM, then SIGKILL; bounded (about 2 s). */
  async stop(): Promise<void> {
    if (this.exit === undefined) {
      this.#child.stdin?.end()
      if (await this.#exitWithin(400)) return
      this.#child.kill('SIGTERM')
      if (await this.#exitWithin(800)) return
      this.#child.kill('SIGKILL')
      await this.#exitWithin(800)
    }
  }

  async #exitWithin(ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), ms)
    })
    const done = await Promise.race([this.#exited.then(() => true as const), timeout])
    clearTimeout(timer)
    return done
  }

  /** A short account of the process for a failure report. */
  describe(): string {
    const exit = this.exit === undefined ? 'still running' : this.#spawnError ? `could not start: ${this.#spawnError.message}` : `exited with ${this.exit.code ?? this.exit.signal}`
    const tail = this.stderr.trim() === '' ? '' : `; stderr ends: ${this.stderr.trim().slice(-600)}`
    return `${exit}${tail}`
  }
}
