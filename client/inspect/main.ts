// The inspector page (/inspect): connects to a chat.v1 endpoint, logs every
// frame both ways with its time, checks each against the protocol's JSON
// Schemas, and flags what a client or server developer needs to see: schema
// violations, seq gaps, replies without a request, requests without a reply.
import './style.css'
import { byId } from '../page/dom.ts'
import { Composer } from './composer.ts'
import { Correlator } from './correlator.ts'
import { GapDetector } from './gaps.ts'
import { type Entry, LogView } from './log-view.ts'
import { checkText, type FrameCheck, type Violation } from './validate.ts'

const SUBPROTOCOL = 'chat.v1'
const TICK_MS = 250

const endpoint = byId('endpoint', HTMLInputElement)
const connectButton = byId('connect-button', HTMLButtonElement)
const status = byId('conn-status')
const statusText = byId('conn-status-text')
const timeoutInput = byId('reply-timeout', HTMLInputElement)
const frames = byId('frames', HTMLOListElement)
const log = new LogView(frames, byId('frames-empty'), byId('summary'))

let socket: WebSocket | undefined
let correlator = new Correlator<Entry>()
const gaps = new GapDetector()
let ticker: ReturnType<typeof setInterval> | undefined

endpoint.value = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`

const composer = new Composer({ onSend: send })

function setStatus(state: 'closed' | 'connecting' | 'open', text: string): void {
  status.dataset.state = state
  statusText.textContent = text
  connectButton.textContent = state === 'closed' ? 'Connect' : 'Disconnect'
  composer.connected = state === 'open'
}

function replyTimeoutMs(): number {
  const n = Number(timeoutInput.value)
  return Number.isFinite(n) && n >= 100 ? n : 5_000
}

function connect(url: string): void {
  let ws: WebSocket
  try {
    ws = new WebSocket(url, SUBPROTOCOL)
  } catch (err) {
    // A malformed URL (or a scheme other than ws/wss) throws right away.
    log.event(Date.now(), `Cannot connect to ${url}: ${(err as Error).message}`, 'bad')
    return
  }
  socket = ws
  correlator = new Correlator<Entry>()
  gaps.reset()
  setStatus('connecting', `Connecting to ${url}…`)
  log.event(Date.now(), `Connecting to ${url}`)
  ws.addEventListener('open', () => {
    if (socket !== ws) return
    setStatus('open', `Connected to ${url}`)
    log.event(Date.now(), `Open (subprotocol ${ws.protocol || 'none'})`)
    ticker = setInterval(checkOverdue, TICK_MS)
  })
  ws.addEventListener('message', (event) => {
    if (socket !== ws) return
    if (typeof event.data !== 'string') {
      log.frame('in', Date.now(), '(binary frame)', { violations: [{ path: '/', message: 'chat.v1 frames are text; the server sent a binary frame' }] })
      return
    }
    received(event.data)
  })
  ws.addEventListener('close', (event) => {
    if (socket !== ws) return
    socket = undefined
    clearInterval(ticker)
    const now = Date.now()
    for (const pending of correlator.drain()) pending.entry.flag('unanswered', 'no reply before the connection closed')
    gaps.reset()
    log.event(now, `Closed: ${event.code}${event.reason ? ` ${event.reason}` : ''}${event.wasClean ? '' : ' (not clean)'}`, event.code === 1000 ? 'info' : 'bad')
    setStatus('closed', `Closed (${event.code})`)
  })
}

function received(text: string): void {
  const now = Date.now()
  const check = checkText('in', text)
  const entry = log.frame('in', now, text, read(check))
  if (check.kind === 'bad-json') {
    entry.flag('invalid', check.message)
    return
  }
  const match = correlator.received(check.frame)
  if (match.kind === 'matched') {
    match.request.entry.answered(String(check.frame.type))
    entry.answered(`answers ${match.request.type || 'a frame'}${match.request.id !== undefined ? ` ${match.request.id}` : ''}`)
  } else if (match.kind === 'wrong-type') {
    match.request.entry.answered(String(check.frame.type))
    entry.flag('unmatched', `answers ${match.request.type} ${match.request.id ?? ''} but ${match.request.type} is answered by ${match.expected} or error`)
  } else if (match.kind === 'unmatched') {
    entry.flag(
      'unmatched',
      match.id === undefined ? 'a reply without id, and no request without id waits for one' : `no request with id ${match.id} waits (never sent, already answered, or timed out)`,
    )
  }
  for (const finding of gaps.received(check.frame)) entry.flag('gap', finding.text)
}

function send(text: string, check: FrameCheck): void {
  if (socket === undefined || socket.readyState !== WebSocket.OPEN) return
  const now = Date.now()
  const entry = log.frame('out', now, text, { ...read(check), ...(check.kind !== 'valid' && { note: 'sent although the composer flagged it' }) })
  if (check.kind === 'bad-json') entry.flag('invalid', check.message)
  const earlier = correlator.sent(entry, check.kind === 'bad-json' ? undefined : check.frame, now)
  if (earlier !== undefined) entry.flag('unanswered', `id ${earlier.id} is still waiting for a reply: the replies will be ambiguous`)
  socket.send(text)
}

/** What the log shows of a checked frame: its type, id and violations. */
function read(check: FrameCheck): { type?: string | undefined; id?: string | undefined; violations?: Violation[] } {
  if (check.kind === 'bad-json') return {}
  return { type: check.type, id: typeof check.frame.id === 'string' ? check.frame.id : undefined, ...(check.kind === 'invalid' && { violations: check.violations }) }
}

function checkOverdue(): void {
  const timeoutMs = replyTimeoutMs()
  for (const pending of correlator.overdue(Date.now(), timeoutMs)) pending.entry.flag('unanswered', `no reply within ${timeoutMs} ms`)
}

byId('connect-form', HTMLFormElement).addEventListener('submit', (e) => {
  e.preventDefault()
  if (socket !== undefined) {
    socket.close(1000, 'inspector disconnect')
    return
  }
  const url = endpoint.value.trim()
  if (url !== '') connect(url)
})

// Chromium reports a connect-src refusal only as this event: the socket gets no
// error and no close event. Say why, and give the socket up.
document.addEventListener('securitypolicyviolation', (e) => {
  if (e.effectiveDirective !== 'connect-src') return
  log.event(Date.now(), `This page's Content-Security-Policy blocks ${e.blockedURI} (only ws: and wss: endpoints can be inspected)`, 'bad')
  if (socket !== undefined && socket.readyState !== WebSocket.OPEN) {
    const refused = socket
    socket = undefined
    refused.close()
    setStatus('closed', 'Refused by the Content-Security-Policy')
  }
})

byId('only-flagged', HTMLInputElement).addEventListener('change', (e) => frames.classList.toggle('only-flagged', (e.target as HTMLInputElement).checked))
byId('clear-log', HTMLButtonElement).addEventListener('click', () => log.clear())
setStatus('closed', 'Not connected')
