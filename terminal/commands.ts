// Turns one input line into a command. Pure: no I/O, no client, so every
// spelling (and every mistake) is a table row in the unit test.

/** A parsed input line. `invalid` carries the usage message to show. */
export type Command =
  /** Nothing to do (blank line). */
  | { kind: 'empty' }
  /** Send `text` to the current room (a plain line; `//x` sends "/x"). */
  | { kind: 'say'; text: string }
  /** Join a room (and make it current). */
  | { kind: 'join'; room: string }
  /** Leave the given room, or the current one. */
  | { kind: 'leave'; room?: string }
  /** Make a joined room the current one. */
  | { kind: 'switch'; room: string }
  /** List the joined rooms. */
  | { kind: 'rooms' }
  /** Who is in the given room, or the current one. */
  | { kind: 'who'; room?: string }
  /** Direct message to a user, by display name or user id. */
  | { kind: 'dm'; to: string; text: string }
  /** Change the display name. */
  | { kind: 'nick'; name: string }
  /** Show the newest `count` messages of the current room (default: the server's page). */
  | { kind: 'history'; count?: number }
  /** Say (or stop saying) "typing" in the current room: for scripts, which have no keystrokes. */
  | { kind: 'typing'; typing: boolean }
  /** Log out and exit. */
  | { kind: 'quit' }
  /** List the commands. */
  | { kind: 'help' }
  /** A line that starts like a command but is not a valid one. */
  | { kind: 'invalid'; message: string }

/** Usage of each command, in the order /help lists them. */
export const Usage = {
  join: '/join ROOM            join a room and make it current',
  leave: '/leave [ROOM]         leave a room (default: the current one)',
  switch: '/switch ROOM          make a joined room current (also /room ROOM)',
  rooms: '/rooms                list the rooms you are in',
  who: '/who [ROOM]           who is in the room (default: the current one)',
  dm: '/dm USER TEXT         direct message by name ("quoted" if it has spaces) or user id',
  nick: '/nick NAME            change your display name',
  history: '/history [N]          show the newest N messages of the current room',
  typing: '/typing [on|off]      say you are typing (scripts; a terminal does it for you)',
  quit: '/quit                 log out and exit',
  help: '/help                 this list',
} as const

/** Upper bound of `/history N`; the server caps a page further (limits.historyPageMax). */
export const MaxHistoryCount = 1000

const invalid = (message: string): Command => ({ kind: 'invalid', message })
const usage = (name: keyof typeof Usage): Command => invalid(`usage: ${Usage[name]}`)

/** Parses one line as typed (without its line break). */
export function parseCommand(line: string): Command {
  if (line.trim() === '') return { kind: 'empty' }
  if (!line.startsWith('/')) return { kind: 'say', text: line }
  if (line.startsWith('//')) return { kind: 'say', text: line.slice(1) }

  const match = /^\/(\S+)\s*(.*)$/su.exec(line)
  const name = (match?.[1] ?? '').toLowerCase()
  const rest = (match?.[2] ?? '').trim()
  const words = rest === '' ? [] : rest.split(/\s+/u)

  switch (name) {
    case 'join':
    case 'j':
      return words.length === 1 ? { kind: 'join', room: roomName(words[0]!) } : usage('join')
    case 'leave':
    case 'part':
      if (words.length === 0) return { kind: 'leave' }
      return words.length === 1 ? { kind: 'leave', room: roomName(words[0]!) } : usage('leave')
    case 'switch':
    case 'room':
      return words.length === 1 ? { kind: 'switch', room: roomName(words[0]!) } : usage('switch')
    case 'rooms':
      return words.length === 0 ? { kind: 'rooms' } : usage('rooms')
    case 'who':
    case 'names':
      if (words.length === 0) return { kind: 'who' }
      return words.length === 1 ? { kind: 'who', room: roomName(words[0]!) } : usage('who')
    case 'dm':
    case 'msg':
      return parseDm(rest)
    case 'nick':
    case 'name':
      // Display names may hold inner spaces: the whole rest is the name.
      return rest === '' ? usage('nick') : { kind: 'nick', name: rest }
    case 'history':
      return parseHistory(words)
    case 'typing':
      if (words.length === 0 || (words.length === 1 && words[0] === 'on')) return { kind: 'typing', typing: true }
      return words.length === 1 && words[0] === 'off' ? { kind: 'typing', typing: false } : usage('typing')
    case 'quit':
    case 'exit':
      return { kind: 'quit' }
    case 'help':
    case '?':
      return { kind: 'help' }
    default:
      return invalid(`unknown command /${name}; /help lists the commands (start with // to send a line beginning with /)`)
  }
}

/** `#dev` and `dev` name the same room (the protocol's names have no `#`). */
function roomName(word: string): string {
  return word.startsWith('#') && word.length > 1 ? word.slice(1) : word
}

/** `/dm bob hi there`, `/dm "ana k" hi`, `/dm u_123 hi`. */
function parseDm(rest: string): Command {
  let to: string
  let text: string
  if (rest.startsWith('"')) {
    const end = rest.indexOf('"', 1)
    if (end < 0) return usage('dm')
    to = rest.slice(1, end).trim()
    text = rest.slice(end + 1)
  } else {
    const match = /^(\S+)(.*)$/su.exec(rest)
    to = match?.[1] ?? ''
    text = match?.[2] ?? ''
  }
  text = text.trim()
  if (to === '' || text === '') return usage('dm')
  return { kind: 'dm', to, text }
}

function parseHistory(words: string[]): Command {
  if (words.length === 0) return { kind: 'history' }
  if (words.length > 1 || !/^\d+$/u.test(words[0]!)) return usage('history')
  const count = Number(words[0])
  if (count < 1 || count > MaxHistoryCount) return invalid(`/history takes a count from 1 to ${MaxHistoryCount}`)
  return { kind: 'history', count }
}
