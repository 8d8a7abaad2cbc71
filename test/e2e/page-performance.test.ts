// The page with 5,000 messages in a room, in real headless Chromium: loaded the
// way a reader loads them (scrolling up, a history page at a time), then
// scrolled from the newest to the oldest and back with the mouse wheel, and
// left for another room and back. A PerformanceObserver counts the long tasks
// (main-thread work over 50 ms) of each phase. The product's rule (issue 13):
// no long task over 100 ms while scrolling. The other figures are printed for
// the record: they depend on the machine and on what else runs on it.
import type { Page } from 'playwright-core'
import t from 'tap'
import { buildPage } from '../../client/build.ts'
import { chromiumMissing, launchChromium, newUserPage } from '../helpers/browser.ts'
import { connectAndLogin } from '../helpers/chat-client.ts'
import { startServer } from '../helpers/server.ts'

const skip = chromiumMissing(t)
t.setTimeout(600_000) // the whole file: seeding, loading 50 history pages, two long wheel rides (minutes today: see the assertion)
const MESSAGES = 5_000
/** The second room: enough to fill the pane. */
const OTHER_ROOM_MESSAGES = 200
/** Longest task allowed while scrolling (the figure). */
const SCROLL_TASK_MAX_MS = 100
/** A wheel notch is 100 px: a step is a brisk flick of eight notches within a frame. */
const WHEEL_PX = 800
/** Bounds of the loops below. */
const MAX_HISTORY_PAGES = 200
const MAX_WHEEL_STEPS = 3_000

/** Texts like people's: short and long lines, markdown, links, code, a few lines at once. */
function textOf(i: number): string {
  if (i % 29 === 0) return `line ${i}, a snippet:\n\`\`\`\nconst answer = ${i}\nconsole.log(answer)\n\`\`\``
  if (i % 13 === 0) return `line ${i}: see https://example.com/issues/${i} and **the notes** before the _review_`
  if (i % 7 === 0) return `line ${i}: \`npm test\` passes, ~~almost~~ everything is green`
  const words = 'the build passed on the second try so we can ship it after lunch if nobody objects'.split(' ')
  return `line ${i}: ${words.slice(0, 3 + (i % words.length)).join(' ')}`
}

interface LongTask {
  start: number
  duration: number
}

interface Phase {
  ms: number
  tasks: LongTask[]
}

/** Starts recording long tasks in the page (before the phases it measures). */
async function observeLongTasks(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { longTasks: LongTask[] }
    w.longTasks = []
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.longTasks.push({ start: e.startTime, duration: e.duration })
    }).observe({ type: 'longtask' })
  })
}

/** Two frames and a pause: the page has painted, and long tasks of the phase have been reported. */
async function settle(page: Page): Promise<void> {
  await page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 100)))))
}

/** Runs `action` and returns how long it took (page clock) and the long tasks that started meanwhile. */
async function phase(page: Page, action: () => Promise<void>): Promise<Phase> {
  const start = await page.evaluate(() => performance.now())
  await action()
  await settle(page)
  const end = await page.evaluate(() => performance.now())
  const tasks = await page.evaluate(([from, to]) => (window as unknown as { longTasks: LongTask[] }).longTasks.filter((task) => task.start >= from && task.start < to), [start, end] as const)
  return { ms: end - start, tasks }
}

const summary = (p: Phase) => `${Math.round(p.ms)} ms, ${p.tasks.length} long tasks, longest ${Math.round(Math.max(0, ...p.tasks.map((x) => x.duration)))} ms`
const messageCount = (page: Page) => page.locator('#messages li.msg').count()

/** Wheels the message list to the top (`direction` -1) or the bottom (1), a notch of WHEEL_PX a frame; resolves with the steps taken. */
async function wheelTo(page: Page, direction: -1 | 1): Promise<number> {
  const box = await page.locator('#scroller').boundingBox()
  if (box === null) throw new Error('the message list is not on screen')
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
  // After each step, a frame: then whether the list is at its end (scrolling may be animated over a few frames).
  const atEndAfterFrame = (down: boolean) =>
    new Promise<boolean>((resolve) =>
      requestAnimationFrame(() => {
        const el = document.querySelector('#scroller') as HTMLElement
        resolve(down ? el.scrollHeight - el.scrollTop - el.clientHeight < 2 : el.scrollTop < 1)
      }),
    )
  for (let step = 1; step <= MAX_WHEEL_STEPS; step++) {
    await page.mouse.wheel(0, direction * WHEEL_PX)
    if (await page.evaluate(atEndAfterFrame, direction === 1)) return step
  }
  throw new Error(`the list did not reach its ${direction === 1 ? 'bottom' : 'top'} in ${MAX_WHEEL_STEPS} wheel steps`)
}

/** Clicks a room in the sidebar, in the page, and resolves when its messages are painted. */
async function switchTo(page: Page, room: string, expected: number): Promise<Phase> {
  return phase(page, () =>
    page.evaluate(
      ([name, count]) =>
        new Promise<void>((resolve, reject) => {
          const item = [...document.querySelectorAll<HTMLElement>('#room-list .conv')].find((el) => el.textContent?.includes(name))
          if (item === undefined) return reject(new Error(`no ${name} in the sidebar`))
          const until = performance.now() + 10_000
          item.click()
          const check = () => {
            if (document.querySelector('#conv-title')?.textContent?.includes(name) && document.querySelectorAll('#messages li.msg').length >= count) return resolve()
            if (performance.now() > until) return reject(new Error(`#${name} did not show ${count} messages`))
            requestAnimationFrame(check)
          }
          check()
        }),
      [room, expected] as const,
    ),
  )
}

t.test(`${MESSAGES} messages in a room: scrolling and switching rooms stay smooth`, { skip, timeout: 590_000 }, async (t) => {
  await buildPage()
  const server = await startServer(t, { messagesPerSecond: 100_000, messageBurst: 100_000, sqliteSynchronous: 'normal' })
  const writers = await Promise.all(['bob', 'carol', 'dan'].map((name) => connectAndLogin(t, server, name, ['lobby', 'dev'])))
  const seedStart = performance.now()
  // Runs of three lines a writer (grouped under one header, as in a real conversation), sent 50 at a time.
  for (let from = 1; from <= MESSAGES; from += 50) {
    await Promise.all(Array.from({ length: Math.min(50, MESSAGES - from + 1) }, (_, k) => from + k).map((i) => writers[Math.floor(i / 3) % 3]!.client.sendChat('lobby', textOf(i))))
  }
  for (let i = 1; i <= OTHER_ROOM_MESSAGES; i++) await writers[i % 3]!.client.sendChat('dev', `dev ${textOf(i)}`)
  t.comment(`seeded ${MESSAGES} + ${OTHER_ROOM_MESSAGES} messages in ${Math.round(performance.now() - seedStart)} ms`)

  const browser = await launchChromium(t)
  const problems: string[] = []
  const page = await newUserPage(t, browser, problems)
  await page.goto(server.httpUrl)
  await page.locator('#login-name').fill('ana')
  await page.locator('#login-name').press('Enter')
  await page.locator('#chat-screen').waitFor()
  await page.locator('#join-name').fill('dev')
  await page.locator('#join-name').press('Enter')
  await page.locator('#conv-title', { hasText: '# dev' }).waitFor()
  await page.locator('#room-list .conv', { hasText: 'lobby' }).click()
  await page.locator('#messages .text', { hasText: `line ${MESSAGES}:` }).waitFor()
  await observeLongTasks(page)

  // Loaded as a reader loads it: scrolled to the top, the page asks for the page before.
  const load = await phase(page, async () => {
    for (let pages = 0; pages < MAX_HISTORY_PAGES && !(await page.locator('#load-older').isHidden()); pages++) {
      const before = await messageCount(page)
      await page.locator('#scroller').evaluate((el) => {
        el.scrollTop = 0
      })
      await page.waitForFunction((n) => document.querySelectorAll('#messages li.msg').length > n || document.querySelector<HTMLElement>('#load-older')?.hidden, before, { timeout: 10_000 })
    }
  })
  t.equal(await messageCount(page), MESSAGES, `all ${MESSAGES} messages are in the page`)
  await page.locator('#messages .text', { hasText: /^line 1: / }).waitFor()
  t.comment(`loading ${MESSAGES} messages by scrolling up: ${summary(load)}`)

  await page.locator('#scroller').evaluate((el) => {
    el.scrollTop = el.scrollHeight
  })
  await settle(page)
  const height = await page.locator('#scroller').evaluate((el) => el.scrollHeight)
  let steps = 0
  const up = await phase(page, async () => {
    steps = await wheelTo(page, -1)
  })
  t.comment(`wheel from the bottom to the top of ${height} px (${steps} steps of ${WHEEL_PX} px): ${summary(up)}`)
  const down = await phase(page, async () => {
    steps = await wheelTo(page, 1)
  })
  t.comment(`wheel to the bottom (${steps} steps): ${summary(down)}`)
  const scrolling = [...up.tasks, ...down.tasks]
  const longest = Math.max(0, ...scrolling.map((x) => x.duration))
  t.ok(longest <= SCROLL_TASK_MAX_MS, `no long task over ${SCROLL_TASK_MAX_MS} ms while scrolling (longest ${Math.round(longest)} ms, ${scrolling.length} over 50 ms)`)

  const away = await switchTo(page, 'dev', 50)
  t.comment(`switch to #dev (${OTHER_ROOM_MESSAGES} messages): ${summary(away)}`)
  const back = await switchTo(page, 'lobby', 1)
  const shownBack = await messageCount(page)
  t.comment(`switch back to #lobby (${shownBack} messages shown): ${summary(back)}`)
  t.ok(await page.locator('#messages .text', { hasText: `line ${MESSAGES}:` }).isVisible(), 'back in #lobby at its newest message')
  t.same(problems, [], 'no page errors')
})
