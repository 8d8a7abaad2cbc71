// How long a group-commit batch waits for more writes before it commits, the
// way PostgreSQL's commit_delay does: a commit (BEGIN … COMMIT, the WAL write
// and one fdatasync) costs several times the CPU of one more row in it, so
// when writes arrive fast a short wait lets several share one; at low load
// nobody would come, and the batch commits at once. The wait is bounded
// (maxDelayMs), and a batch that has `targetBatch` writes commits without
// waiting any longer. Pure functions: the group commit feeds them the clock.

export interface CommitDelayPolicy {
  /** The longest a batch waits for company (ms); 0 never waits. */
  maxDelayMs: number
  /** A batch this large commits at once: more company would save little. */
  targetBatch: number
}

/**
 * Writes per millisecond, recently (the group commit counts those that found
 * a batch busy, i.e. came from someone else): totals of writes and elapsed time that
 * decay by half every few batches, so a burst after a long quiet is not
 * taken for a steady stream (the quiet weighs in the elapsed total).
 */
export interface ArrivalRate {
  writes: number
  elapsedMs: number
}

/** Weight kept of the past at each batch. */
const DECAY = 0.75

export const NO_ARRIVALS: ArrivalRate = { writes: 0, elapsedMs: 0 }

/** The rate after a batch of `writes` that gathered over `elapsedMs` (since the previous batch started). */
export function nextRate(rate: ArrivalRate, writes: number, elapsedMs: number): ArrivalRate {
  return { writes: rate.writes * DECAY + writes, elapsedMs: rate.elapsedMs * DECAY + Math.max(0, elapsedMs) }
}

export const writesPerMs = (rate: ArrivalRate): number => (rate.elapsedMs > 0 ? rate.writes / rate.elapsedMs : 0)

/**
 * How long a batch of `queued` writes should wait before committing (ms; 0:
 * commit on the next turn of the loop). It waits only when at least one more
 * write is expected within maxDelayMs, and no longer than the target batch
 * needs at the recent rate.
 */
export function commitDelay(queued: number, rate: ArrivalRate, policy: CommitDelayPolicy): number {
  if (policy.maxDelayMs <= 0 || queued >= policy.targetBatch) return 0
  const perMs = writesPerMs(rate)
  if (perMs * policy.maxDelayMs < 1) return 0
  return Math.min(policy.maxDelayMs, Math.ceil((policy.targetBatch - queued) / perMs))
}
