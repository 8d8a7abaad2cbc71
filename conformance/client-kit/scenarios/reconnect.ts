// PROTOCOL.md §12 and §7: a connection lost without a terminal code is
// re-established with growing, jittered, capped delays; the client logs in
// again with its session key, resumes every room from the last message it
// showed and its inbox from the last DM, and shows what it missed once.
//
// The delays are measured at the server: from the moment the kit cut or
// closed a connection to the next upgrade request. The kit told the client
// its backoff scale in WIRECHAT_BACKOFF_BASE_MS / WIRECHAT_BACKOFF_MAX_MS; the
// ceiling of retry k is min(base × 2^(k−1), max), and the kit expects each
// delay between half its ceiling and all of it ("equal jitter", the usual
// choice) — judged with room for a busy machine: the retries together wait
// at least 40% of the ceilings' sum, and none more than the cap plus half.
import type { ClientFrameOf } from '@wirechat/protocol'
import type { Test } from '../../harness.ts'
import type { Hints } from '../client-process.ts'
import type { FakeServer } from '../fake-server.ts'
import { defineScenario, listMs, logIn, need, PROMPT_MS, type Stage, verdict, waitShown } from '../scenario.ts'

/** Ceiling of retry k (1-based). */
export const ceiling = (hints: Hints, k: number): number => Math.min(hints.backoffMaxMs, hints.backoffBaseMs * 2 ** (k - 1))

/** How far past the cap a delay may be measured (timers, process scheduling on a busy machine). */
export const capTolerance = (hints: Hints): number => Math.max(250, hints.backoffMaxMs / 2)

/** Waits for attempts from+1 … to, recording each delay as it comes; throws when one is overdue. */
async function recordDelays(server: FakeServer, hints: Hints, lostAt: number, from: number, to: number, delays: number[]): Promise<void> {
  let previous = lostAt
  for (let n = from + 1; n <= to; n++) {
    const bound = hints.backoffMaxMs + capTolerance(hints) + 2_000
    const attempt = await server.waitAttempt(n, bound).catch(() => {
      throw new Error(`no reconnect attempt within ${bound} ms of the previous failure (${delays.length} retries seen: ${listMs(delays)})`)
    })
    delays.push(attempt.at - previous)
    previous = attempt.at
  }
}

function judgeBackoffSum(t: Test, delays: number[], hints: Hints): void {
  const ceilings = delays.map((_, i) => ceiling(hints, i + 1))
  const floor = 0.4 * ceilings.reduce((a, b) => a + b, 0)
  const total = delays.reduce((a, b) => a + b, 0)
  verdict(
    t,
    total >= floor,
    `the ${delays.length} retries waited ${Math.round(total)} ms in all (delays: ${listMs(delays)})`,
    `no backoff: the ${delays.length} retries waited ${Math.round(total)} ms in all (delays: ${listMs(delays)}); with ceilings of ${listMs(ceilings)} a backoff waits at least 40% of their sum, ${Math.round(floor)} ms`,
  )
}

function judgeCap(t: Test, delays: number[], hints: Hints): void {
  const bound = hints.backoffMaxMs + capTolerance(hints)
  const over = delays.map((d, i) => ({ d, k: i + 1 })).filter(({ d }) => d > bound)
  verdict(
    t,
    over.length === 0,
    `every delay is within the cap ${hints.backoffMaxMs} ms (delays: ${listMs(delays)})`,
    `${over.map(({ d, k }) => `retry ${k} waited ${Math.round(d)} ms`).join(', ')}: past the cap ${hints.backoffMaxMs} ms (+${capTolerance(hints)} ms allowed for scheduling); delays: ${listMs(delays)}`,
  )
}

interface Observed1006 {
  session: string
  /** Seq of the last message shown per room before the drop. */
  lastShown: Record<string, number>
  inboxSeq: number
  lostAt: number
  delays: number[]
  relogin: ClientFrameOf<'login'>
  /** Messages shown in lobby after the drop, in order. */
  afterDrop: string[]
}

const RETRIES = 8

export const reconnect1006 = defineScenario<Observed1006>({
  name: 'reconnect-1006',
  maxMs: 30_000,
  async play(stage, o) {
    const { server, client, hints } = stage
    const { conn } = await logIn(stage, ['lobby', 'dev'])
    const user = conn.user!
    o.session = user.session
    o.delays = []
    server.dm(user, 'a direct message before the drop')
    o.inboxSeq = 1
    for (const text of ['lobby one', 'lobby two', 'lobby three']) server.post('lobby', text)
    for (const text of ['dev one', 'dev two']) server.post('dev', text)
    await waitShown(stage, 'lobby', 'lobby three')
    await waitShown(stage, 'dev', 'dev two')
    o.lastShown = { lobby: 3, dev: 2 }

    // Retries 1 … 7 are cut right after the upgrade; the 8th is served.
    server.policy = (attempt) => (attempt.n <= RETRIES ? 'drop' : 'accept')
    o.lostAt = performance.now()
    conn.cut()
    server.post('lobby', 'lobby four (missed)')
    server.post('lobby', 'lobby five (missed)')
    await recordDelays(server, hints, o.lostAt, 1, RETRIES + 1, o.delays)
    const relogin = await server.waitLogin(2, PROMPT_MS)
    o.relogin = relogin.login
    await waitShown(stage, 'lobby', 'lobby five (missed)')
    server.post('lobby', 'lobby six (live)')
    await waitShown(stage, 'lobby', 'lobby six (live)')
    o.afterDrop = client
      .messages('lobby')
      .filter((m) => m.at > o.lostAt!)
      .map((m) => m.text)
  },
  checks: [
    {
      id: 'CLI-RECONNECT-1006',
      judge(t, o, stage) {
        if (!need(t, o.relogin, 'a login on a new connection after the cut', stage)) return
        t.equal(o.relogin.session, o.session, 'the new login carries the session key from login-ok')
      },
    },
    {
      id: 'CLI-BACKOFF-GROWS',
      judge(t, o, stage) {
        if (!need(t, o.delays?.length === RETRIES ? o.delays : undefined, `${RETRIES} reconnect attempts (got ${o.delays?.length ?? 0}: ${listMs(o.delays ?? [])})`, stage)) return
        const d = o.delays!
        judgeBackoffSum(t, d, stage.hints)
        const first = (d[0]! + d[1]!) / 2
        const last = (d[5]! + d[6]! + d[7]!) / 3
        verdict(
          t,
          last >= 1.5 * first,
          `the last three delays (mean ${Math.round(last)} ms) are well above the first two (mean ${Math.round(first)} ms)`,
          `the delays do not grow: the last three (mean ${Math.round(last)} ms) are not 1.5 times the first two (mean ${Math.round(first)} ms); delays: ${listMs(d)}`,
        )
      },
    },
    {
      id: 'CLI-BACKOFF-CAP',
      judge(t, o, stage) {
        if (!need(t, o.delays, 'the drop', stage)) return
        judgeCap(t, o.delays, stage.hints)
        if (o.delays.length < RETRIES) t.fail(`the client stopped reconnecting in time after ${o.delays.length} retries (${listMs(o.delays)})`, stage.error?.message)
      },
    },
    {
      id: 'CLI-BACKOFF-JITTER',
      judge(t, o, stage) {
        if (!need(t, o.delays?.length === RETRIES ? o.delays : undefined, `${RETRIES} reconnect attempts (got ${o.delays?.length ?? 0})`, stage)) return
        const { backoffMaxMs } = stage.hints
        const atCap = o.delays!.slice(-4)
        const mean = atCap.reduce((a, b) => a + b, 0) / atCap.length
        // Jitter is judged where the delays should be near the cap: a client without backoff has none to jitter.
        const reached = verdict(
          t,
          mean >= 0.25 * backoffMaxMs,
          `the last four delays reached the upper range of the backoff (mean ${Math.round(mean)} ms)`,
          `the last four delays (${listMs(atCap)}) never reached the upper range of the backoff (a mean of at least a quarter of the cap ${backoffMaxMs} ms): nothing to jitter`,
        )
        if (!reached) return
        const spread = Math.max(...atCap) - Math.min(...atCap)
        const least = Math.max(10, mean * 0.03)
        verdict(
          t,
          spread > least,
          `the last four delays (${listMs(atCap)}) are spread over ${Math.round(spread)} ms`,
          `no jitter: the last four delays (${listMs(atCap)}) differ by ${Math.round(spread)} ms only; a jittered backoff spreads them by more than ${Math.round(least)} ms`,
        )
      },
    },
    {
      id: 'CLI-RESUME-SINCE',
      judge(t, o, stage) {
        if (!need(t, o.relogin, 'a login after the drop', stage)) return
        const { epoch } = stage.server.world
        const rooms = o.relogin.rooms
        if (!t.ok(Array.isArray(rooms), 'the login lists the rooms to rejoin (`rooms`)')) return
        for (const [room, seq] of Object.entries(o.lastShown ?? {})) {
          const spec = rooms!.find((r) => r.room === room)
          t.same(spec, { room, since: { epoch, seq } }, `${room}: since = the epoch and seq of the last message shown there`)
        }
      },
    },
    {
      id: 'CLI-RESUME-INBOX',
      judge(t, o, stage) {
        if (!need(t, o.relogin, 'a login after the drop', stage)) return
        t.same(o.relogin.inbox, { epoch: stage.server.world.inboxEpoch, seq: o.inboxSeq }, 'inbox = the inbox epoch and the seq of the last direct message received')
      },
    },
    {
      id: 'CLI-RESUME-REPLAY',
      judge(t, o, stage) {
        if (!need(t, o.afterDrop, 'the replay and a live message after it', stage)) return
        t.same(o.afterDrop, ['lobby four (missed)', 'lobby five (missed)', 'lobby six (live)'], 'after the drop: the two missed messages, then the live one, once each')
        t.same(
          stage.client.messages('lobby').map((m) => m.text),
          ['lobby one', 'lobby two', 'lobby three', 'lobby four (missed)', 'lobby five (missed)', 'lobby six (live)'],
          'lobby over the whole run: every message once, in seq order',
        )
      },
    },
  ],
})

interface Observed1001 {
  session: string
  lostAt: number
  delays: number[]
  relogin: ClientFrameOf<'login'>
  resumed: boolean
}

const REFUSALS = 3

export const reconnect1001 = defineScenario<Observed1001>({
  name: 'reconnect-1001',
  async play(stage: Stage, o) {
    const { server, hints } = stage
    const { conn } = await logIn(stage, ['lobby'])
    o.session = conn.user!.session
    o.delays = []
    server.post('lobby', 'before the restart')
    await waitShown(stage, 'lobby', 'before the restart')
    // The server restarts: the next three attempts are refused (HTTP 503), the fourth is served.
    server.policy = (attempt) => (attempt.n <= REFUSALS + 1 ? 'refuse' : 'accept')
    o.lostAt = performance.now()
    conn.close(1001, 'going-away')
    server.post('lobby', 'during the restart')
    await recordDelays(server, hints, o.lostAt, 1, REFUSALS + 2, o.delays)
    o.relogin = (await server.waitLogin(2, PROMPT_MS)).login
    await waitShown(stage, 'lobby', 'during the restart')
    o.resumed = true
  },
  checks: [
    {
      id: 'CLI-RECONNECT-1001',
      judge(t, o, stage) {
        if (!need(t, o.delays?.length === REFUSALS + 1 ? o.delays : undefined, `${REFUSALS + 1} reconnect attempts after 1001 (got ${o.delays?.length ?? 0}: ${listMs(o.delays ?? [])})`, stage)) return
        judgeBackoffSum(t, o.delays!, stage.hints)
        judgeCap(t, o.delays!, stage.hints)
        if (!need(t, o.relogin, 'a login on the new connection', stage)) return
        t.equal(o.relogin.session, o.session, 'the new login carries the session key from login-ok')
        t.ok(o.resumed, 'the message missed during the restart was shown')
      },
    },
  ],
})
