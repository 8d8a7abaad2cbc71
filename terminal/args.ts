// Command-line arguments of the terminal client. Pure: returns the options or
// the message to print, never exits, so the unit test can call it.
import { parseArgs } from 'node:util'

/** Where and as whom to chat. */
export interface TerminalArgs {
  /** ws:// or wss:// URL of the server's /ws endpoint. */
  url: string
  /** Display name; undefined takes the server's suggestion. */
  name: string | undefined
  /** Rooms to join at login, the first one current. */
  rooms: string[]
  /** Messages of each room's snapshot to show on join. */
  history: number
  /** ANSI colours: on, off, or decided by the terminal. */
  color: boolean | undefined
}

export const DefaultUrl = 'ws://localhost:3000/ws'

export const UsageText = `usage: wirechat chat [--url URL] [--name NAME] [--room ROOM]... [--history N] [--no-color]

  --url URL       server WebSocket endpoint (default ${DefaultUrl}, or $WIRECHAT_URL)
  --name NAME     display name (default: the one the server suggests)
  --room ROOM     room to join at login, repeatable; the first is current (default lobby)
  --history N     messages of each room to show on join (default 10)
  --color / --no-color   force ANSI colours on or off (default: on for a terminal, off if NO_COLOR)
  -h, --help      this text

Lines you type go to the current room; /help lists the commands.`

export type ArgsResult = { ok: true; args: TerminalArgs } | { ok: false; help: true } | { ok: false; help: false; message: string }

/** Parses argv (without node and the script); a leading `chat` subcommand is allowed. */
export function parseTerminalArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): ArgsResult {
  let parsed
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        url: { type: 'string' },
        name: { type: 'string' },
        room: { type: 'string', multiple: true },
        history: { type: 'string' },
        color: { type: 'boolean' },
        'no-color': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    })
  } catch (err) {
    return { ok: false, help: false, message: (err as Error).message }
  }
  const { values, positionals } = parsed
  if (values.help === true) return { ok: false, help: true }
  const extra = positionals[0] === 'chat' ? positionals.slice(1) : positionals
  if (extra.length > 0) return { ok: false, help: false, message: `unexpected argument "${extra[0]}"` }

  const url = values.url ?? env.WIRECHAT_URL ?? DefaultUrl
  if (!/^wss?:\/\//u.test(url)) return { ok: false, help: false, message: `--url must start with ws:// or wss:// (got "${url}")` }
  if (values.name !== undefined && values.name.trim() === '') return { ok: false, help: false, message: '--name must not be empty' }
  const rooms = (values.room ?? ['lobby']).map((r) => (r.startsWith('#') ? r.slice(1) : r))
  let history = 10
  if (values.history !== undefined) {
    if (!/^\d+$/u.test(values.history)) return { ok: false, help: false, message: '--history takes a whole number' }
    history = Number(values.history)
  }
  let color: boolean | undefined
  if (values['no-color'] === true || (env.NO_COLOR !== undefined && env.NO_COLOR !== '')) color = false
  if (values.color === true) color = true
  return { ok: true, args: { url, name: values.name, rooms, history, color } }
}
