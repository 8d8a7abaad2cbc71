// The life of a message on the page (protocol 1.3.0), in headless Chromium
// against a real server: another user's edit, reactions and delete change the
// one row of the message in place — new text with an "edited" mark, chips with
// counts, a tombstone — and never add a line of their own (an event entry's
// fallback text is for older clients). After a reload the snapshot shows the
// messages as they are now. Runs once per language (test/helpers/languages.ts).
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import t from 'tap'
import { buildPage } from '../../client/build.ts'
import { chromiumMissing, launchChromium, newUserPage, sendFromComposer } from '../helpers/browser.ts'
import { connectAndLogin } from '../helpers/chat-client.ts'
import { startServer } from '../helpers/server.ts'
import { E2E_LANGS, language } from '../helpers/languages.ts'

const artifacts = join(process.cwd(), 'test-artifacts')
const skip = chromiumMissing(t)

/** The rows of the message list: messages and notices, in order, as text. */
const rows = (page: Page) => page.locator('#messages li[data-id]').allInnerTexts()

for (const lang of E2E_LANGS.map(language)) {
  const tr = lang.t
  t.test(`edits, reactions and deletes change the message in place (${lang.lang})`, { timeout: 90_000, skip }, async (t) => {
    await buildPage()
    mkdirSync(artifacts, { recursive: true })
    const server = await startServer(t, { messagesPerSecond: 200, messageBurst: 200 })
    const browser = await launchChromium(t)
    const problems: string[] = []
    const ana = await newUserPage(t, browser, problems, { locale: lang.locale })
    await ana.goto(server.httpUrl)
    await ana.locator('#login-name').fill('ana')
    await ana.locator('#login-name').press('Enter')
    await ana.locator('#me-name', { hasText: 'ana' }).waitFor()
    const { client: bob } = await connectAndLogin(t, server, 'bob', ['lobby'])
    await ana.locator('.system', { hasText: tr('alarm.joined', { name: 'bob' }) }).waitFor()

    const first = await bob.sendChat('lobby', 'the first draft')
    const second = await bob.sendChat('lobby', 'to be taken back')
    await sendFromComposer(ana, 'an answer of mine')
    const messagesBefore = await ana.locator('#messages li.msg').count()
    const row = (seq: number) => ana.locator(`#messages li[data-seq="${seq}"]`)

    await t.test('an edit: the new text and an edited mark, in the same row', async (t) => {
      await bob.edit('lobby', first.seq, 'the **final** text')
      await row(first.seq).locator('.text strong', { hasText: 'final' }).waitFor()
      t.equal(await row(first.seq).locator('.edited').innerText(), tr('msg.edited'))
      t.notOk(
        (await rows(ana)).some((r) => r.includes('the first draft')),
        'the old text is gone',
      )
      t.equal(await ana.locator('#messages .text', { hasText: 'the final text' }).count(), 1, 'the edit entry is no line of its own')
    })

    await t.test('reactions: chips with counts, the reader’s own marked', async (t) => {
      const { client: carol } = await connectAndLogin(t, server, 'carol', ['lobby'])
      await bob.react('lobby', first.seq, '👍')
      await carol.react('lobby', first.seq, '👍')
      await bob.react('lobby', first.seq, '🎉')
      await row(first.seq).locator('.reaction', { hasText: '🎉' }).waitFor()
      t.same(await row(first.seq).locator('.reaction').allTextContents(), ['👍2', '🎉1'], 'emoji and count')
      await bob.react('lobby', first.seq, '🎉', false)
      await row(first.seq).locator('.reaction', { hasText: '🎉' }).waitFor({ state: 'detached' })
      t.equal(await row(first.seq).locator('.reaction.mine').count(), 0, 'ana reacted with nothing')
    })

    await t.test('a delete: a tombstone in its place, no reactions', async (t) => {
      await bob.react('lobby', second.seq, '👀')
      await row(second.seq).locator('.reaction').waitFor()
      await bob.deleteMessage('lobby', second.seq)
      await row(second.seq)
        .locator('.tombstone', { hasText: tr('msg.deleted') })
        .waitFor()
      t.equal(await row(second.seq).locator('.reaction').count(), 0)
      t.notOk((await rows(ana)).some((r) => r.includes('to be taken back')))
      t.equal(await ana.locator('#messages li.msg').count(), messagesBefore, 'no message line was added by any event')
      await ana.screenshot({ path: join(artifacts, `message-life${lang.suffix}.png`) })
    })

    await t.test('after a reload the snapshot shows the messages as they are now', async (t) => {
      await ana.reload()
      await row(first.seq).locator('.text strong', { hasText: 'final' }).waitFor()
      t.equal(await row(first.seq).locator('.edited').count(), 1)
      t.same(await row(first.seq).locator('.reaction').allTextContents(), ['👍2'])
      await row(second.seq).locator('.tombstone').waitFor()
      const texts = await rows(ana)
      t.notOk(
        texts.some((r) => r.includes('the first draft') || r.includes('to be taken back')),
        'no fallback lines of the events',
      )
    })

    t.same(problems, [], 'no page errors')
  })
}
