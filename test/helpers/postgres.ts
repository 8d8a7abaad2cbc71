// A throwaway PostgreSQL schema per test on the machine's server; dropped in teardown.
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import type { Teardown } from './server.ts'

/** The database tests use; override with TEST_DATABASE_URL. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

export async function throwawaySchema(t: Teardown, prefix = 'wc_test'): Promise<string> {
  const schema = `${prefix}_${randomBytes(5).toString('hex')}`
  t.teardown(async () => {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL })
    await client.connect()
    try {
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
    } finally {
      await client.end()
    }
  })
  return schema
}
