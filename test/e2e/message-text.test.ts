// Message text in real headless Chromium against a real server: markdown and
// links become elements, and no payload — script markup, javascript:/data:/
// vbscript: links, lookalike schemes, markdown inside code — runs anything,
// violates the CSP, makes a link to anything but http(s)/mailto, or navigates.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import t from 'tap'
import { buildPage } from '../../client/build.ts'
import { chromiumMissing, launchChromium, newUserPage } from '../helpers/browser.ts'
import { connectAndLogin } from '../helpers/chat-client.ts'
import { startServer } from '../helpers/server.ts'

const artifacts = join(process.cwd(), 'test-artifacts')
const skip = chromiumMissing(t)

/** Counts what a payload could do: dialogs, CSP violations, a flag set by injected script. Installed before any page script. */
function watchForScripts(): void {
  const w = window as unknown as { __alerts: string[]; __csp: string[] }
  w.__alerts = []
  w.__csp = []
  for (const name of ['alert', 'confirm', 'prompt'] as const) {
    ;(window as unknown as Record<string, unknown>)[name] = (arg: unknown) => {
      w.__alerts.push(`${name}(${String(arg)})`)
    }
  }
  document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`))
}
const alerts = (page: Page) => page.evaluate(() => (window as unknown as { __alerts: string[] }).__alerts)
const violations = (page: Page) => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)
const xssFlag = (page: Page) => page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)

/** Every link in the message list: href, rel, target. */
const linksIn = (page: Page) =>
  page.locator('#messages a').evaluateAll((as) => as.map((a) => ({ href: a.getAttribute('href'), rel: a.getAttribute('rel'), target: a.getAttribute('target'), text: a.textContent })))

const HOSTILE = [
  '[x](javascript:alert(1))',
  '<img src=x onerror=alert(2)>',
  'javascript:alert(3)',
  'data:text/html,<script>alert(4)</script>',
  '[y](data:text/html,<script>alert(5)</script>)',
  'JAVASCRIPT:alert(6)',
  '[z](JaVaScRiPt:alert(7))',
  '[w](jav&#x09;ascript:alert(8))',
  '[v](&#106;avascript:alert(9))',
  '`[c](javascript:alert(10))` and `<img src=x onerror=alert(11)>`',
  '```\n<script>window.__xss=12</script>\n[k](javascript:alert(13))\n```',
  '[q]( javascript:alert(14))',
  '[r](vbscript:msgbox(15))',
  '**<svg onload=alert(16)>** _<iframe src=javascript:alert(17)>_',
  '<a href="javascript:alert(18)">click</a>',
  '[**bold label**](javascript:alert(19))',
  '  javascript:alert(20)',
  '[s](\u00a0javascript:alert(21))',
  '[u](java\tscript:alert(22))',
]

t.test('markdown and links render as elements; hostile text stays text and runs nothing', { timeout: 90_000, skip }, async (t) => {
  await buildPage()
  mkdirSync(artifacts, { recursive: true })
  const server = await startServer(t, { messagesPerSecond: 200, messageBurst: 200 })
  const browser = await launchChromium(t)
  const problems: string[] = []
  const ana = await newUserPage(t, browser, problems)
  await ana.addInitScript(watchForScripts)
  const popups: string[] = []
  ana.context().on('page', (p) => popups.push(p.url()))
  await ana.goto(server.httpUrl)
  await ana.locator('#login-name').fill('ana')
  await ana.locator('#login-name').press('Enter')
  await ana.locator('#me-name', { hasText: 'ana' }).waitFor()
  const bob = await connectAndLogin(t, server, 'bob', ['lobby'])
  await ana.locator('.system', { hasText: 'bob joined' }).waitFor()
  const home = ana.url()

  await t.test('markdown becomes elements, links are safe new-tab links, text direction is automatic', async (t) => {
    await bob.client.sendChat('lobby', '**bold** *italic* _also_ ~~gone~~ `code` and https://example.com/a_(b). and [docs](https://example.com/docs) and mailto:ana@example.com')
    await bob.client.sendChat('lobby', '> a quote with **bold**\n\n```js\nconst x = `**not bold**`\n```\nafter')
    const first = ana.locator('.msg .text', { hasText: 'bold italic also' })
    await first.waitFor()
    t.equal(await first.locator('strong').innerText(), 'bold')
    t.same(await first.locator('em').allInnerTexts(), ['italic', 'also'])
    t.equal(await first.locator('s').innerText(), 'gone')
    t.equal(await first.locator('code').innerText(), 'code')
    t.same(await first.locator('a').evaluateAll((as) => as.map((a) => [a.getAttribute('href'), a.textContent, a.getAttribute('rel'), a.getAttribute('target')])), [
      ['https://example.com/a_(b)', 'https://example.com/a_(b)', 'noopener noreferrer', '_blank'],
      ['https://example.com/docs', 'docs', 'noopener noreferrer', '_blank'],
      ['mailto:ana@example.com', 'mailto:ana@example.com', 'noopener noreferrer', '_blank'],
    ])
    t.equal(await first.getAttribute('dir'), 'auto', 'dir="auto" on message text')
    const second = ana.locator('.msg .text', { hasText: 'a quote with' })
    await second.waitFor()
    t.equal(await second.locator('blockquote strong').innerText(), 'bold')
    t.equal(await second.locator('pre code').innerText(), 'const x = `**not bold**`', 'code blocks keep markdown as text')
    t.equal(await second.locator('pre strong').count(), 0)
    await ana.screenshot({ path: join(artifacts, 'message-text-markdown.png') })
  })

  await t.test('hostile payloads, from another user and typed by ana herself, are text', async (t) => {
    for (const text of HOSTILE) await bob.client.sendChat('lobby', text)
    // The sender's own rendering too: through the composer.
    for (const text of ['[mine](javascript:alert(30))', '<img src=x onerror=alert(31)>']) {
      await ana.locator('#composer-input').fill(text)
      await ana.locator('#composer-input').press('Enter')
      await ana.locator('#messages .msg.own .text', { hasText: text }).waitFor()
    }
    await ana.locator('.msg .text', { hasText: 'java\tscript:alert(22)'.replace('\t', ' ') }).waitFor()

    for (const link of await linksIn(ana)) {
      t.match(link.href, /^(https?:\/\/|mailto:)/, `only http(s) and mailto links (${link.href})`)
      t.equal(link.rel, 'noopener noreferrer')
      t.equal(link.target, '_blank')
    }
    t.equal(await ana.locator('#messages img, #messages svg, #messages script, #messages iframe, #messages object, #messages embed').count(), 0, 'no element made from markup')
    // Every payload is on the page as the text it was (modulo markdown of the safe kind).
    const texts = await ana.locator('#messages .msg .text').allTextContents()
    for (const needle of [
      'javascript:alert(1)',
      '<img src=x onerror=alert(2)>',
      'data:text/html,<script>alert(4)</script>',
      'JAVASCRIPT:alert(6)',
      'jav&#x09;ascript:alert(8)',
      '&#106;avascript:alert(9)',
      '<script>window.__xss=12</script>',
      'vbscript:msgbox(15)',
      '<svg onload=alert(16)>',
      '<a href="javascript:alert(18)">click</a>',
      'javascript:alert(30)',
    ]) {
      t.ok(
        texts.some((s) => s.includes(needle)),
        `"${needle}" shows as text`,
      )
    }
    t.same(
      await ana.locator('#messages .msg .text', { hasText: '[c](javascript:alert(10))' }).locator('code').allInnerTexts(),
      ['[c](javascript:alert(10))', '<img src=x onerror=alert(11)>'],
      'markdown inside code is code',
    )

    // Clicking every hostile line (and the bold label of a refused link) navigates nowhere and runs nothing.
    const hostileLines = ana.locator('#messages .msg .text', { hasText: /alert|msgbox|__xss/ })
    const count = await hostileLines.count()
    t.ok(count >= HOSTILE.length, `${count} hostile lines shown`)
    for (let i = 0; i < count; i++) await hostileLines.nth(i).click()
    await ana.locator('#messages strong', { hasText: 'bold label' }).click()

    // A marker after everything: by the time it shows, every earlier payload has been rendered for a while.
    await bob.client.sendChat('lobby', 'end of payloads')
    await ana.locator('.msg .text', { hasText: 'end of payloads' }).waitFor()
    t.same(await alerts(ana), [], 'no alert, confirm or prompt ran')
    t.equal(await xssFlag(ana), undefined, 'no injected script ran')
    t.same(await violations(ana), [], 'no CSP violation (nothing even tried to run inline)')
    t.equal(ana.url(), home, 'no navigation')
    t.same(popups, [], 'no window opened')
    await ana.screenshot({ path: join(artifacts, 'message-text-xss.png') })
  })

  t.same(problems, [], 'no script errors or CSP reports in the console')

  await t.test('the watchers would have seen an attempt (a probe after the checks)', async (t) => {
    await ana.evaluate(() => {
      const img = document.createElement('img')
      img.setAttribute('src', 'data:,x')
      img.setAttribute('onerror', 'window.__xss = 1') // an inline handler: the CSP refuses it and says so
      document.body.append(img)
      window.alert('probe')
    })
    await ana.waitForFunction(() => (window as unknown as { __csp: string[] }).__csp.length > 0)
    t.match(await violations(ana), [/^script-src/], 'the CSP listener reports a refused inline handler')
    t.same(await alerts(ana), ['alert(probe)'], 'the dialog hook records calls')
    t.equal(await xssFlag(ana), undefined)
  })
})
