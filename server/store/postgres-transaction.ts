// A transaction on one pooled PostgreSQL connection, for the writes that need
// more than one statement (postgres-events.ts, deleteRoom).
import type pg from 'pg'

/** What the transaction decided: keep its changes and resolve with `result`, or roll back and still resolve with it. */
export interface Outcome<T> {
  commit: boolean
  result: T
}

/**
 * Runs `work` in a transaction on one pooled connection. A connection whose
 * BEGIN, COMMIT or ROLLBACK failed is destroyed rather than handed to the
 * next caller in an unknown state.
 */
export async function transaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<Outcome<T>>): Promise<T> {
  const client = await pool.connect()
  let healthy = false
  try {
    await client.query('BEGIN')
    healthy = true
    let outcome: Outcome<T>
    try {
      outcome = await work(client)
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {
        healthy = false
      })
      throw err
    }
    healthy = false
    await client.query(outcome.commit ? 'COMMIT' : 'ROLLBACK')
    healthy = true
    return outcome.result
  } finally {
    client.release(!healthy)
  }
}
