// How long a group-commit batch waits for more writes before it commits, the
// way PostgreSQL's commit_delay does: a commit (BEGIN … COMMIT, the WAL write
// with its search-index segment, and one fdatasync) costs several times the
// CPU of one more row in it, so when writes arrive fast a short wait lets
// several share one; at low load nobody would come, and the batch commits at
// once. The wait is bounded (maxDelayMs), and a batch that has `targetBatch`
// writes commits without waiting any longer.
//
// Like commit_siblings, it waits only when writers are seen to overlap: a
// write that found a batch busy came from someone else. A writer that waits
// for each answer before its next write never does, so however fast it
// writes, nobody would join its batches and they never wait.
// Pure functions: the group commit feeds them counts and its clock.

export interface CommitDelayPolicy {
  /** The longest a batch waits for company (ms); 0 never waits. */
  maxDelayMs: number
  /** Turns of the event loop a batch that does not wait for a timer may wait while writes keep coming (see gatherTurn); 0: commit on the next turn. */
  maxTurns: number
  /** A batch this large commits at once: more company would save little. */
  targetBatch: number
}

/**
 * Recent arrivals: totals of writes, of those that found a batch busy, and of
 * elapsed time, that decay at each batch, so a burst after a long quiet is not
 * taken for a steady stream (the quiet weighs in the elapsed total).
 */
export interface ArrivalRate {
  writes: number
  overlapping: number
  elapsedMs: number
}

/** Weight kept of the past at each batch. */
const DECAY = 0.75

/** Below this share of writes finding a batch busy, writers are taken not to overlap. */
export const MIN_OVERLAP = 0.1

export const NO_ARRIVALS: ArrivalRate = { writes: 0, overlapping: 0, elapsedMs: 0 }

/** The rate after a batch of `writes` (`overlapping` of them found a batch busy) that gathered over `elapsedMs` since the previous batch started. */
export function nextRate(rate: ArrivalRate, writes: number, overlapping: number, elapsedMs: number): ArrivalRate {
  return { writes: rate.writes * DECAY + writes, overlapping: rate.overlapping * DECAY + overlapping, elapsedMs: rate.elapsedMs * DECAY + Math.max(0, elapsedMs) }
}

export const writesPerMs = (rate: ArrivalRate): number => (rate.elapsedMs > 0 ? rate.writes / rate.elapsedMs : 0)

/**
 * How long a batch of `queued` writes should wait before committing (ms; 0:
 * commit on the next turn of the loop). It waits only when writers overlap
 * and at least one more write is expected within maxDelayMs, and no longer
 * than the target batch needs at the recent rate.
 */
export function commitDelay(queued: number, rate: ArrivalRate, policy: CommitDelayPolicy): number {
  if (policy.maxDelayMs <= 0 || queued >= policy.targetBatch) return 0
  if (rate.overlapping < MIN_OVERLAP * rate.writes || rate.writes === 0) return 0
  const perMs = writesPerMs(rate)
  if (perMs * policy.maxDelayMs < 1) return 0
  return Math.min(policy.maxDelayMs, Math.ceil((policy.targetBatch - queued) / perMs))
}

/**
 * Whether a batch about to commit on a turn of the loop takes one turn more
 * (no timer, no sleep: the loop goes on serving the sockets meanwhile).
 * Requests read from the sockets in one turn queue their writes in the next
 * (after a store read of their own), so the first extra turn is always
 * taken, and more only while the last one brought writes, up to maxTurns.
 */
export function gatherTurn(turn: number, queued: number, queuedBefore: number, policy: CommitDelayPolicy): boolean {
  if (turn > policy.maxTurns || queued >= policy.targetBatch) return false
  return turn === 1 || queued > queuedBefore
}
