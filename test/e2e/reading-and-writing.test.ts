// Reading and writing on the page in real headless Chromium against a real
// server: older history loads on scroll-up without moving what the reader
// looks at; new messages do not yank a reader who scrolled up (a pill counts
// them); the last conversation and each conversation's draft survive a
// reload; the composer refuses over-long text and invisible characters before
// sending, never clearing them; typing never costs a message, and a
// rate-limited send goes again by itself.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import t, { type Test } from 'tap'
import { buildPage } from '../../client/build.ts'
import type { ChatMessage } from '../../protocol/index.ts'
import { chromiumMissing, launchChromium, newUserPage, joinRoom } from '../helpers/browser.ts'
import { collect, connectAndLogin } from '../helpers/chat-client.ts'
import { eventually } from '../helpers/eventually.ts'
import { namespace, namespacesFile } from '../helpers/namespaces.ts'
import { startServer } from '../helpers/server.ts'

const artifacts = join(process.cwd(), 'test-artifacts')
const skip = chromiumMissing(t)

async function logIn(page: Page, name: string): Promise<void> {
  await page.locator('#login-name').fill(name)
  await page.locator('#login-name').press('Enter')
  await page.locator('#me-name', { hasText: name }).waitFor()
}

const openRoom = async (page: Page, room: string) => {
  await page.locator('#room-list .conv', { hasText: room }).click()
  await page.locator('#conv-title', { hasText: `# ${room}` }).waitFor()
}

/**
 * The first line (with an id) whose bottom is inside the message pane, and its top's distance from the
 * pane's top; `scrollToTop` scrolls to the top first, in the same task, so the measure comes before any
 * history the scroll asks for.
 */
const firstVisible = (page: Page, scrollToTop = false) =>
  page.evaluate((scrollToTop) => {
    const scroller = document.getElementById('scroller')!
    if (scrollToTop) scroller.scrollTop = 0
    const top = scroller.getBoundingClientRect().top
    for (const li of document.querySelectorAll<HTMLElement>('#messages li[data-id]')) {
      const rect = li.getBoundingClientRect()
      if (rect.bottom > top) return { id: li.dataset.id!, offset: rect.top - top, text: li.querySelector('.text')?.textContent ?? '' }
    }
    throw new Error('no line visible')
  }, scrollToTop)
const offsetOf = (page: Page, id: string) =>
  page.evaluate((id) => {
    const li = document.querySelector<HTMLElement>(`#messages li[data-id="${CSS.escape(id)}"]`)!
    return li.getBoundingClientRect().top - document.getElementById('scroller')!.getBoundingClientRect().top
  }, id)
/** Scrolls to `fromBottom` pixels above the newest line. */
const scrollUp = (page: Page, fromBottom: number) =>
  page.locator('#scroller').evaluate((el, fromBottom) => {
    el.scrollTop = el.scrollHeight - el.clientHeight - fromBottom
  }, fromBottom)
const atBottom = (page: Page) => page.locator('#scroller').evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight < 2)
const messageCount = (page: Page) => page.locator('#messages li.msg').count()
const composerValue = (page: Page) => page.locator('#composer-input').inputValue()

/** Records every outgoing line that was ever marked failed, from now on. */
async function watchFailures(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: string[] = []
    ;(window as unknown as { __failed: string[] }).__failed = seen
    new MutationObserver((records) => {
      for (const r of records) {
        const el = r.target
        if (el instanceof Element && el.matches('.pending.failed')) seen.push(`${el.querySelector('.text')?.textContent}: ${el.querySelector('.send-state')?.textContent}`)
      }
    }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['class'] })
  })
}
const failures = (page: Page) => page.evaluate(() => (window as unknown as { __failed: string[] }).__failed)

t.test('reading: history on scroll-up, the pill, the last conversation; writing: drafts and limits', { timeout: 120_000, skip }, async (t) => {
  await buildPage()
  mkdirSync(artifacts, { recursive: true })
  const file = namespacesFile(t, { namespaces: [namespace('short', { limits: { maxTextChars: 100 } }), namespace('slow', { limits: { slowModeMs: 1_500 } })] })
  const server = await startServer(t, { messagesPerSecond: 1_000, messageBurst: 1_000, namespacesFile: file })
  const browser = await launchChromium(t)
  const problems: string[] = []
  const bob = await connectAndLogin(t, server, 'bob', ['history', 'short:talk', 'slow:room'])
  for (let i = 1; i <= 230; i++)
    await bob.client.sendChat('history', i % 7 === 0 ? `history ${i}: **a longer line** that wraps, to make the lines of different heights ${'and more words '.repeat(4)}` : `history ${i}`)

  const ana = await newUserPage(t, browser, problems)
  await ana.goto(server.httpUrl)
  await logIn(ana, 'ana')
  await joinRoom(ana, 'history')
  await ana.locator('#messages .msg .text', { hasText: 'history 230' }).waitFor()

  await t.test('scrolling to the top loads older history, and the first message seen stays where it was', async (t) => {
    t.equal(await messageCount(ana), 100, 'the join brings the newest 100')
    t.ok(await ana.locator('#load-older').isVisible(), 'the button is there for keyboards')
    const before = await firstVisible(ana, true)
    t.match(before.text, /^history 131\b/, 'the oldest loaded message is at the top')
    await ana.waitForFunction(() => document.querySelectorAll('#messages li.msg').length === 200)
    await ana.waitForFunction(() => !(document.getElementById('load-older') as HTMLButtonElement).disabled)
    t.ok(Math.abs((await offsetOf(ana, before.id)) - before.offset) <= 1, 'it has not moved on screen (the older ones are above it, out of view or in the space above)')
    await ana.screenshot({ path: join(artifacts, 'scroll-autoload.png') })

    // The rest with the keyboard: the button loads the last page; then there is nothing older.
    await ana.locator('#load-older').focus()
    await ana.keyboard.press('Enter')
    await ana.waitForFunction(() => document.querySelectorAll('#messages li.msg').length === 230)
    await ana.locator('#load-older').waitFor({ state: 'hidden' })
    t.match(await ana.locator('#messages .msg .text').first().innerText(), /^history 1$/, 'the whole history, oldest first')
  })

  await t.test('scrolled up, new messages do not move the view; a pill counts them and jumps to the latest', async (t) => {
    await ana.locator('#jump-latest').click() // far from the newest: the pill offers the way back
    t.ok(await atBottom(ana))
    await scrollUp(ana, 1_200)
    const before = await firstVisible(ana)
    for (const text of ['new one', 'new two', 'new three']) await bob.client.sendChat('history', text)
    await ana.locator('#jump-latest', { hasText: '3 new messages' }).waitFor()
    t.equal((await firstVisible(ana)).id, before.id, 'the same message is first in view')
    t.ok(Math.abs((await offsetOf(ana, before.id)) - before.offset) <= 1, 'at the same place')
    t.notOk(await atBottom(ana))
    await ana.screenshot({ path: join(artifacts, 'scroll-pill.png') })
    await ana.locator('#jump-latest').click()
    t.ok(await atBottom(ana), 'the pill scrolls to the newest')
    await ana.locator('#jump-latest').waitFor({ state: 'hidden' })
    // At the bottom the list follows again.
    await bob.client.sendChat('history', 'new four')
    await ana.locator('#messages .msg .text', { hasText: 'new four' }).waitFor()
    await ana.waitForFunction(() => {
      const el = document.getElementById('scroller')!
      return el.scrollHeight - el.scrollTop - el.clientHeight < 2
    })
    t.ok(await ana.locator('#jump-latest').isHidden(), 'no pill when following')
  })

  await t.test('the last conversation, room or direct, is shown again after a reload', async (t) => {
    await joinRoom(ana, 'zeta')
    await ana.reload()
    await ana.locator('#me-name', { hasText: 'ana' }).waitFor()
    await ana.locator('#conv-title', { hasText: '# zeta' }).waitFor()
    t.pass('zeta, not the first room of the list')

    const anaId = (await bob.client.findUsers('ana'))[0]!.userId
    await bob.client.sendDm(anaId, 'a direct hello')
    await ana.locator('#dm-list .conv', { hasText: 'bob' }).click()
    await ana.locator('#conv-title', { hasText: '@ bob' }).waitFor()
    await ana.reload()
    await ana.locator('#conv-title', { hasText: '@ bob' }).waitFor()
    await ana.locator('#messages .msg .text', { hasText: 'a direct hello' }).waitFor()
    t.pass('the direct conversation again')
  })

  await t.test('each conversation keeps its draft, across switches and a reload; sending clears it', async (t) => {
    await openRoom(ana, 'zeta')
    await ana.locator('#composer-input').fill('half a thought in zeta')
    await openRoom(ana, 'history')
    t.equal(await composerValue(ana), '', 'another room, another box')
    await ana.locator('#composer-input').fill('draft for history')
    await openRoom(ana, 'zeta')
    t.equal(await composerValue(ana), 'half a thought in zeta')
    await ana.locator('#dm-list .conv', { hasText: 'bob' }).click()
    t.equal(await composerValue(ana), '')
    await ana.reload()
    await ana.locator('#conv-title', { hasText: '@ bob' }).waitFor()
    await openRoom(ana, 'zeta')
    t.equal(await composerValue(ana), 'half a thought in zeta', 'after a reload')
    await openRoom(ana, 'history')
    t.equal(await composerValue(ana), 'draft for history')
    await ana.locator('#composer-input').press('Enter')
    await ana.locator('#messages .msg.own .text', { hasText: 'draft for history' }).waitFor()
    t.equal(await composerValue(ana), '')
    await ana.reload()
    await ana.locator('#conv-title', { hasText: '# history' }).waitFor()
    await ana.locator('#messages .msg.own .text', { hasText: 'draft for history' }).waitFor()
    t.equal(await composerValue(ana), '', 'a sent draft does not come back')
  })

  await t.test("the counter shows near the room's limit; an over-long text is refused before sending and kept", async (t) => {
    await joinRoom(ana, 'short:talk')
    const received = collect(bob.client, 'chat')
    const counter = ana.locator('#composer-count')
    const notice = ana.locator('#composer-notice')
    const send = ana.locator('#composer-send')
    await ana.locator('#composer-input').fill('a'.repeat(70))
    t.ok(await counter.isHidden(), 'far from the limit: no counter')
    await ana.locator('#composer-input').fill('a'.repeat(85))
    await counter.waitFor()
    t.equal(await counter.innerText(), '85 / 100', "the namespace's limit of 100")
    t.ok(await notice.isHidden())
    t.equal(await send.getAttribute('aria-disabled'), 'false')

    const tooLong = 'b'.repeat(120)
    await ana.locator('#composer-input').fill(tooLong)
    await notice.waitFor()
    t.equal(await notice.innerText(), 'Too long by 20 characters: the limit is 100. Shorten it to send.')
    t.equal(await send.getAttribute('aria-disabled'), 'true')
    t.equal(await ana.locator('#composer-input').getAttribute('aria-invalid'), 'true')
    await ana.screenshot({ path: join(artifacts, 'composer-over-limit.png') })
    await ana.locator('#composer-input').press('Enter')
    await send.click({ force: true }) // aria-disabled, not disabled: a click is still answered, with the reason
    t.equal(await composerValue(ana), tooLong, 'the text stays in the box')
    t.equal(await ana.locator('.outbox .pending').count(), 0, 'nothing was sent')

    await ana.locator('#composer-input').fill('c'.repeat(100))
    t.ok(await notice.isHidden())
    await ana.locator('#composer-input').press('Enter')
    await eventually(() => received.some(({ message }) => message.text === 'c'.repeat(100)), 'bob has the message within the limit')
    t.same(
      received.map(({ message }) => message.text.slice(0, 3)),
      ['ccc'],
      'the only message bob got is the one within the limit',
    )

    // The default namespace: the connection's 2000; a 4000-character paste is kept whole, not cut.
    await openRoom(ana, 'history')
    await ana.locator('#composer-input').fill('d'.repeat(4_000))
    t.equal((await composerValue(ana)).length, 4_000, 'nothing is cut off')
    t.equal(await counter.innerText(), '4,000 / 2,000')
    t.match(await notice.innerText(), /^Too long by 2,000 characters: the limit is 2,000\./)
    await ana.locator('#composer-input').fill('')
  })

  await t.test('invisible characters are explained before sending, and removed on request', async (t) => {
    const text = 'invoice \u202Efdp.exe\u202C attached'
    await ana.locator('#composer-input').fill(text)
    const notice = ana.locator('#composer-notice')
    await notice.waitFor()
    t.equal(await notice.innerText(), '2 invisible characters cannot be sent (U+202E right-to-left override, U+202C pop directional formatting).')
    await ana.locator('#composer-input').press('Enter')
    t.equal(await composerValue(ana), text, 'refused and kept')
    await ana.screenshot({ path: join(artifacts, 'composer-invisible.png') })
    await ana.locator('#composer-fix').click()
    t.equal(await composerValue(ana), 'invoice fdp.exe attached')
    t.ok(await notice.isHidden())
    await ana.locator('#composer-input').press('Enter')
    await ana.locator('#messages .msg.own .text', { hasText: 'invoice fdp.exe attached' }).waitFor()
  })

  await t.test('in slow mode, quick sends wait their turn and arrive in order, without a failure shown', async (t) => {
    await joinRoom(ana, 'slow:room')
    await watchFailures(ana)
    const texts = ['slow first', 'slow second', 'slow third']
    for (const text of texts) {
      await ana.locator('#composer-input').fill(text)
      await ana.locator('#composer-input').press('Enter')
    }
    for (const text of texts) await ana.locator('#messages .msg.own .text', { hasText: text }).waitFor({ timeout: 15_000 })
    const shown = await ana.locator('#messages .msg.own .text').allInnerTexts()
    t.same(shown, texts, 'stored in the order typed')
    t.same(await failures(ana), [], 'no line was ever marked failed: the refusals were waited out')
    t.equal(await ana.locator('.outbox .pending').count(), 0)
  })

  await t.test('a text the server refuses anyway is offered back for editing, not for a retry that cannot work', async (t) => {
    // The page is not told the namespace's limit (as with an older server): the check falls to the server.
    await ana.routeWebSocket(/\/ws$/, (ws) => {
      const server = ws.connectToServer()
      server.onMessage((message) => ws.send(String(message).replaceAll('"limits":{"maxTextChars":100}', '"limits":{}')))
    })
    await ana.reload()
    await ana.locator('#me-name', { hasText: 'ana' }).waitFor()
    await openRoom(ana, 'short:talk')
    const text = 'e'.repeat(120)
    await ana.locator('#composer-input').fill(text)
    await ana.locator('#composer-input').press('Enter')
    const failed = ana.locator('.outbox .pending.failed')
    await failed.locator('.send-state', { hasText: 'Not sent: Longer than 100 characters' }).waitFor()
    t.equal(await failed.locator('button', { hasText: 'Retry' }).count(), 0, 'no Retry: the same text would be refused again')
    await ana.screenshot({ path: join(artifacts, 'composer-refused-by-server.png') })
    await failed.locator('button', { hasText: 'Edit' }).click()
    t.equal(await composerValue(ana), text, 'the text is back in the box')
    t.equal(await ana.locator('.outbox .pending').count(), 0, 'and the failed line is gone')
    await ana.locator('#composer-input').fill('')
    await ana.unrouteAll()
  })

  t.same(problems, [], 'no script errors on the page')
})

t.test('a burst of quick replies typed at a human pace all go through, even on a tight request budget', { timeout: 90_000, skip }, async (t: Test) => {
  await buildPage()
  // Two requests a second, six at once: typing announced before and after every message would spend more than the messages.
  const server = await startServer(t, { messagesPerSecond: 2, messageBurst: 6, typingPerSecond: 1, typingBurst: 3 })
  const browser = await launchChromium(t)
  const problems: string[] = []
  const bob = await connectAndLogin(t, server, 'bob', ['lobby'])
  const received = collect(bob.client, 'chat')
  const ana = await newUserPage(t, browser, problems)
  await ana.goto(server.httpUrl)
  await logIn(ana, 'ana')
  await watchFailures(ana)

  const replies = ['yes', 'sounds good', 'on my way', 'lol', 'wait what', 'ok ok', 'see you there', 'bring snacks']
  for (const reply of replies) {
    await ana.locator('#composer-input').pressSequentially(reply, { delay: 60 })
    await ana.locator('#composer-input').press('Enter')
  }
  for (const reply of replies) await ana.locator('#messages .msg.own .text', { hasText: new RegExp(`^${reply}$`) }).waitFor({ timeout: 20_000 })
  const mine = (m: ChatMessage) => m.name === 'ana'
  await eventually(() => received.filter(({ message }) => mine(message)).length === replies.length, 'bob has all eight', 10_000)
  t.same(
    received.filter(({ message }) => mine(message)).map(({ message }) => message.text),
    replies,
    'bob got all eight, in order',
  )
  t.same(await failures(ana), [], 'no reply was ever shown as failed')
  t.equal(await ana.locator('.outbox .pending').count(), 0)
  t.same(problems, [], 'no script errors on the page')
})
