// The README picture (docs/screenshot.png): the page in a lively state —
// reactions, a reply, a mention of the reader, the "New messages" line,
// someone typing, unread and mention badges. Taken only on request
// (UPDATE_SCREENSHOT=1), so test runs leave the tree clean; the run checks
// that each of those things is on screen before the picture is taken.
import { join } from 'node:path'
import t from 'tap'
import { buildPage } from '../../client/build.ts'
import { chromiumMissing, launchChromium, newUserPage, joinRoom } from '../helpers/browser.ts'
import { connectAndLogin } from '../helpers/chat-client.ts'
import { startServer } from '../helpers/server.ts'

const skip = chromiumMissing(t) || (process.env.UPDATE_SCREENSHOT ? false : 'the README picture is taken with UPDATE_SCREENSHOT=1')

t.test('the README picture', { skip, timeout: 120_000 }, async (t) => {
  await buildPage()
  const server = await startServer(t, { messagesPerSecond: 500, messageBurst: 500 })
  const browser = await launchChromium(t)
  const problems: string[] = []
  const { client: bob } = await connectAndLogin(t, server, 'bob', ['design', 'random'])
  const { client: carol } = await connectAndLogin(t, server, 'carol', ['design', 'random'])
  const { client: dan } = await connectAndLogin(t, server, 'dan', ['design'])
  // Notifications allowed: the bell shows them on.
  const ana = await newUserPage(t, browser, problems, { viewport: { width: 1280, height: 800 }, colorScheme: 'light', permissions: ['notifications'] })
  await ana.goto(server.httpUrl)
  await ana.locator('#login-name').fill('ana')
  await ana.locator('#login-name').press('Enter')
  await ana.locator('#chat-screen').waitFor()
  await joinRoom(ana, 'random')
  await joinRoom(ana, 'design')
  const anaId = (await bob.presence('design')).find((m) => m.name === 'ana')?.userId ?? ''

  const kickoff = await carol.sendChat('design', 'Morning! Sprint review is at **3pm** today 🎉')
  const preview = await bob.sendChat('design', 'The new onboarding flow is up for review: https://example.com/pr/42')
  const nit = await dan.sendChat('design', 'Looks great, one nit on the empty state copy')
  await ana.locator('#composer-input').fill('Thanks! I will fix the copy after lunch')
  await ana.locator('#composer-input').press('Enter')
  await ana.locator('.msg.own .text', { hasText: 'fix the copy' }).waitFor()
  const mine = bob.rooms.get('design')!.lastSeq
  for (const [who, seq, emoji] of [
    [carol, kickoff.seq, '🎉'],
    [bob, kickoff.seq, '🎉'],
    [carol, preview.seq, '👍'],
    [dan, preview.seq, '👍'],
    [dan, preview.seq, '🚀'],
    [dan, mine, '❤️'],
  ] as const)
    await who.react('design', seq, emoji)
  await ana.locator(`#messages li[data-seq="${preview.seq}"] .reaction`, { hasText: '👍' }).click()
  await dan.edit('design', nit.seq, 'Looks great, one nit on the *empty state* copy')

  // ana steps away; the room moves on, and a DM comes in.
  await ana.locator('#room-list .conv', { hasText: 'lobby' }).click()
  await ana.locator('#conv-title', { hasText: '# lobby' }).waitFor()
  await bob.sendChat('design', '@ana could you also check the dark theme before the review?', { replyTo: mine })
  await carol.sendChat('design', 'Happy to pair on it, the contrast tokens are in `theme.css`')
  await dan.sendChat('design', 'Review notes are in the doc, add anything I missed 📝')
  await carol.sendChat('random', 'Anyone up for lunch at the new ramen place? 🍜')
  await bob.sendChat('random', 'count me in')
  await bob.sendDm(anaId, 'got a minute after the review?')
  await ana.locator('#room-list .conv', { hasText: 'design' }).locator('.mention-badge').waitFor()
  await ana.locator('#room-list .conv', { hasText: 'design' }).click()
  await ana.locator('#messages li.unread-line').waitFor()
  await carol.typing('design', true)
  await ana.locator('#typing', { hasText: 'carol is typing…' }).waitFor()
  await ana.locator('#messages li.msg.mentions-me .mention-me').waitFor()
  await ana.locator('#messages .reply-quote').waitFor()
  await ana.locator('#dm-list .badge').waitFor()
  await ana.locator('#room-list .conv', { hasText: 'random' }).locator('.badge').waitFor()
  await ana.locator('#notify-button[data-state="on"]').waitFor()
  await ana.mouse.move(0, 0)
  await ana.screenshot({ path: join(process.cwd(), 'docs', 'screenshot.png'), animations: 'disabled' })
  t.same(problems, [], 'no page errors')
})
