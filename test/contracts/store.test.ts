// The store contract for the memory and SQLite (a temp file) stores.
// PostgreSQL's run in store-postgres.test.ts: a file of its own, with its own
// time budget (each of its tests migrates a throwaway schema).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { createMemoryStore } from '../../server/store/memory.ts'
import { createSqliteStore } from '../../server/store/sqlite.ts'
import { dmConversationContract } from './dm-conversation-contract.ts'
import { storeContract } from './store-contract.ts'

t.test('memory store', async (t) => {
  storeContract(t, () => ({ store: createMemoryStore() }))
  dmConversationContract(t, () => ({ store: createMemoryStore() }))
})

t.test('sqlite store', async (t) => {
  const makeStore = (t: Test) => {
    const dir = mkdtempSync(join(tmpdir(), 'wirechat-store-'))
    t.teardown(() => rmSync(dir, { recursive: true, force: true }))
    const file = join(dir, 'chat.sqlite')
    return { store: createSqliteStore({ file }), sameData: () => createSqliteStore({ file }) }
  }
  storeContract(t, makeStore)
  dmConversationContract(t, makeStore)
})

// The same contract while batches wait for company (turns of the loop, and a
// timer while writers overlap): waiting may change which writes share a
// commit, never what a read or an answer says.
t.test('sqlite store, batches waiting for company', async (t) => {
  const makeStore = (t: Test) => {
    const dir = mkdtempSync(join(tmpdir(), 'wirechat-store-'))
    t.teardown(() => rmSync(dir, { recursive: true, force: true }))
    const file = join(dir, 'chat.sqlite')
    const options = { file, commitDelayMs: 2, commitTurns: 4, commitBatchTarget: 4 }
    return { store: createSqliteStore(options), sameData: () => createSqliteStore(options) }
  }
  storeContract(t, makeStore)
})
