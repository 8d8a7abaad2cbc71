// Moderation in real headless Chromium against a real server: an owner
// appoints a moderator from the room settings; the moderator kicks a spammer
// (who may come back) and bans them (who then cannot: the page says so and
// the join is refused with `banned`); a muted user's send is refused in plain
// words; the owner lifts the ban from the settings. Then an operator's forced
// disconnect (close 4013) and server ban (4014) through the admin API: the
// victim's page says what happened and opens no new connection.
import type { Page } from 'playwright-core'
import t from 'tap'
import { buildPage } from '../../client/build.ts'
import { chromiumMissing, launchChromium, sendFromComposer, joinRoom, openAs } from '../helpers/browser.ts'
import { startServer, type TestServer } from '../helpers/server.ts'

const ADMIN_TOKEN = 'e2e-admin-token-0123456789abcdefghijklmn'
const skip = chromiumMissing(t)

/** Opens the actions on a member of the shown room from the member list. */
async function memberMenu(page: Page, name: string): Promise<void> {
  await page.locator('#member-list .member-row', { hasText: name }).hover()
  await page.getByRole('button', { name: `Actions for ${name}` }).click()
  await page.locator('#member-actions').waitFor({ state: 'visible' })
}

async function admin(server: TestServer, path: string, body: unknown = {}): Promise<number> {
  const res = await fetch(`${server.httpUrl}/admin${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  await res.arrayBuffer()
  return res.status
}

t.test('a moderator kicks and bans a spammer, who cannot come back; a muted user cannot post', { skip }, async (t) => {
  await buildPage()
  const server = await startServer(t)
  const browser = await launchChromium(t)
  const problems: string[] = []

  const ana = await openAs(t, browser, server, problems, 'ana')
  await joinRoom(ana, 'town')
  const carol = await openAs(t, browser, server, problems, 'carol')
  await joinRoom(carol, 'town')
  const spammer = await openAs(t, browser, server, problems, 'spammer')
  await joinRoom(spammer, 'town')
  const bob = await openAs(t, browser, server, problems, 'bob')
  await joinRoom(bob, 'town')
  await ana.locator('#member-list .member-row', { hasText: 'bob' }).waitFor()

  // ana created the room, so she owns it: she makes carol a moderator in the settings.
  await ana.locator('#room-settings-button').click()
  await ana.locator('#room-settings-subtitle', { hasText: 'you are the owner' }).waitFor()
  await ana.locator('#appoint-user').selectOption({ label: 'carol' })
  await ana.locator('#appoint-form button[type="submit"]').click()
  await ana.locator('#settings-moderators .person', { hasText: 'carol' }).waitFor()
  await ana.locator('#room-settings .panel-head .icon-button').click()
  await carol.locator('.system', { hasText: 'carol is now a moderator' }).waitFor()
  await carol.locator('#member-list .member.self .role-tag', { hasText: 'mod' }).waitFor()

  // A member sees only DM and block for others.
  await memberMenu(bob, 'spammer')
  t.same(await bob.locator('#member-menu .menu-item').allInnerTexts(), ['Send a message', 'Block…'], 'no moderation for members')
  await bob.keyboard.press('Escape')

  // carol kicks the spammer, with a reason: everyone sees it, the spammer is out and told.
  await sendFromComposer(spammer, 'BUY CHEAP WATCHES')
  await memberMenu(carol, 'spammer')
  t.same(await carol.locator('#member-menu .menu-item').allInnerTexts(), ['Send a message', 'Block…', 'Kick…', 'Mute…', 'Ban…'])
  await carol.locator('#member-menu .menu-item', { hasText: 'Kick…' }).click()
  await carol.locator('#member-reason').fill('spam')
  await carol.locator('#member-confirm-button', { hasText: 'Kick spammer' }).click()
  await ana.locator('.system', { hasText: 'carol kicked spammer: spam' }).waitFor()
  await carol.locator('.system', { hasText: 'You kicked spammer: spam' }).waitFor()
  await spammer.locator('.toast', { hasText: 'carol removed you from #town: spam. You can join again.' }).waitFor()
  await spammer.locator('#room-list .conv', { hasText: 'town' }).waitFor({ state: 'detached' })
  await ana.locator('#member-list .member-row', { hasText: 'spammer' }).waitFor({ state: 'detached' })

  // A kick is not a ban: the spammer comes back, and carol bans them for a day.
  await joinRoom(spammer, 'town')
  await carol.locator('#member-list .member-row', { hasText: 'spammer' }).waitFor()
  await memberMenu(carol, 'spammer')
  await carol.locator('#member-menu .menu-item', { hasText: 'Ban…' }).click()
  t.equal(await carol.locator('#member-confirm input[name="duration"]:checked + span').innerText(), '1 day', 'a day is the default')
  t.same(await carol.locator('#member-confirm .duration').allInnerTexts(), ['1 hour', '1 day', '1 week', 'Forever'])
  await carol.locator('#member-reason').fill('links')
  await carol.locator('#member-confirm-button', { hasText: 'Ban spammer' }).click()
  await ana.locator('.system', { hasText: 'carol banned spammer for 1 day: links' }).waitFor()
  await spammer.locator('.toast', { hasText: /carol banned you from #town until .*: links\./ }).waitFor()
  await spammer.locator('#room-list .conv', { hasText: 'town' }).waitFor({ state: 'detached' })

  // The ban holds: the join is refused and the page says why.
  await spammer.locator('#join-name').fill('town')
  await spammer.locator('#join-name').press('Enter')
  await spammer.locator('#join-error', { hasText: /Could not join #town: you are banned from this room until / }).waitFor()
  t.equal(await spammer.locator('#room-list .conv', { hasText: 'town' }).count(), 0, 'the spammer is not back in')
  await spammer.reload()
  await spammer.locator('#me-name', { hasText: 'spammer' }).waitFor()
  await spammer.locator('#room-list .conv', { hasText: 'lobby' }).waitFor()
  t.equal(await spammer.locator('#room-list .conv', { hasText: 'town' }).count(), 0, 'nor after a reload')

  // ana mutes bob for an hour: bob still reads, but his send is refused in words.
  await memberMenu(ana, 'bob')
  await ana.locator('#member-menu .menu-item', { hasText: 'Mute…' }).click()
  await ana.locator('#member-confirm .duration', { hasText: '1 hour' }).click()
  await ana.locator('#member-confirm-button', { hasText: 'Mute bob' }).click()
  await bob.locator('.system', { hasText: 'ana muted you for 1 hour' }).waitFor()
  await bob.locator('#composer-input').fill('why was I muted?')
  await bob.locator('#composer-input').press('Enter')
  await bob.locator('.pending.failed', { hasText: /Not sent: a moderator muted you in this room until / }).waitFor()
  await sendFromComposer(carol, 'bob can still read this')
  await bob.locator('.msg.other .text', { hasText: 'bob can still read this' }).waitFor()
  await memberMenu(ana, 'bob')
  await ana.locator('#member-actions-subtitle', { hasText: /Member of #town · muted until / }).waitFor()
  await ana.locator('#member-menu .menu-item', { hasText: 'Unmute' }).waitFor()
  await ana.keyboard.press('Escape')

  // The settings list both, and lifting the ban lets the spammer in again.
  await ana.locator('#room-settings-button').click()
  await ana.locator('#settings-bans .person', { hasText: 'spammer' }).waitFor()
  await t.resolveMatch(ana.locator('#settings-bans').innerText(), /by carol, until .* — links/)
  await ana.locator('#settings-mutes .person', { hasText: 'bob' }).waitFor()
  await ana.getByRole('button', { name: 'Unban spammer' }).click()
  await ana.locator('#settings-bans', { hasText: 'Nobody is banned.' }).waitFor()
  await ana.locator('.system', { hasText: 'You lifted the ban on spammer' }).waitFor()
  await joinRoom(spammer, 'town')

  // Anyone blocks anyone: bob blocks carol, whose direct messages to him are then refused; then he unblocks her.
  await memberMenu(bob, 'carol')
  await bob.locator('#member-menu .menu-item', { hasText: 'Block…' }).click()
  await bob.locator('#member-confirm-button', { hasText: 'Block carol' }).click()
  await bob.locator('#member-list .member-row', { hasText: 'carol' }).locator('.role-tag.blocked').waitFor()
  await carol.locator('#member-list button', { hasText: 'bob' }).click()
  await carol.locator('#conv-title', { hasText: '@ bob' }).waitFor()
  await carol.locator('#composer-input').fill('are you there?')
  await carol.locator('#composer-input').press('Enter')
  await carol.locator('.pending.failed', { hasText: 'Not sent: this user does not accept your messages' }).waitFor()
  await memberMenu(bob, 'carol')
  await bob.locator('#member-actions-subtitle', { hasText: 'blocked by you' }).waitFor()
  await bob.locator('#member-menu .menu-item', { hasText: 'Unblock' }).click()
  await bob.locator('#member-list .member-row', { hasText: 'carol' }).locator('.role-tag.blocked').waitFor({ state: 'detached' })
  await sendFromComposer(carol, 'hello again')
  await bob.locator('#dm-list .conv', { hasText: 'carol' }).waitFor()

  t.same(problems, [], 'no script errors or CSP violations')
})

t.test("an operator's forced disconnect and server ban show on the victim's page, which does not reconnect", { skip }, async (t) => {
  await buildPage()
  const server = await startServer(t, { adminToken: ADMIN_TOKEN })
  const browser = await launchChromium(t)
  const problems: string[] = []

  const ana = await openAs(t, browser, server, problems, 'ana')
  const troll = await openAs(t, browser, server, problems, 'troll')
  const row = ana.locator('#member-list .member-row', { hasText: 'troll' })
  await row.waitFor()
  const trollId = await row.getAttribute('data-user-id')
  if (trollId === null) throw new Error('no user id on the member row')

  let sockets = 0
  troll.on('websocket', () => sockets++)
  t.equal(await admin(server, `/users/${trollId}/disconnect`, { reason: 'cool down' }), 200)
  await troll.locator('#conn-status[data-state="closed"]').waitFor()
  await troll.locator('#conn-banner-text', { hasText: 'An operator disconnected you. Reload to connect again.' }).waitFor()
  // Long enough for several reconnect attempts at the client's backoff (0.25 s and up).
  await troll.waitForTimeout(2_000)
  t.equal(sockets, 0, 'the page opened no WebSocket after the close')
  t.equal(await troll.locator('#conn-status').getAttribute('data-state'), 'closed', 'and stays offline')

  // Disconnected is not banned: the Reconnect button brings the same user back.
  await troll.locator('#conn-retry', { hasText: 'Reconnect' }).click()
  await troll.locator('#conn-status[data-state="open"]').waitFor()
  await troll.locator('#conn-banner').waitFor({ state: 'hidden' })

  // A server ban: the page says so, offers no Reconnect, and stays closed.
  const before = sockets
  t.equal(await admin(server, `/users/${trollId}/ban`, { reason: 'trolling' }), 200)
  await troll.locator('#conn-banner-text', { hasText: 'An operator banned you from this server.' }).waitFor()
  t.equal(await troll.locator('#conn-retry').isVisible(), false, 'no Reconnect after a ban')
  await troll.waitForTimeout(2_000)
  t.equal(sockets, before, 'no WebSocket after the ban either')
  await ana.locator('#member-list .member-row', { hasText: 'troll' }).waitFor({ state: 'detached' })

  t.same(problems, [], 'no script errors or CSP violations')
})
