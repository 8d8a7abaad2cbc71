// The typing throttle: first keystroke says typing, refreshes are spaced,
// erasing or turning the line into a command says stopped.
import t from 'tap'
import { TypingNotifier } from '../../terminal/typing.ts'

function setup(refreshMs = 2_500) {
  let now = 0
  const sent: Array<[string, boolean]> = []
  const typing = new TypingNotifier({ clock: { now: () => now }, refreshMs, send: (room, on) => sent.push([room, on]) })
  return { typing, sent, advance: (ms: number) => (now += ms) }
}

t.test('keystrokes send typing once, then refresh no more often than refreshMs', async (t) => {
  const { typing, sent, advance } = setup()
  typing.input('lobby', 'h')
  typing.input('lobby', 'he')
  advance(2_499)
  typing.input('lobby', 'hel')
  t.same(sent, [['lobby', true]])
  advance(1)
  typing.input('lobby', 'hell')
  t.same(sent, [
    ['lobby', true],
    ['lobby', true],
  ])
  t.ok(typing.typing)
})

t.test('sending the line needs no false (the server ends typing); another room gets one', async (t) => {
  const { typing, sent } = setup()
  typing.input('lobby', 'hi')
  typing.sent('lobby')
  t.notOk(typing.typing)
  t.same(sent, [['lobby', true]])
  typing.input('lobby', 'x')
  typing.sent('dev')
  t.same(sent, [
    ['lobby', true],
    ['lobby', true],
    ['lobby', false],
  ])
})

t.test('erasing the line, starting a command or switching rooms says stopped', async (t) => {
  const { typing, sent } = setup()
  typing.input('lobby', 'hi')
  typing.input('lobby', '')
  typing.input('lobby', 'hi')
  typing.input('lobby', '/jo')
  typing.input('lobby', 'x')
  typing.input('dev', 'xy')
  t.same(sent, [
    ['lobby', true],
    ['lobby', false],
    ['lobby', true],
    ['lobby', false],
    ['lobby', true],
    ['lobby', false],
    ['dev', true],
  ])
  typing.stop()
  typing.stop()
  t.same(sent.at(-1), ['dev', false])
  t.equal(sent.length, 8, 'a second stop sends nothing')
})

t.test('no room, no typing; a //-escaped line is chat', async (t) => {
  const { typing, sent } = setup()
  typing.input(undefined, 'hello')
  typing.input('lobby', '//not a command')
  t.same(sent, [['lobby', true]])
})
