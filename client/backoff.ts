// Reconnect delays: capped exponential growth with jitter, as a plain function
// of the attempt number so tests can inject `() => 0` or a fixed table.

/** Milliseconds to wait before reconnect attempt `attempt` (0 for the first retry). */
export type Backoff = (attempt: number) => number

export interface BackoffOptions {
  /** Delay scale of the first retry in ms. Default 500. */
  baseMs?: number
  /** Upper bound of any delay in ms. Default 10 000. */
  maxMs?: number
  /** Source of randomness in [0, 1). Default Math.random. */
  random?: () => number
}

/**
 * Exponential backoff with "equal jitter": the ceiling doubles per attempt up
 * to `maxMs`, and the delay is drawn from [ceiling / 2, ceiling). Half of it
 * is fixed, so a crowd of clients spreads out without any retrying at once.
 */
export function createBackoff(options: BackoffOptions = {}): Backoff {
  const baseMs = options.baseMs ?? 500
  const maxMs = options.maxMs ?? 10_000
  const random = options.random ?? Math.random
  if (!(baseMs > 0) || !(maxMs >= baseMs)) throw new RangeError('backoff needs 0 < baseMs <= maxMs')
  return (attempt) => {
    // 2 ** 30 is far past any cap and keeps the product finite.
    const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(Math.max(0, attempt), 30))
    return Math.floor(ceiling / 2 + random() * (ceiling / 2))
  }
}
