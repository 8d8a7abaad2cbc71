// Debian's Chromium for the end-to-end tests, driven by playwright-core. In CI
// a missing browser fails the run; elsewhere the e2e tests skip with a reason.
import { existsSync } from 'node:fs'
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core'

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
/** Without the background-networking flags Chromium dials out at start, and this machine's closed network refuses it. */
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']

interface Tap {
  fail(message: string): void
  teardown(fn: () => unknown): void
}

/** A skip reason when Chromium is missing outside CI; in CI the missing browser is a failure. */
export function chromiumMissing(t: Tap): string | false {
  if (existsSync(CHROMIUM)) return false
  if (process.env.CI) t.fail(`Chromium not found at ${CHROMIUM} (set CHROMIUM_PATH); the e2e suite must run in CI`)
  return `Chromium not found at ${CHROMIUM}; set CHROMIUM_PATH to run the e2e suite`
}

/** A headless Chromium closed at teardown. */
export async function launchChromium(t: Tap): Promise<Browser> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true })
  t.teardown(() => browser.close())
  return browser
}

/** Bound on one expected change of the page. */
export const PAGE_WAIT_MS = 5_000

/**
 * A page in a browser context of its own (own storage: a separate browser as far as the page
 * knows), closed at teardown. Page errors and console errors go to `problems`, except the refused
 * connections a test provokes by stopping the server.
 */
export async function newUserPage(t: Tap, browser: Browser, problems: string[], options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options })
  t.teardown(() => context.close())
  const page = await context.newPage()
  page.setDefaultTimeout(PAGE_WAIT_MS)
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`))
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !/ERR_CONNECTION_REFUSED|WebSocket connection to/.test(msg.text())) problems.push(`console: ${msg.text()}`)
  })
  return page
}

/** Sends a line from the composer and waits until it shows as the user's own message. */
export async function sendFromComposer(page: Page, text: string): Promise<void> {
  await page.locator('#composer-input').fill(text)
  await page.locator('#composer-input').press('Enter')
  await page.locator('.msg.own .text', { hasText: text }).last().waitFor()
}

/** Joins (or creates) a room from the sidebar's box and waits until it is the conversation shown. */
export async function joinRoom(page: Page, room: string): Promise<void> {
  await page.locator('#join-name').fill(room)
  await page.locator('#join-name').press('Enter')
  await page.locator('#conv-title', { hasText: `# ${room}` }).waitFor()
}

/** Logs in as a guest named `name` (opening `url` first when given) and waits for the chat screen. */
export async function logIn(page: Page, name: string, url?: string): Promise<void> {
  if (url !== undefined) await page.goto(url)
  await page.locator('#login-name').fill(name)
  await page.locator('#login-name').press('Enter')
  await page.locator('#me-name', { hasText: name }).waitFor({ state: 'attached' })
  await page.locator('#chat-screen').waitFor()
}

/** A new browser context on the server's page, logged in as a guest named `name` (waiting for the socket first). */
export async function openAs(t: Tap, browser: Browser, server: { httpUrl: string }, problems: string[], name: string): Promise<Page> {
  const page = await newUserPage(t, browser, problems)
  await page.goto(server.httpUrl)
  await page.locator('#login-conn[data-state="open"]').waitFor()
  await page.locator('#login-name').fill(name)
  await page.locator('#login-name').press('Enter')
  await page.locator('#me-name', { hasText: name }).waitFor()
  return page
}
