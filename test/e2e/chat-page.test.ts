// The chat page in real headless Chromium against a real server: two users in
// separate browser contexts chat, see alarms, typing and DMs, cannot be
// scripted by what they type, and survive a server restart. Runs once per
// language (test/helpers/languages.ts), with the browser's locale set to it.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { chromiumMissing, launchChromium, newUserPage, sendFromComposer, joinRoom } from '../helpers/browser.ts'
import t, { type Test } from 'tap'
import { buildPage } from '../../client/build.ts'
import { CONTENT_SECURITY_POLICY } from '../../server/http/security-headers.ts'
import { startServer } from '../helpers/server.ts'
import { E2E_LANGS, language, type Language } from '../helpers/languages.ts'

const artifacts = join(process.cwd(), 'test-artifacts')
const XSS_IMG = '<img src=x onerror=window.__xss=1>'
const XSS_SCRIPT = '<script>window.__xss=2</script>'
const skip = chromiumMissing(t)

/** Opens the page as a new user, checking the headers it is served with. */
async function openPage(t: Test, browser: Browser, url: string, problems: string[], lang: Language, viewport = { width: 1280, height: 800 }): Promise<Page> {
  const page = await newUserPage(t, browser, problems, { viewport, locale: lang.locale })
  const response = await page.goto(url)
  t.equal(response?.headers()['content-security-policy'], CONTENT_SECURITY_POLICY, 'the page is served with the strict CSP')
  t.equal(response?.headers()['x-content-type-options'], 'nosniff')
  t.equal(response?.headers()['referrer-policy'], 'no-referrer')
  return page
}

async function logIn(page: Page, name: string): Promise<void> {
  await page.locator('#login-name').fill(name)
  await page.locator('#login-name').press('Enter')
  await page.locator('#chat-screen').waitFor({ state: 'visible' })
  await page.locator('#me-name', { hasText: name }).waitFor()
}

const xssValue = (page: Page) => page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)

for (const lang of E2E_LANGS.map(language)) {
  const tr = lang.t
  t.test(`two people chat in the browser, safely, across a server restart (${lang.lang})`, { skip }, async (t) => {
    await buildPage()
    mkdirSync(artifacts, { recursive: true })
    const dataDir = mkdtempSync(join(tmpdir(), 'wirechat-e2e-'))
    t.teardown(() => rmSync(dataDir, { recursive: true, force: true }))
    let server = await startServer(t, { dataDir })
    const browser = await launchChromium(t)
    const problems: string[] = []

    const ana = await openPage(t, browser, server.httpUrl, problems, lang)
    await ana.locator('#login-screen').waitFor({ state: 'visible' })
    await t.resolveMatch(ana.locator('#login-name').inputValue(), /^user\d+$/, 'the name field holds the suggested name')
    t.equal(await ana.locator('html').getAttribute('lang'), lang.lang, 'the page speaks the browser’s language')
    await ana.locator('#login-submit', { hasText: tr('login.submit.guest') }).waitFor()
    await ana.screenshot({ path: join(artifacts, `login${lang.suffix}.png`) })

    // A name made of markup is refused by the server and shown back as plain text.
    await ana.locator('#login-name').fill(XSS_IMG)
    await ana.locator('#login-name').press('Enter')
    await ana.locator('#login-error', { hasText: XSS_IMG }).waitFor()
    await ana.locator('#login-name').fill(XSS_SCRIPT)
    await ana.locator('#login-name').press('Enter')
    await ana.locator('#login-error', { hasText: XSS_SCRIPT }).waitFor()
    t.equal(await ana.locator('#login-screen img, #login-screen script').count(), 0, 'no element was made from the name')
    t.equal(await xssValue(ana), undefined, 'the refused names ran nothing')

    await logIn(ana, 'ana')
    const bob = await openPage(t, browser, server.httpUrl, problems, lang)
    await logIn(bob, 'bob')
    await ana.locator('.system', { hasText: tr('alarm.joined', { name: 'bob' }) }).waitFor()

    await joinRoom(ana, 'design')
    await joinRoom(bob, 'design')
    await ana.locator('.system', { hasText: tr('alarm.joined', { name: 'bob' }) }).waitFor()
    await t.resolveMatch(ana.locator('#member-list').innerText(), /ana[\s\S]*bob/, 'both are listed online')

    // Typing indicator, then messages both ways.
    await ana.locator('#composer-input').pressSequentially('Morning! New mockups are up')
    await bob.locator('#typing', { hasText: tr('typing.one', { names: 'ana' }) }).waitFor()
    await ana.locator('#composer-input').press('Enter')
    await bob.locator('.msg.other .text', { hasText: 'Morning! New mockups are up' }).waitFor()
    await bob.locator('#typing', { hasText: /^$/ }).waitFor()
    await sendFromComposer(bob, 'Nice, the sidebar reads much better now')
    await ana.locator('.msg.other .text', { hasText: 'the sidebar reads much better' }).waitFor()
    await sendFromComposer(ana, 'Thanks! Shipping it after lunch')
    t.equal(await ana.locator('.msg.own').count(), 2, 'own messages are set apart')

    // bob writes privately from the member list; ana sees an unread badge while bob types in the room.
    await bob.locator('#member-list button', { hasText: 'ana' }).click()
    await bob.locator('#conv-title', { hasText: '@ ana' }).waitFor()
    await sendFromComposer(bob, 'psst, lunch at 12?')
    const dmEntry = ana.locator('#dm-list .conv', { hasText: 'bob' })
    await dmEntry.locator('.badge', { hasText: '1' }).waitFor()
    await bob.locator('#room-list .conv', { hasText: 'design' }).click()
    await bob.locator('#composer-input').pressSequentially('One more thing')
    await ana.locator('#typing', { hasText: tr('typing.one', { names: 'bob' }) }).waitFor()
    await ana.screenshot({ path: join(artifacts, `chat${lang.suffix}.png`), animations: 'disabled' })
    // The README picture is taken by readme-screenshot.test.ts (UPDATE_SCREENSHOT=1), in a livelier room.
    await bob.locator('#composer-input').fill('')
    await ana.locator('#typing', { hasText: /^$/ }).waitFor()

    // Markup in a message is text.
    await sendFromComposer(bob, `${XSS_IMG} and ${XSS_SCRIPT}`)
    await ana.locator('.msg .text', { hasText: XSS_SCRIPT }).waitFor()
    t.equal(await ana.locator('.msg .text', { hasText: XSS_IMG }).count(), 1, 'the img markup shows as literal text')
    t.equal(await ana.locator('#messages img, #messages script').count(), 0, 'no element was created from it')
    t.equal(await xssValue(ana), undefined, 'nothing ran at the reader')
    t.equal(await xssValue(bob), undefined, 'nothing ran at the sender')
    await ana.screenshot({ path: join(artifacts, `xss${lang.suffix}.png`) })

    // The direct conversation, both ways.
    await dmEntry.click()
    await ana.locator('.msg.other .text', { hasText: 'psst, lunch at 12?' }).waitFor()
    await sendFromComposer(ana, 'sure')
    await bob.locator('#dm-list .conv', { hasText: 'ana' }).click()
    await bob.locator('.msg.other .text', { hasText: 'sure' }).waitFor()
    await bob.locator('#dm-list .conv', { hasText: 'ana' }).locator('.badge').waitFor({ state: 'detached' })

    // Leaving shows the left alarm to those who stay.
    await ana.locator('#room-list .conv', { hasText: 'design' }).click()
    await bob.locator('#room-list .conv', { hasText: 'design' }).click()
    await bob.locator('#leave-button').click()
    await ana.locator('.system', { hasText: tr('alarm.left', { name: 'bob' }) }).waitFor()
    // The alarm to ana can come before bob's own leave-room-ok (the membership is stored first): wait for bob's page.
    await bob.locator('#room-list .conv', { hasText: 'design' }).waitFor({ state: 'detached' })
    await t.resolveMatch(bob.locator('#room-list').innerText(), /^(?![\s\S]*design)/, "the room is gone from bob's list")

    // The server restarts: the page says so, comes back, and chat goes on.
    await bob.locator('#room-list .conv', { hasText: 'lobby' }).click()
    await ana.locator('#room-list .conv', { hasText: 'lobby' }).click()
    await server.app.close()
    await ana.locator('#conn-status[data-state="reconnecting"]').waitFor()
    await ana.locator('#conn-banner').waitFor({ state: 'visible' })
    await ana.screenshot({ path: join(artifacts, `reconnecting${lang.suffix}.png`) })
    server = await startServer(t, { dataDir, port: server.port })
    await ana.locator('#conn-status[data-state="open"]').waitFor({ timeout: 15_000 })
    await bob.locator('#conn-status[data-state="open"]').waitFor({ timeout: 15_000 })
    await ana.locator('#conn-banner').waitFor({ state: 'hidden' })
    await sendFromComposer(ana, 'back after the restart')
    await bob.locator('.msg.other .text', { hasText: 'back after the restart' }).waitFor()
    t.equal(await ana.locator('#me-name').innerText(), 'ana', 'still the same user')

    // A reload (or a second tab) continues the same user with the session key kept in localStorage.
    await ana.reload()
    await ana.locator('#me-name', { hasText: 'ana' }).waitFor()
    await ana.locator('.msg.own .text', { hasText: 'back after the restart' }).waitFor()
    t.equal(await ana.locator('#login-screen').isVisible(), false, 'no name prompt after a reload')
    await t.resolveMatch(ana.locator('#room-list').innerText(), /design[\s\S]*lobby/, 'the rooms are rejoined')

    // Phone width: the rooms drawer opens from the menu button.
    await bob.setViewportSize({ width: 390, height: 780 })
    await bob.locator('#sidebar').waitFor({ state: 'hidden' })
    await bob.screenshot({ path: join(artifacts, `phone${lang.suffix}.png`), animations: 'disabled' })
    await bob.locator('#menu-toggle').click()
    await bob.locator('#sidebar').waitFor({ state: 'visible' })
    await bob.screenshot({ path: join(artifacts, `phone-drawer${lang.suffix}.png`), animations: 'disabled' })
    await bob.keyboard.press('Escape')
    await bob.locator('#sidebar').waitFor({ state: 'hidden' })

    t.same(problems, [], 'no script errors or CSP violations on either page')
  })
}
