import t from 'tap'
import { planResume } from '../../../server/handlers/resume.ts'

const bounds = { epoch: 'e1', head: 50, tail: 1, maxReplay: 20 }

t.test('a position in range replays everything after it', async (t) => {
  t.same(planResume({ epoch: 'e1', seq: 40 }, bounds), { replayAfter: 40 })
  t.same(planResume({ epoch: 'e1', seq: 50 }, bounds), { replayAfter: 50 }, 'up to date: nothing to replay')
  t.same(planResume({ epoch: 'e1', seq: 30 }, bounds), { replayAfter: 30 }, 'exactly maxReplay behind')
})

t.test('positions that cannot be resumed say why', async (t) => {
  const reason = (seq: number, epoch = 'e1', b = bounds) => {
    const plan = planResume({ epoch, seq }, b)
    return 'refused' in plan ? plan.refused.reason : 'replay'
  }
  t.equal(reason(40, 'e0'), 'epoch-changed')
  t.equal(reason(51), 'ahead-of-server')
  t.equal(reason(29), 'too-far-behind')
  t.equal(reason(5, 'e1', { ...bounds, tail: 10, maxReplay: 100 }), 'too-far-behind', 'the next message was pruned')
  t.equal(reason(9, 'e1', { ...bounds, tail: 10, maxReplay: 100 }), 'replay', 'the next message is the oldest kept')
})
