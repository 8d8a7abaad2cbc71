// A DM conversation in real headless Chromium is the server's, not the tab's:
// after a reload and in a second browser, opening it shows its recent history
// (a page, capped here at 20 by historyPageMax) and scrolling up brings the
// rest (dm-history, protocol 1.3.0).
import type { Page } from 'playwright-core'
import t, { type Test } from 'tap'
import { buildPage } from '../../client/build.ts'
import { chromiumMissing, launchChromium, newUserPage } from '../helpers/browser.ts'
import { RawClient } from '../helpers/raw-client.ts'
import { startServer } from '../helpers/server.ts'

const PASSWORD = 'a long passphrase'
const skip = chromiumMissing(t)

async function signIn(page: Page, url: string): Promise<void> {
  await page.goto(url)
  await page.locator('#login-conn[data-state="open"]').waitFor()
  await page.locator('label[for="mode-signin"]').click()
  await page.locator('#login-name').fill('ana')
  await page.locator('#login-password').fill(PASSWORD)
  await page.locator('#login-submit').click()
  await page.locator('#me-name', { hasText: 'ana' }).waitFor()
}

/** Opens the conversation with bob and checks that it shows the newest 20 of 30, then all of them after scrolling up. */
async function readConversation(t: Test, page: Page, label: string): Promise<void> {
  await page.locator('#dm-list .conv', { hasText: 'bob' }).click()
  await page.locator('#conv-title', { hasText: '@ bob' }).waitFor()
  await page.locator('#messages .text', { hasText: /^dm 11$/ }).waitFor()
  const shown = async () => page.locator('#messages .msg .text').allInnerTexts()
  t.same(
    await shown(),
    Array.from({ length: 20 }, (_, i) => `dm ${i + 11}`),
    `${label}: the newest page of the conversation, not only its last message`,
  )
  // Scrolled to the top, the page asks for the earlier messages by itself ("Load earlier messages" is the fallback).
  await page.locator('#scroller').evaluate((el) => {
    el.scrollTop = 0
  })
  await page.locator('#messages .text', { hasText: /^dm 1$/ }).waitFor()
  t.same(
    await shown(),
    Array.from({ length: 30 }, (_, i) => `dm ${i + 1}`),
    `${label}: scrolled up, the earlier messages`,
  )
  await page.locator('#load-older').waitFor({ state: 'hidden' })
  t.equal(await page.locator('#messages .msg.own').count(), 15, `${label}: ana's own messages are hers`)
}

t.test('a DM conversation of 30 messages after a reload and on a second browser', { skip }, async (t) => {
  await buildPage()
  const server = await startServer(t, { historyPageMax: 20, messagesPerSecond: 1000, messageBurst: 1000 })
  // ana (registered) and bob write 30 DMs, ana the odd ones, before any browser opens.
  const { client: ana, login: anaLogin } = await RawClient.login(t, server.url, { name: 'ana', rooms: [] })
  t.match(await ana.request({ type: 'register', password: PASSWORD }), { type: 'register-ok' })
  const { client: bob, login: bobLogin } = await RawClient.login(t, server.url, { name: 'bob', rooms: [] })
  for (let i = 1; i <= 30; i++) {
    const reply = await (i % 2 ? ana.request({ type: 'dm', to: bobLogin.userId, text: `dm ${i}` }) : bob.request({ type: 'dm', to: anaLogin.userId, text: `dm ${i}` }))
    t.equal(reply.type, 'dm-ok')
  }
  ana.close()

  const browser = await launchChromium(t)
  const problems: string[] = []
  const first = await newUserPage(t, browser, problems)
  await signIn(first, server.httpUrl)
  await readConversation(t, first, 'signed in')

  await first.reload()
  await first.locator('#me-name', { hasText: 'ana' }).waitFor()
  await readConversation(t, first, 'after a reload')

  const second = await newUserPage(t, browser, problems)
  await signIn(second, server.httpUrl)
  await readConversation(t, second, 'a second browser')

  t.same(problems, [], 'no script errors')
})
