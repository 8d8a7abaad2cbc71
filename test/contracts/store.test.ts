// The store contract for every HistoryStore: memory, SQLite (a temp file) and
// PostgreSQL (a throwaway schema, dropped afterwards).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { createMemoryStore } from '../../server/store/memory.ts'
import { createPostgresStore } from '../../server/store/postgres.ts'
import { createSqliteStore } from '../../server/store/sqlite.ts'
import { databaseUrl, dropSchema, requirePostgres, uniqueName } from './services.ts'
import { storeContract } from './store-contract.ts'

t.test('memory store', async (t) => {
  storeContract(t, () => ({ store: createMemoryStore() }))
})

t.test('sqlite store', async (t) => {
  storeContract(t, (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'wirechat-store-'))
    t.teardown(() => rmSync(dir, { recursive: true, force: true }))
    const file = join(dir, 'chat.sqlite')
    return { store: createSqliteStore({ file }), sameData: () => createSqliteStore({ file }) }
  })
})

t.test('postgres store', async (t) => {
  if (!(await requirePostgres(t))) return
  storeContract(t, (t) => {
    const schema = uniqueName('wirechat_test')
    t.teardown(() => dropSchema(schema))
    const make = () => createPostgresStore({ url: databaseUrl, schema, poolSize: 4 })
    return { store: make(), sameData: make }
  })
})
