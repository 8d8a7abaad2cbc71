// Client events → printable lines. Pure: the same input gives the same text,
// so the unit test pins every format. Everything that came over the wire
// (names, texts, room names, error messages) goes through `sanitize` first: a
// hostile peer or server must not move the cursor, clear the screen, set the
// window title or reorder the line with bidi controls.
import type { ChatMessage, DirectMessage, Member } from '@wirechat/protocol/primitives'
import { CloseCodes } from '@wirechat/protocol/codes'
import type { ServerFrameOf } from '@wirechat/protocol/frames'
import type { ChatEvents, RetryInfo, SessionInfo, StateChange } from '@wirechat/client'
import { Usage } from './commands.ts'

/** How lines look. */
export interface RenderOptions {
  /** IANA time zone of the timestamps. Default: the host's. */
  timeZone?: string | undefined
  /** Wrap lines in ANSI colours (only when printing to a terminal). Default false. */
  color?: boolean | undefined
}

// C0 controls but tab and line feed (handled by the callers), DEL, C1 (CSI is
// U+009B, OSC U+009D), the line/paragraph separators and the bidi marks,
// embeddings, overrides and isolates.
const UNSAFE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu

/**
 * Makes text from the wire safe for one terminal line: control characters
 * become visible escapes (`\x1B`, `\u{202E}`), so nothing is executed and
 * nothing hidden; a tab becomes a space. Line feeds are escaped too: callers
 * that allow several lines split first (see `textLines`).
 */
export function sanitize(text: string): string {
  return text.replace(/\t/gu, ' ').replace(UNSAFE, (c) => {
    const code = c.codePointAt(0)!
    return code <= 0xff ? `\\x${code.toString(16).toUpperCase().padStart(2, '0')}` : `\\u{${code.toString(16).toUpperCase()}}`
  })
}

/** Continuation prefix of a multi-line message: no sender can forge a line start with it. */
export const ContinuationPrefix = '      | '

/** A message text as display lines: the first goes after the header, the rest indented. */
export function textLines(text: string): string[] {
  return text.split(/\r?\n/u).map(sanitize)
}

const timeFormats = new Map<string, Intl.DateTimeFormat>()

/** HH:MM of a server timestamp (ms since the epoch), 24-hour clock. */
export function formatTime(ts: number, timeZone?: string): string {
  const key = timeZone ?? ''
  let format = timeFormats.get(key)
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', ...(timeZone !== undefined && { timeZone }) })
    timeFormats.set(key, format)
  }
  return format.format(ts)
}

const Ansi = { dim: 2, bold: 1, red: 31, green: 32, yellow: 33, cyan: 36 } as const
type Paint = keyof typeof Ansi

/** Colours a whole, already sanitized line. The only escape sequences we print are these. */
function paint(line: string, colour: Paint, o: RenderOptions): string {
  return o.color === true ? `\x1b[${Ansi[colour]}m${line}\x1b[0m` : line
}

function joinLines(head: string, text: string): string {
  const [first = '', ...more] = textLines(text)
  return [head + first, ...more.map((l) => ContinuationPrefix + l)].join('\n')
}

/** `#lobby` */
export function roomTag(room: string): string {
  return `#${sanitize(room)}`
}

/** A room message: `[12:04] #lobby <bob> hello`; own lines say `<ana (you)>`. */
export function renderChat(message: ChatMessage, own: boolean, o: RenderOptions = {}): string {
  const who = own ? `<${sanitize(message.name)} (you)>` : `<${sanitize(message.name)}>`
  const line = joinLines(`[${formatTime(message.ts, o.timeZone)}] ${roomTag(message.room)} ${who} `, message.text)
  return own ? paint(line, 'cyan', o) : line
}

/** A direct message: `[12:04] [dm from bob] hi` or, own, `[12:04] [dm to bob] hi`. */
export function renderDm(message: DirectMessage, own: boolean, partnerName: string, o: RenderOptions = {}): string {
  const tag = own ? `[dm to ${sanitize(partnerName)}]` : `[dm from ${sanitize(message.fromName)}]`
  return paint(joinLines(`[${formatTime(message.ts, o.timeZone)}] ${tag} `, message.text), own ? 'cyan' : 'bold', o)
}

/** A join/leave/rename alarm, as our own sentence (the server's `text` only for kinds we do not know): `[12:04] #lobby -- bob joined`. */
export function renderAlarm(alarm: ServerFrameOf<'alarm'>, selfId: string | undefined, o: RenderOptions = {}): string {
  const you = alarm.userId === selfId ? ' (you)' : ''
  const name = sanitize(alarm.name)
  // A kind this version does not know (a newer server): the server's own sentence (PROTOCOL.md §1).
  let what = sanitize(alarm.text)
  switch (alarm.kind) {
    case 'joined':
      what = `${name}${you} joined`
      break
    case 'left':
      what = `${name}${you} left`
      break
    case 'renamed':
      what = alarm.oldName === undefined ? `${name}${you} changed name` : `${sanitize(alarm.oldName)}${you} is now ${name}`
      break
    case 'topic':
      what = `${name}${you} set the topic: ${sanitize(alarm.topic ?? '')}`
      break
    case 'visibility':
      what = `${name}${you} made the room ${alarm.public ? 'public' : 'private'}`
      break
    case 'role':
      what = `${name}${you} is now ${alarm.role ?? 'member'}`
      break
    case 'room-deleted':
      what = 'an operator deleted this room'
      break
  }
  return paint(`[${formatTime(alarm.ts, o.timeZone)}] ${roomTag(alarm.room)} -- ${what}`, 'dim', o)
}

/** `#lobby ~ bob is typing…`; undefined when nobody is. */
export function renderTyping(room: string, typing: readonly Member[], o: RenderOptions = {}): string | undefined {
  const names = typing.map((m) => sanitize(m.name))
  if (names.length === 0) return undefined
  let who: string
  if (names.length === 1) who = `${names[0]} is`
  else if (names.length <= 3) who = `${names.slice(0, -1).join(', ')} and ${names.at(-1)} are`
  else who = `${names.length} people are`
  return paint(`${roomTag(room)} ~ ${who} typing…`, 'dim', o)
}

/** A line of the client itself: `-!- text` (text already safe). */
export function renderInfo(text: string, o: RenderOptions = {}): string {
  return paint(`-!- ${text}`, 'dim', o)
}

/** A warning the user must not miss (lost connection, failures): `-!- text`. */
export function renderAlert(text: string, o: RenderOptions = {}): string {
  return paint(`-!- ${text}`, 'yellow', o)
}

/** `1001 going-away` */
export function describeClose(code: number | undefined): string {
  if (code === undefined) return ''
  const known = (CloseCodes as Record<number, { name: string } | undefined>)[code]
  if (known !== undefined) return `${code} ${known.name}`
  return code === 1006 ? '1006 abnormal' : String(code)
}

/** A connection state change; undefined when it is not worth a line. */
export function renderState(change: StateChange, url: string, o: RenderOptions = {}): string | undefined {
  const code = change.code === undefined ? '' : ` (${describeClose(change.code)})`
  switch (change.to) {
    case 'connecting':
      return renderInfo(`connecting to ${sanitize(url)}…`, o)
    case 'open':
      return paint(`-!- connected to ${sanitize(url)}`, 'green', o)
    case 'reconnecting':
      if (change.reason === 'connect-failed') return renderAlert(`could not connect${code}; reconnecting…`, o)
      if (change.reason === 'heartbeat-timeout') return renderAlert('connection lost (no answer to ping); reconnecting…', o)
      return renderAlert(`connection lost${code}; reconnecting…`, o)
    case 'closed':
      if (change.reason === 'logout') return renderInfo('logged out', o)
      if (change.reason === 'disconnect') return renderInfo('disconnected', o)
      return paint(`-!- disconnected for good: ${change.reason}${code}${change.error ? ` — ${sanitize(change.error.message)}` : ''}`, 'red', o)
  }
}

/** A scheduled reconnect attempt. */
export function renderRetry(info: RetryInfo, o: RenderOptions = {}): string {
  return renderAlert(`reconnecting in ${(info.delayMs / 1000).toFixed(1)} s (attempt ${info.attempt})`, o)
}

/** The server's greeting. */
export function renderWelcome(welcome: ServerFrameOf<'welcome'>, o: RenderOptions = {}): string {
  return renderInfo(`welcome: server speaks ${sanitize(welcome.protocol)} ${sanitize(welcome.version)}`, o)
}

/** The login result (or the session restored after a reconnect). */
export function renderSession(info: SessionInfo, o: RenderOptions = {}): string {
  const who = `${sanitize(info.name)} (id ${sanitize(info.userId)})`
  return paint(info.restored ? `-!- session restored: ${who}` : `-!- logged in as ${who}`, 'green', o)
}

/** `ana (you), bob` */
export function memberList(members: readonly Member[], selfId: string | undefined): string {
  if (members.length === 0) return 'nobody'
  return members.map((m) => (m.userId === selfId ? `${sanitize(m.name)} (you)` : sanitize(m.name))).join(', ')
}

/** A room was joined, or rejoined after a reconnect. */
export function renderJoined(event: ChatEvents['joined'], selfId: string | undefined, o: RenderOptions = {}): string {
  const members = `${event.members.length} here: ${memberList(event.members, selfId)}`
  const { outcome } = event
  if (!outcome.rejoined) return renderInfo(`joined ${roomTag(event.room)} — ${members}`, o)
  if (outcome.resumed) return renderInfo(`rejoined ${roomTag(event.room)}${outcome.missed > 0 ? `, ${outcome.missed} missed message${outcome.missed === 1 ? '' : 's'} follow` : ''} — ${members}`, o)
  return renderAlert(`rejoined ${roomTag(event.room)}; could not resume, showing the latest messages — ${members}`, o)
}

/** Answer to /who. */
export function renderMembers(room: string, members: readonly Member[], selfId: string | undefined, o: RenderOptions = {}): string {
  return renderInfo(`${roomTag(room)}: ${members.length} here: ${memberList(members, selfId)}`, o)
}

/** Answer to /rooms: the current room is starred. */
export function renderRooms(rooms: ReadonlyArray<{ name: string; status: string; members: number }>, current: string | undefined, o: RenderOptions = {}): string {
  if (rooms.length === 0) return renderInfo('you are in no room; /join one', o)
  const list = rooms.map((r) => `${r.name === current ? '*' : ''}${roomTag(r.name)} (${r.members}${r.status === 'joined' ? '' : `, ${r.status}`})`)
  return renderInfo(`rooms: ${list.join('  ')}`, o)
}

/** A failed request or a stray server error: code and message. */
export function renderError(err: unknown, o: RenderOptions = {}): string {
  if (err !== null && typeof err === 'object' && 'code' in err && 'message' in err) {
    return paint(`-!- error: ${sanitize(String(err.code))}: ${sanitize(String(err.message))}`, 'red', o)
  }
  return paint(`-!- error: ${sanitize(err instanceof Error ? err.message : String(err))}`, 'red', o)
}

/** The /help text, one line per command. */
export function renderHelp(o: RenderOptions = {}): string {
  return [renderInfo('commands (anything else is sent to the current room):', o), ...Object.values(Usage).map((u) => `    ${u}`)].join('\n')
}
