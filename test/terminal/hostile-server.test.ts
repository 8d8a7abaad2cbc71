// A scripted server that sends what the real one never would: escape
// sequences, bells, C1 controls and bidi overrides in names and texts. The
// terminal must print them as visible escapes and never emit a control byte.
// (The real server rejects such text, so only a raw server can send it.)
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { WebSocketServer, type WebSocket } from 'ws'
import { welcomeFrame } from '../helpers/fake-websocket.ts'
import { spawnTerminal } from '../helpers/terminal.ts'

const EVIL = '\x1b]0;pwned\x07\x1b[2J\x1b[H\x9b1A\u202e'
const ts = 1_767_225_600_000

t.test('control characters from a hostile server are printed as visible escapes, never executed', async (t) => {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: () => 'chat.v1' })
  t.teardown(
    () =>
      new Promise<void>((resolve) => {
        for (const ws of wss.clients) ws.terminate()
        wss.close(() => resolve())
      }),
  )
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()))
  const url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/ws`

  const send = (ws: WebSocket, frame: Record<string, unknown>) => ws.send(JSON.stringify(frame))
  let loginVersion: string | undefined
  wss.on('connection', (ws) => {
    send(ws, { ...welcomeFrame(), version: `1.0.0${EVIL}` })
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { type: string; id: string; version?: string }
      if (frame.type === 'login') {
        loginVersion = frame.version
        const evilMember = { userId: 'u_evil', name: `mallory${EVIL}` }
        send(ws, {
          type: 'login-ok',
          id: frame.id,
          userId: 'u_ana',
          name: 'ana',
          session: 's'.repeat(32),
          rooms: [
            { room: 'lobby', epoch: 'e1', seq: 1, members: [{ userId: 'u_ana', name: 'ana' }, evilMember], history: [{ msgId: 'm1', room: 'lobby', seq: 1, ...evilMember, text: `old${EVIL}`, ts }] },
          ],
          inbox: { epoch: 'i1', seq: 0 },
        })
        send(ws, { type: 'chat', message: { msgId: 'm2', room: 'lobby', seq: 2, ...evilMember, text: `hi${EVIL}\nsecond line${EVIL}`, ts } })
        send(ws, { type: 'alarm', room: 'lobby', kind: 'renamed', userId: 'u_evil', name: `eve${EVIL}`, oldName: `mallory${EVIL}`, text: EVIL, ts })
        send(ws, { type: 'typing', room: 'lobby', userId: 'u_evil', name: `eve${EVIL}`, typing: true })
        send(ws, { type: 'dm', message: { msgId: 'd1', from: 'u_evil', fromName: `eve${EVIL}`, to: 'u_ana', seq: 1, text: `psst${EVIL}`, ts } })
        send(ws, { type: 'error', code: 'internal', message: `oops${EVIL}`, retryable: true })
      }
      if (frame.type === 'logout') {
        send(ws, { type: 'logout-ok', id: frame.id })
        ws.close(1000, 'normal')
      }
    })
  })

  const ana = spawnTerminal(t, ['--url', url, '--name', 'ana'])
  const shown = '\\x1B]0;pwned\\x07\\x1B[2J\\x1B[H\\x9B1A\\u{202E}'
  await ana.waitFor(new RegExp(`^-!- error: internal: oops${escapeRegExp(shown)}$`, 'u'))
  t.equal(loginVersion, '1.0.0', 'the terminal logs in as a 1.0.0 client')
  ana.send('/quit')
  t.equal(await ana.exited, 0)

  const out = Buffer.concat(ana.raw).toString('utf8')
  t.notMatch(out, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u, 'no control character reaches the terminal')
  const expected = [
    `-!- welcome: server speaks chat.v1 1.0.0${shown}`,
    `-!- joined #lobby — 2 here: ana (you), mallory${shown}`,
    `#lobby <mallory${shown}> old${shown}`,
    `#lobby <mallory${shown}> hi${shown}`,
    `      | second line${shown}`,
    `#lobby -- mallory${shown} is now eve${shown}`,
    `#lobby ~ eve${shown} is typing…`,
    `[dm from eve${shown}] psst${shown}`,
  ]
  for (const text of expected)
    t.ok(
      ana.lines.some((line) => line.endsWith(text)),
      `printed: ${text}`,
    )
})

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/gu, '\\$&')
}
