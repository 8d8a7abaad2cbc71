#!/usr/bin/env node
// The client kit's adapter for the terminal client (docs/conformance.md,
// "Testing a client"). It runs the terminal's own session — its commands,
// its rendering, its quitting on a terminal close code — on the terminal's
// own ChatClient, types the kit's instructions as the lines a person would
// (`/switch ROOM`, the text, `/quit`), and turns every line the session
// prints back into the kit's JSON lines (printed.ts). The backoff scale the
// kit asks for (WIRECHAT_BACKOFF_BASE_MS / _MAX_MS) is the only change to
// the client, so the kit's reconnect checks run in seconds.
//
//   wirechat-conformance client -- node terminal/dist/adapter.js
import { createInterface } from 'node:readline'
import { createBackoff } from '@wirechat/client'
import { createTerminalClient } from './client.ts'
import { shownLines } from './printed.ts'
import { TerminalSession } from './session.ts'

const url = process.env.WIRECHAT_URL
if (url === undefined || url === '') {
  process.stderr.write('terminal adapter: WIRECHAT_URL is not set\n')
  process.exit(2)
}
const ms = (name: string): number | undefined => {
  const value = Number(process.env[name])
  return Number.isFinite(value) && value > 0 ? value : undefined
}
const baseMs = ms('WIRECHAT_BACKOFF_BASE_MS')
const maxMs = ms('WIRECHAT_BACKOFF_MAX_MS')
const backoff =
  baseMs === undefined && maxMs === undefined ? undefined : createBackoff({ ...(baseMs !== undefined && { baseMs }), ...(maxMs !== undefined && { maxMs: Math.max(maxMs, baseMs ?? 0) }) })

let exiting = false
function exit(code: number): void {
  if (exiting) return
  exiting = true
  process.stdout.write('', () => process.exit(code))
}

let session: TerminalSession | undefined

function instruct(line: string): void {
  let instruction: Record<string, unknown>
  try {
    instruction = JSON.parse(line) as Record<string, unknown>
  } catch {
    return void process.stdout.write(`${JSON.stringify({ shown: 'error', code: 'bad-instruction' })}\n`)
  }
  if (instruction.do === 'login' && session === undefined) {
    const { name, rooms } = instruction as { name?: string; rooms?: string[] }
    session = new TerminalSession({
      client: createTerminalClient(url!, { backoff }),
      url: url!,
      name,
      rooms,
      print: (text) => {
        for (const shown of shownLines(text)) process.stdout.write(`${JSON.stringify(shown)}\n`)
      },
      exit,
      render: { color: false },
    })
    void session.start().catch(() => {}) // a refused login was printed and exits 1
    return
  }
  if (session === undefined) return
  if (instruction.do === 'send') {
    const { room, text } = instruction as { room: string; text: string }
    if (session.currentRoom !== room) void session.line(`/switch ${room}`)
    void session.line(text.startsWith('/') ? `/${text}` : text) // "//x" says "/x"
  } else if (instruction.do === 'type') {
    // A person typing the line a key at a time, without pressing Enter.
    const { room, text, ms } = instruction as { room: string; text: string; ms: number }
    if (session.currentRoom !== room) void session.line(`/switch ${room}`)
    const s = session
    const every = Math.max(1, ms / Math.max(1, text.length))
    void (async () => {
      for (let i = 1; i <= text.length; i++) {
        s.editing(text.slice(0, i))
        await new Promise((resolve) => setTimeout(resolve, every))
      }
    })()
  } else if (instruction.do === 'logout') void session.line('/quit')
  else if (instruction.do === 'quit') void session.quit(0)
}

createInterface({ input: process.stdin })
  .on('line', (line) => {
    if (line.trim() !== '') instruct(line)
  })
  .on('close', () => {
    if (session === undefined) exit(0)
    else void session.end()
  })
