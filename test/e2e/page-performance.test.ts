// The page with 5,000 messages in a room, in real headless Chromium (issue 13):
// loaded the way a reader loads them (scrolling up, a history page at a time),
// wheeled from the newest to the oldest and back, left for another room and
// come back to. Asserted: what the reader sees — every message loaded and
// reachable, the message they were reading kept in place while pages come in
// front of it, each room reopening where they left it, rows not drawn again
// (older pages put in front, a room switched back to). The long tasks of each
// phase are printed for the record, not asserted: speed is checked by
// `npm run bench:page` on a quiet machine (this one may be busy).
import type { Page } from 'playwright-core'
import t from 'tap'
import { buildPage } from '../../client/build.ts'
import { chromiumMissing, launchChromium } from '../helpers/browser.ts'
import {
  loadAllByScrollingUp,
  messageCount,
  observeLongTasks,
  offsetOf,
  openReader,
  phase,
  readingPosition,
  SEED_SERVER,
  scrollToFraction,
  scrollUpJumps,
  seedRooms,
  settle,
  summary,
  switchTo,
  wheelTo,
} from '../helpers/page-scenario.ts'
import { startServer } from '../helpers/server.ts'

const skip = chromiumMissing(t)
t.setTimeout(240_000) // the file: half a minute on a quiet machine, about one on a busy one (the default is 120 s)

/** The list is scrolled to its end, and its last row is the newest message of #lobby. */
const atNewest = (page: Page): Promise<boolean> =>
  page
    .locator('#scroller')
    .evaluate(
      (el, newest) => el.scrollHeight - el.scrollTop - el.clientHeight < 2 && (document.querySelector('#messages li.msg:last-child .text')?.textContent ?? '').startsWith(`line ${newest}:`),
      MESSAGES,
    )
const MESSAGES = 5_000
/** The second room: enough to fill the pane. */
const OTHER_ROOM_MESSAGES = 200
/** Three screens a step: the rides to the ends stay short (the bench takes small steps). */
const WHEEL_PX = 2_400
/** Bounds of the loops below. */
const MAX_HISTORY_PAGES = 200
const MAX_WHEEL_STEPS = 1_000
/** "The same place": within this many pixels (sub-pixel layout, rounding of scroll offsets). */
const SAME_PX = 2

t.test(`${MESSAGES} messages in a room: loaded, reachable, and each room reopens where it was left`, { skip, timeout: 230_000 }, async (t) => {
  await buildPage()
  const server = await startServer(t, SEED_SERVER)
  const seedStart = performance.now()
  await seedRooms(t, server, MESSAGES, OTHER_ROOM_MESSAGES)
  t.comment(`seeded ${MESSAGES} + ${OTHER_ROOM_MESSAGES} messages in ${Math.round(performance.now() - seedStart)} ms`)
  const browser = await launchChromium(t)
  const problems: string[] = []
  const page = await openReader(t, browser, server, problems, MESSAGES)
  await observeLongTasks(page)

  // Rows drawn once are not drawn again: the newest row is the same element after 49 pages came in front of it.
  await page
    .locator('#messages li.msg')
    .last()
    .evaluate((li) => {
      ;(li as HTMLElement & { kept?: boolean }).kept = true
    })
  let pages = 0
  let drifts: number[] = []
  const load = await phase(page, 'load', async () => {
    ;({ pages, drifts } = await loadAllByScrollingUp(page, MAX_HISTORY_PAGES))
  })
  t.comment(`loading ${MESSAGES} messages by scrolling up (${pages} pages): ${summary(load)}`)
  t.equal(await messageCount(page), MESSAGES, `all ${MESSAGES} messages are in the page`)
  t.ok(await page.locator('#load-older').isHidden(), 'the history ends there: nothing more to load')
  t.ok(drifts.length >= 40, `the reading position was checked at each page (${drifts.length})`)
  t.ok(Math.max(...drifts) <= SAME_PX, `the message at the top stays where it was on screen as each page comes in front of it (moved at most ${Math.max(...drifts).toFixed(2)} px)`)
  t.ok(
    await page
      .locator('#messages li.msg')
      .last()
      .evaluate((li) => (li as HTMLElement & { kept?: boolean }).kept === true),
    'the rows drawn before were not drawn again',
  )
  const rows = await page
    .locator('#messages li.msg')
    .evaluateAll((els) => els.map((el) => ({ seq: Number((el as HTMLElement).dataset.seq), line: Number(/^line (\d+)/.exec(el.querySelector('.text')?.textContent ?? '')?.[1]) })))
  t.same(
    rows.map((r) => r.line).sort((a, b) => a - b),
    Array.from({ length: MESSAGES }, (_, i) => i + 1),
    'each message once',
  )
  t.ok(
    rows.every((r, i) => i === 0 || r.seq > rows[i - 1]!.seq),
    'in the order of the room',
  )
  const days = await page.locator('#messages').evaluate((list) => ({
    drawn: list.querySelectorAll('li.day').length,
    distinct: new Set([...list.querySelectorAll<HTMLTimeElement>('li[data-id] time')].map((time) => new Date(time.dateTime).toDateString())).size,
  }))
  t.equal(days.drawn, days.distinct, `one day separator a day (${days.drawn}): the seams of the pages drew none of their own`)

  // Most rows were never on screen yet: they come into view with their height, and nothing jumps.
  await scrollToFraction(page, 1)
  await settle(page)
  const jump = await scrollUpJumps(page, 600, 40)
  t.ok(jump <= SAME_PX, `scrolling up through rows not shown before, the message at the top moves only by what was scrolled (off by at most ${jump.toFixed(2)} px)`)

  // Reachable with the wheel, both ends.
  await scrollToFraction(page, 1)
  await settle(page)
  const height = await page.locator('#scroller').evaluate((el) => el.scrollHeight)
  let steps = 0
  const up = await phase(page, 'wheel up', async () => {
    steps = await wheelTo(page, -1, WHEEL_PX, MAX_WHEEL_STEPS)
  })
  t.comment(`wheel from the bottom to the top of ${height} px (${steps} steps of ${WHEEL_PX} px): ${summary(up)}`)
  t.ok(await page.locator('#messages .text', { hasText: /^line 1: / }).isVisible(), 'the wheel reaches the oldest message')
  t.equal((await readingPosition(page))?.text.startsWith('line 1:'), true, 'the oldest message is at the top of the pane')
  const down = await phase(page, 'wheel down', async () => {
    steps = await wheelTo(page, 1, WHEEL_PX, MAX_WHEEL_STEPS)
  })
  t.comment(`wheel to the bottom (${steps} steps): ${summary(down)}`)
  t.ok(await atNewest(page), 'the wheel reaches the newest message')

  // Left in the middle: #lobby reopens there, with the same rows.
  await scrollToFraction(page, 0.4)
  await settle(page)
  const lobbyAt = await readingPosition(page)
  if (lobbyAt === undefined) throw new Error('no message in view')
  await page.locator(`#messages li[data-id="${lobbyAt.id}"]`).evaluate((li) => {
    ;(li as HTMLElement & { kept?: boolean }).kept = true
  })
  const away = await phase(page, 'switch away', () => switchTo(page, 'dev', OTHER_ROOM_MESSAGES / 4))
  t.comment(`switch to #dev (${OTHER_ROOM_MESSAGES} messages): ${summary(away)}`)
  t.equal(await page.locator(`#messages li[data-id="${lobbyAt.id}"]`).count(), 0, "#lobby's rows are out of the page while #dev is shown")
  await scrollToFraction(page, 0.3)
  await settle(page)
  const devAt = await readingPosition(page)
  const back = await phase(page, 'switch back', () => switchTo(page, 'lobby', MESSAGES))
  t.comment(`switch back to #lobby (${MESSAGES} messages): ${summary(back)}`)
  const lobbyNow = await offsetOf(page, lobbyAt.id)
  t.ok(
    lobbyNow !== undefined && Math.abs(lobbyNow - lobbyAt.offset) <= SAME_PX,
    `#lobby reopens where it was left: "${lobbyAt.text.slice(0, 30)}…" at ${lobbyAt.offset.toFixed(1)} px, now ${lobbyNow?.toFixed(1)} px`,
  )
  t.equal(await page.locator(`#messages li[data-id="${lobbyAt.id}"]`).evaluate((li) => (li as HTMLElement & { kept?: boolean }).kept === true), true, "#lobby's rows came back, not drawn again")
  t.equal(await messageCount(page), MESSAGES, `all ${MESSAGES} messages are still there`)
  // Shown again in bulk, the rows are lazy (laid out near the pane only) until the page is idle.
  const lazyJump = await scrollUpJumps(page, 600, 20)
  t.ok(lazyJump <= SAME_PX, `scrolling up at once through rows shown again, nothing jumps (off by at most ${lazyJump.toFixed(2)} px)`)
  await page.waitForFunction(() => document.querySelectorAll('#messages li.lazy').length === 0, undefined, { timeout: 20_000 })
  t.pass('once the page is idle, every row is laid out for good (none lazy)')

  await switchTo(page, 'dev', OTHER_ROOM_MESSAGES / 4)
  const devNow = devAt === undefined ? undefined : await offsetOf(page, devAt.id)
  t.ok(devAt !== undefined && devNow !== undefined && Math.abs(devNow - devAt.offset) <= SAME_PX, `#dev reopens where it was left too (${devAt?.offset.toFixed(1)} px, now ${devNow?.toFixed(1)} px)`)

  // Left at the newest message: reopens at the newest message.
  await switchTo(page, 'lobby', MESSAGES)
  await scrollToFraction(page, 1)
  await settle(page)
  await switchTo(page, 'dev', OTHER_ROOM_MESSAGES / 4)
  await switchTo(page, 'lobby', MESSAGES)
  await settle(page)
  t.ok(await atNewest(page), 'left at its newest message, #lobby reopens at its newest message')
  t.ok(await page.locator('#jump-latest').isHidden(), 'and the "Jump to latest" pill is not shown')
  t.same(problems, [], 'no page errors')
})
