// The group commit's delay decisions on their own: when a batch waits for
// more writes, and how long (no clocks: rates and counts are given).
import t from 'tap'
import { commitDelay, gatherTurn, NO_ARRIVALS, nextRate, writesPerMs } from '../../../server/store/commit-delay.ts'

const policy = { maxDelayMs: 2, targetBatch: 16, maxTurns: 0 }
/** A steady stream of `perMs` writes per millisecond in batches of `batch`, `overlap` of each batch having found the one before busy. */
const steady = (perMs: number, batch = 4, overlap = batch / 2) => {
  let rate = NO_ARRIVALS
  for (let i = 0; i < 20; i++) rate = nextRate(rate, batch, overlap, batch / perMs)
  return rate
}

t.test('the rate follows a steady stream', async (t) => {
  t.equal(writesPerMs(NO_ARRIVALS), 0, 'nothing seen: no rate')
  t.ok(Math.abs(writesPerMs(steady(3)) - 3) < 1e-9)
  t.ok(Math.abs(writesPerMs(steady(0.01, 1, 0)) - 0.01) < 1e-9)
})

t.test('a long quiet brings the rate down at once', async (t) => {
  const busy = steady(5)
  const after = nextRate(busy, 1, 0, 10_000)
  t.ok(writesPerMs(after) < 0.01, `after 10 s of quiet: ${writesPerMs(after)} per ms`)
  t.equal(commitDelay(1, after, policy), 0, 'the next lone write commits at once')
})

t.test('low load: no wait (nobody is expected within the longest wait)', async (t) => {
  t.equal(commitDelay(1, NO_ARRIVALS, policy), 0, 'first write ever')
  t.equal(commitDelay(1, steady(0.1), policy), 0, '100 writes/s')
  t.equal(commitDelay(1, steady(0.4), policy), 0, '400 writes/s: 0.8 expected in 2 ms')
})

t.test('writes arriving fast from overlapping writers: wait, bounded by maxDelayMs', async (t) => {
  t.equal(commitDelay(1, steady(0.5), policy), 2, '500 writes/s: one more expected in 2 ms')
  t.equal(commitDelay(1, steady(1), policy), 2, '1000 writes/s')
  t.equal(commitDelay(1, steady(1, 1.3, 0.3), policy), 2, 'batches of 1.3 on average, 0.3 of them overlapping, are enough to start')
  t.equal(commitDelay(1, steady(1), { maxDelayMs: 5, targetBatch: 16, maxTurns: 0 }), 5, 'a longer bound is used when the target is far')
})

t.test('writers that do not overlap never wait, however fast', async (t) => {
  t.equal(commitDelay(1, steady(20, 1, 0), policy), 0, 'one writer awaiting each answer: 20,000 writes/s, each alone')
  t.equal(commitDelay(1, steady(20, 1, 0.05), policy), 0, 'one overlap in twenty writes: below the share that counts')
})

t.test('the wait is no longer than the target batch needs at the rate', async (t) => {
  t.equal(commitDelay(4, steady(6), policy), 2, '12 more at 6/ms: 2 ms')
  t.equal(commitDelay(10, steady(6), policy), 1, '6 more at 6/ms: 1 ms')
  t.equal(commitDelay(15, steady(20), policy), 1, 'one more at 20/ms: the shortest timer')
})

t.test('a full batch, or a policy without delay, commits at once', async (t) => {
  t.equal(commitDelay(16, steady(50), policy), 0, 'at the target')
  t.equal(commitDelay(40, steady(50), policy), 0, 'past the target')
  t.equal(commitDelay(1, steady(50), { maxDelayMs: 0, targetBatch: 16, maxTurns: 0 }), 0, 'maxDelayMs 0 never waits')
})

t.test('turns of the loop: the first always, more while writes keep coming, bounded', async (t) => {
  const turns = { maxDelayMs: 0, targetBatch: 16, maxTurns: 3 }
  t.equal(gatherTurn(1, 1, 1, turns), true, 'the first extra turn, even with nothing new: requests read now queue their writes on the next')
  t.equal(gatherTurn(2, 3, 1, turns), true, 'the last turn brought writes: one more')
  t.equal(gatherTurn(2, 3, 3, turns), false, 'a turn without writes: commit')
  t.equal(gatherTurn(4, 9, 5, turns), false, 'at most maxTurns')
  t.equal(gatherTurn(1, 16, 1, turns), false, 'a full batch commits')
  t.equal(gatherTurn(1, 1, 1, { ...turns, maxTurns: 0 }), false, 'maxTurns 0: commit on the next turn')
})
