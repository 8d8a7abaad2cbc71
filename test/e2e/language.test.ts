// The page in Korean: a browser whose locale is ko-KR gets the Korean interface
// (html lang, labels, alarms, counts, a Korean day separator and Korean times),
// and switching to English in the account panel changes the page while the
// user, the conversation shown and the draft in the box stay.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { buildPage } from '../../client/build.ts'
import { chromiumMissing, launchChromium, newUserPage, sendFromComposer } from '../helpers/browser.ts'
import { connectAndLogin } from '../helpers/chat-client.ts'
import { language } from '../helpers/languages.ts'
import { startServer } from '../helpers/server.ts'

const artifacts = join(process.cwd(), 'test-artifacts')
const skip = chromiumMissing(t)
const ko = language('ko')
const en = language('en')

t.test('a Korean browser gets the Korean page, and English is one switch away', { timeout: 90_000, skip }, async (t) => {
  await buildPage()
  mkdirSync(artifacts, { recursive: true })
  const server = await startServer(t, { messagesPerSecond: 200, messageBurst: 200 })
  const browser = await launchChromium(t)
  const problems: string[] = []
  const ana = await newUserPage(t, browser, problems, { locale: ko.locale })
  await ana.goto(server.httpUrl)

  // The login card, before any choice: the browser's language.
  await ana.locator('#login-submit', { hasText: '채팅 시작하기' }).waitFor()
  t.equal(await ana.locator('html').getAttribute('lang'), 'ko')
  t.equal(await ana.locator('#login-lede').innerText(), ko.t('login.lede.guest'))
  t.equal(await ana.locator('#login-language').inputValue(), 'ko', 'the language menu shows the language in use')
  await ana.locator('#login-conn[data-state="open"] .status-text', { hasText: '연결됨' }).waitFor()
  await ana.screenshot({ path: join(artifacts, 'login-ko.png') })

  await ana.locator('#login-name').fill('ana')
  await ana.locator('#login-name').press('Enter')
  await ana.locator('#me-name', { hasText: 'ana' }).waitFor()
  await ana.locator('#composer-input[placeholder="#lobby에 메시지 보내기"]').waitFor()
  t.equal(await ana.locator('#composer-send').innerText(), '보내기')
  t.equal(await ana.locator('#members-toggle').innerText(), '1명 온라인')

  const { client: bob } = await connectAndLogin(t, server, 'bob', ['lobby'])
  await ana.locator('.system', { hasText: 'bob 님이 들어왔어요' }).waitFor()
  await bob.sendChat('lobby', '안녕하세요! 회의는 3시에 해요')
  await sendFromComposer(ana, '좋아요, 그때 봬요')

  // A day separator and times in Korean, through Intl.
  t.equal(await ana.locator('#messages li.day').first().innerText(), '오늘', 'the day separator says today in Korean')
  const time = ana.locator('#messages li.msg time').first()
  t.match(await time.innerText(), /^(오전|오후) \d{1,2}:\d{2}$/, 'times read 오전/오후 h:mm')
  t.match(await time.getAttribute('title'), /^\d{4}\. \d{1,2}\. \d{1,2}\. (오전|오후) \d{1,2}:\d{2}$/, 'the full date in Korean order')
  t.equal(await ana.locator('#messages .msg.own .author').first().innerText(), '나')

  // Scrolled up, new messages are counted in Korean.
  for (let i = 0; i < 30; i++) await bob.sendChat('lobby', `줄 ${i + 1}`)
  await ana.locator('#messages .text', { hasText: '줄 30' }).waitFor()
  await ana.locator('#scroller').evaluate((el) => {
    el.scrollTop = 0
  })
  await bob.sendChat('lobby', '하나 더')
  await bob.sendChat('lobby', '또 하나')
  await ana.locator('#jump-latest-text', { hasText: ko.t('list.newMessages', { count: 2 }) }).waitFor()
  t.equal(await ana.locator('#jump-latest-text').innerText(), '새 메시지 2개')
  await ana.locator('#jump-latest').click()

  // A failed request explains itself in Korean (the protocol's error code, worded by the catalog).
  await ana.locator('#join-name').fill('Bad Room!')
  await ana.locator('#join-name').press('Enter')
  await ana.locator('#join-error', { hasText: '방 이름으로 쓸 수 없어요' }).waitFor()
  await ana.locator('#join-name').fill('')

  // Korean is wider than English: nothing in the header, the sidebar or the composer overflows its box.
  const overflowing = await ana.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('.topbar button, .sidebar h2, .sidebar button, .conv-header button, #composer-send')]
      .filter((el) => el.offsetParent !== null && el.scrollWidth > el.clientWidth + 1)
      .map((el) => el.id || el.className),
  )
  t.same(overflowing, [], 'no label is cut off')
  await ana.screenshot({ path: join(artifacts, 'chat-ko.png'), animations: 'disabled' })

  await ana.locator('#browse-rooms').click()
  await ana.locator('#browse-list .directory-room', { hasText: 'lobby' }).waitFor()
  await ana.locator('#browse-status', { hasText: '공개 방 1개' }).waitFor()
  await ana.screenshot({ path: join(artifacts, 'rooms-ko.png'), animations: 'disabled' })
  await ana.keyboard.press('Escape')

  // The account panel holds the language menu; a half-typed message waits in the box meanwhile.
  await ana.locator('#composer-input').fill('보내기 전에 언어를 바꿔요')
  await ana.locator('#me-button').click()
  await ana.locator('#account-dialog h2', { hasText: '내 계정' }).waitFor()
  await ana.screenshot({ path: join(artifacts, 'account-ko.png'), animations: 'disabled' })
  await ana.locator('#account-language').selectOption('en')

  // English now: the same user, the same conversation, the draft still in the box.
  await ana.locator('#composer-send', { hasText: en.t('composer.send') }).waitFor()
  t.equal(await ana.locator('html').getAttribute('lang'), 'en')
  await ana.locator('#me-name', { hasText: 'ana' }).waitFor()
  t.equal(await ana.locator('#conv-title').innerText(), '# lobby', 'the conversation shown stays')
  await ana.locator('#composer-input[placeholder="Message #lobby"]').waitFor()
  t.equal(await ana.locator('#composer-input').inputValue(), '보내기 전에 언어를 바꿔요', 'the draft survives the switch')
  await ana.locator('#conv-subtitle', { hasText: '2 online' }).waitFor()
  t.equal(await ana.locator('#messages li.day').first().innerText(), 'Today')
  t.match(await ana.locator('#messages li.msg time').first().innerText(), /^\d{1,2}:\d{2}\s?(AM|PM)$/)
  await ana.locator('#messages .text', { hasText: '좋아요, 그때 봬요' }).waitFor()

  // The choice is kept for the next visit, whatever the browser prefers.
  await ana.reload()
  await ana.locator('#composer-send', { hasText: 'Send' }).waitFor()
  t.equal(await ana.locator('html').getAttribute('lang'), 'en')

  t.same(problems, [], 'no page errors')
})
