// The page's persistent outbox in real headless Chromium against a real server:
// a message sent while the server is down, and one sent just before a page
// reload, are each delivered exactly once — one row at the sender, one at the
// reader, one copy in history — and the pending line ("Sending…") bridges the gap.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { chromiumMissing, launchChromium, newUserPage } from '../helpers/browser.ts'
import t, { type Test } from 'tap'
import { buildPage } from '../../client/build.ts'
import { connectAndLogin } from '../helpers/chat-client.ts'
import { eventually } from '../helpers/eventually.ts'
import { startServer, type TestServer } from '../helpers/server.ts'

/** Reconnecting after a restart: the page's backoff, cut short by its Retry button. */
const BACK_MS = 15_000
const artifacts = join(process.cwd(), 'test-artifacts')

const skip = chromiumMissing(t)

async function openPage(t: Test, browser: Browser, url: string, problems: string[]): Promise<Page> {
  const page = await newUserPage(t, browser, problems)
  await page.goto(url)
  return page
}

async function logIn(page: Page, name: string): Promise<void> {
  await page.locator('#login-name').fill(name)
  await page.locator('#login-name').press('Enter')
  await page.locator('#me-name', { hasText: name }).waitFor()
}

/** Types and sends without waiting for anything: the send may not be acknowledged for a while. */
async function typeAndSend(page: Page, text: string): Promise<void> {
  await page.locator('#composer-input').fill(text)
  await page.locator('#composer-input').press('Enter')
}

const exactly = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`)
/** Rows showing `text` on the page, pending lines included. */
const rows = (page: Page, text: string) => page.locator('.msg .text', { hasText: exactly(text) })
/** Outbox entries this page's origin keeps in localStorage. */
const storedOutbox = (page: Page) =>
  page.evaluate(() =>
    Object.keys(localStorage)
      .filter((k) => k.startsWith('wirechat.outbox'))
      .map((k) => localStorage.getItem(k)),
  )

/** Waits until the page is connected again, pressing Retry so the backoff does not decide the test's pace. */
async function backOnline(page: Page): Promise<void> {
  const retry = page.locator('#conn-retry')
  if (await retry.isVisible()) await retry.click().catch(() => {}) // it may have reconnected meanwhile
  await page.locator('#conn-status[data-state="open"]').waitFor({ timeout: BACK_MS })
}

/** Sends a marker from `from` and waits for `to` to show it: every earlier message of the room has been shown by then. */
async function flush(from: Page, to: Page, marker: string): Promise<void> {
  await typeAndSend(from, marker)
  await to.locator('.msg.other .text', { hasText: exactly(marker) }).waitFor()
}

t.test('messages sent while the server is down or just before a reload are delivered exactly once', { timeout: 60_000, skip }, async (t) => {
  await buildPage()
  mkdirSync(artifacts, { recursive: true })
  const dataDir = mkdtempSync(join(tmpdir(), 'wirechat-e2e-outbox-'))
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }))
  let server: TestServer = await startServer(t, { dataDir })
  const restart = async () => {
    server = await startServer(t, { dataDir, port: server.port })
  }
  const browser = await launchChromium(t)
  const problems: string[] = []

  const ana = await openPage(t, browser, server.httpUrl, problems)
  await logIn(ana, 'ana')
  const bob = await openPage(t, browser, server.httpUrl, problems)
  await logIn(bob, 'bob')
  await ana.locator('.system', { hasText: 'bob joined' }).waitFor()

  await t.test('a message sent while the server is down is delivered once when it returns', async (t) => {
    const text = 'sent while the server was down'
    await server.app.close()
    await ana.locator('#conn-status[data-state="reconnecting"]').waitFor()
    await typeAndSend(ana, text)
    const pending = ana.locator('.outbox .pending', { hasText: text })
    await pending.locator('.send-state', { hasText: 'Sending…' }).waitFor()
    t.equal((await storedOutbox(ana)).length, 1, 'the send is in localStorage before the server has it')
    await ana.screenshot({ path: join(artifacts, 'outbox-offline.png') })

    await restart()
    await backOnline(ana)
    await backOnline(bob)
    await ana.locator('#messages .msg.own .text', { hasText: exactly(text) }).waitFor()
    await pending.waitFor({ state: 'detached' })
    await flush(ana, bob, 'marker one')
    t.equal(await rows(ana, text).count(), 1, 'one row at the sender: the pending line became the message')
    t.equal(await rows(bob, text).count(), 1, 'one row at the reader')
    t.same(await storedOutbox(ana), [], 'the ack emptied the outbox')
    await ana.screenshot({ path: join(artifacts, 'outbox-delivered.png') })
  })

  await t.test('a message sent, then the page reloaded before the ack, shows as pending after the reload and is delivered once', async (t) => {
    const text = 'typed just before the reload'
    // Record every pending line any future document of this page shows: the reloaded page
    // re-sends at once, so its "Sending…" line may be gone before a locator could look.
    await ana.addInitScript(() => {
      const seen: string[] = []
      const known = new WeakSet<Element>() // an element moved around (the outbox re-attached) counts once
      ;(window as unknown as { __pendingSeen: string[] }).__pendingSeen = seen
      new MutationObserver((records) => {
        for (const record of records) {
          for (const node of record.addedNodes) {
            if (!(node instanceof Element)) continue
            for (const el of [node, ...node.querySelectorAll('.pending')]) {
              if (!el.matches('.pending') || known.has(el)) continue
              known.add(el)
              seen.push(`${el.querySelector('.text')?.textContent}|${el.querySelector('.send-state')?.textContent}`)
            }
          }
        }
      }).observe(document, { childList: true, subtree: true })
    })

    await server.app.close()
    await ana.locator('#conn-status[data-state="reconnecting"]').waitFor()
    await typeAndSend(ana, text)
    await ana.locator('.outbox .pending', { hasText: text }).waitFor()
    await ana.screenshot({ path: join(artifacts, 'outbox-before-reload.png') })
    // The reload itself fails while the server is down (the page is served by it); the old page is gone either way.
    await ana.reload().catch(() => {})
    await ana.waitForFunction(() => location.href.startsWith('chrome-error:'))
    t.equal(await ana.locator('#chat-screen').count(), 0, 'the old page is gone')
    await restart()
    await ana.goto(server.httpUrl) // reloading again, now that the server is back
    await ana.locator('#me-name', { hasText: 'ana' }).waitFor()
    await ana.locator('#messages .msg.own .text', { hasText: exactly(text) }).waitFor()
    const seen = await ana.evaluate(() => (window as unknown as { __pendingSeen: string[] }).__pendingSeen)
    t.same(seen, [`${text}|Sending…`], 'after the reload the entry was shown as one pending line')
    t.equal(await ana.locator('.outbox .pending').count(), 0, 'and it is gone now')
    await ana.screenshot({ path: join(artifacts, 'outbox-after-reload.png') })

    await backOnline(bob)
    await flush(ana, bob, 'marker two')
    t.equal(await rows(ana, text).count(), 1, 'one row at the sender')
    t.equal(await rows(bob, text).count(), 1, 'one row at the reader')
    t.same(await storedOutbox(ana), [])
  })

  await t.test('a message stored whose ack was lost is not shown twice after a reload: the history copy stands, the re-send is a duplicate', async (t) => {
    const text = 'stored but never acknowledged'
    // ana's page loses its chat-ok frames on the way (the proxy drops them) while `eatAcks` is set.
    let eatAcks = true
    let eaten = 0
    await ana.routeWebSocket(/\/ws$/, (ws) => {
      const upstream = ws.connectToServer()
      upstream.onMessage((message) => {
        if (eatAcks && String(message).includes('"type":"chat-ok"')) eaten++
        else ws.send(message)
      })
    })
    await ana.reload()
    await ana.locator('#conn-status[data-state="open"]').waitFor()
    await typeAndSend(ana, text)
    await bob.locator('.msg.other .text', { hasText: exactly(text) }).waitFor()
    // bob's copy and ana's ack travel on two sockets: either may come first.
    await eventually(() => eaten > 0, 'the ack reaches the proxy')
    t.equal(eaten, 1, 'the server stored it and acknowledged it; the page never heard')
    t.equal((await storedOutbox(ana)).length, 1, 'so it is still in the outbox')
    eatAcks = false
    await ana.reload()
    await ana.locator('#messages .msg.own .text', { hasText: exactly(text) }).waitFor()
    await t.resolveMatch(
      ana.waitForFunction(() => Object.keys(localStorage).every((k) => !k.startsWith('wirechat.outbox'))).then(() => true),
      true,
      'the re-send was acknowledged (duplicate) and left the outbox',
    )
    const seen = await ana.evaluate(() => (window as unknown as { __pendingSeen: string[] }).__pendingSeen)
    t.same(seen, [], 'no pending line after the reload: the join snapshot already had the message')
    await flush(ana, bob, 'marker three')
    t.equal(await rows(ana, text).count(), 1, 'one row at the sender')
    t.equal(await rows(bob, text).count(), 1, 'one row at the reader')
  })

  // The server's own record: each message stored once.
  const reader = await connectAndLogin(t, server, 'reader')
  const history = await reader.client.history('lobby')
  for (const text of ['sent while the server was down', 'typed just before the reload', 'stored but never acknowledged']) {
    t.equal(history.messages.filter((m) => m.text === text).length, 1, `"${text}" is stored once`)
  }
  t.same(problems, [], 'no script errors on either page')
})
