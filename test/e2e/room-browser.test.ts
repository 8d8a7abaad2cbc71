// The room browser and room settings in real headless Chromium against a
// server with namespaces: public rooms are listed with topic and member
// count, private ones never; search by prefix, filter by namespace, page with
// "Show more", join from the list; creating a room follows the namespace's
// rules with a clear refusal; a private room is reached by invitation.
import type { Page } from 'playwright-core'
import t from 'tap'
import { buildPage } from '../../client/build.ts'
import { chromiumMissing, launchChromium, joinRoom, openAs } from '../helpers/browser.ts'
import { namespace, namespacesFile } from '../helpers/namespaces.ts'
import { RawClient } from '../helpers/raw-client.ts'
import { startServer } from '../helpers/server.ts'

const skip = chromiumMissing(t)

const listed = (page: Page): Promise<string[]> => page.locator('#browse-list .directory-name').allInnerTexts()

t.test('the room browser lists public rooms, not private ones, and joining from it works', { skip }, async (t) => {
  await buildPage()
  const namespacesPath = namespacesFile(t, {
    namespaces: [
      namespace(''),
      namespace('chat', { description: 'Open chat.' }),
      namespace('news', { description: 'Announcements.', create: 'nobody', post: 'moderators' }),
      namespace('support', { description: 'Private help.', create: 'registered', visibility: 'private' }),
    ],
  })
  const server = await startServer(t, { namespacesFile: namespacesPath })
  const browser = await launchChromium(t)
  const problems: string[] = []

  // ana makes a public room with a topic and a private one.
  const ana = await openAs(t, browser, server, problems, 'ana')
  await joinRoom(ana, 'design')
  await ana.locator('#room-settings-button').click()
  await ana.locator('#settings-topic').fill('Mockups and reviews')
  await ana.locator('#settings-topic-form button[type="submit"]').click()
  await ana.locator('.system', { hasText: 'ana set the topic' }).waitFor()
  await ana.locator('#conv-subtitle', { hasText: 'Mockups and reviews' }).waitFor()
  await ana.keyboard.press('Escape')
  await joinRoom(ana, 'secret')
  await ana.locator('#room-settings-button').click()
  await ana.locator('label[for="visibility-private"]').click()
  await ana.locator('.system', { hasText: 'ana made the room private (by invitation)' }).waitFor()
  await ana.locator('#room-settings-subtitle', { hasText: 'Private room' }).waitFor()
  await ana.keyboard.press('Escape')

  // bob browses: design with its topic and count, lobby; not secret.
  const bob = await openAs(t, browser, server, problems, 'bob')
  await bob.locator('#browse-rooms').click()
  await bob.locator('#room-browser').waitFor({ state: 'visible' })
  await bob.locator('#browse-list .directory-room[data-room="design"]').waitFor()
  t.same(await listed(bob), ['design', 'lobby'], 'the public rooms, by name; the private one is not listed')
  const design = bob.locator('#browse-list .directory-room[data-room="design"]')
  t.equal(await design.locator('.directory-topic').innerText(), 'Mockups and reviews')
  t.equal(await design.locator('.directory-count').innerText(), '1 member')
  t.equal(await bob.locator('#browse-list .directory-room[data-room="lobby"] button').innerText(), 'Open', 'a room the user is in opens')

  // Search by the start of the name.
  await bob.locator('#browse-search').fill('des')
  await bob.locator('#browse-list .directory-room[data-room="lobby"]').waitFor({ state: 'detached' })
  t.same(await listed(bob), ['design'])
  await bob.locator('#browse-search').fill('sec')
  await bob.locator('#browse-status', { hasText: 'No public room starts with “sec”.' }).waitFor()

  // Creating: a new name in "chat", chosen in the namespace filter.
  await bob.locator('#browse-search').fill('')
  await bob.locator('#browse-namespace').selectOption('chat')
  await bob.locator('#browse-rules', { hasText: 'Open chat. Anyone can create rooms here.' }).waitFor()
  t.equal(await bob.locator('#create-room-prefix').innerText(), 'chat:')
  await bob.locator('#create-room-name').fill('Board Games')
  await bob.locator('#create-room-form button[type="submit"]').click()
  await bob.locator('#conv-title', { hasText: '# chat:board-games' }).waitFor()
  t.equal(await bob.locator('#room-browser').isVisible(), false, 'the browser closes on the new room')

  // Where the namespace does not allow it, the page says so: the operator's namespace offers no button,
  // a guest in a registered-only namespace is refused in words.
  await bob.locator('#browse-rooms').click()
  await bob.locator('#browse-namespace').selectOption('news')
  await bob.locator('#create-room-help', { hasText: 'Rooms here are made by the operator; you cannot create one.' }).waitFor()
  t.equal(await bob.locator('#create-room-form button[type="submit"]').isDisabled(), true)
  await bob.locator('#browse-namespace').selectOption('support')
  await bob.locator('#create-room-help', { hasText: 'Only registered users create rooms here' }).waitFor()
  await bob.locator('#create-room-name').fill('help-me')
  await bob.locator('#create-room-form button[type="submit"]').click()
  await bob.locator('#create-room-error', { hasText: 'Could not create #support:help-me: Only registered users create rooms in this namespace; register first.' }).waitFor()

  // Filter by namespace: only chat's rooms; then every namespace again, and join design from the list.
  await bob.locator('#browse-namespace').selectOption('chat')
  await bob.locator('#browse-list .directory-room[data-room="lobby"]').waitFor({ state: 'detached' })
  t.same(await listed(bob), ['chat:board-games'])
  await bob.locator('#browse-namespace').selectOption('*')
  await design.locator('button', { hasText: 'Join' }).click()
  await bob.locator('#conv-title', { hasText: '# design' }).waitFor()
  await bob.locator('#conv-subtitle', { hasText: '2 online · Mockups and reviews' }).waitFor()
  await ana.locator('#room-list .conv', { hasText: 'design' }).click()
  await ana.locator('.system', { hasText: 'bob joined' }).waitFor()

  // The private room by invitation: ana finds bob and invites him; he joins from the notice.
  await ana.locator('#room-list .conv', { hasText: 'secret' }).click()
  await ana.locator('#room-settings-button').click()
  await ana.locator('#invite-name').fill('bo')
  await ana.locator('#invite-form button[type="submit"]').click()
  await ana.getByRole('button', { name: 'Invite bob' }).click()
  await ana.locator('#invite-status', { hasText: 'bob is invited and can now join #secret.' }).waitFor()
  await bob.locator('.toast', { hasText: 'ana invited you to #secret.' }).getByRole('button', { name: 'Join #secret' }).click()
  await bob.locator('#conv-title', { hasText: '# secret' }).waitFor()

  t.same(problems, [], 'no script errors or CSP violations')
})

t.test('the browser pages through the directory with "Show more"', { skip }, async (t) => {
  await buildPage()
  const server = await startServer(t)
  const rooms = Array.from({ length: 24 }, (_, i) => `room-${String(i).padStart(2, '0')}`)
  await RawClient.login(t, server.url, { name: 'maker', rooms: rooms.map((room) => ({ room })) })
  const browser = await launchChromium(t)
  const problems: string[] = []
  const page = await openAs(t, browser, server, problems, 'reader')
  await page.locator('#browse-rooms').click()
  await page.locator('#browse-list .directory-room[data-room="lobby"]').waitFor()
  await page.locator('#browse-search').fill('room-')
  await page.locator('#browse-list .directory-room[data-room="lobby"]').waitFor({ state: 'detached' })
  await page.locator('#browse-status', { hasText: '20+ public rooms' }).waitFor()
  t.equal(await page.locator('#browse-list .directory-room').count(), 20, 'one page of 20')
  await page.locator('#browse-more').click()
  await page.locator('#browse-status', { hasText: '24 public rooms' }).waitFor()
  t.same(await listed(page), rooms, 'the next page follows, in order, nothing twice')
  t.equal(await page.locator('#browse-more').isVisible(), false, 'no more pages')
  t.same(problems, [], 'no script errors or CSP violations')
})
