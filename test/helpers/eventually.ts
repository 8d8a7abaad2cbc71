// Waits for a condition the server reaches asynchronously (a socket count, a
// closed flag), polling with a bound. A condition, never a duration, is asserted.
import { setTimeout as sleep } from 'node:timers/promises'
import { WAIT_MS } from './raw-client.ts'

/** Resolves once `probe` returns true; rejects after `timeoutMs`. */
export async function eventually(probe: () => boolean, what: string, timeoutMs = WAIT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`)
    await sleep(10)
  }
}
