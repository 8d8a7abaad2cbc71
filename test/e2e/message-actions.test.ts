// What a reader can do with a message on the page (protocol 1.3.0), in
// headless Chromium against a real server, through the hover toolbar and its
// menu: edit one's own message in place (Escape cancels, the composer's limit
// applies, Enter saves), delete it after a confirmation (and, as the room's
// owner, anyone's), react with a quick emoji or the picker (the other user
// sees the chips and who reacted; a chip toggles), reply (the quote jumps to
// the original, loading the history it is in), and copy a link that opens the
// page at the message.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import t from 'tap'
import { buildPage } from '../../client/build.ts'
import { chromiumMissing, launchChromium, newUserPage, sendFromComposer, joinRoom, logIn } from '../helpers/browser.ts'
import { collect, connectAndLogin } from '../helpers/chat-client.ts'
import { eventually } from '../helpers/eventually.ts'
import { startServer } from '../helpers/server.ts'

const artifacts = join(process.cwd(), 'test-artifacts')
const skip = chromiumMissing(t)
/** Small pages, so "out of the loaded window" needs few messages. */
const PAGE = 20

const row = (page: Page, seq: number) => page.locator(`#messages li[data-seq="${seq}"]`)

/** Hovers a message and presses one of its toolbar buttons. */
async function tool(page: Page, seq: number, name: 'tool-edit' | 'tool-reply' | 'tool-react' | 'tool-more' | 'tool-quick'): Promise<void> {
  await row(page, seq).locator('.bubble').hover()
  await row(page, seq).locator(`.msg-toolbar .${name}`).first().click()
}

/** Sends from the composer; resolves with the seq of the stored message (its row in the list, not the pending line). */
async function send(page: Page, text: string): Promise<number> {
  await page.locator('#composer-input').fill(text)
  await page.locator('#composer-input').press('Enter')
  const stored = page.locator('#messages li.msg.own', { hasText: text }).last()
  await stored.waitFor()
  return Number(await stored.getAttribute('data-seq'))
}

t.test('edit, delete, react, reply and link through the message actions', { timeout: 180_000, skip }, async (t) => {
  await buildPage()
  mkdirSync(artifacts, { recursive: true })
  const server = await startServer(t, { messagesPerSecond: 500, messageBurst: 500, historyPageMax: PAGE })
  const browser = await launchChromium(t)
  const problems: string[] = []
  // bob creates the room: he is its owner. ana may read her clipboard (Copy link).
  const bob = await newUserPage(t, browser, problems)
  await logIn(bob, 'bob', server.httpUrl)
  await joinRoom(bob, 'design')
  const ana = await newUserPage(t, browser, problems, { permissions: ['clipboard-read', 'clipboard-write'] })
  await logIn(ana, 'ana', server.httpUrl)
  await joinRoom(ana, 'design')
  const { client: carol } = await connectAndLogin(t, server, 'carol', ['design'])

  await t.test('edit: Escape cancels, an over-long text is refused before sending, Enter saves; the other reader sees "(edited)"', async (t) => {
    const seq = await send(ana, 'the helo world draft')
    await row(bob, seq).locator('.text', { hasText: 'the helo world draft' }).waitFor()
    const edits = collect(carol, 'message-changed')

    await tool(ana, seq, 'tool-edit')
    const box = row(ana, seq).locator('.edit-input')
    t.equal(await box.inputValue(), 'the helo world draft', 'the editor holds the text')
    await box.fill('something else')
    await box.press('Escape')
    await row(ana, seq).locator('.text', { hasText: 'the helo world draft' }).waitFor()
    t.equal(await row(ana, seq).locator('.edit-input').count(), 0, 'Escape closed the editor, nothing changed')

    await tool(ana, seq, 'tool-edit')
    await box.fill('x'.repeat(2001))
    await row(ana, seq).locator('.edit-notice', { hasText: 'Too long by 1 character' }).waitFor()
    await box.press('Enter')
    t.equal(await box.inputValue(), 'x'.repeat(2001), 'the over-long text stays in the box')

    await box.fill('the hello **world** text')
    await box.press('Enter')
    await row(ana, seq).locator('.text strong', { hasText: 'world' }).waitFor()
    await row(bob, seq).locator('.text strong', { hasText: 'world' }).waitFor()
    t.equal(await row(bob, seq).locator('.edited').innerText(), '(edited)', 'the other reader sees the edit mark')
    t.equal(edits.length, 1, 'one edit was sent (none for the cancel or the refused text)')
  })

  await t.test('react: a quick reaction and one from the picker; the other reader sees chips and who; a chip toggles', async (t) => {
    const m = await carol.sendChat('design', 'shipping the redesign today')
    await row(ana, m.seq).waitFor()
    await tool(ana, m.seq, 'tool-quick') // the first quick reaction: 👍
    await row(bob, m.seq).locator('.reaction', { hasText: '👍' }).waitFor()
    t.match(await row(bob, m.seq).locator('.reaction', { hasText: '👍' }).getAttribute('aria-label'), /^Ana reacted with thumbs up/, 'the chip says who reacted')
    t.equal(await row(ana, m.seq).locator('.reaction.mine', { hasText: '👍' }).getAttribute('aria-pressed'), 'true', 'her own chip is marked')

    await tool(ana, m.seq, 'tool-react')
    await ana.locator('#emoji-picker .emoji-search').pressSequentially('party')
    await ana.locator('#emoji-picker .emoji-cell[aria-label="party popper"]').waitFor()
    await ana.screenshot({ path: join(artifacts, 'message-actions-picker.png') })
    await ana.locator('#emoji-picker .emoji-search').press('Enter')
    await row(bob, m.seq).locator('.reaction', { hasText: '🎉' }).waitFor()
    t.same(await row(bob, m.seq).locator('.reaction').allTextContents(), ['👍1', '🎉1'])

    // bob adds his to ana's 🎉 by clicking the chip; ana's chip counts both and names them.
    await row(bob, m.seq).locator('.reaction', { hasText: '🎉' }).click()
    await row(ana, m.seq).locator('.reaction', { hasText: '🎉2' }).waitFor()
    t.match(await row(ana, m.seq).locator('.reaction', { hasText: '🎉' }).getAttribute('title'), /^You and bob reacted with party popper$/)
    // ana takes her 👍 back with its chip.
    await row(ana, m.seq).locator('.reaction', { hasText: '👍' }).click()
    await row(bob, m.seq).locator('.reaction', { hasText: '👍' }).waitFor({ state: 'detached' })
    t.same(await row(bob, m.seq).locator('.reaction').allTextContents(), ['🎉2'])
  })

  await t.test('delete: after a confirmation; an owner may delete anyone’s message, a member only their own', async (t) => {
    const seq = await send(ana, 'a message to take back')
    await row(bob, seq).waitFor()
    await tool(ana, seq, 'tool-more')
    await ana.locator('#message-menu .menu-item', { hasText: 'Delete' }).click()
    await ana.locator('#delete-confirm .delete-excerpt', { hasText: 'a message to take back' }).waitFor()
    await ana.locator('#delete-confirm button', { hasText: 'Cancel' }).click()
    t.equal(await row(ana, seq).locator('.tombstone').count(), 0, 'cancelled: still there')
    await tool(ana, seq, 'tool-more')
    await ana.locator('#message-menu .menu-item', { hasText: 'Delete' }).click()
    await ana.locator('#delete-confirm-button').click()
    await row(bob, seq).locator('.tombstone', { hasText: 'This message was deleted' }).waitFor()
    await row(ana, seq).locator('.tombstone').waitFor()

    const spam = await carol.sendChat('design', 'buy cheap watches')
    await row(ana, spam.seq).waitFor()
    await tool(ana, spam.seq, 'tool-more')
    t.same(await ana.locator('#message-menu [role="menuitem"].menu-item').allTextContents(), ['↩Reply', '🔗Copy link'], 'a member cannot delete another’s message')
    await ana.keyboard.press('Escape')
    await tool(bob, spam.seq, 'tool-more')
    await bob.locator('#message-menu .menu-item', { hasText: 'Delete' }).click()
    await bob.locator('#delete-confirm', { hasText: 'as a moderator' }).waitFor()
    await bob.locator('#delete-confirm-button').click()
    await row(ana, spam.seq).locator('.tombstone').waitFor()
  })

  await t.test('reply: the composer says to whom, the reply carries the reference, its quote jumps to the original through history', async (t) => {
    const original = await carol.sendChat('design', 'the original plan: ship on Friday')
    await row(ana, original.seq).waitFor()
    const pushes = collect(carol, 'chat')
    await tool(ana, original.seq, 'tool-reply')
    await ana.locator('#reply-bar', { hasText: 'Replying to carol: the original plan' }).waitFor()
    await ana.locator('#composer-input').press('Escape')
    await ana.locator('#reply-bar').waitFor({ state: 'hidden' })
    await tool(ana, original.seq, 'tool-reply')
    await sendFromComposer(ana, 'Friday works for me')
    await ana.locator('#reply-bar').waitFor({ state: 'hidden' })
    await eventually(() => pushes.some((p) => p.message.replyTo?.seq === original.seq), 'the reply names the original')

    // Enough messages after it that a fresh page load holds the reply but not the original (the page
    // loads older pages until the pane is full: a few pages of short lines).
    for (let i = 0; i < PAGE * 5; i++) await carol.sendChat('design', `filler ${i}`)
    const reply = await carol.sendChat('design', 'as I said above', { replyTo: original.seq })
    await ana.reload()
    await row(ana, reply.seq).locator('.reply-quote', { hasText: 'the original plan' }).waitFor()
    t.equal(await row(ana, original.seq).count(), 0, 'the original is not loaded')
    await row(ana, reply.seq).locator('.reply-quote').click()
    await row(ana, original.seq).locator('.text', { hasText: 'the original plan' }).waitFor()
    t.match(await row(ana, original.seq).getAttribute('class'), /\bflash\b/, 'the original is highlighted')
    const inView = await row(ana, original.seq).evaluate((li) => {
      const pane = document.getElementById('scroller')!.getBoundingClientRect()
      const box = li.getBoundingClientRect()
      return box.top >= pane.top && box.bottom <= pane.bottom
    })
    t.ok(inView, 'and scrolled into view')
    await ana.screenshot({ path: join(artifacts, 'message-actions-reply-jump.png') })
  })

  await t.test('copy link: a URL with #room/seq that opens the page at the message', async (t) => {
    const m = await carol.sendChat('design', 'bookmark this one')
    await row(ana, m.seq).waitFor()
    await tool(ana, m.seq, 'tool-more')
    await ana.locator('#message-menu .menu-item', { hasText: 'Copy link' }).click()
    await ana.locator('.toast', { hasText: 'Link copied' }).waitFor()
    const link = await ana.evaluate(() => navigator.clipboard.readText())
    t.equal(new URL(link).hash, `#design/${m.seq}`)
    for (let i = 0; i < PAGE + 5; i++) await carol.sendChat('design', `later ${i}`)
    // Another tab of the same browser (same session) opens the link.
    const tab = await ana.context().newPage()
    tab.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`))
    await tab.goto(link)
    await row(tab, m.seq).locator('.text', { hasText: 'bookmark this one' }).waitFor()
    t.match(await row(tab, m.seq).getAttribute('class'), /\bflash\b/, 'opened at the message, highlighted')
    t.equal(new URL(tab.url()).hash, '', 'the fragment is dropped, so a reload shows the conversation as usual')
    await tab.close()
  })

  await t.test('by keyboard: one message is a tab stop, arrows move between messages, Tab reaches its actions; ↑ in an empty box edits one’s last message', async (t) => {
    const mine = await send(ana, 'typed by keyboard')
    const m = await carol.sendChat('design', 'the newest line')
    await row(ana, m.seq).waitFor()
    await ana.locator('#messages li.msg[tabindex="0"]').focus()
    t.equal(await ana.evaluate(() => document.activeElement?.getAttribute('data-seq')), String(m.seq), 'the newest message is the tab stop')
    await ana.keyboard.press('ArrowUp')
    t.equal(await ana.evaluate(() => document.activeElement?.getAttribute('data-seq')), String(mine), 'ArrowUp moves to the one before')
    await ana.keyboard.press('Tab')
    t.match(await ana.evaluate(() => document.activeElement?.className), /\btool\b/, 'Tab goes into its toolbar')
    await ana.keyboard.press('Escape')
    t.equal(await ana.evaluate(() => document.activeElement?.getAttribute('data-seq')), String(mine), 'Escape returns to the message')

    await ana.locator('#composer-input').focus()
    await ana.keyboard.press('ArrowUp')
    const box = row(ana, mine).locator('.edit-input')
    t.equal(await box.inputValue(), 'typed by keyboard', 'the last own message is in the editor')
    await box.fill('typed by keyboard, then edited')
    await box.press('Enter')
    await row(bob, mine).locator('.text', { hasText: 'typed by keyboard, then edited' }).waitFor()
  })

  t.same(problems, [], 'no page errors')
})
