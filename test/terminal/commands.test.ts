// The input line parser: a table of lines and the command each one means.
import t from 'tap'
import { parseCommand, type Command } from '../../terminal/commands.ts'

const cases: Array<[string, Command]> = [
  ['', { kind: 'empty' }],
  ['   ', { kind: 'empty' }],
  ['hello', { kind: 'say', text: 'hello' }],
  ['  spaced out  ', { kind: 'say', text: '  spaced out  ' }],
  ['//me waves', { kind: 'say', text: '/me waves' }],
  ['/join dev', { kind: 'join', room: 'dev' }],
  ['/join #dev', { kind: 'join', room: 'dev' }],
  ['/JOIN dev', { kind: 'join', room: 'dev' }],
  ['/j dev', { kind: 'join', room: 'dev' }],
  ['/leave', { kind: 'leave' }],
  ['/leave dev', { kind: 'leave', room: 'dev' }],
  ['/switch dev', { kind: 'switch', room: 'dev' }],
  ['/room #dev', { kind: 'switch', room: 'dev' }],
  ['/rooms', { kind: 'rooms' }],
  ['/who', { kind: 'who' }],
  ['/who dev', { kind: 'who', room: 'dev' }],
  ['/dm bob hi there', { kind: 'dm', to: 'bob', text: 'hi there' }],
  ['/dm "ana k" hi', { kind: 'dm', to: 'ana k', text: 'hi' }],
  ['/dm u_Z3kqT8mW1xYp   psst  ', { kind: 'dm', to: 'u_Z3kqT8mW1xYp', text: 'psst' }],
  ['/msg bob hi', { kind: 'dm', to: 'bob', text: 'hi' }],
  ['/nick ana.k', { kind: 'nick', name: 'ana.k' }],
  ['/nick  ana k ', { kind: 'nick', name: 'ana k' }],
  ['/history', { kind: 'history' }],
  ['/history 5', { kind: 'history', count: 5 }],
  ['/typing', { kind: 'typing', typing: true }],
  ['/typing on', { kind: 'typing', typing: true }],
  ['/typing off', { kind: 'typing', typing: false }],
  ['/quit', { kind: 'quit' }],
  ['/exit', { kind: 'quit' }],
  ['/help', { kind: 'help' }],
]

t.test('each command line parses to its command', async (t) => {
  for (const [line, command] of cases) t.same(parseCommand(line), command, JSON.stringify(line))
})

const mistakes: Array<[string, RegExp]> = [
  ['/join', /^usage: \/join ROOM/],
  ['/join a b', /^usage: \/join ROOM/],
  ['/leave a b', /^usage: \/leave/],
  ['/switch', /^usage: \/switch ROOM/],
  ['/rooms extra', /^usage: \/rooms/],
  ['/dm', /^usage: \/dm USER TEXT/],
  ['/dm bob', /^usage: \/dm USER TEXT/],
  ['/dm "ana k hi', /^usage: \/dm USER TEXT/],
  ['/dm "ana k"', /^usage: \/dm USER TEXT/],
  ['/nick', /^usage: \/nick NAME/],
  ['/history x', /^usage: \/history/],
  ['/history -1', /^usage: \/history/],
  ['/history 0', /from 1 to 1000/],
  ['/history 1001', /from 1 to 1000/],
  ['/typing maybe', /^usage: \/typing/],
  ['/frobnicate', /^unknown command \/frobnicate; \/help/],
  ['/', /^unknown command/],
]

t.test('a mistaken command is invalid with a message saying how to use it', async (t) => {
  for (const [line, message] of mistakes) {
    const command = parseCommand(line)
    t.equal(command.kind, 'invalid', line)
    if (command.kind === 'invalid') t.match(command.message, message, line)
  }
})
