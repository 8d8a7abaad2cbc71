// Command-line arguments of the terminal client.
import t from 'tap'
import { parseTerminalArgs } from '../../terminal/args.ts'

t.test('defaults: local server, lobby, name from the server, colour decided by the terminal', async (t) => {
  t.same(parseTerminalArgs([]), { ok: true, args: { url: 'ws://localhost:3000/ws', name: undefined, rooms: ['lobby'], history: 10, color: undefined } })
})

t.test('the chat subcommand, url, name, rooms and history are read', async (t) => {
  const result = parseTerminalArgs(['chat', '--url', 'wss://chat.example/ws', '--name', 'ana', '--room', 'dev', '--room', '#ops', '--history', '3'])
  t.same(result, { ok: true, args: { url: 'wss://chat.example/ws', name: 'ana', rooms: ['dev', 'ops'], history: 3, color: undefined } })
})

t.test('WIRECHAT_URL and NO_COLOR come from the environment; flags win', async (t) => {
  t.match(parseTerminalArgs([], { WIRECHAT_URL: 'ws://10.0.0.1/ws', NO_COLOR: '1' }), { ok: true, args: { url: 'ws://10.0.0.1/ws', color: false } })
  t.match(parseTerminalArgs(['--url', 'ws://a/ws', '--color'], { WIRECHAT_URL: 'ws://b/ws', NO_COLOR: '1' }), { ok: true, args: { url: 'ws://a/ws', color: true } })
  t.match(parseTerminalArgs(['--no-color']), { ok: true, args: { color: false } })
})

t.test('help and mistakes are reported, not thrown', async (t) => {
  t.same(parseTerminalArgs(['--help']), { ok: false, help: true })
  t.same(parseTerminalArgs(['-h']), { ok: false, help: true })
  t.match(parseTerminalArgs(['--url', 'http://x']), { ok: false, help: false, message: /ws:\/\//u })
  t.match(parseTerminalArgs(['--bogus']), { ok: false, help: false, message: /bogus/u })
  t.match(parseTerminalArgs(['serve']), { ok: false, help: false, message: /unexpected argument "serve"/u })
  t.match(parseTerminalArgs(['--history', 'ten']), { ok: false, help: false, message: /whole number/u })
  t.match(parseTerminalArgs(['--name', ' ']), { ok: false, help: false, message: /empty/u })
})
