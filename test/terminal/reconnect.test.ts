// The terminal client across a server restart: it says the connection is
// lost, reconnects (the library resumes the session and rooms) and chats on.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { connectAndLogin, nextEvent } from '../helpers/chat-client.ts'
import { startServer } from '../helpers/server.ts'
import { LINE_WAIT_MS, spawnTerminal, startTerminal } from '../helpers/terminal.ts'

t.test('after a server restart on the same port and data the terminal shows reconnecting, then connected, and chats again', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'wirechat-terminal-'))
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }))
  const first = await startServer(t, { dataDir })
  const ana = await startTerminal(t, first.url, 'ana', ['--room', 'lobby', '--room', 'dev'])

  let a = ana.mark()
  await first.app.close() // clients get 1001 going-away
  await ana.waitFor(/^-!- connection lost \(1001 going-away\); reconnecting…$/u, a)
  await ana.waitFor(/^-!- reconnecting in \d+\.\d s \(attempt 1\)$/u, a)

  a = ana.mark()
  const second = await startServer(t, { dataDir, port: first.port })
  await ana.waitFor(/^-!- connected to ws:/u, a, LINE_WAIT_MS)
  await ana.waitFor(/^-!- session restored: ana \(id /u, a)
  await ana.waitFor(/^-!- rejoined #dev — /u, a)

  // A line typed after the reconnect arrives, and lines come back.
  const { client: bob } = await connectAndLogin(t, second, 'bob', ['lobby', 'dev'])
  const atBob = nextEvent(bob, 'chat', (c) => c.message.text === 'back again', LINE_WAIT_MS)
  ana.send('/switch dev')
  ana.send('back again')
  t.match((await atBob).message, { room: 'dev', name: 'ana', text: 'back again' })
  a = ana.mark()
  await bob.sendChat('dev', 'welcome back')
  await ana.waitFor(/^\[\d\d:\d\d\] #dev <bob> welcome back$/u, a)

  ana.send('/quit')
  t.equal(await ana.exited, 0)
})

t.test('a client started before its server keeps retrying, then connects and logs in', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'wirechat-terminal-'))
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }))
  // Reserve a port by starting and stopping a server on it.
  const probe = await startServer(t, { dataDir })
  await probe.app.close()
  const ana = spawnTerminal(t, ['--url', probe.url, '--name', 'ana'])
  await ana.waitFor(/^-!- could not connect \(1006 abnormal\); reconnecting…$/u)
  await startServer(t, { dataDir, port: probe.port })
  await ana.waitFor(/^-!- logged in as ana \(id /u)
  ana.send('/quit')
  t.equal(await ana.exited, 0)
})
