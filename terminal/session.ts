// The terminal session: glue between input lines, the ChatClient and the
// printed lines. It owns the "current room", runs commands one at a time in
// input order (so "/join dev" then "hi" goes to dev), prints every client
// event through render.ts and never hides a lost connection.
import { isChatError, type ChatClient, type ChatEvents } from '@wirechat/client'
import type { Member } from '@wirechat/protocol/primitives'
import { parseCommand, type Command } from './commands.ts'
import * as render from './render.ts'
import { TypingNotifier } from './typing.ts'

export interface SessionOptions {
  client: ChatClient
  /** Where the client connects (for the messages). */
  url: string
  /** Display name to log in with; default the server's suggestion. */
  name?: string | undefined
  /** Rooms to join at login; the first becomes current. Default ["lobby"]. */
  rooms?: string[] | undefined
  /** Messages of the join snapshot to print per room. Default 10. */
  historyOnJoin?: number | undefined
  /** Prints one (possibly multi-line) block. */
  print: (text: string) => void
  /** Ends the program with an exit code (after the session has closed the connection). */
  exit: (code: number) => void
  /** Called when the current room changes (the prompt shows it). */
  onRoomChange?: ((room: string | undefined) => void) | undefined
  render?: render.RenderOptions | undefined
  /** Time source for the typing throttle. Default Date.now. */
  now?: (() => number) | undefined
  /** Bound on the logout at /quit, in ms. Default 3 000. */
  quitTimeoutMs?: number | undefined
}

export class TerminalSession {
  readonly #o: SessionOptions
  readonly #client: ChatClient
  readonly #r: render.RenderOptions
  readonly typing: TypingNotifier
  #current: string | undefined
  /** Input runs in order: each line waits for the one before. */
  #queue: Promise<void> = Promise.resolve()
  #quitting = false
  #loggedIn = false
  /** Last typing set printed per room, so only newcomers make a line. */
  readonly #typists = new Map<string, Set<string>>()
  /** Names of users met in DMs (user id → name), for /dm by name outside shared rooms. */
  readonly #dmNames = new Map<string, string>()

  constructor(options: SessionOptions) {
    this.#o = options
    this.#client = options.client
    this.#r = options.render ?? {}
    const now = options.now ?? Date.now
    this.typing = new TypingNotifier({
      clock: { now },
      send: (room, typing) => {
        this.#client.typing(room, typing).catch(() => {}) // best effort: a stale indicator expires anyway
      },
    })
    this.#subscribe()
  }

  /** The room plain lines go to. */
  get currentRoom(): string | undefined {
    return this.#current
  }

  /** Connects and logs in. Lines given meanwhile wait. Exits 1 when the login is refused. */
  start(): Promise<void> {
    const started = this.#login()
    this.#queue = started.catch(() => {})
    return started
  }

  /** One input line: queued behind the previous ones. */
  line(text: string): Promise<void> {
    const command = parseCommand(text)
    const run = this.#queue.then(() => this.#run(command))
    this.#queue = run.catch((err: unknown) => this.#print(render.renderError(err, this.#r)))
    return this.#queue
  }

  /** The line being edited changed (terminal only): drives the typing indicator. */
  editing(line: string): void {
    if (this.#loggedIn && !this.#quitting) this.typing.input(this.#current, line)
  }

  /** Input ended (EOF): quit after the lines before it. */
  end(): Promise<void> {
    this.#queue = this.#queue.then(() => this.quit())
    return this.#queue
  }

  /** Logs out (bounded), closes the connection and exits 0. Safe to call twice. */
  async quit(code = 0): Promise<void> {
    if (this.#quitting) return
    this.#quitting = true
    if (this.#client.state === 'open' && this.#client.user !== undefined) {
      let timer: ReturnType<typeof setTimeout> | undefined
      const bound = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.#o.quitTimeoutMs ?? 3_000)))
      await Promise.race([this.#client.logout().catch(() => {}), bound])
      clearTimeout(timer)
    }
    this.#client.disconnect()
    this.#print(render.renderInfo('bye', this.#r))
    this.#o.exit(code)
  }

  // ---- start ----------------------------------------------------------------------

  async #login(): Promise<void> {
    try {
      await this.#client.connect()
      const rooms = this.#o.rooms ?? ['lobby']
      await this.#client.login({ ...(this.#o.name !== undefined && { name: this.#o.name }), rooms })
      this.#loggedIn = true
      this.#setCurrent(rooms.find((r) => this.#client.rooms.has(r)))
      this.#print(
        render.renderInfo(this.#current === undefined ? 'no room joined; /join one. /help lists the commands' : `talking in ${render.roomTag(this.#current)}; /help lists the commands`, this.#r),
      )
    } catch (err) {
      if (this.#quitting) return // quit (Ctrl-C, end of input) while connecting: nothing went wrong
      this.#print(render.renderError(err, this.#r))
      if (isChatError(err, 'name-taken')) this.#print(render.renderInfo('that name is in use; pick another with --name', this.#r))
      await this.quit(1)
      throw err
    }
  }

  // ---- events -----------------------------------------------------------------------

  #print(text: string): void {
    this.#o.print(text)
  }

  #subscribe(): void {
    const c = this.#client
    const r = this.#r
    const selfId = () => c.user?.userId
    let welcomed = false
    c.on('state', (change) => {
      if (this.#quitting && change.to === 'closed') return
      const line = render.renderState(change, this.#o.url, r)
      if (line !== undefined) this.#print(line)
      if (change.to === 'closed' && change.reason !== 'disconnect' && change.reason !== 'logout') {
        // Closed for good (terminal close code, refused session): nothing more will come.
        void this.quit(1)
      }
    })
    c.on('retry', (info) => this.#print(render.renderRetry(info, r)))
    c.on('welcome', (welcome) => {
      this.typing.refreshMs = Math.max(500, Math.floor(welcome.limits.typingTtlMs / 2))
      if (!welcomed) this.#print(render.renderWelcome(welcome, r))
      welcomed = true
    })
    c.on('session', (info) => this.#print(render.renderSession(info, r)))
    c.on('name', ({ name }) => this.#print(render.renderInfo(`you are now known as ${render.sanitize(name)}`, r)))
    c.on('joined', (event) => this.#onJoined(event))
    c.on('left', ({ room }) => {
      this.#typists.delete(room)
      if (this.#quitting) return
      this.#print(render.renderInfo(`left ${render.roomTag(room)}`, r))
      if (room === this.#current) this.#setCurrent([...c.rooms.keys()][0])
    })
    c.on('chat', ({ message, own }) => {
      this.#print(render.renderChat(message, own, r))
      this.#typists.get(message.room)?.delete(message.userId)
    })
    c.on('dm', ({ message, own, partnerId }) => {
      if (!own) this.#dmNames.set(message.from, message.fromName)
      this.#print(render.renderDm(message, own, this.#nameOf(partnerId) ?? partnerId, r))
    })
    c.on('inbox', (inbox) => {
      if (inbox.lost) this.#print(render.renderAlert('some direct messages sent while you were away could not be replayed', r))
    })
    c.on('alarm', (alarm) => this.#print(render.renderAlarm(alarm, selfId(), r)))
    c.on('typing', ({ room, typing }) => this.#onTyping(room, typing))
    c.on('error', (err) => this.#print(render.renderError(err, r)))
  }

  #onJoined(event: ChatEvents['joined']): void {
    this.#typists.delete(event.room)
    this.#print(render.renderJoined(event, this.#client.user?.userId, this.#r))
    // The snapshot of a fresh join (or of a rejoin that could not resume); a resume replays as chat events.
    const shown = event.history.slice(-(this.#o.historyOnJoin ?? 10))
    const selfId = this.#client.user?.userId
    for (const message of shown) this.#print(render.renderChat(message, message.userId === selfId, this.#r))
  }

  /** Prints a line when someone starts typing; stopping (or sending) needs no line. */
  #onTyping(room: string, typing: Member[]): void {
    const before = this.#typists.get(room) ?? new Set<string>()
    const now = new Set(typing.map((m) => m.userId))
    this.#typists.set(room, now)
    if (typing.some((m) => !before.has(m.userId))) {
      const line = render.renderTyping(room, typing, this.#r)
      if (line !== undefined) this.#print(line)
    }
  }

  #setCurrent(room: string | undefined): void {
    if (room === this.#current) return
    this.typing.stop()
    this.#current = room
    this.#o.onRoomChange?.(room)
  }

  // ---- commands -----------------------------------------------------------------------

  async #run(command: Command): Promise<void> {
    if (this.#quitting) return
    const r = this.#r
    const c = this.#client
    switch (command.kind) {
      case 'empty':
        return this.typing.stop()
      case 'invalid':
        this.typing.stop()
        return this.#print(render.renderError(command.message, r))
      case 'help':
        this.typing.stop()
        return this.#print(render.renderHelp(r))
      case 'say':
        return this.#say(command.text)
      case 'quit':
        return this.quit(0)
      default:
        this.typing.stop()
    }
    switch (command.kind) {
      case 'join': {
        await c.join(command.room)
        this.#setCurrent(command.room)
        return this.#print(render.renderInfo(`talking in ${render.roomTag(command.room)}`, r))
      }
      case 'leave': {
        const room = command.room ?? this.#current
        if (room === undefined || !c.rooms.has(room)) return this.#print(render.renderError(`you are not in ${room === undefined ? 'any room' : render.roomTag(room)}`, r))
        return c.leave(room)
      }
      case 'switch': {
        if (!c.rooms.has(command.room)) return this.#print(render.renderError(`you are not in ${render.roomTag(command.room)}; /join it first`, r))
        this.#setCurrent(command.room)
        return this.#print(render.renderInfo(`talking in ${render.roomTag(command.room)}`, r))
      }
      case 'rooms': {
        const rooms = [...c.rooms.values()].map((room) => ({ name: room.name, status: room.status, members: room.members.length }))
        return this.#print(render.renderRooms(rooms, this.#current, r))
      }
      case 'who': {
        const room = command.room ?? this.#current
        if (room === undefined) return this.#print(render.renderError('no current room; /join one', r))
        const members = await c.presence(room)
        return this.#print(render.renderMembers(room, members, c.user?.userId, r))
      }
      case 'dm':
        return this.#dm(command.to, command.text)
      case 'nick': {
        await c.rename(command.name)
        return
      }
      case 'history': {
        const room = this.#current
        if (room === undefined) return this.#print(render.renderError('no current room; /join one', r))
        const page = await c.history(room, command.count === undefined ? {} : { limit: command.count })
        this.#print(
          render.renderInfo(
            `${render.roomTag(room)}: ${page.messages.length === 0 ? 'no messages yet' : `the last ${page.messages.length} message${page.messages.length === 1 ? '' : 's'}`}${page.hasMore ? ' (older ones exist)' : ''}`,
            r,
          ),
        )
        for (const message of page.messages) this.#print(render.renderChat(message, message.userId === c.user?.userId, r))
        return
      }
      case 'typing': {
        const room = this.#current
        if (room === undefined) return this.#print(render.renderError('no current room; /join one', r))
        await c.typing(room, command.typing)
        return
      }
    }
  }

  /** Plain text to the current room. Not awaited: the next line need not wait for the ack (the socket keeps order). */
  #say(text: string): void {
    const room = this.#current
    if (room === undefined) return this.#print(render.renderError('no current room; /join one first', this.#r))
    this.typing.sent(room)
    this.#client.sendChat(room, text).catch((err: unknown) => this.#print(render.renderError(err, this.#r)))
  }

  async #dm(to: string, text: string): Promise<void> {
    let userId = this.#findUser(to)
    if (userId === undefined) {
      // Refresh the member lists of our rooms (presence), then look again.
      await Promise.all([...this.#client.rooms.keys()].map((room) => this.#client.presence(room).catch(() => [])))
      userId = this.#findUser(to)
    }
    // Not a name we can see: it may be a user id (the server says user-not-found otherwise).
    const target = userId ?? to
    try {
      await this.#client.sendDm(target, text)
    } catch (err) {
      // bad-frame on /to: not even the shape of a user id.
      if (isChatError(err, 'user-not-found') || (isChatError(err, 'bad-frame') && err.details.some((d) => d.startsWith('/to')))) {
        return this.#print(render.renderError(`no user named or with id "${render.sanitize(to)}"`, this.#r))
      }
      throw err
    }
  }

  /** User id of a display name (case-insensitive) among room members and DM partners. */
  #findUser(query: string): string | undefined {
    const key = foldName(query)
    for (const room of this.#client.rooms.values()) {
      for (const m of room.members) if (foldName(m.name) === key) return m.userId
    }
    for (const [userId, name] of this.#dmNames) if (foldName(name) === key) return userId
    return undefined
  }

  #nameOf(userId: string): string | undefined {
    for (const room of this.#client.rooms.values()) {
      const member = room.members.find((m) => m.userId === userId)
      if (member) return member.name
    }
    if (userId === this.#client.user?.userId) return this.#client.user.name
    return this.#dmNames.get(userId)
  }
}

/** Names compare as the server compares them: NFC, case-insensitive. */
export function foldName(name: string): string {
  return name.normalize('NFC').toLowerCase()
}
