// Debian's Chromium for the end-to-end tests, driven by playwright-core. In CI
// a missing browser fails the run; elsewhere the e2e tests skip with a reason.
import { existsSync } from 'node:fs'
import { chromium, type Browser } from 'playwright-core'

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
