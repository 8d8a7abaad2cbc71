#!/usr/bin/env node
// The client kit's adapter for our client library, @wirechat/client, on
// Node's global WebSocket: the reference for writing one (docs/conformance.md,
// "Testing a client"). It reads the kit's instructions as JSON lines on
// stdin, drives a ChatClient, and prints what an application would show as
// JSON lines on stdout. Everything protocol-related — reconnect, backoff,
// resume, re-sends, dedup, gap filling, heartbeat, waiting out `rate-limited`
// and sending the refused chat again — is the library's; the adapter only maps
// instructions to calls and events to lines.
//
//   wirechat-conformance client -- node conformance/dist/adapters/wirechat-client.js
import { createInterface } from 'node:readline'
import { ChatClient, createBackoff, isChatError } from '@wirechat/client'
import { type ChatMessage, isTargetedEvent } from '@wirechat/protocol'

const url = process.env.WIRECHAT_URL
if (url === undefined || url === '') {
  process.stderr.write('wirechat-client adapter: WIRECHAT_URL is not set\n')
  process.exit(2)
}
const ms = (name: string, fallback: number): number => {
  const value = Number(process.env[name])
  return Number.isFinite(value) && value > 0 ? value : fallback
}
const baseMs = ms('WIRECHAT_BACKOFF_BASE_MS', 500)
const client = new ChatClient({ url, backoff: createBackoff({ baseMs, maxMs: Math.max(baseMs, ms('WIRECHAT_BACKOFF_MAX_MS', 10_000)) }) })

/** One line on stdout: what the application shows. */
function show(line: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(line)}\n`)
}

const showError = (err: unknown): void => show({ shown: 'error', code: isChatError(err) ? err.code : 'failed', message: err instanceof Error ? err.message : String(err) })

/** A message as the application draws it (since 1.3.0: its reactions, or a tombstone). */
const look = (message: ChatMessage): Record<string, unknown> => ({
  room: message.room,
  seq: message.seq,
  text: message.text,
  msgId: message.msgId,
  own: message.userId === client.user?.userId,
  ...(message.reactions !== undefined && { reactions: message.reactions.map(({ emoji, count }) => ({ emoji, count })) }),
  ...(message.deleted === true && { deleted: true }),
})

/** The unread count last shown per room: a line when it changes. */
const unreadShown = new Map<string, number>()
function showUnread(name: string): void {
  const room = client.rooms.get(name)
  if (room === undefined || unreadShown.get(name) === room.unread) return
  unreadShown.set(name, room.unread)
  show({ shown: 'unread', room: name, count: room.unread })
}

client.on('chat', ({ message }) => {
  // An edit, delete or reaction changes a message already shown ('message-changed'); it is no line of its own.
  if (!isTargetedEvent(message)) show({ shown: 'message', ...look(message) })
  showUnread(message.room)
})
client.on('message-changed', ({ room, message }) => {
  show({ shown: 'changed', ...look(message) })
  showUnread(room)
})
client.on('joined', ({ room, history }) => {
  // The join snapshot (empty when the room was resumed: the replay follows as chat events).
  for (const message of history) show({ shown: 'message', ...look(message) })
  showUnread(room)
})
client.on('read', ({ room }) => showUnread(room))
client.on('dm', ({ message }) => show({ shown: 'dm', seq: message.seq, text: message.text, from: message.from }))
client.on('alarm', (alarm) => show({ shown: 'alarm', room: alarm.room, kind: alarm.kind, text: alarm.text }))
client.on('error', showError)
client.on('state', (change) => {
  show({ shown: 'status', state: change.to, reason: change.reason, ...(change.code !== undefined && { code: change.code }) })
  if (change.to === 'closed' && change.reason !== 'disconnect') show({ shown: 'stopped', code: change.code ?? null, reason: change.reason })
})

/** Sends a chat. A `rate-limited` refusal is the library's to wait out and send again; what still fails is shown. */
async function send(room: string, text: string): Promise<void> {
  await client.sendChat(room, text).catch(showError)
}

/**
 * The user types `text` over `ms`: an application tells the server on the first keystroke and
 * again within half the typing TTL that welcome announced (PROTOCOL.md §9), while keys keep coming.
 */
async function type(room: string, text: string, ms: number): Promise<void> {
  const every = Math.max(1, ms / Math.max(1, text.length))
  let saidAt = Number.NEGATIVE_INFINITY
  for (let i = 0; i < text.length; i++) {
    const refreshMs = (client.welcome?.limits.typingTtlMs ?? 5_000) / 2
    if (performance.now() - saidAt >= refreshMs * 0.8) {
      saidAt = performance.now()
      client.typing(room, true).catch(() => {}) // best effort: a lost signal lapses on the server
    }
    await new Promise((resolve) => setTimeout(resolve, every))
  }
}

let loggedIn: Promise<void> = Promise.resolve()
let quitting = false

async function quit(): Promise<void> {
  if (quitting) return
  quitting = true
  if (client.state === 'open' && client.user !== undefined) {
    await Promise.race([client.logout().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 2_000))])
  }
  client.disconnect()
  process.stdout.write('', () => process.exit(0))
}

function instruct(line: string): void {
  let instruction: Record<string, unknown>
  try {
    instruction = JSON.parse(line) as Record<string, unknown>
  } catch {
    return show({ shown: 'error', code: 'bad-instruction', message: line.slice(0, 100) })
  }
  switch (instruction.do) {
    case 'login': {
      const { name, rooms } = instruction as { name?: string; rooms?: string[] }
      loggedIn = client
        .connect()
        .then(() => client.login({ ...(name !== undefined && { name }), ...(rooms !== undefined && { rooms }) }))
        .then(() => undefined, showError)
      return
    }
    case 'send': {
      const { room, text } = instruction as { room: string; text: string }
      void loggedIn.then(() => send(room, text))
      return
    }
    case 'type': {
      const { room, text, ms } = instruction as { room: string; text: string; ms: number }
      void loggedIn.then(() => type(room, text, ms))
      return
    }
    case 'view':
      return // every room's messages and counts are shown already; nothing is marked read by looking
    case 'logout':
      void loggedIn.then(() => client.logout().catch(showError))
      return
    case 'quit':
      void quit()
      return
    default:
      show({ shown: 'error', code: 'unknown-instruction', message: String(instruction.do) })
  }
}

createInterface({ input: process.stdin })
  .on('line', (line) => {
    if (line.trim() !== '') instruct(line)
  })
  .on('close', () => void quit())
