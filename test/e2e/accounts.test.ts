// Accounts in real headless Chromium against a real server: create an account in
// one browser, sign in with the password in a second one (fresh storage) and
// find the same name, rooms and DM conversations; a read on one device clears
// the badge on the other; a session revoked from the second browser ends the
// first for good (no reconnect); a wrong password is explained.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, BrowserContextOptions, Page } from 'playwright-core'
import t, { type Test } from 'tap'
import { buildPage } from '../../client/build.ts'
import { chromiumMissing, launchChromium, newUserPage, sendFromComposer } from '../helpers/browser.ts'
import { startServer } from '../helpers/server.ts'

const PASSWORD = 'a long passphrase'
const artifacts = join(process.cwd(), 'test-artifacts')
const skip = chromiumMissing(t)

/** The page as a new user sees it, ready to log in. */
async function openPage(t: Test, browser: Browser, url: string, problems: string[], options: BrowserContextOptions = {}): Promise<Page> {
  const page = await newUserPage(t, browser, problems, options)
  await page.goto(url)
  await page.locator('#login-screen').waitFor({ state: 'visible' })
  await page.locator('#login-conn[data-state="open"]').waitFor()
  return page
}

async function loginAs(page: Page, mode: 'guest' | 'signin' | 'create', name: string, password?: string): Promise<void> {
  await page.locator(`label[for="mode-${mode}"]`).click()
  await page.locator('#login-name').fill(name)
  if (password !== undefined) await page.locator('#login-password').fill(password)
  await page.locator('#login-submit').click()
}

async function enter(page: Page, mode: 'guest' | 'signin' | 'create', name: string, password?: string): Promise<void> {
  await loginAs(page, mode, name, password)
  await page.locator('#chat-screen').waitFor({ state: 'visible' })
  await page.locator('#me-name', { hasText: name }).waitFor()
}

t.test('one identity in two browsers: rooms, DMs with unread badges, dm-read sync, revoke without reconnect', { skip }, async (t) => {
  await buildPage()
  mkdirSync(artifacts, { recursive: true })
  const server = await startServer(t)
  const browser = await launchChromium(t)
  const problems: string[] = []

  // Login screens: desktop, phone, dark.
  const ana1 = await openPage(t, browser, server.httpUrl, problems)
  await ana1.screenshot({ path: join(artifacts, 'accounts-login-desktop.png') })
  const phone = await openPage(t, browser, server.httpUrl, problems, { viewport: { width: 390, height: 844 } })
  await phone.locator('label[for="mode-create"]').click()
  await phone.locator('#password-field').waitFor({ state: 'visible' })
  await phone.screenshot({ path: join(artifacts, 'accounts-login-phone.png') })
  const dark = await openPage(t, browser, server.httpUrl, problems, { colorScheme: 'dark' })
  await dark.locator('label[for="mode-signin"]').click()
  await dark.locator('#login-name').fill('ana')
  await dark.locator('#login-password').fill('short')
  await dark.locator('#login-submit').click()
  await dark.locator('#login-error', { hasText: 'at least 8 characters' }).waitFor()
  await dark.screenshot({ path: join(artifacts, 'accounts-login-dark.png') })

  // ana creates an account and joins a room; bob (a guest) finds her by name and writes.
  await enter(ana1, 'create', 'ana', PASSWORD)
  await ana1.locator('#join-name').fill('design')
  await ana1.locator('#join-name').press('Enter')
  await ana1.locator('#conv-title', { hasText: '# design' }).waitFor()
  const bob = await openPage(t, browser, server.httpUrl, problems)
  await enter(bob, 'guest', 'bob')
  await bob.locator('#find-name').fill('AN')
  await bob.locator('#find-results button', { hasText: 'ana' }).click()
  await bob.locator('#conv-title', { hasText: '@ ana' }).waitFor()
  await sendFromComposer(bob, 'hello ana')
  const bobOnAna1 = ana1.locator('#dm-list .conv', { hasText: 'bob' })
  await bobOnAna1.locator('.badge', { hasText: '1' }).waitFor()
  await bobOnAna1.click()
  await ana1.locator('.msg.other .text', { hasText: 'hello ana' }).waitFor()
  await bobOnAna1.locator('.badge').waitFor({ state: 'detached' })
  await sendFromComposer(ana1, 'hi bob')
  await bob.locator('.msg.other .text', { hasText: 'hi bob' }).waitFor()
  await ana1.locator('#room-list .conv', { hasText: 'design' }).click()
  await sendFromComposer(bob, 'lunch at 12?')
  await bobOnAna1.locator('.badge', { hasText: '1' }).waitFor()

  // A second browser: a wrong password is refused in words, the right one brings everything back.
  const ana2 = await openPage(t, browser, server.httpUrl, problems)
  await loginAs(ana2, 'signin', 'ana', 'not the password')
  await ana2.locator('#login-error', { hasText: 'The name or password is wrong.' }).waitFor()
  t.equal(await ana2.locator('#chat-screen').isVisible(), false, 'a wrong password does not get in')
  await ana2.locator('#login-password').fill(PASSWORD)
  await ana2.locator('#login-submit').click()
  await ana2.locator('#me-name', { hasText: 'ana' }).waitFor()
  await t.resolveMatch(ana2.locator('#room-list').innerText(), /design[\s\S]*lobby/, 'the same rooms, from the server')
  const bobOnAna2 = ana2.locator('#dm-list .conv', { hasText: 'bob' })
  await bobOnAna2.locator('.badge', { hasText: '1' }).waitFor()
  t.equal(
    await ana2
      .locator('#dm-list')
      .getByRole('button', { name: /^Direct messages with bob\s*, 1 unread$/ })
      .count(),
    1,
    'the badge is spoken too',
  )
  await ana2.screenshot({ path: join(artifacts, 'accounts-dm-badge.png'), animations: 'disabled' })
  t.equal(await ana2.locator('#me-avatar').getAttribute('class'), await ana1.locator('#me-avatar').getAttribute('class'), 'the same avatar colour')

  // Reading in the second browser clears the badge in the first.
  await bobOnAna2.click()
  await ana2.locator('.msg.other .text', { hasText: 'lunch at 12?' }).waitFor()
  await bobOnAna1.locator('.badge').waitFor({ state: 'detached' })

  // The session list on the second browser: two devices, this one marked; revoke the first.
  await ana2.locator('#me-button').click()
  await ana2.locator('#account-dialog').waitFor({ state: 'visible' })
  await ana2.locator('#session-list .session').nth(1).waitFor()
  t.equal(await ana2.locator('#session-list .session').count(), 2)
  t.equal(await ana2.locator('#session-list .session.current').count(), 1)
  await t.resolveMatch(ana2.locator('#session-list .session.current').innerText(), /Chrom(e|ium) on Linux[\s\S]*this device/, 'the device label comes from the browser')
  await ana2.screenshot({ path: join(artifacts, 'accounts-sessions.png'), animations: 'disabled' })
  await ana2.setViewportSize({ width: 390, height: 844 })
  await ana2.emulateMedia({ colorScheme: 'dark' })
  await ana2.screenshot({ path: join(artifacts, 'accounts-sessions-phone-dark.png'), animations: 'disabled' })
  await ana2.locator('#account-close').click()
  await ana2.locator('#menu-toggle').click()
  await ana2.locator('#sidebar').waitFor({ state: 'visible' })
  await ana2.screenshot({ path: join(artifacts, 'accounts-drawer-phone-dark.png'), animations: 'disabled' })
  await ana2.keyboard.press('Escape')
  await ana2.setViewportSize({ width: 1280, height: 800 })
  await ana2.emulateMedia({ colorScheme: 'light' })
  await ana2.locator('#me-button').click()
  await ana2.locator('#session-list .session').nth(1).waitFor()

  let reconnects = 0
  ana1.on('websocket', () => reconnects++)
  await ana2.locator('#session-list .session:not(.current) button', { hasText: 'Revoke' }).click()
  await ana1.locator('#login-notice', { hasText: 'This session was signed out from another device.' }).waitFor()
  await ana1.locator('#login-screen').waitFor({ state: 'visible' })
  t.equal(await ana1.locator('#mode-signin').isChecked(), true, 'a registered user is offered to sign in again')
  t.equal(await ana1.locator('#login-name').inputValue(), 'ana')
  await ana2.locator('#session-list .session').nth(1).waitFor({ state: 'detached' })
  // Long enough for several reconnect attempts at the client's backoff (0.25 s and up).
  await ana1.waitForTimeout(2_000)
  t.equal(reconnects, 0, 'the revoked page opened no WebSocket after the close')
  t.equal(await ana1.locator('#login-screen').isVisible(), true, 'and stays on the login screen')
  await ana1.screenshot({ path: join(artifacts, 'accounts-revoked.png') })
  t.equal(await ana1.evaluate(() => localStorage.getItem('wirechat.v1')?.includes('"session"') ?? false), false, 'the dead key is not kept')

  // Deleting the account (password, then a confirmation) frees the name.
  ana2.once('dialog', (dialog) => void dialog.accept())
  await ana2.locator('#delete-password').fill(PASSWORD)
  await ana2.locator('#delete-form button[type="submit"]').click()
  await ana2.locator('#login-screen').waitFor({ state: 'visible' })
  await ana2.locator('#login-conn[data-state="open"]').waitFor()
  await enter(ana2, 'guest', 'ana')

  t.same(problems, [], 'no script errors or CSP violations')
})
