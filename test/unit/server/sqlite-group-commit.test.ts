// The SQLite store's group commit on its own: a transaction that records the
// batches it was given and a flush the test completes by hand, so the order
// "commit → flush → resolve → release to reads" is checked turn by turn
// without a disk (the whole store is checked in sqlite-store.test.ts).
import t from 'tap'
import { type Batch, GroupCommit, type GroupCommitOptions, type Job, type JobResult, runJobs } from '../../../server/store/sqlite-group-commit.ts'

const turn = () => new Promise<void>((resolve) => setImmediate(resolve))

/** Waits until `ok()` holds, a bounded number of turns of the loop. */
async function until(ok: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (ok()) return
    await turn()
  }
  throw new Error(`never happened: ${what}`)
}

/** Settled state of a promise, without waiting for it. */
function watch<T>(p: Promise<T>): { state: 'pending' | 'resolved' | 'rejected'; value?: T; error?: unknown } {
  const w: { state: 'pending' | 'resolved' | 'rejected'; value?: T; error?: unknown } = { state: 'pending' }
  p.then(
    (value) => {
      w.state = 'resolved'
      w.value = value
    },
    (error: unknown) => {
      w.state = 'rejected'
      w.error = error
    },
  )
  return w
}

function harness(overrides: Partial<GroupCommitOptions> = {}) {
  const batches: number[] = []
  const flushes: Array<(err: Error | null) => void> = []
  const tx = { inTransaction: true, fail: undefined as Error | undefined }
  let pauseDue = false
  let resumePause: (() => void) | undefined
  let committed = 0
  const commits = new GroupCommit({
    delay: { maxDelayMs: 0, targetBatch: 16, maxTurns: 0 },
    transaction(jobs: Job[], results: JobResult[], batch: Batch) {
      runJobs(jobs, results, batch, tx)
      // As a failed COMMIT would: after the jobs ran (and hid their rows).
      if (tx.fail) throw tx.fail
      batches.push(jobs.length)
    },
    flush: (done) => {
      flushes.push(done)
    },
    committed: () => {
      committed++
    },
    pause(resume) {
      if (!pauseDue) return false
      pauseDue = false
      resumePause = resume
      return true
    },
    ...overrides,
  })
  return {
    commits,
    batches,
    flushes,
    tx,
    get committed() {
      return committed
    },
    /** Asks for a pause at the next gap between batches. */
    requestPause() {
      pauseDue = true
      commits.wake()
    },
    get pausing() {
      return resumePause !== undefined
    },
    resume() {
      const r = resumePause!
      resumePause = undefined
      r()
    },
  }
}

t.test('writes made while a batch is being flushed commit together as the next batch', async (t) => {
  const h = harness()
  const first = h.commits.write(() => 'a')
  await until(() => h.flushes.length === 1, 'first flush')
  const later = [h.commits.write(() => 'b'), h.commits.write(() => 'c'), h.commits.write(() => 'd')]
  await turn()
  t.same(h.batches, [1], 'nothing else is committed while the flush is pending')
  h.flushes[0]!(null)
  t.equal(await first, 'a')
  await until(() => h.flushes.length === 2, 'second flush')
  t.same(h.batches, [1, 3], 'the three waiting writes share one transaction')
  h.flushes[1]!(null)
  t.same(await Promise.all(later), ['b', 'c', 'd'])
  t.equal(h.committed, 2, 'told of each commit')
})

t.test('stats count commits, writes, flushes and batch sizes', async (t) => {
  const h = harness()
  t.same(h.commits.stats(), { commits: 0, writes: 0, flushes: 0, flushSeconds: 0, batchSizes: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0] }, 'nothing yet')
  const first = h.commits.write(() => 'a')
  await until(() => h.flushes.length === 1, 'first flush')
  t.equal(h.commits.stats().commits, 1, 'counted at the commit')
  t.equal(h.commits.stats().flushes, 0, 'a flush counts once it completed')
  const later = [h.commits.write(() => 'b'), h.commits.write(() => 'c'), h.commits.write(() => 'd')]
  h.flushes[0]!(null)
  await first
  await until(() => h.flushes.length === 2, 'second flush')
  h.flushes[1]!(null)
  await Promise.all(later)
  const stats = h.commits.stats()
  t.equal(stats.commits, 2)
  t.equal(stats.writes, 4)
  t.equal(stats.flushes, 2)
  t.ok(stats.flushSeconds >= 0)
  t.same(stats.batchSizes, [1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0], 'a batch of 1 (le 1) and one of 3 (le 4)')
  stats.batchSizes[0] = 99
  t.equal(h.commits.stats().batchSizes[0], 1, 'a copy: the caller cannot change the counters')
})

// The fake clock makes a "fast" stream slow in real time: the waits it asks
// for are minutes long, so only the target batch (or none) can end them here.
const SLOW = { maxDelayMs: 10_000_000, targetBatch: 3, maxTurns: 0 }

/** Four full batches (they commit at once; two of each write find the first's batch busy), 1000 s apart on the fake clock: the rate the group commit learns. */
async function learnRate(h: ReturnType<typeof harness>, tick: () => void): Promise<void> {
  for (let i = 0; i < 4; i++) {
    tick()
    const writes = [h.commits.write(() => i), h.commits.write(() => i), h.commits.write(() => i)]
    await until(() => h.flushes.length === i + 1, `batch ${i}`)
    h.flushes[i]!(null)
    await Promise.all(writes)
  }
}

t.test('while writes arrive fast a batch waits for company, and commits once it has the target', async (t) => {
  let clock = 0
  const h = harness({ delay: SLOW, now: () => clock })
  await learnRate(h, () => (clock += 1_000_000))
  t.same(h.batches, [3, 3, 3, 3], 'full batches do not wait')
  clock += 1_000_000
  const waiting = [h.commits.write(() => 'a'), h.commits.write(() => 'b')]
  for (let i = 0; i < 10; i++) await turn()
  t.same(h.batches, [3, 3, 3, 3], 'two writes wait for a third')
  const third = h.commits.write(() => 'c')
  await until(() => h.flushes.length === 5, 'the full batch commits')
  t.same(h.batches, [3, 3, 3, 3, 3], 'the target batch commits without waiting longer')
  for (let i = 0; i < 5; i++) await turn()
  t.equal(watch(third).state, 'pending', 'and still answers only after its flush')
  h.flushes[4]!(null)
  t.same(await Promise.all([...waiting, third]), ['a', 'b', 'c'])
})

t.test('after a quiet spell a lone write commits at once', async (t) => {
  let clock = 0
  const h = harness({ delay: SLOW, now: () => clock })
  await learnRate(h, () => (clock += 1_000_000))
  clock += 1e12
  const lone = h.commits.write(() => 'x')
  await until(() => h.flushes.length === 5, 'the lone write commits on the next turns')
  t.same(h.batches, [3, 3, 3, 3, 1])
  h.flushes[4]!(null)
  t.equal(await lone, 'x')
})

t.test('a writer that waits for each answer before its next write never makes a batch wait', async (t) => {
  let clock = 0
  const h = harness({ delay: SLOW, now: () => clock })
  for (let i = 0; i < 20; i++) {
    clock += 1
    const write = h.commits.write(() => i)
    await until(() => h.flushes.length === i + 1, `write ${i} commits on the next turns`)
    h.flushes[i]!(null)
    await write
  }
  t.same(h.batches, Array(20).fill(1), 'a write a millisecond, each alone: nobody to wait for')
})

t.test('with turns to gather, writes queued on consecutive turns share a batch; a quiet turn commits it', async (t) => {
  const h = harness({ delay: { maxDelayMs: 0, targetBatch: 16, maxTurns: 8 } })
  const writes = [h.commits.write(() => 0)]
  for (let i = 1; i < 4; i++) {
    await turn()
    writes.push(h.commits.write(() => i))
  }
  await until(() => h.flushes.length === 1, 'commit')
  t.same(h.batches, [4], 'one write a turn for four turns: one batch')
  h.flushes[0]!(null)
  t.same(await Promise.all(writes), [0, 1, 2, 3])
  const lone = h.commits.write(() => 'x')
  await until(() => h.flushes.length === 2, 'a lone write commits after the turns without writes')
  t.same(h.batches, [4, 1])
  h.flushes[1]!(null)
  t.equal(await lone, 'x')
})

t.test('turns to gather are bounded by maxTurns', async (t) => {
  const h = harness({ delay: { maxDelayMs: 0, targetBatch: 100, maxTurns: 2 } })
  const writes = [h.commits.write(() => 0)]
  for (let i = 1; i < 8 && h.batches.length === 0; i++) {
    await turn()
    writes.push(h.commits.write(() => i))
  }
  await until(() => h.flushes.length === 1, 'commit')
  t.ok(h.batches[0]! <= 3, `the first batch took at most 2 turns more (${h.batches[0]} writes)`)
  h.flushes[0]!(null)
  await until(() => h.flushes.length === 2, 'the rest commit next')
  h.flushes[1]!(null)
  await Promise.all(writes)
})

t.test('close ends the wait of a batch waiting for company', async (t) => {
  let clock = 0
  const h = harness({ delay: SLOW, now: () => clock })
  await learnRate(h, () => (clock += 1_000_000))
  clock += 1_000_000
  const waiting = h.commits.write(() => 'w')
  for (let i = 0; i < 5; i++) await turn()
  t.same(h.batches, [3, 3, 3, 3], 'waiting')
  const closed = h.commits.close()
  await until(() => h.flushes.length === 5, 'the waiting batch commits')
  h.flushes[4]!(null)
  t.equal(await waiting, 'w')
  await closed
})

t.test('without delay a lone write commits on the next turns whatever the rate', async (t) => {
  let clock = 0
  const h = harness({ delay: { maxDelayMs: 0, targetBatch: 3, maxTurns: 0 }, now: () => clock })
  for (let i = 0; i < 3; i++) {
    clock += 1
    const write = h.commits.write(() => i)
    await until(() => h.flushes.length === i + 1, `batch ${i}`)
    h.flushes[i]!(null)
    await write
  }
  t.same(h.batches, [1, 1, 1])
})

t.test('a write resolves only after the flush of its batch', async (t) => {
  const h = harness()
  const write = watch(h.commits.write(() => 1))
  await until(() => h.flushes.length === 1, 'flush started')
  for (let i = 0; i < 5; i++) await turn()
  t.equal(write.state, 'pending', 'committed but not flushed: no answer yet')
  h.flushes[0]!(null)
  await turn()
  t.equal(write.state, 'resolved')
})

t.test('rows of a batch stay hidden until the turn after its writes resolved', async (t) => {
  const h = harness()
  const appended = h.commits.write((batch) => {
    batch.hideRoom('lobby', 7)
    batch.hideRoom('lobby', 8)
    batch.hideInbox('u-bo', 3)
    return 7
  })
  await until(() => h.flushes.length === 1, 'flush started')
  t.equal(h.commits.roomBound('lobby'), 7, 'reads stop below the first hidden seq')
  t.equal(h.commits.inboxBound('u-bo'), 3)
  t.equal(h.commits.roomBound('elsewhere'), Number.MAX_SAFE_INTEGER, 'other rooms are not affected')
  h.flushes[0]!(null)
  await appended
  // Still in the turn the write resolved in: publishes run now, so the rows stay hidden.
  t.equal(h.commits.roomBound('lobby'), 7, 'hidden while the resolutions run')
  t.equal(await h.commits.read(() => h.commits.roomBound('lobby')), Number.MAX_SAFE_INTEGER, 'a read made after the write resolved sees it')
  t.equal(h.commits.inboxBound('u-bo'), Number.MAX_SAFE_INTEGER)
})

t.test('without a flush (synchronous=normal) a write resolves after its commit', async (t) => {
  const h = harness({ flush: undefined })
  t.equal(await h.commits.write(() => 'x'), 'x')
  t.same(h.batches, [1])
})

t.test('a failing job fails alone; the rest of its batch is stored', async (t) => {
  const h = harness()
  const ok1 = h.commits.write(() => 1)
  const bad = h.commits.write(() => {
    throw new Error('constraint')
  })
  const ok2 = h.commits.write(() => 2)
  await until(() => h.flushes.length === 1, 'flush started')
  h.flushes[0]!(null)
  await t.rejects(bad, /constraint/)
  t.same(await Promise.all([ok1, ok2]), [1, 2])
  t.same(h.batches, [3])
})

t.test('an error that ended the transaction fails every job of the batch', async (t) => {
  const h = harness()
  const before = h.commits.write(() => 1)
  const fatal = h.commits.write(() => {
    h.tx.inTransaction = false
    throw new Error('disk full')
  })
  const after = h.commits.write(() => 3)
  await t.rejects(before, /disk full/, 'even the job that ran before it')
  await t.rejects(fatal, /disk full/)
  await t.rejects(after, /disk full/)
  t.equal(h.flushes.length, 0, 'nothing to flush')
  t.equal(h.commits.roomBound('lobby'), Number.MAX_SAFE_INTEGER)
  h.tx.inTransaction = true
  const next = h.commits.write(() => 4)
  await until(() => h.flushes.length === 1, 'next batch flushed')
  h.flushes[0]!(null)
  t.equal(await next, 4, 'the store goes on with the next batch')
})

t.test('a transaction that failed as a whole rejects its batch and hides nothing', async (t) => {
  const h = harness()
  h.tx.fail = new Error('SQLITE_BUSY')
  const write = h.commits.write((batch) => {
    batch.hideRoom('lobby', 1)
    return 1
  })
  await t.rejects(write, /SQLITE_BUSY/)
  t.equal(h.committed, 0, 'not counted as a commit')
  t.equal(h.commits.roomBound('lobby'), Number.MAX_SAFE_INTEGER, 'its rows are not waiting for a release')
  h.tx.fail = undefined
  const next = h.commits.write(() => 2)
  await until(() => h.flushes.length === 1, 'next batch flushed')
  h.flushes[0]!(null)
  t.equal(await next, 2)
})

t.test('keys announced by a queued write: reads of them wait for its release, and stop waiting if its batch fails', async (t) => {
  const h = harness()
  const key = 'x:lobby'
  let stored = 'old'
  const write = h.commits.write(
    (batch) => {
      stored = 'new'
      batch.hide(key)
    },
    [key],
  )
  t.ok(h.commits.hides(key), 'hidden from the moment the write is queued')
  const read = watch(
    h.commits.readReleased(
      () => stored,
      () => [key],
    ),
  )
  await until(() => h.flushes.length === 1, 'batch flushed')
  t.equal(read.state, 'pending', 'the read waits while the batch is committed but not flushed')
  h.flushes[0]!(null)
  await write
  await until(() => read.state === 'resolved', 'read answered after the release')
  t.equal(read.value, 'new', 'and sees the write')
  t.notOk(h.commits.hides(key), 'nothing hidden once released')

  // With turns to gather (the server's default), the read runs while the write is still queued.
  const g = harness({ delay: { maxDelayMs: 0, targetBatch: 16, maxTurns: 4 } })
  g.tx.fail = new Error('SQLITE_BUSY')
  const failing = g.commits.write(() => {
    stored = 'rolled back'
  }, [key])
  const waiting = watch(
    g.commits.readReleased(
      () => 'answered',
      () => [key],
    ),
  )
  await turn()
  t.equal(waiting.state, 'pending', 'the read found the key announced and waits')
  await t.rejects(failing, /SQLITE_BUSY/)
  await until(() => waiting.state === 'resolved', 'a read waiting on a failed batch is answered (nothing else would release it)')
  t.notOk(g.commits.hides(key), 'a failed batch leaves no key announced')
})

t.test('a failed flush rejects its batch and everything after; the store stops', async (t) => {
  const h = harness()
  const flushed = h.commits.write(() => 1)
  await until(() => h.flushes.length === 1, 'flush started')
  const queued = h.commits.write(() => 2)
  h.flushes[0]!(Object.assign(new Error('EIO: i/o error'), { code: 'EIO' }))
  await t.rejects(flushed, /history store flush failed: EIO/)
  await t.rejects(queued, /history store flush failed/)
  await t.rejects(
    h.commits.write(() => 3),
    /history store flush failed/,
    'later writes are refused',
  )
  await t.rejects(
    h.commits.read(() => 0),
    /history store flush failed/,
    'and reads',
  )
  t.same(h.batches, [1], 'nothing more is committed')
})

t.test('a due pause runs between batches only, before writes that are waiting', async (t) => {
  const h = harness()
  const first = h.commits.write(() => 1)
  await until(() => h.flushes.length === 1, 'flush started')
  const waiting = watch(h.commits.write(() => 2))
  h.requestPause()
  t.notOk(h.pausing, 'not while a batch is being flushed')
  h.flushes[0]!(null)
  await first
  t.ok(h.pausing, 'right after the batch, ahead of the waiting write')
  const during = watch(h.commits.write(() => 3))
  for (let i = 0; i < 5; i++) await turn()
  t.same(h.batches, [1], 'nothing commits during the pause')
  t.equal(waiting.state, 'pending')
  h.resume()
  await until(() => h.flushes.length === 2, 'next batch flushed')
  t.same(h.batches, [1, 2], 'what queued before and during the pause is one batch')
  h.flushes[1]!(null)
  await turn()
  t.same([waiting.state, during.state], ['resolved', 'resolved'])
})

t.test('a pause asked for while idle runs at once', async (t) => {
  const h = harness()
  h.requestPause()
  t.ok(h.pausing)
  const write = watch(h.commits.write(() => 1))
  await turn()
  t.same(h.batches, [], 'the write waits for the pause')
  h.resume()
  await until(() => h.flushes.length === 1, 'flushed after the pause')
  h.flushes[0]!(null)
  await turn()
  t.equal(write.state, 'resolved')
})

t.test('close commits what is queued, refuses new writes, then stops', async (t) => {
  const h = harness()
  const queued = h.commits.write(() => 1)
  const closed = watch(h.commits.close())
  await t.rejects(
    h.commits.write(() => 2),
    /history store closing/,
  )
  await until(() => h.flushes.length === 1, 'queued write flushed')
  t.equal(closed.state, 'pending', 'close waits for the flush')
  h.flushes[0]!(null)
  t.equal(await queued, 1)
  await until(() => closed.state === 'resolved', 'closed')
  await t.rejects(
    h.commits.write(() => 3),
    /history store closed/,
  )
  await t.rejects(
    h.commits.read(() => 0),
    /history store closed/,
  )
})
