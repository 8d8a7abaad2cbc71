// Checkpoints of the SQLite WAL into the database file, run by a small worker
// on its own connection (sqlite-checkpointer.js), so their fsyncs never stall
// the event loop. The store runs with wal_autocheckpoint = 0: without these
// the WAL would only grow.
//
// Each checkpoint runs twice: once while commits go on (copying the bulk),
// then once more while commits pause (writes keep queuing) to copy the few
// frames written meanwhile, so the WAL is fully copied and the next commit
// starts it over from the top. The pause lasts that short second pass only.
// One is due every `every` commits, and after a second without one on a store
// that wrote something (an idle store still gets its WAL copied).
import { Worker } from 'node:worker_threads'

/** An idle store checkpoints what the WAL holds after this long. */
const CHECKPOINT_IDLE_MS = 1_000

// Resolved next to this module, in the sources and in the server bundle
// (server/build.ts copies the worker there).
const CHECKPOINTER_URL = new URL('./sqlite-checkpointer.js', import.meta.url)

export interface CheckpointsOptions {
  /** Path of the database file. */
  file: string
  /** Commits between two checkpoints. */
  every: number
  /** Called when a pausing pass is due: it should call pause() between two batches, now if none is in flight. */
  wake(): void
}

export class Checkpoints {
  readonly #options: CheckpointsOptions
  #worker: Worker | undefined
  #timer: NodeJS.Timeout | undefined
  #commitsSince = 0
  /** Which pass runs: the bulk alongside commits, or the rest while they pause. */
  #running: 'no' | 'alongside' | 'pausing' = 'no'
  /** The pausing pass is due: it runs before the next commit. */
  #due = false
  /** Lets commits go on once the pausing pass is over. */
  #resume: (() => void) | undefined

  constructor(options: CheckpointsOptions) {
    this.#options = options
  }

  /** Starts the worker; resolves once it has opened the file. */
  async start(): Promise<void> {
    // No inherited flags: the worker is plain JavaScript and needs no loader.
    const w = new Worker(CHECKPOINTER_URL, { execArgv: [], workerData: { file: this.#options.file } })
    await new Promise<void>((resolve, reject) => {
      w.once('message', () => resolve())
      w.once('error', reject)
    })
    w.on('message', () => this.#checkpointed())
    w.on('error', () => {}) // followed by 'exit'
    // An error or an exit without one: without checkpoints the WAL only grows (the next open checkpoints it); commits go on.
    w.on('exit', () => {
      this.#worker = undefined
      this.#due = false
      const paused = this.#running === 'pausing'
      this.#running = 'no'
      if (paused) this.#resumeCommits()
    })
    w.unref()
    this.#worker = w
  }

  /** Counts a commit: starts the bulk pass once enough have been made. */
  committed(): void {
    if (++this.#commitsSince >= this.#options.every && this.#running === 'no' && this.#worker !== undefined) this.#start('alongside')
    else this.#armTimer()
  }

  /** Between two batches: takes the turn for the pausing pass when it is due (see GroupCommitOptions.pause). */
  pause(resume: () => void): boolean {
    if (!this.#due || this.#running !== 'no' || this.#worker === undefined) return false
    this.#due = false
    this.#resume = resume
    this.#start('pausing')
    return true
  }

  /** Lets a running pass finish and the worker close its connection. Commits must have stopped. */
  async close(): Promise<void> {
    clearTimeout(this.#timer)
    const w = this.#worker
    this.#worker = undefined
    if (w === undefined) return
    await new Promise<void>((resolve) => {
      w.ref()
      w.once('exit', () => resolve())
      w.postMessage('close')
    })
  }

  #start(mode: 'alongside' | 'pausing'): void {
    this.#running = mode
    this.#commitsSince = 0
    clearTimeout(this.#timer)
    this.#timer = undefined
    // Referenced while it runs: writes waiting for it keep the process alive.
    if (mode === 'pausing') this.#worker!.ref()
    this.#worker!.postMessage('checkpoint')
  }

  #checkpointed(): void {
    const mode = this.#running
    this.#running = 'no'
    if (mode === 'pausing') {
      this.#worker?.unref()
      return this.#resumeCommits()
    }
    // The bulk is copied: copy the rest while commits pause.
    this.#due = true
    this.#options.wake()
  }

  #resumeCommits(): void {
    const resume = this.#resume
    this.#resume = undefined
    resume?.()
  }

  #armTimer(): void {
    if (this.#timer !== undefined) return
    this.#timer = setTimeout(() => {
      this.#timer = undefined
      this.#due = true
      this.#options.wake()
    }, CHECKPOINT_IDLE_MS)
    this.#timer.unref()
  }
}
