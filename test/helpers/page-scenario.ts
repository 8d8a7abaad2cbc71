// The page with thousands of messages in a room, driven in real headless
// Chromium: seeded through real clients, loaded the way a reader loads it
// (scrolling up, a history page at a time), wheeled through, left for another
// room and come back to. Shared by the e2e test (which asserts what the reader
// sees) and `npm run bench:page` (which asserts the long-task target on a quiet
// machine): one scenario, so the figures of both mean the same thing.
import type { Browser, Page } from 'playwright-core'
import { newUserPage } from './browser.ts'
import { connectAndLogin } from './chat-client.ts'
import type { TestServer } from './server.ts'

interface Teardown {
  teardown(fn: () => unknown): void
  fail(message: string): void
}

/** Server settings for seeding fast: no rate limit in the way, SQLite without a sync per commit. */
export const SEED_SERVER = { messagesPerSecond: 100_000, messageBurst: 100_000, sqliteSynchronous: 'normal' } as const

/** Texts like people's: short and long lines, markdown, links, code, a few lines at once. */
export function textOf(i: number): string {
  if (i % 29 === 0) return `line ${i}, a snippet:\n\`\`\`\nconst answer = ${i}\nconsole.log(answer)\n\`\`\``
  if (i % 13 === 0) return `line ${i}: see https://example.com/issues/${i} and **the notes** before the _review_`
  if (i % 7 === 0) return `line ${i}: \`npm test\` passes, ~~almost~~ everything is green`
  const words = 'the build passed on the second try so we can ship it after lunch if nobody objects'.split(' ')
  return `line ${i}: ${words.slice(0, 3 + (i % words.length)).join(' ')}`
}

/**
 * Seeds `big` messages in #lobby and `small` in #dev, by three writers in runs of three lines
 * each (grouped under one header, as in a real conversation), 100 sends in flight at a time.
 */
export async function seedRooms(t: Teardown, server: TestServer, big: number, small: number): Promise<void> {
  const writers = await Promise.all(['bob', 'carol', 'dan'].map((name) => connectAndLogin(t, server, name, ['lobby', 'dev'])))
  const send = (room: string, i: number, text: string) => writers[Math.floor(i / 3) % 3]!.client.sendChat(room, text)
  for (let from = 1; from <= big; from += 100) {
    await Promise.all(Array.from({ length: Math.min(100, big - from + 1) }, (_, k) => from + k).map((i) => send('lobby', i, textOf(i))))
  }
  for (let i = 1; i <= small; i++) await send('dev', i, `dev ${textOf(i)}`)
}

/** Logs in as ana, joins #dev, opens #lobby at its newest message; resolves with the page. */
export async function openReader(t: Teardown, browser: Browser, server: TestServer, problems: string[], newest: number): Promise<Page> {
  const page = await newUserPage(t, browser, problems)
  await page.goto(server.httpUrl)
  await page.locator('#login-name').fill('ana')
  await page.locator('#login-name').press('Enter')
  await page.locator('#chat-screen').waitFor()
  await page.locator('#join-name').fill('dev')
  await page.locator('#join-name').press('Enter')
  await page.locator('#conv-title', { hasText: '# dev' }).waitFor()
  await page.locator('#room-list .conv', { hasText: 'lobby' }).click()
  await page.locator('#messages .text', { hasText: `line ${newest}:` }).waitFor()
  return page
}

export interface LongTask {
  start: number
  duration: number
}

export interface Phase {
  name: string
  /** Wall time of the phase on the page's clock. */
  ms: number
  /** Long tasks (over 50 ms of main-thread work) that started during the phase. */
  tasks: LongTask[]
}

/** Starts recording long tasks in the page (before the phases it measures). */
export async function observeLongTasks(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { longTasks: LongTask[] }
    w.longTasks = []
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.longTasks.push({ start: e.startTime, duration: e.duration })
    }).observe({ type: 'longtask' })
  })
}

/** Two frames and a pause: the page has painted, and long tasks of the phase have been reported. */
export async function settle(page: Page): Promise<void> {
  await page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 100)))))
}

/** Runs `action` and returns how long it took (page clock) and the long tasks that started meanwhile. */
export async function phase(page: Page, name: string, action: () => Promise<void>): Promise<Phase> {
  const start = await page.evaluate(() => performance.now())
  await action()
  await settle(page)
  const end = await page.evaluate(() => performance.now())
  const tasks = await page.evaluate(([from, to]) => (window as unknown as { longTasks: LongTask[] }).longTasks.filter((task) => task.start >= from && task.start < to), [start, end] as const)
  return { name, ms: end - start, tasks }
}

export const longest = (p: Phase): number => Math.max(0, ...p.tasks.map((x) => x.duration))
export const summary = (p: Phase): string => `${Math.round(p.ms)} ms, ${p.tasks.length} long tasks, longest ${Math.round(longest(p))} ms`
export const messageCount = (page: Page): Promise<number> => page.locator('#messages li.msg').count()

/** Where the reader is: the first message whose bottom is inside the pane, and its top's distance from the pane's top. */
export interface Position {
  id: string
  text: string
  offset: number
}

export function readingPosition(page: Page, scrollTop?: number): Promise<Position | undefined> {
  return page.evaluate((scrollTop) => {
    const scroller = document.querySelector('#scroller') as HTMLElement
    // Set and read in one task: the page answers the scroll in a later frame, after this.
    if (scrollTop !== undefined) scroller.scrollTop = scrollTop
    const top = scroller.getBoundingClientRect().top
    for (const li of document.querySelectorAll<HTMLElement>('#messages li.msg[data-id]')) {
      const rect = li.getBoundingClientRect()
      if (rect.bottom > top) return { id: li.dataset.id!, text: li.querySelector('.text')?.textContent ?? '', offset: rect.top - top }
    }
    return undefined
  }, scrollTop)
}

/** The top of message `id` from the pane's top, or undefined when it is not in the list. */
export function offsetOf(page: Page, id: string): Promise<number | undefined> {
  return page.evaluate((id) => {
    const li = document.querySelector<HTMLElement>(`#messages li[data-id="${CSS.escape(id)}"]`)
    const scroller = document.querySelector('#scroller') as HTMLElement
    return li === null ? undefined : li.getBoundingClientRect().top - scroller.getBoundingClientRect().top
  }, id)
}

export interface Loaded {
  pages: number
  /** Per page, how far the message at the top moved on screen when the page came in front of it (px). */
  drifts: number[]
}

/** Loads the whole history the way a reader does: at the top, the page asks for the page before; at most `maxPages`. */
export async function loadAllByScrollingUp(page: Page, maxPages: number): Promise<Loaded> {
  const drifts: number[] = []
  let pages = 0
  for (; pages < maxPages && !(await page.locator('#load-older').isHidden()); pages++) {
    const before = await messageCount(page)
    const anchor = await readingPosition(page, 0)
    await page
      .waitForFunction((n) => document.querySelectorAll('#messages li.msg').length > n || document.querySelector<HTMLElement>('#load-older')?.hidden, before, { timeout: 10_000 })
      .catch(async (err: Error) => {
        const state = await page.locator('#scroller').evaluate((el) => ({
          scrollTop: el.scrollTop,
          scrollHeight: el.scrollHeight,
          rows: document.querySelectorAll('#messages li.msg').length,
          button: document.querySelector('#load-older')?.outerHTML,
        }))
        throw new Error(`page ${pages + 1} did not come: ${err.message} ${JSON.stringify(state)}`)
      })
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)))
    if (anchor !== undefined) {
      const now = await offsetOf(page, anchor.id)
      drifts.push(now === undefined ? Number.POSITIVE_INFINITY : Math.abs(now - anchor.offset))
    }
  }
  return { pages, drifts }
}

/** Wheels the message list to the top (`direction` -1) or the bottom (1), a notch of `px` a step, at most `maxSteps`; resolves with the steps taken. */
export async function wheelTo(page: Page, direction: -1 | 1, px: number, maxSteps: number): Promise<number> {
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
  for (let step = 1; step <= maxSteps; step++) {
    await page.mouse.wheel(0, direction * px)
    if (await page.evaluate(atEndAfterFrame, direction === 1)) return step
  }
  throw new Error(`the list did not reach its ${direction === 1 ? 'bottom' : 'top'} in ${maxSteps} wheel steps`)
}

/** Clicks a room in the sidebar, in the page, and resolves when its title is shown with at least `count` messages painted. */
export function switchTo(page: Page, room: string, count: number): Promise<void> {
  return page.evaluate(
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
    [room, count] as const,
  )
}

/** Scrolls the list so that its top is `fraction` of the way down (0 the oldest, 1 the newest). */
export function scrollToFraction(page: Page, fraction: number): Promise<void> {
  return page.locator('#scroller').evaluate((el, f) => {
    el.scrollTop = Math.round((el.scrollHeight - el.clientHeight) * f)
  }, fraction)
}

/**
 * Scrolls up `steps` times by `px` (programmatically, so each step is exact) and resolves with how
 * far, at most, the message at the top of the pane moved otherwise than scrolled: rows coming into
 * view above it with their drawn height instead of an estimate must not push it.
 */
export function scrollUpJumps(page: Page, px: number, steps: number): Promise<number> {
  return page.evaluate(
    async ([px, steps]) => {
      const scroller = document.querySelector('#scroller') as HTMLElement
      const frames = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => requestAnimationFrame(resolve))))
      const topRow = (): HTMLElement | undefined => {
        const top = scroller.getBoundingClientRect().top
        for (const li of document.querySelectorAll<HTMLElement>('#messages li[data-id]')) if (li.getBoundingClientRect().bottom > top) return li
        return undefined
      }
      let worst = 0
      for (let step = 0; step < steps && scroller.scrollTop > px; step++) {
        const row = topRow()
        if (row === undefined) break
        const before = row.getBoundingClientRect().top
        scroller.scrollTop -= px
        await frames()
        worst = Math.max(worst, Math.abs(row.getBoundingClientRect().top - before - px))
      }
      return worst
    },
    [px, steps] as const,
  )
}
