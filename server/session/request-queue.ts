// Requests of one connection are handled one at a time in arrival order, so
// replies come in request order and a client may pipeline.

/** What runs the queue's jobs: the session. */
export interface JobRunner<J> {
  /** Runs one job; a returned promise is awaited before the next job starts. */
  runJob(job: J): Promise<void> | void
  /** A job threw or rejected. */
  jobFailed(job: J, err: unknown): void
}

export class RequestQueue<J> {
  readonly #runner: JobRunner<J>
  // Made on first use and dropped when drained: most connections sit idle.
  #jobs: J[] | undefined
  #busy = false

  constructor(runner: JobRunner<J>) {
    this.#runner = runner
  }

  push(job: J): void {
    ;(this.#jobs ??= []).push(job)
    if (!this.#busy) void this.#drain()
  }

  /** Drops every job not started yet. */
  clear(): void {
    if (this.#jobs !== undefined) this.#jobs.length = 0
  }

  async #drain(): Promise<void> {
    this.#busy = true
    let job: J | undefined
    while ((job = this.#jobs?.shift()) !== undefined) {
      try {
        // Most jobs finish without waiting (ping, refusals): await only a pending handler.
        const running = this.#runner.runJob(job)
        if (running !== undefined) await running
      } catch (err) {
        this.#runner.jobFailed(job, err)
      }
    }
    this.#jobs = undefined
    this.#busy = false
  }
}
