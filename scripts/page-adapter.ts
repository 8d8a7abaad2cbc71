#!/usr/bin/env node
// The client kit's adapter for the chat page (docs/conformance.md, "Testing a
// client"): the page itself, built as the server serves it, in headless
// Chromium, driven as a person would drive it and read back from its DOM.
//
// The page connects to its own origin's /ws, so the adapter serves it from a
// small local HTTP server — index.html and the bundle, under the server's own
// security headers (its CSP included) — and passes that server's WebSocket
// upgrades through, byte for byte, to the kit's fake server (WIRECHAT_URL):
// close codes, cuts (1006), refusals (HTTP 503) and silence reach the page
// exactly as the kit makes them. The only thing added to the page is the
// reconnect scale the kit asks for (WIRECHAT_BACKOFF_BASE_MS / _MAX_MS), as a
// `<meta name="wirechat-backoff">` in the served index.html.
//
// Instructions become page actions: login fills the login form (the rooms
// are the browser's saved rooms, as after an earlier visit), send picks the
// room in the sidebar and types in the composer, logout presses "Log out".
// What the page shows becomes the kit's lines: every message of #messages
// (once per element, by data-id; a `changed` line when its text, reaction
// chips or tombstone change), in the conversation on screen — the adapter
// opens any conversation whose unread badge lights up, as a reader would,
// until a `view` instruction keeps the user in one room — each room's unread
// badge in the sidebar, the connection pill's state, and the banner of a stopped connection, its
// sentence mapped back to the close code (client/page/status.ts).
//
//   wirechat-conformance client -- node --conditions=wirechat-source scripts/page-adapter.ts
import { readFileSync } from 'node:fs'
import { createServer, type IncomingMessage } from 'node:http'
import { connect, type Socket } from 'node:net'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { chromium } from 'playwright-core'
import { buildPage, distDir, isBundleStale } from '../client/build.ts'
import { closedText } from '../client/page/status.ts'
import { SECURITY_HEADERS } from '../server/http/security-headers.ts'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
/** How often the page's DOM is read for new lines. */
const SCAN_MS = 40
/** Bound of one page action (a click, a fill). */
const ACTION_MS = 5_000

const upstream = process.env.WIRECHAT_URL
if (upstream === undefined || upstream === '') {
  process.stderr.write('page adapter: WIRECHAT_URL is not set\n')
  process.exit(2)
}
const target = new URL(upstream)
const ms = (name: string): number | undefined => {
  const value = Number(process.env[name])
  return Number.isFinite(value) && value > 0 ? value : undefined
}
const baseMs = ms('WIRECHAT_BACKOFF_BASE_MS')
const maxMs = ms('WIRECHAT_BACKOFF_MAX_MS')

const show = (line: Record<string, unknown>): void => {
  process.stdout.write(`${JSON.stringify(line)}\n`)
}

// The page, built as `npm start` builds it.
if (isBundleStale()) await buildPage()
const root = join(import.meta.dirname, '..')
const indexHtml = readFileSync(join(root, 'client', 'public', 'index.html'), 'utf8').replace(
  '<head>',
  baseMs === undefined && maxMs === undefined ? '<head>' : `<head>\n  <meta name="wirechat-backoff" content="${baseMs ?? 500},${Math.max(maxMs ?? 10_000, baseMs ?? 0)}">`,
)
const FILES: Record<string, { file: string; type: string }> = {
  '/app.js': { file: join(distDir, 'app.js'), type: 'text/javascript; charset=utf-8' },
  '/app.css': { file: join(distDir, 'app.css'), type: 'text/css; charset=utf-8' },
}

const http = createServer((req, res) => {
  const path = new URL(req.url ?? '/', 'http://x').pathname
  const headers = { ...SECURITY_HEADERS, 'cache-control': 'no-store' }
  if (path === '/') return void res.writeHead(200, { ...headers, 'content-type': 'text/html; charset=utf-8' }).end(indexHtml)
  const asset = FILES[path]
  if (asset === undefined) return void res.writeHead(404, headers).end()
  res.writeHead(200, { ...headers, 'content-type': asset.type }).end(readFileSync(asset.file))
})

/** The page's upgrade request, passed on to the kit's server as it came (path and Host rewritten), and the bytes both ways after it. */
http.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
  const lines = [`GET ${target.pathname}${target.search} HTTP/1.1`]
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!
    lines.push(name.toLowerCase() === 'host' ? `Host: ${target.host}` : `${name}: ${req.rawHeaders[i + 1]}`)
  }
  const out = connect(Number(target.port), target.hostname)
  out.setNoDelay(true)
  socket.setNoDelay(true)
  out.on('connect', () => {
    out.write(`${lines.join('\r\n')}\r\n\r\n`)
    if (head.length > 0) out.write(head)
    out.pipe(socket)
    socket.pipe(out)
  })
  // A cut on one side is a cut on the other: the page sees 1006 when the kit cuts.
  out.on('error', () => socket.destroy())
  socket.on('error', () => out.destroy())
  out.on('close', () => socket.destroy())
  socket.on('close', () => out.destroy())
})
await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
const address = http.address()
if (address === null || typeof address === 'string') throw new Error('no port')
const pageUrl = `http://127.0.0.1:${address.port}/`

const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true })
const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
const page = await context.newPage()
page.setDefaultTimeout(ACTION_MS)
page.on('pageerror', (err) => process.stderr.write(`page error: ${err.message}\n`))

/** Close codes the page's banner names, by its sentence. */
const STOP_SENTENCES = new Map([1000, 1001, 1008, 4001, 4008, 4011, 4012, 4013, 4014].map((code) => [closedText({ reason: 'terminal-close', code }), code]))

// What the page shows, read from its DOM on a short interval; each new thing becomes one line.
const reported = new Set<string>()
/** How each reported row looked last (text, reactions, tombstone), by the same key. */
const looks = new Map<string, string>()
/** The unread count last reported per room, read from the sidebar's badge. */
const counts = new Map<string, number>()
/** Set by a `view` instruction: the user stays in the room they opened, and unread badges are left to count. */
let stayPut = false
let lastState: string | undefined
let lastStop: string | undefined

interface Scan {
  conv: string | undefined
  messages: Array<{ id: string; seq: string | undefined; text: string; own: boolean; reactions: Array<{ emoji: string; count: number }>; deleted: boolean }>
  state: string | undefined
  banner: { state: string | undefined; text: string } | undefined
  unread: string[]
  /** Each room's unread badge in the sidebar (0 without one). */
  counts: Array<{ room: string; count: number }>
}

async function scan(): Promise<void> {
  const seen = await page
    .evaluate((): Scan => {
      const current = document.querySelector('.conv[aria-current="page"]')?.closest('li')?.getAttribute('data-key') ?? undefined
      const messages = [...document.querySelectorAll<HTMLElement>('#messages li.msg[data-id]')].map((li) => ({
        id: li.dataset.id!,
        seq: li.dataset.seq,
        text: li.querySelector('.text')?.textContent ?? '',
        own: li.classList.contains('own'),
        reactions: [...li.querySelectorAll<HTMLElement>('.reactions .reaction')].map((chip) => ({
          emoji: chip.dataset.emoji ?? '',
          count: Number(chip.querySelector('.reaction-count')?.textContent ?? 0),
        })),
        deleted: li.classList.contains('deleted'),
      }))
      const banner = document.querySelector<HTMLElement>('#conn-banner')
      return {
        conv: current,
        messages,
        state: document.querySelector<HTMLElement>('#conn-status')?.dataset.state,
        banner: banner === null || banner.hidden ? undefined : { state: banner.dataset.state, text: document.querySelector('#conn-banner-text')?.textContent ?? '' },
        unread: [...document.querySelectorAll('.conv.unread:not([aria-current])')].map((b) => b.closest('li')?.getAttribute('data-key') ?? '').filter(Boolean),
        counts: [...document.querySelectorAll<HTMLElement>('li[data-key^="room:"]')].map((li) => {
          const badge = li.querySelector('.conv .badge:not(.mention-badge)')?.textContent ?? '0'
          return { room: li.dataset.key!.slice('room:'.length), count: badge === '99+' ? 100 : Number(badge) }
        }),
      }
    })
    .catch(() => undefined)
  if (seen === undefined) return
  if (seen.conv !== undefined) {
    const times = new Map<string, number>()
    for (const m of seen.messages) {
      const k = (times.get(m.id) ?? 0) + 1
      times.set(m.id, k)
      const key = `${seen.conv} ${m.id} ${k}`
      const seq = m.seq === undefined ? {} : { seq: Number(m.seq) }
      // Since 1.3.0 a row changes in place (an edit, reactions, a tombstone): a `changed` line when its look does.
      const look = { text: m.text, ...(m.reactions.length > 0 && { reactions: m.reactions }), ...(m.deleted && { deleted: true }) }
      const looked = JSON.stringify(look)
      if (reported.has(key)) {
        if (k === 1 && seen.conv.startsWith('room:') && looks.get(key) !== looked) show({ shown: 'changed', room: seen.conv.slice('room:'.length), ...seq, msgId: m.id, own: m.own, ...look })
        looks.set(key, looked)
        continue
      }
      reported.add(key)
      looks.set(key, looked)
      if (seen.conv.startsWith('room:')) show({ shown: 'message', room: seen.conv.slice('room:'.length), ...seq, msgId: m.id, own: m.own, ...look })
      else show({ shown: 'dm', with: seen.conv.slice('dm:'.length), ...seq, text: m.text, own: m.own })
    }
  }
  for (const { room, count } of seen.counts) {
    if (Number.isNaN(count) || counts.get(room) === count) continue
    counts.set(room, count)
    show({ shown: 'unread', room, count })
  }
  if (seen.state !== undefined && seen.state !== lastState) {
    lastState = seen.state
    show({ shown: 'status', state: seen.state })
  }
  const stop = seen.banner?.state === 'closed' ? seen.banner.text : undefined
  if (stop !== undefined && stop !== lastStop) {
    const code = STOP_SENTENCES.get(stop) ?? Number(/\(code (\d+)\)/.exec(stop)?.[1] ?? Number.NaN)
    show({ shown: 'stopped', code: Number.isNaN(code) ? null : code, text: stop })
  }
  lastStop = stop
  // A reader opens what lights up: the next scan reads it.
  if (seen.unread.length > 0 && !busy && !stayPut) await open(seen.unread[0]!).catch(() => {})
}

/** Shows the conversation with this sidebar key. */
async function open(key: string): Promise<void> {
  const button = page.locator(`li[data-key="${key}"] > button.conv`)
  if ((await button.getAttribute('aria-current')) !== 'page') await button.click()
}

// Instructions run one at a time, in order.
let queue: Promise<void> = Promise.resolve()
let busy = false
const act = (what: () => Promise<void>): void => {
  queue = queue.then(async () => {
    busy = true
    try {
      await what()
    } catch (err) {
      show({ shown: 'error', code: 'adapter', message: (err as Error).message.split('\n')[0] })
    } finally {
      busy = false
    }
  })
}

let scanning: NodeJS.Timeout | undefined
function startScanning(): void {
  const tick = async (): Promise<void> => {
    await scan()
    scanning = setTimeout(tick, SCAN_MS)
  }
  scanning = setTimeout(tick, SCAN_MS)
}

let quitting = false
async function quit(): Promise<void> {
  if (quitting) return
  quitting = true
  clearTimeout(scanning)
  await browser.close().catch(() => {})
  http.closeAllConnections()
  http.close()
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
      return act(async () => {
        // The rooms this browser joined on an earlier visit: the page rejoins them at login.
        if (rooms !== undefined) await context.addInitScript((saved) => localStorage.setItem('wirechat.v1', saved), JSON.stringify({ rooms }))
        await page.goto(pageUrl)
        startScanning()
        await page.locator('#login-name').fill(name ?? 'guest')
        await page.locator('#login-submit').click()
        await page.locator('#chat-screen').waitFor({ state: 'visible' })
      })
    }
    case 'send': {
      const { room, text } = instruction as { room: string; text: string }
      return act(async () => {
        await open(`room:${room}`)
        await page.locator('#composer-input').fill(text)
        await page.locator('#composer-input').press('Enter')
      })
    }
    case 'type': {
      // Key by key, over `ms`, without sending: the composer announces the typing.
      const { room, text, ms } = instruction as { room: string; text: string; ms: number }
      return act(async () => {
        await open(`room:${room}`)
        await page.locator('#composer-input').pressSequentially(text, { delay: ms / Math.max(1, text.length), timeout: ms + ACTION_MS })
      })
    }
    case 'view': {
      // Said at once, not when its turn in the queue comes: nothing else is opened meanwhile.
      const { room } = instruction as { room: string }
      stayPut = true
      return act(() => open(`room:${room}`))
    }
    case 'logout':
      return act(async () => {
        await page.locator('#logout-button').click()
      })
    case 'quit':
      return void quit()
    default:
      show({ shown: 'error', code: 'unknown-instruction', message: String(instruction.do) })
  }
}

createInterface({ input: process.stdin })
  .on('line', (line) => {
    if (line.trim() !== '') instruct(line)
  })
  .on('close', () => void queue.then(quit))
process.on('SIGTERM', () => void quit())
