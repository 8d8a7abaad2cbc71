#!/usr/bin/env node
// Entry point of the terminal client: arguments, the ChatClient on `ws`, and
// stdin/stdout. On a terminal it keeps a prompt under the incoming lines and
// sends "typing" as you type; from a pipe it reads one command per line and
// prints plain lines (no colours, no prompt) — what scripts and tests use.
//
//   node terminal/dist/main.js --url ws://localhost:3000/ws --name ana
import { createInterface, clearLine, cursorTo } from 'node:readline'
import { parseTerminalArgs, UsageText } from './args.ts'
import { createTerminalClient } from './client.ts'
import { roomTag } from './render.ts'
import { TerminalSession } from './session.ts'

const parsed = parseTerminalArgs(process.argv.slice(2), process.env)
if (!parsed.ok) {
  if (parsed.help) {
    process.stdout.write(`${UsageText}\n`)
    process.exit(0)
  }
  process.stderr.write(`wirechat: ${parsed.message}\n${UsageText}\n`)
  process.exit(2)
}
const { args } = parsed

const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true
const rl = createInterface({ input: process.stdin, ...(interactive && { output: process.stdout }), terminal: interactive, prompt: '> ' })

/** Prints above the prompt, then redraws the prompt with what was typed so far. */
function print(text: string): void {
  if (!interactive) {
    process.stdout.write(`${text}\n`)
    return
  }
  clearLine(process.stdout, 0)
  cursorTo(process.stdout, 0)
  process.stdout.write(`${text}\n`)
  rl.prompt(true)
}

let exiting = false
function exit(code: number): void {
  if (exiting) return
  exiting = true
  if (interactive) {
    // print() redrew the prompt after the last line: wipe it before leaving.
    clearLine(process.stdout, 0)
    cursorTo(process.stdout, 0)
  }
  rl.close()
  // Let the last lines reach a pipe before the process ends.
  process.stdout.write('', () => process.exit(code))
}

const client = createTerminalClient(args.url)
const session = new TerminalSession({
  client,
  url: args.url,
  name: args.name,
  rooms: args.rooms,
  historyOnJoin: args.history,
  print,
  exit,
  render: { color: args.color ?? (interactive && process.stdout.hasColors?.() === true) },
  onRoomChange: (room) => {
    rl.setPrompt(room === undefined ? '> ' : `${roomTag(room)}> `)
    if (interactive) rl.prompt(true)
  },
})

rl.on('line', (line) => void session.line(line))
rl.on('close', () => void session.end())
rl.on('SIGINT', () => void session.quit(0))
process.on('SIGINT', () => void session.quit(0))
process.on('SIGTERM', () => void session.quit(0))

if (interactive) {
  // readline has applied the key by the time this listener runs: rl.line is the text so far.
  process.stdin.on('keypress', (_str: string | undefined, key: { name?: string } | undefined) => {
    if (key?.name === 'return' || key?.name === 'enter') return // the line event handles the send
    session.editing(rl.line)
  })
  rl.prompt()
}

await session.start().catch(() => {}) // a refused login was printed and exits 1
