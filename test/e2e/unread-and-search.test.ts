// What is addressed to the reader and where they left off, on the page
// (protocol 1.3.0), in headless Chromium against a real server: @ autocomplete
// of members, mentions marked, desktop notifications for mentions and DMs
// while the tab is hidden (asked for only on a user action), the title count;
// the "New messages" line and the read marker shared by two browsers of one
// user; message search with marked words, paging and a jump into history;
// typing in a DM both ways.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, BrowserContextOptions, Page } from 'playwright-core'
import t, { type Test } from 'tap'
import { buildPage } from '../../client/build.ts'
import { chromiumMissing, launchChromium, newUserPage, sendFromComposer } from '../helpers/browser.ts'
import { collect, connectAndLogin } from '../helpers/chat-client.ts'
import { eventually } from '../helpers/eventually.ts'
import { startServer } from '../helpers/server.ts'

const artifacts = join(process.cwd(), 'test-artifacts')
const skip = chromiumMissing(t)
const PASSWORD = 'a long passphrase'
const PAGE = 20

/**
 * Runs before the page's scripts: records every `new Notification` and every permission request,
 * and lets the test hide and show the tab (document.hidden and visibilitychange).
 */
function instrument(): void {
  const w = window as unknown as { __notes: { title: string; body?: string }[]; __asked: number; __setHidden: (hidden: boolean) => void }
  w.__notes = []
  w.__asked = 0
  const Real = window.Notification
  class Recorded {
    static get permission(): NotificationPermission {
      return Real.permission
    }
    static requestPermission(): Promise<NotificationPermission> {
      w.__asked++
      return Real.requestPermission()
    }
    onclick: unknown = null
    constructor(title: string, options?: NotificationOptions) {
      w.__notes.push(options?.body === undefined ? { title } : { title, body: options.body })
    }
    close(): void {}
  }
  Object.defineProperty(window, 'Notification', { value: Recorded, configurable: true, writable: true })
  let hidden = false
  Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden })
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') })
  w.__setHidden = (h: boolean) => {
    hidden = h
    document.dispatchEvent(new Event('visibilitychange'))
  }
}

async function openPage(t: Test, browser: Browser, url: string, problems: string[], options: BrowserContextOptions = {}): Promise<Page> {
  const page = await newUserPage(t, browser, problems, options)
  await page.context().addInitScript(instrument)
  await page.goto(url)
  await page.locator('#login-conn[data-state="open"]').waitFor()
  return page
}

async function enter(page: Page, mode: 'guest' | 'signin' | 'create', name: string): Promise<void> {
  await page.locator(`label[for="mode-${mode}"]`).click()
  await page.locator('#login-name').fill(name)
  if (mode !== 'guest') await page.locator('#login-password').fill(PASSWORD)
  await page.locator('#login-submit').click()
  await page.locator('#chat-screen').waitFor({ state: 'visible' })
  await page.locator('#me-name', { hasText: name }).waitFor({ state: 'attached' })
}

async function openRoom(page: Page, room: string): Promise<void> {
  const listed = page.locator('#room-list .conv', { hasText: room })
  if ((await listed.count()) > 0) await listed.click()
  else {
    await page.locator('#join-name').fill(room)
    await page.locator('#join-name').press('Enter')
  }
  await page.locator('#conv-title', { hasText: `# ${room}` }).waitFor()
}

const setHidden = (page: Page, hidden: boolean) => page.evaluate((h) => (window as unknown as { __setHidden: (h: boolean) => void }).__setHidden(h), hidden)
const notes = (page: Page) => page.evaluate(() => (window as unknown as { __notes: { title: string; body?: string }[] }).__notes)
const asked = (page: Page) => page.evaluate(() => (window as unknown as { __asked: number }).__asked)
const row = (page: Page, seq: number) => page.locator(`#messages li[data-seq="${seq}"]`)

t.test('mentions, notifications, unread and read sync, search, DM typing', { timeout: 240_000, skip }, async (t) => {
  await buildPage()
  mkdirSync(artifacts, { recursive: true })
  const server = await startServer(t, { messagesPerSecond: 500, messageBurst: 500, historyPageMax: PAGE, typingTtlMs: 1_500 })
  const browser = await launchChromium(t)
  const problems: string[] = []

  // ana has an account and two browsers; the first may show notifications.
  const ana1 = await openPage(t, browser, server.httpUrl, problems, { permissions: ['notifications'] })
  await enter(ana1, 'create', 'ana')
  await openRoom(ana1, 'design')
  const ana2 = await openPage(t, browser, server.httpUrl, problems)
  t.equal(await asked(ana2), 0, 'no permission prompt on load')
  await enter(ana2, 'signin', 'ana')
  await openRoom(ana2, 'design')
  const bob = await openPage(t, browser, server.httpUrl, problems)
  await enter(bob, 'guest', 'bob')
  await openRoom(bob, 'design')
  const { client: carol } = await connectAndLogin(t, server, 'carol', ['design'])
  const { client: bobLib } = await connectAndLogin(t, server, 'bobby', ['design'])

  await t.test('the first send asks for notifications, never the page load', async (t) => {
    t.equal(await asked(ana2), 0)
    await sendFromComposer(ana2, 'morning!')
    await ana2.waitForFunction(() => (window as unknown as { __asked: number }).__asked === 1)
    t.pass('asked once, on the send')
  })

  await t.test('@ autocomplete: arrows, Tab or Enter insert the name, Escape closes the list', async (t) => {
    const box = bob.locator('#composer-input')
    await box.fill('')
    await box.pressSequentially('hey @ca')
    await bob.locator('#mention-list .mention-option', { hasText: 'carol' }).waitFor()
    await box.press('Escape')
    await bob.locator('#mention-list').waitFor({ state: 'hidden' })
    t.equal(await box.inputValue(), 'hey @ca', 'Escape leaves the text as it is')
    await box.fill('')
    await box.pressSequentially('@an')
    const options = bob.locator('#mention-list .mention-option')
    await options.first().waitFor()
    t.same(await options.locator('.mention-name').allTextContents(), ['ana'], 'ana, and neither bob himself nor someone else')
    t.equal(await options.first().getAttribute('aria-selected'), 'true')
    await box.press('Tab')
    t.equal(await box.inputValue(), '@ana ', 'Tab inserted the name and a space')
    await box.pressSequentially('can you review the mockups?')
    // ana's second browser looks elsewhere (reading #design there would clear the count here too); the first is hidden.
    await openRoom(ana2, 'lobby')
    await setHidden(ana1, true)
    const pushes = collect(carol, 'chat')
    await box.press('Enter')
    await eventually(() => pushes.some((p) => p.message.text === '@ana can you review the mockups?' && (p.message.mentions?.length ?? 0) === 1), 'the server resolved the mention')
  })

  await t.test('a mention of me is marked, notified while the tab is hidden, and counted in the title', async (t) => {
    const mention = ana1.locator('#messages li.msg.mentions-me', { hasText: 'can you review the mockups?' })
    await mention.locator('.mention.mention-me', { hasText: '@ana' }).waitFor()
    await ana1.waitForFunction(() => (window as unknown as { __notes: unknown[] }).__notes.length > 0)
    t.same(await notes(ana1), [{ title: 'bob mentioned you in #design', body: '@ana can you review the mockups?' }])
    t.equal(await ana1.title(), '(1) wirechat', 'the title counts the mention while hidden')
    t.same(await notes(ana2), [], 'a visible tab shows no notification')
    // A DM while hidden is notified too.
    await bob.locator('#member-list button', { hasText: 'ana' }).click()
    await bob.locator('#conv-title', { hasText: '@ ana' }).waitFor()
    await sendFromComposer(bob, 'also, lunch?')
    await ana1.waitForFunction(() => (window as unknown as { __notes: unknown[] }).__notes.length > 1)
    t.same((await notes(ana1))[1], { title: 'bob', body: 'also, lunch?' })
    t.equal(await ana1.title(), '(2) wirechat', 'the DM counts as well')
    await setHidden(ana1, false)
    await ana1.waitForFunction(() => document.title === '(1) wirechat') // the room is read now; the DM is not shown
    await ana1.screenshot({ path: join(artifacts, 'unread-mention.png') })
  })

  await t.test('the "New messages" line, and reading in one browser clears the badge in the other', async (t) => {
    await openRoom(ana1, 'lobby')
    await openRoom(ana2, 'lobby')
    await bob.locator('#room-list .conv', { hasText: 'design' }).click()
    const first = await carol.sendChat('design', 'first of the news')
    await carol.sendChat('design', 'second of the news')
    await bobLib.sendChat('design', 'third, for @ana')
    for (const page of [ana1, ana2]) {
      const entry = page.locator('#room-list .conv', { hasText: 'design' })
      await entry.locator('.badge:not(.mention-badge)', { hasText: '3' }).waitFor()
      await entry.locator('.mention-badge', { hasText: '@1' }).waitFor()
    }
    t.equal(
      await ana1
        .locator('#room-list')
        .getByRole('button', { name: /^Room design\s*, 3 unread, 1 mention$/ })
        .count(),
      1,
      'the counts are spoken',
    )
    await openRoom(ana2, 'design')
    const line = ana2.locator('#messages li.unread-line')
    await line.waitFor()
    t.equal(await line.evaluate((li) => li.nextElementSibling?.getAttribute('data-seq')), String(first.seq), 'right above the first unread message')
    await ana1.locator('#room-list .conv', { hasText: 'design' }).locator('.badge').first().waitFor({ state: 'detached' })
    t.pass('the other browser’s badge cleared without touching it')
    await ana2.screenshot({ path: join(artifacts, 'unread-line.png') })
  })

  await t.test('search: words marked whatever their case, newest first, more on request, a result opens in context', async (t) => {
    const needles = []
    for (let i = 0; i < PAGE + 2; i++) needles.push(await carol.sendChat('design', `Needle number ${i} in the haystack`))
    for (let i = 0; i < PAGE * 5; i++) await carol.sendChat('design', `hay ${i}`)
    await openRoom(ana1, 'lobby')
    await ana1.locator('#composer-input').blur()
    await ana1.keyboard.press('/')
    await ana1.locator('#search-input').waitFor()
    t.ok(await ana1.locator('#search-input').evaluate((el) => el === document.activeElement), '"/" opens search with the box focused')
    await ana1.locator('#search-input').fill('NEEDLE haystack')
    await ana1.locator('#search-input').press('Enter')
    const hits = ana1.locator('#search-results .search-hit')
    await hits.nth(PAGE - 1).waitFor()
    t.equal(await hits.count(), PAGE, 'one page')
    t.match(await hits.first().innerText(), new RegExp(`Needle number ${PAGE + 1} in the haystack`), 'newest first')
    t.same(await hits.first().locator('mark').allTextContents(), ['Needle', 'haystack'], 'the query words are marked')
    await ana1.screenshot({ path: join(artifacts, 'search-results.png') })
    await ana1.locator('.search-more').click()
    await hits.nth(PAGE + 1).waitFor()
    t.equal(await hits.count(), PAGE + 2, 'the older ones on request')
    await ana1.locator('.search-more').waitFor({ state: 'hidden' })
    // The oldest is far back: opening it loads its history and shows it lit.
    await hits.last().click()
    await ana1.locator('#conv-title', { hasText: '# design' }).waitFor()
    const target = row(ana1, needles[0]!.seq)
    await target.locator('.text', { hasText: 'Needle number 0 in the haystack' }).waitFor()
    t.match(await target.getAttribute('class'), /\bflash\b/, 'highlighted in its conversation')
    // Back to the newest messages with the pill.
    await ana1.locator('#jump-latest').click()
    await ana1.locator('#messages .text', { hasText: `hay ${PAGE * 5 - 1}` }).waitFor()
  })

  await t.test('typing in a DM: shown to the partner, gone after its time; sent from the DM composer', async (t) => {
    await ana1.locator('#dm-list .conv', { hasText: 'bob' }).click()
    await ana1.locator('#conv-title', { hasText: '@ bob' }).waitFor()
    await bob.locator('#dm-list .conv', { hasText: 'ana' }).click()
    await bob.locator('#composer-input').pressSequentially('on my way')
    await ana1.locator('#typing', { hasText: 'bob is typing…' }).waitFor()
    await ana1.locator('#typing', { hasText: /^$/ }).waitFor() // no refresh: gone after limits.typingTtlMs
    await bob.locator('#composer-input').fill('')
    await ana1.locator('#composer-input').pressSequentially('see you')
    await bob.locator('#typing', { hasText: 'ana is typing…' }).waitFor()
    t.pass('both ways')
  })

  t.same(problems, [], 'no page errors')
})
