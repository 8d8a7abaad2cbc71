// The fake clock's control in deterministic mode (DETERMINISTIC_SEED): tests and
// the conformance kit (--clock) move time forward instead of waiting for it.
// Registered only in that mode; in every other server the path is a 404.
import type { FastifyPluginAsync } from 'fastify'
import type { FakeClock } from '../determinism.ts'

/** Where the control lives; the kit's --clock option takes the server's URL of it. */
export const TEST_CLOCK_PATH = '/_test/clock'

/** Largest single step: a year, so a typo cannot overflow the clock. */
const MAX_ADVANCE_MS = 366 * 24 * 60 * 60 * 1000

const testClock: FastifyPluginAsync<{ clock: FakeClock }> = async (app, { clock }) => {
  app.get(TEST_CLOCK_PATH, async () => ({ now: clock.now(), pending: clock.pending }))
  app.post<{ Body: { advanceMs: number } }>(
    TEST_CLOCK_PATH,
    {
      schema: {
        body: {
          type: 'object',
          required: ['advanceMs'],
          additionalProperties: false,
          properties: { advanceMs: { type: 'integer', minimum: 0, maximum: MAX_ADVANCE_MS } },
        },
      },
    },
    // The timers passed run before the answer: when the caller reads it, what they
    // sent (pings, closes, typing:false) is on its way.
    async (req) => ({ fired: clock.advance(req.body.advanceMs), now: clock.now(), pending: clock.pending }),
  )
}

export default testClock
