// Typing in a DM through the library, against the real server: bob's
// `dmTyping` reaches ana as a `dm-typing` event (start and stop), and nothing
// of it reaches a user who blocks bob.
import t from 'tap'
import { connectAndLogin, nextEvent } from '../helpers/chat-client.ts'
import { startServer } from '../helpers/server.ts'

t.test('a DM typing signal reaches the recipient, start and stop', async (t) => {
  const server = await startServer(t)
  const { client: ana } = await connectAndLogin(t, server, 'ana', [])
  const { client: bob } = await connectAndLogin(t, server, 'bob', [])
  const started = nextEvent(ana, 'dm-typing')
  await bob.dmTyping(ana.user!.userId, true)
  t.same(await started, { userId: bob.user!.userId, name: 'bob', typing: true })
  const stopped = nextEvent(ana, 'dm-typing')
  await bob.dmTyping(ana.user!.userId, false)
  t.same(await stopped, { userId: bob.user!.userId, name: 'bob', typing: false })
})

t.test('a user who blocks the sender hears nothing of it', async (t) => {
  const server = await startServer(t)
  const { client: ana } = await connectAndLogin(t, server, 'ana', [])
  const { client: bob } = await connectAndLogin(t, server, 'bob', [])
  await ana.block(bob.user!.userId)
  const heard: unknown[] = []
  ana.on('dm-typing', (e) => heard.push(e))
  await bob.dmTyping(ana.user!.userId, true)
  // A DM after it is refused too, and its answer arrives after anything the typing could have caused.
  await t.rejects(bob.sendDm(ana.user!.userId, 'hi'), { code: 'blocked' })
  await ana.markDmRead(bob.user!.userId, 1).catch(() => {})
  t.same(heard, [])
})
