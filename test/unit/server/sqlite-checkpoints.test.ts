// The SQLite store's checkpoint coordination on its own: the real worker on a
// real file, driven by the test instead of the group commit (which calls
// committed() after each commit and pause() between batches).
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import t, { type Test } from 'tap'
import { Checkpoints } from '../../../server/store/sqlite-checkpoints.ts'

/** A WAL database with ~200 KB written and not yet copied into the file. */
function database(t: Test) {
  const dir = mkdtempSync(join(tmpdir(), 'wirechat-checkpoints-'))
  const file = join(dir, 'chat.sqlite')
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  db.pragma('wal_autocheckpoint = 0')
  db.exec('CREATE TABLE t (x TEXT)')
  const insert = db.prepare('INSERT INTO t (x) VALUES (?)')
  for (let i = 0; i < 200; i++) insert.run('x'.repeat(1000))
  t.teardown(() => {
    db.close()
    rmSync(dir, { recursive: true, force: true })
  })
  return { file }
}

async function until(ok: () => boolean, what: string, turns = 500): Promise<void> {
  for (let i = 0; i < turns; i++) {
    if (ok()) return
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  throw new Error(`never happened: ${what}`)
}

async function started(t: Test, file: string, every: number) {
  let wakes = 0
  const checkpoints = new Checkpoints({
    file,
    every,
    wake: () => {
      wakes++
    },
  })
  await checkpoints.start()
  t.teardown(() => checkpoints.close())
  return { checkpoints, wakes: () => wakes }
}

t.test('after `every` commits a pass runs alongside, then a pausing pass copies the rest and resumes commits', async (t) => {
  const { file } = database(t)
  const sizeBefore = statSync(file).size
  const { checkpoints, wakes } = await started(t, file, 3)
  let resumed = 0
  const resume = () => {
    resumed++
  }
  t.notOk(checkpoints.pause(resume), 'no pause is due before any checkpoint')
  checkpoints.committed()
  checkpoints.committed()
  t.equal(wakes(), 0)
  checkpoints.committed()
  await until(() => wakes() === 1, 'the bulk pass asks for the pausing pass')
  t.ok(statSync(file).size > sizeBefore + 100_000, 'the bulk pass copied the WAL into the file')
  t.ok(checkpoints.pause(resume), 'the pausing pass takes the turn')
  t.notOk(checkpoints.pause(resume), 'once')
  await until(() => resumed === 1, 'commits resumed after the pausing pass')
  t.notOk(checkpoints.pause(resume), 'nothing is due after it')
  t.equal(resumed, 1)
})

t.test('a store that committed and then went idle gets a checkpoint', async (t) => {
  const { file } = database(t)
  const sizeBefore = statSync(file).size
  const { checkpoints, wakes } = await started(t, file, 1_000)
  checkpoints.committed()
  await until(() => wakes() === 1, 'the idle timer asks for a pass')
  let resumed = false
  t.ok(
    checkpoints.pause(() => {
      resumed = true
    }),
  )
  await until(() => resumed, 'pausing pass done')
  t.ok(statSync(file).size > sizeBefore + 100_000, 'the WAL was copied into the file')
})

t.test('after close nothing is due and no pause is taken', async (t) => {
  const { file } = database(t)
  const { checkpoints, wakes } = await started(t, file, 1)
  await checkpoints.close()
  checkpoints.committed()
  t.notOk(
    checkpoints.pause(() => {}),
    'no worker, no pause',
  )
  t.equal(wakes(), 0)
})
