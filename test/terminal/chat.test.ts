// Two terminal clients as child processes on a real server, driven through
// stdin/stdout: chat both ways, alarms, rooms, a DM, a rename, typing, quit.
import t from 'tap'
import { startServer } from '../helpers/server.ts'
import { spawnTerminal, startTerminal } from '../helpers/terminal.ts'

t.test('ana and bob chat from their terminals: lobby, alarms, typing, dev, dm, rename and quit', async (t) => {
  const server = await startServer(t)
  const bob = await startTerminal(t, server.url, 'bob')

  let b = bob.mark()
  const ana = await startTerminal(t, server.url, 'ana')
  await bob.waitFor(/^\[\d\d:\d\d\] #lobby -- ana joined$/u, b)

  // Lobby, both ways; own lines are set apart.
  let a = ana.mark()
  b = bob.mark()
  ana.send('hello bob')
  await bob.waitFor(/^\[\d\d:\d\d\] #lobby <ana> hello bob$/u, b)
  await ana.waitFor(/^\[\d\d:\d\d\] #lobby <ana \(you\)> hello bob$/u, a)
  a = ana.mark()
  bob.send('hi ana')
  await ana.waitFor(/^\[\d\d:\d\d\] #lobby <bob> hi ana$/u, a)

  // Typing (a pipe has no keystrokes: /typing says it).
  a = ana.mark()
  bob.send('/typing')
  await ana.waitFor(/^#lobby ~ bob is typing…$/u, a)

  // Another room.
  a = ana.mark()
  ana.send('/join dev')
  await ana.waitFor(/^-!- joined #dev — 1 here: ana \(you\)$/u, a)
  await ana.waitFor(/^-!- talking in #dev$/u, a)
  bob.send('/join #dev')
  await ana.waitFor(/^\[\d\d:\d\d\] #dev -- bob joined$/u, a)
  b = bob.mark()
  ana.send('in dev now')
  await bob.waitFor(/^\[\d\d:\d\d\] #dev <ana> in dev now$/u, b)
  a = ana.mark()
  bob.send('dev reply')
  await ana.waitFor(/^\[\d\d:\d\d\] #dev <bob> dev reply$/u, a)

  // A direct message, by name.
  a = ana.mark()
  b = bob.mark()
  ana.send('/dm bob psst, bob')
  await bob.waitFor(/^\[\d\d:\d\d\] \[dm from ana\] psst, bob$/u, b)
  await ana.waitFor(/^\[\d\d:\d\d\] \[dm to bob\] psst, bob$/u, a)

  // A rename shows as an alarm at the other side, in every shared room.
  a = ana.mark()
  b = bob.mark()
  bob.send('/nick rob')
  await ana.waitFor(/^\[\d\d:\d\d\] #lobby -- bob is now rob$/u, a)
  await ana.waitFor(/^\[\d\d:\d\d\] #dev -- bob is now rob$/u, a)
  await bob.waitFor(/^-!- you are now known as rob$/u, b)

  // Quit logs out (the other side sees it leave) and exits 0.
  b = bob.mark()
  ana.send('/quit')
  t.equal(await ana.exited, 0, 'ana exits 0')
  t.match(ana.lines.at(-1), /^-!- bye$/u)
  await bob.waitFor(/^\[\d\d:\d\d\] #(lobby|dev) -- ana left$/u, b)
  bob.send('/quit')
  t.equal(await bob.exited, 0, 'bob exits 0')
})

t.test('/who, /rooms, /switch, /history and /leave answer from the server', async (t) => {
  const server = await startServer(t)
  const ana = await startTerminal(t, server.url, 'ana', ['--room', 'lobby', '--room', 'dev'])
  const bob = await startTerminal(t, server.url, 'bob')

  let a = ana.mark()
  ana.send('one')
  ana.send('two')
  ana.send('/rooms')
  await ana.waitFor(/^-!- rooms: \*#lobby \(\d\) {2}#dev \(1\)$/u, a)
  ana.send('/who')
  await ana.waitFor(/^-!- #lobby: 2 here: (ana \(you\), bob|bob, ana \(you\))$/u, a)
  ana.send('/history 1')
  await ana.waitFor(/^-!- #lobby: the last 1 message \(older ones exist\)$/u, a)
  await ana.waitFor(/^\[\d\d:\d\d\] #lobby <ana \(you\)> two$/u, a)

  a = ana.mark()
  ana.send('/switch dev')
  await ana.waitFor(/^-!- talking in #dev$/u, a)
  ana.send('/switch ops')
  await ana.waitFor(/^-!- error: you are not in #ops; \/join it first$/u, a)
  ana.send('/leave')
  await ana.waitFor(/^-!- left #dev$/u, a)
  ana.send('/bogus')
  await ana.waitFor(/^-!- error: unknown command \/bogus/u, a)
  ana.send('/dm nobody-here hi')
  await ana.waitFor(/^-!- error: no user named or with id "nobody-here"$/u, a)
  const b = bob.mark()
  ana.send('back in the lobby')
  await bob.waitFor(/^\[\d\d:\d\d\] #lobby <ana> back in the lobby$/u, b)

  ana.process.stdin!.end() // end of input quits like /quit
  t.equal(await ana.exited, 0)
})

t.test('a name in use is refused: the client says so and exits 1', async (t) => {
  const server = await startServer(t)
  await startTerminal(t, server.url, 'ana')
  const again = spawnTerminal(t, ['--url', server.url, '--name', 'ANA'])
  await again.waitFor(/^-!- error: name-taken: /u)
  t.equal(await again.exited, 1)
})
