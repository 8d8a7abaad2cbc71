// Accessibility of the chat page in headless Chromium against a real server:
// axe-core (WCAG 2.1 A and AA, plus best practice) finds nothing on the page in
// a lively state — a room with a reply, reactions, an edited and a deleted
// message, a mention, the unread line, the member list, the dialogs, the emoji
// picker, the phone layout with its drawers — in the light and the dark theme.
// Then what axe cannot see, by keyboard only: the Ctrl+K conversation switcher,
// the message area scrolled with keys, the phone drawer that takes focus and
// makes the rest inert; and on a phone every control is at least 44 px square.
import { mkdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import t, { type Test } from 'tap'
import { buildPage } from '../../client/build.ts'
import { chromiumMissing, launchChromium, newUserPage, joinRoom, logIn } from '../helpers/browser.ts'
import { connectAndLogin, type TestClient } from '../helpers/chat-client.ts'
import { language } from '../helpers/languages.ts'
import { startServer, type TestServer } from '../helpers/server.ts'

const artifacts = join(process.cwd(), 'test-artifacts')
const skip = chromiumMissing(t)
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')
/** What axe checks: WCAG 2.1 A and AA, and its best practices (landmarks, headings, regions). */
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']
const PHONE = { width: 390, height: 844 }
/** Apple's and WCAG 2.5.5's minimum for something pressed with a finger. */
const TOUCH_PX = 44
/** The page's second language: its words are other words, and other orders around the visible names. */
const ko = language('ko')

interface Violation {
  id: string
  impact: string | null
  help: string
  targets: string[]
}

/**
 * axe's violations on the page as it is. The source goes in with `evaluate` (the devtools
 * protocol), which the page's CSP (`script-src 'self'`) does not govern: no bypass needed.
 */
async function axeViolations(page: Page): Promise<Violation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE)
  return page.evaluate(async (tags) => {
    const axe = (
      window as unknown as {
        axe: {
          run(context: Document, options: object): Promise<{ violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[]; failureSummary?: string }> }> }>
        }
      }
    ).axe
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => `${n.target.join(' ')} — ${(n.failureSummary ?? '').replace(/\s+/g, ' ').slice(0, 240)}`),
    }))
  }, AXE_TAGS)
}

const describe = (violations: readonly Violation[]): string =>
  violations.map((v) => `${v.id} (${v.impact}, ${v.targets.length}): ${v.help}\n${v.targets.map((target) => `    ${target}`).join('\n')}`).join('\n')

/** Asserts that axe finds nothing, naming each violation (rule, impact, elements) when it does. */
async function noViolations(t: Test, page: Page, state: string): Promise<void> {
  // Transitions finish first: a half-faded element has a contrast of its own.
  await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished.catch(() => {}))))
  const violations = await axeViolations(page)
  t.same(
    violations.map((v) => `${v.id}: ${v.targets.length}`),
    [],
    `axe finds no violations: ${state}${violations.length === 0 ? '' : `\n${describe(violations)}`}`,
  )
}

/** The element with focus: its id, or its tag and classes, and whether it is inside `within`. */
const focused = (page: Page, within = 'body') =>
  page.evaluate((selector) => {
    const el = document.activeElement
    return { id: el?.id ?? '', name: el === null ? '' : `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}.${[...el.classList].join('.')}`, inside: el?.closest(selector) !== null }
  }, within)

interface Offender {
  what: string
  width: number
  height: number
}

/**
 * Visible controls smaller than `min` CSS px either way, counting a hit area an absolutely placed
 * ::before or ::after adds around them (style.css widens small controls that way on touch screens).
 * Links inside message text are exempt, as WCAG 2.5.8 exempts links in a sentence.
 */
function smallTargets(page: Page, min: number): Promise<Offender[]> {
  return page.evaluate((min) => {
    const selector = 'button, a[href], input:not([type="hidden"]), textarea, select, summary, [role="button"], [role="option"], [role="menuitem"], [role="tab"]'
    const offenders: Array<{ what: string; width: number; height: number }> = []
    for (const el of document.querySelectorAll<HTMLElement>(selector)) {
      if (el.closest('[inert]') !== null || el.closest('.text') !== null) continue
      const rect = el.getBoundingClientRect()
      const style = getComputedStyle(el)
      if (rect.width === 0 || rect.height === 0 || style.visibility !== 'visible' || !el.checkVisibility({ opacityProperty: true })) continue
      let [top, right, bottom, left] = [rect.top, rect.right, rect.bottom, rect.left]
      for (const pseudo of ['::before', '::after']) {
        const p = getComputedStyle(el, pseudo)
        if (p.content === 'none' || p.position !== 'absolute' || style.position === 'static') continue
        const px = (v: string) => (v.endsWith('px') ? Number.parseFloat(v) : 0)
        top = Math.min(top, rect.top + px(p.top))
        left = Math.min(left, rect.left + px(p.left))
        bottom = Math.max(bottom, rect.bottom - px(p.bottom))
        right = Math.max(right, rect.right - px(p.right))
      }
      const width = Math.round(right - left)
      const height = Math.round(bottom - top)
      // A radio or checkbox counts with its label, which takes the same presses.
      const label = (el instanceof HTMLInputElement && el.labels?.[0]) || null
      const labelRect = label?.getBoundingClientRect()
      if (labelRect !== undefined && labelRect.width >= min && labelRect.height >= min) continue
      if (width + 0.5 < min || height + 0.5 < min) {
        const name = (el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 30)
        offenders.push({ what: `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}.${[...el.classList].join('.')} "${name}"`, width, height })
      }
    }
    return offenders
  }, min)
}

interface Lively {
  server: TestServer
  browser: Browser
  ana: Page
  bob: TestClient
  problems: string[]
}

/**
 * ana's page in #design after others talked while she was away: a reply to her that mentions
 * her, reactions (one hers), an edited and a deleted message, the "New messages" line, someone
 * typing, unread badges on another room and a DM.
 */
async function livelyPage(t: Test): Promise<Lively> {
  await buildPage()
  mkdirSync(artifacts, { recursive: true })
  const server = await startServer(t, { messagesPerSecond: 500, messageBurst: 500 })
  const browser = await launchChromium(t)
  const problems: string[] = []
  const bob = await connectAndLogin(t, server, 'bob', ['design', 'random'])
  const { client: carol } = await connectAndLogin(t, server, 'carol', ['design', 'random', 'history'])
  const { client: dan } = await connectAndLogin(t, server, 'dan', ['design'])
  const ana = await newUserPage(t, browser, problems, { viewport: { width: 1280, height: 800 } })
  await logIn(ana, 'ana', server.httpUrl)
  await joinRoom(ana, 'random')
  await joinRoom(ana, 'history')
  await joinRoom(ana, 'design')
  const anaId = (await bob.client.presence('design')).find((m) => m.name === 'ana')?.userId ?? ''

  const kickoff = await carol.sendChat('design', 'Morning! Sprint review is at **3pm** today 🎉')
  const preview = await bob.client.sendChat('design', 'The new onboarding flow is up for review: https://example.com/pr/42')
  const nit = await dan.sendChat('design', 'Looks great, one nit on the empty state copy')
  const oops = await dan.sendChat('design', 'wrong room, sorry')
  await ana.locator('#composer-input').fill('Thanks! I will fix the `copy` after lunch')
  await ana.locator('#composer-input').press('Enter')
  await ana.locator('#messages .msg.own .text', { hasText: 'after lunch' }).waitFor()
  const mine = bob.client.rooms.get('design')!.lastSeq
  await carol.react('design', kickoff.seq, '🎉')
  await bob.client.react('design', kickoff.seq, '🎉')
  await dan.react('design', preview.seq, '👍')
  await ana.locator(`#messages li[data-seq="${preview.seq}"] .reaction`, { hasText: '👍' }).click()
  await dan.edit('design', nit.seq, 'Looks great, one nit on the *empty state* copy')
  await dan.deleteMessage('design', oops.seq)

  await ana.locator('#room-list .conv', { hasText: 'random' }).click()
  await ana.locator('#conv-title', { hasText: '# random' }).waitFor()
  await bob.client.sendChat('design', '@ana could you also check the dark theme before the review?', { replyTo: mine })
  await carol.sendChat('design', 'Happy to pair on it, the contrast tokens are in `theme.css`')
  await carol.sendChat('random', 'Anyone up for lunch? 🍜')
  await bob.client.sendDm(anaId, 'got a minute after the review?')
  await ana.locator('#room-list .conv', { hasText: 'design' }).locator('.mention-badge').waitFor()
  await ana.locator('#room-list .conv', { hasText: 'design' }).click()
  await ana.locator('#messages li.unread-line').waitFor()
  await ana.locator('#messages li.msg.mentions-me .mention-me').waitFor()
  await ana.locator('#messages .reply-quote').waitFor()
  await ana.locator('#messages .edited').waitFor()
  await ana.locator('#messages .msg.deleted').waitFor()
  await ana.locator('#dm-list .badge').waitFor()
  await carol.typing('design', true)
  await ana.locator('#typing', { hasText: 'carol is typing…' }).waitFor()
  // A room with more history than fits on the screen, to scroll with the keys.
  for (let i = 1; i <= 40; i++) await carol.sendChat('history', `line ${i} of the old history`)
  return { server, browser, ana, bob, problems }
}

t.test('the chat page', { skip, timeout: 300_000 }, async (t) => {
  const { server, browser, ana, problems } = await livelyPage(t)

  await t.test('axe finds no violations in the light and the dark theme', async (t) => {
    for (const scheme of ['light', 'dark'] as const) {
      await ana.emulateMedia({ colorScheme: scheme })
      await ana.mouse.move(0, 0)
      await noViolations(t, ana, `${scheme}: a room with a reply, reactions, edits, a deletion, a mention, the unread line, members`)
      await ana.screenshot({ path: join(artifacts, `a11y-desktop-${scheme}.png`) })

      const reply = ana.locator('#messages li.msg.mentions-me')
      await reply.locator('.bubble').hover()
      await reply.locator('.msg-toolbar').waitFor()
      await noViolations(t, ana, `${scheme}: a message's toolbar`)
      await reply.locator('.msg-toolbar .tool-react').click()
      await ana.locator('#emoji-picker').waitFor()
      await noViolations(t, ana, `${scheme}: the emoji picker`)
      await ana.keyboard.press('Escape')
      await ana.locator('#emoji-picker').waitFor({ state: 'hidden' })
      await reply.locator('.bubble').hover()
      await reply.locator('.msg-toolbar .tool-more').click()
      await ana.locator('#message-menu').waitFor()
      await noViolations(t, ana, `${scheme}: a message's menu`)
      await ana.keyboard.press('Escape')
      await ana.locator('#message-menu').waitFor({ state: 'hidden' })

      await ana.locator('#search-button').click()
      await ana.locator('#search-input').fill('review')
      await ana.locator('#search-input').press('Enter')
      await ana.locator('#search-results .search-hit').first().waitFor()
      await noViolations(t, ana, `${scheme}: search with results`)
      await ana.locator('#search-panel').getByRole('button', { name: 'Close' }).click()
      await ana.locator('#search-panel').waitFor({ state: 'hidden' })

      await ana.locator('#room-settings-button').click()
      await ana.locator('#room-settings').waitFor()
      await noViolations(t, ana, `${scheme}: room settings`)
      await ana.keyboard.press('Escape')
      await ana.locator('#room-settings').waitFor({ state: 'hidden' })

      await ana.locator('#browse-rooms').click()
      await ana.locator('#browse-list li').first().waitFor()
      await noViolations(t, ana, `${scheme}: the room browser`)
      await ana.keyboard.press('Escape')
      await ana.locator('#room-browser').waitFor({ state: 'hidden' })

      await ana.locator('#me-button').click()
      await ana.locator('#account-dialog').waitFor()
      await noViolations(t, ana, `${scheme}: the account dialog`)
      await ana.keyboard.press('Escape')
      await ana.locator('#account-dialog').waitFor({ state: 'hidden' })
    }
  })

  await t.test('Ctrl+K opens the conversation switcher; arrows, Enter and Escape, by keyboard only', async (t) => {
    await ana.emulateMedia({ colorScheme: 'light' })
    await ana.locator('#composer-input').focus()
    await ana.keyboard.press('Control+K')
    await ana.locator('#switcher').waitFor()
    t.same((await focused(ana)).id, 'switcher-input', 'focus is in the filter box')
    const box = ana.locator('#switcher-input')
    t.equal(await box.getAttribute('role'), 'combobox')
    t.equal(await box.getAttribute('aria-controls'), 'switcher-list')
    t.equal(await ana.locator('#switcher-list').getAttribute('role'), 'listbox')
    const options = ana.locator('#switcher-list [role="option"]')
    const titles = async () => (await options.locator('.conv-title').allTextContents()).join(' ')
    t.equal(await titles(), 'history bob random lobby design', 'unread ones first, the most recent first; then the others; the shown room last')
    t.equal(await box.getAttribute('aria-activedescendant'), await options.nth(0).getAttribute('id'), 'the first option is active')
    t.equal(await options.nth(0).getAttribute('aria-selected'), 'true')
    await noViolations(t, ana, 'light: the conversation switcher')
    await ana.screenshot({ path: join(artifacts, 'a11y-switcher.png') })
    await ana.emulateMedia({ colorScheme: 'dark' })
    await noViolations(t, ana, 'dark: the conversation switcher')
    await ana.emulateMedia({ colorScheme: 'light' })

    await ana.keyboard.press('ArrowDown')
    await ana.keyboard.press('ArrowDown')
    t.equal(await box.getAttribute('aria-activedescendant'), await options.nth(2).getAttribute('id'), 'ArrowDown moves the active option')
    t.equal(await options.nth(2).getAttribute('aria-selected'), 'true')
    await ana.keyboard.press('ArrowUp')
    t.equal(await box.getAttribute('aria-activedescendant'), await options.nth(1).getAttribute('id'), 'ArrowUp moves it back')
    await ana.keyboard.press('ArrowUp')
    await ana.keyboard.press('ArrowUp')
    t.equal(await box.getAttribute('aria-activedescendant'), await options.nth(4).getAttribute('id'), 'and wraps around')

    // Escape closes it, and focus is back in the composer.
    await ana.keyboard.press('Escape')
    await ana.locator('#switcher').waitFor({ state: 'hidden' })
    t.same((await focused(ana)).id, 'composer-input', 'Escape gives focus back')
    t.equal(await ana.locator('#conv-title').innerText(), '# design', 'nothing was switched')

    // Typing filters; Enter opens the active one.
    await ana.keyboard.press('Meta+K')
    await ana.locator('#switcher').waitFor()
    await ana.keyboard.type('hist')
    t.equal(await titles(), 'history', 'the filter keeps the matching one')
    await ana.keyboard.press('Enter')
    await ana.locator('#conv-title', { hasText: '# history' }).waitFor()
    t.equal(await ana.locator('#switcher').isVisible(), false, 'the switcher closed')
    t.same((await focused(ana)).id, 'composer-input', 'focus is in the composer of the conversation opened')

    await ana.keyboard.press('Control+K')
    await ana.keyboard.type('nobody here')
    await ana.locator('#switcher-status', { hasText: 'No conversation matches' }).waitFor()
    t.equal(await options.count(), 0)
    await ana.keyboard.press('Enter')
    t.equal(await ana.locator('#switcher').isVisible(), true, 'Enter with nothing to open does nothing')
    await ana.keyboard.press('Control+K')
    await ana.locator('#switcher').waitFor({ state: 'hidden' })
    t.same((await focused(ana)).id, 'composer-input', 'Ctrl+K again closes it too')

    // For those who do not know the shortcut: a button at the top of the sidebar says it and opens it.
    const button = ana.locator('#open-switcher')
    t.match(await button.innerText(), /Ctrl K|⌘K/, 'the button shows the shortcut')
    t.equal(await button.getAttribute('aria-keyshortcuts'), 'Control+K Meta+K')
    await button.click()
    await ana.locator('#switcher').waitFor()
    t.same((await focused(ana)).id, 'switcher-input', 'a click opens it with focus in the filter box')
    await ana.keyboard.press('Escape')
    await ana.locator('#switcher').waitFor({ state: 'hidden' })
    t.same((await focused(ana)).id, 'open-switcher', 'Escape returns focus to the button')
    await ana.locator('#composer-input').focus()
  })

  await t.test('the message history takes focus and scrolls with the keys', async (t) => {
    const scroller = ana.locator('#scroller')
    t.equal(await scroller.getAttribute('role'), 'region')
    t.equal(await scroller.getAttribute('aria-label'), 'Message history', 'it is named')
    // Shift+Tab from the composer reaches it (through the newest message, the list's tab stop).
    for (let i = 0; i < 8 && (await focused(ana)).id !== 'scroller'; i++) await ana.keyboard.press('Shift+Tab')
    t.equal((await focused(ana)).id, 'scroller', 'the history is in the tab order')
    const top = () => scroller.evaluate((el) => el.scrollTop)
    /** Presses a key and resolves with where the history came to rest (keyboard scrolling is smooth). */
    const scrollWith = async (key: string): Promise<number> => {
      const ended = scroller.evaluate((el) => new Promise<number>((resolve) => el.addEventListener('scrollend', () => resolve(el.scrollTop), { once: true })))
      await ana.keyboard.press(key)
      return ended
    }
    const atBottom = await top()
    t.ok(atBottom > 0, 'the history is longer than the screen, shown at its end')
    const up = await scrollWith('PageUp')
    t.ok(up < atBottom - 200, `PageUp scrolls up by about a screen (${atBottom} → ${up})`)
    const down = await scrollWith('ArrowDown')
    t.ok(down > up, `ArrowDown scrolls down (${up} → ${down})`)
    const end = await scrollWith('End')
    t.equal(end, atBottom, 'End goes back to the newest')
    t.equal((await focused(ana)).id, 'scroller', 'focus stayed on the history')
    // Back to #design for the phone (a second device of ana's opens the conversation last viewed).
    await ana.keyboard.press('Control+K')
    await ana.keyboard.type('design')
    await ana.keyboard.press('Enter')
    await ana.locator('#conv-title', { hasText: '# design' }).waitFor()
  })

  await t.test('in Korean: axe finds no violations, and the spoken names contain the visible ones', async (t) => {
    // ana on a second device whose browser speaks Korean: the same lively room, in the other catalog.
    const page = await newUserPage(t, browser, problems, { locale: ko.locale, storageState: await ana.context().storageState() })
    await page.goto(server.httpUrl)
    await page.locator('#conv-title', { hasText: '# design' }).waitFor()
    await page.locator('#messages .reply-quote').waitFor()
    t.equal(await page.locator('html').getAttribute('lang'), 'ko')
    t.equal(await page.locator('#scroller').getAttribute('aria-label'), ko.t('list.history'))
    // Korean puts the kind after a person's name: the hidden words go after the visible name.
    const bobRow = page.locator('#dm-list').getByRole('button', { name: `bob${ko.t('sidebar.dm', { name: '' })}, ${ko.t('sidebar.unread', { count: 1 })}`, exact: true })
    t.equal(await bobRow.count(), 1, 'the DM row: the name, then the kind and the count')
    t.equal(await page.getByRole('button', { name: `${ko.t('top.account')}ana`, exact: true }).count(), 1, 'the account button')
    t.match(await page.locator('#messages .reaction', { hasText: '🎉' }).getAttribute('aria-label'), /, 총 2\. /, 'a reaction chip says its count as a word')
    // Users found by name, in the sidebar: named by their content as well.
    await page.locator('#find-name').fill('car')
    await page.locator('#find-name').press('Enter')
    await page.locator('#find-results button', { hasText: 'carol' }).waitFor()
    const found = page.locator('#find-results').getByRole('button', { name: `carol${ko.t('find.message', { name: '' })}, ${ko.t('presence.online')}`, exact: true })
    t.equal(await found.count(), 1, 'a user found: the name, the words after it, the state')
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme })
      await page.mouse.move(0, 0)
      await noViolations(t, page, `${scheme}, Korean: the room`)
      const reply = page.locator('#messages li.msg.mentions-me')
      await reply.locator('.bubble').hover()
      await reply.locator('.msg-toolbar .tool-more').click()
      await page.locator('#message-menu').waitFor()
      await noViolations(t, page, `${scheme}, Korean: a message's menu`)
      await page.keyboard.press('Escape')
      await page.locator('#message-menu').waitFor({ state: 'hidden' })
      await page.keyboard.press('Control+K')
      await page.locator('#switcher-status', { hasText: ko.t('switcher.count', { count: 5 }) }).waitFor()
      await noViolations(t, page, `${scheme}, Korean: the conversation switcher`)
      if (scheme === 'light') await page.screenshot({ path: join(artifacts, 'a11y-switcher-ko.png') })
      await page.keyboard.press('Escape')
      await page.locator('#switcher').waitFor({ state: 'hidden' })
      await page.locator('#me-button').click()
      await page.locator('#account-dialog').waitFor()
      await noViolations(t, page, `${scheme}, Korean: the account dialog`)
      await page.keyboard.press('Escape')
      await page.locator('#account-dialog').waitFor({ state: 'hidden' })
    }
    await page.screenshot({ path: join(artifacts, 'a11y-desktop-dark-ko.png') })
    await page.context().close()
  })

  await t.test('on a phone: axe finds no violations with the drawers open or closed', async (t) => {
    const phone = await newUserPage(t, browser, problems, { viewport: PHONE, isMobile: true, hasTouch: true, storageState: await ana.context().storageState() })
    await phone.goto(server.httpUrl)
    await phone.locator('#conv-title', { hasText: '# design' }).waitFor()
    await phone.locator('#messages li.msg').first().waitFor()
    for (const scheme of ['light', 'dark'] as const) {
      await phone.emulateMedia({ colorScheme: scheme })
      await noViolations(t, phone, `${scheme}, phone: the room`)
      await phone.locator('#menu-toggle').click()
      await phone.locator('#sidebar').waitFor({ state: 'visible' })
      await noViolations(t, phone, `${scheme}, phone: the conversations drawer open`)
      await phone.screenshot({ path: join(artifacts, `a11y-phone-drawer-${scheme}.png`) })
      await phone.keyboard.press('Escape')
      await phone.locator('#members-toggle').click()
      await phone.locator('#members').waitFor({ state: 'visible' })
      await noViolations(t, phone, `${scheme}, phone: the member drawer open`)
      await phone.keyboard.press('Escape')
    }

    await t.test('the conversations drawer takes focus, makes the rest inert, and Escape gives focus back', async (t) => {
      await phone.locator('#menu-toggle').focus()
      await phone.keyboard.press('Enter')
      await phone.locator('#sidebar').waitFor({ state: 'visible' })
      const into = await focused(phone, '#sidebar')
      t.ok(into.inside, `focus moved into the drawer (${into.name})`)
      t.equal(await phone.locator('#sidebar [aria-current="page"]').evaluate((el) => el === document.activeElement), true, 'on the conversation shown')
      const inert = () => phone.evaluate(() => ['.topbar', '#conversation', '#members', '#sidebar'].map((s) => `${s}: ${document.querySelector<HTMLElement>(s)?.inert}`))
      t.same(await inert(), ['.topbar: true', '#conversation: true', '#members: true', '#sidebar: false'], 'everything but the drawer is inert')
      const escaped: string[] = []
      for (let i = 0; i < 25; i++) {
        await phone.keyboard.press('Tab')
        const now = await focused(phone, '#sidebar')
        if (!now.inside && !now.name.startsWith('body.')) escaped.push(now.name)
      }
      t.same(escaped, [], 'Tab stays in the drawer')
      await phone.keyboard.press('Escape')
      await phone.locator('#sidebar').waitFor({ state: 'hidden' })
      t.equal((await focused(phone)).id, 'menu-toggle', 'Escape closes it and focus is back on its button')
      t.equal(await phone.locator('#menu-toggle').getAttribute('aria-expanded'), 'false')
      t.same(await inert(), ['.topbar: false', '#conversation: false', '#members: false', '#sidebar: false'], 'nothing stays inert')

      // Picking a conversation in the drawer closes it; focus goes on to the messages.
      await phone.keyboard.press('Enter')
      await phone.locator('#sidebar').waitFor({ state: 'visible' })
      await phone.locator('#room-list .conv', { hasText: 'random' }).focus()
      await phone.keyboard.press('Enter')
      await phone.locator('#conv-title', { hasText: '# random' }).waitFor()
      await phone.locator('#sidebar').waitFor({ state: 'hidden' })
      t.equal((await focused(phone)).id, 'scroller', 'focus is on the message history of the conversation picked')

      // The member drawer works the same way.
      await phone.locator('#members-toggle').focus()
      await phone.keyboard.press('Enter')
      await phone.locator('#members').waitFor({ state: 'visible' })
      t.ok((await focused(phone, '#members')).inside, 'focus moved into the member drawer')
      t.equal(await phone.locator('#conversation').evaluate((el) => (el as HTMLElement).inert), true, 'the conversation is inert meanwhile')
      await phone.keyboard.press('Escape')
      await phone.locator('#members').waitFor({ state: 'hidden' })
      t.equal((await focused(phone)).id, 'members-toggle', 'Escape gives focus back to the member button')
      await phone.locator('#room-list .conv', { hasText: 'design' }).dispatchEvent('click')
      await phone.locator('#conv-title', { hasText: '# design' }).waitFor()
    })

    await t.test(`every control is at least ${TOUCH_PX} px square`, async (t) => {
      await phone.emulateMedia({ colorScheme: 'light' })
      const states: Array<[string, () => Promise<void>, () => Promise<void>]> = [
        ['the room', async () => {}, async () => {}],
        [
          'the conversations drawer',
          () => phone.locator('#menu-toggle').click(),
          async () => {
            await phone.keyboard.press('Escape')
            await phone.locator('#sidebar').waitFor({ state: 'hidden' })
          },
        ],
        [
          'the member drawer',
          () => phone.locator('#members-toggle').click(),
          async () => {
            await phone.keyboard.press('Escape')
            await phone.locator('#members').waitFor({ state: 'hidden' })
          },
        ],
        [
          "a message's toolbar",
          async () => {
            await phone.locator('#messages li.msg.mentions-me .text').tap()
            await phone.locator('#messages .msg-toolbar').waitFor()
          },
          async () => {},
        ],
        [
          "a message's menu, as a sheet",
          async () => {
            await phone.locator('#messages .msg-toolbar .tool-more').tap()
            await phone.locator('#message-menu').waitFor()
          },
          async () => {
            await phone.keyboard.press('Escape')
            await phone.locator('#message-menu').waitFor({ state: 'hidden' })
          },
        ],
        [
          'the emoji picker, as a sheet',
          async () => {
            await phone.locator('#messages .msg-toolbar .tool-more').tap()
            await phone.locator('#message-menu .menu-emoji.more').tap()
            await phone.locator('#emoji-picker').waitFor()
          },
          async () => {
            await phone.keyboard.press('Escape')
            await phone.locator('#emoji-picker').waitFor({ state: 'hidden' })
          },
        ],
        [
          'search with results',
          async () => {
            await phone.locator('#search-button').tap()
            await phone.locator('#search-input').fill('review')
            await phone.locator('#search-input').press('Enter')
            await phone.locator('#search-results .search-hit').first().waitFor()
          },
          async () => {
            await phone.locator('#search-panel').getByRole('button', { name: 'Close' }).tap()
            await phone.locator('#search-panel').waitFor({ state: 'hidden' })
          },
        ],
        [
          'the account dialog',
          async () => {
            await phone.locator('#me-button').tap()
            await phone.locator('#account-dialog').waitFor()
          },
          async () => {
            await phone.locator('#account-close').tap()
            await phone.locator('#account-dialog').waitFor({ state: 'hidden' })
          },
        ],
      ]
      for (const [state, enter, leave] of states) {
        await enter()
        await phone.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished.catch(() => {}))))
        const small = await smallTargets(phone, TOUCH_PX)
        t.same(
          small.map((o) => `${o.what}: ${o.width}×${o.height}`),
          [],
          `${state}: no control smaller than ${TOUCH_PX}×${TOUCH_PX}`,
        )
        await phone.screenshot({ path: join(artifacts, `a11y-phone-${state.replace(/\W+/g, '-').replace(/^-|-$/g, '')}.png`) })
        await leave()
      }
    })
  })

  t.same(problems, [], 'no page errors')
})

t.test('the login screen', { skip, timeout: 60_000 }, async (t) => {
  await buildPage()
  const server = await startServer(t)
  const browser = await launchChromium(t)
  const problems: string[] = []
  for (const lang of ['en', 'ko'] as const) {
    for (const scheme of ['light', 'dark'] as const) {
      const page = await newUserPage(t, browser, problems, { colorScheme: scheme, locale: language(lang).locale })
      await page.goto(server.httpUrl)
      await page.locator(`html[lang="${lang}"] #login-name`).waitFor()
      await page.locator('#login-conn[data-state="open"]').waitFor()
      await noViolations(t, page, `${scheme}, ${lang}: the login screen`)
    }
  }
  const phone = await newUserPage(t, browser, problems, { viewport: PHONE, isMobile: true, hasTouch: true })
  await phone.goto(server.httpUrl)
  await phone.locator('#login-name').waitFor()
  await phone.locator('label[for="mode-create"]').tap()
  await phone.locator('#password-field').waitFor()
  const small = await smallTargets(phone, TOUCH_PX)
  t.same(
    small.map((o) => `${o.what}: ${o.width}×${o.height}`),
    [],
    `on a phone, no control of the login screen is smaller than ${TOUCH_PX}×${TOUCH_PX}`,
  )
  t.same(problems, [], 'no page errors')
})
