// The chat page: wires the ChatClient to the views. Rendering lives in the
// view modules; this file decides what happens when.
import type { ChatMessage, DirectMessage, Member } from '@wirechat/protocol/primitives'
import { type Backoff, ChatClient, createBackoff, createLocalStorage, isChatError, isFinalSendError, newMessageId, type DmConversation, type FoundUser, type OutboxEntry } from '../index.ts'
import { AccountView } from './account.ts'
import { Composer } from './composer.ts'
import { Conversations, dmKey, roomKey, type Conversation, type Line, type MessageLine } from './conversations.ts'
import { createPanel } from './dialog.ts'
import { DmHistory } from './dm-history.ts'
import { DmTyping } from './dm-typing.ts'
import { EmojiPicker } from './emoji-picker.ts'
import { HistoryNav } from './history-nav.ts'
import { cancelInlineEditor, openInlineEditor } from './inline-editor.ts'
import { MentionPopup } from './mention-popup.ts'
import { MessageActions } from './message-actions.ts'
import { messageLink, parseMessageHash } from './message-link.ts'
import { bellLabel, noticeBody, Notifier, pageTitle } from './notifier.ts'
import { ReplyBar, replyExcerpt } from './reply-bar.ts'
import { SearchView, type SearchTarget } from './search-view.ts'
import { firstUnreadLine, SentMarkers } from './unread.ts'
import { byId, clear, h } from './dom.ts'
import { Drafts } from './drafts.ts'
import { Drawers } from './drawers.ts'
import { deviceLabel, hueClass, initials, typingSentence } from './format.ts'
import { LoginView, waitText, type LoginRequest } from './login.ts'
import { renderMembers } from './members.ts'
import { MessageList, type PendingLine } from './message-list.ts'
import { renderSidebar } from './sidebar.ts'
import { StatusView } from './status.ts'
import { ConversationSwitcher } from './switcher.ts'
import { MemberActions } from './member-actions.ts'
import { roomLine } from './message-lines.ts'
import { isModerationEvent, roomRefusalText, untilText } from './moderation-text.ts'
import { clearNotices, showNotice } from './notices.ts'
import { RoomBrowser } from './room-browser.ts'
import { isModerator, roleOf, RoomRoles } from './room-roles.ts'
import { RoomSettings } from './room-settings.ts'
import { loadSaved, save } from './storage.ts'
import { textLimit, type NamespaceTextLimit } from './text-rules.ts'
import { TypingGate } from './typing-gate.ts'
import { ERROR_TEXT, alarmText } from './error-text.ts'
import { currentLang, languageMenu, startLanguage, t, textAround } from './i18n.ts'
import './style.css'
import './message-life.css'
import './touch.css'

// First of all: every view below builds its strings in the page's language.
startLanguage()

// The outbox in localStorage keeps unacknowledged sends across reloads: they are re-sent, with
// their clientMsgId, after the next login of the same user (the session key is in localStorage too).
/**
 * The reconnect backoff scale when the document sets one, `<meta name="wirechat-backoff" content="BASE_MS,MAX_MS">`
 * (the client kit's page adapter does, so its reconnect scenarios run in seconds); else the library's default.
 */
function documentBackoff(): Backoff | undefined {
  const m = /^(\d+),(\d+)$/.exec(document.querySelector<HTMLMetaElement>('meta[name="wirechat-backoff"]')?.content.trim() ?? '')
  const [baseMs, maxMs] = [Number(m?.[1]), Number(m?.[2])]
  return m !== null && baseMs > 0 && maxMs >= baseMs ? createBackoff({ baseMs, maxMs }) : undefined
}
const backoff = documentBackoff()
const client = new ChatClient({ url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`, outbox: createLocalStorage(), ...(backoff !== undefined && { backoff }) })
const convs = new Conversations()
/** Names of users we have seen, for direct conversations (a dm carries only the sender's name). */
const names = new Map<string, string>()
/** Outgoing lines per conversation, so each shows only its own. */
const outboxes = new Map<string, HTMLOListElement>()
/** Lines of sends not yet acknowledged, by clientMsgId: at most one per send, whoever reports it first. */
const pendingLines = new Map<string, PendingLine>()
/** Per DM partner: the highest inbox seq this page marked read (or heard was read), so a marker is sent once. */
const readMarkers = new Map<string, number>()
/** Per room: the read markers this page sent (or heard of from another device), so each goes out once. */
const roomMarkers = new SentMarkers()
/** This browser in the session list. */
const device = deviceLabel(navigator.userAgent)

/** A user's name by id: this user's own, then every name seen. */
const nameOf = (userId: string): string | undefined => (userId === client.user?.userId ? client.user.name : names.get(userId))

const chatScreen = byId('chat-screen')
const status = new StatusView({ pills: [byId('conn-status'), byId('login-conn')], banner: byId('conn-banner'), bannerText: byId('conn-banner-text'), retry: byId('conn-retry', HTMLButtonElement) })
const messages = new MessageList(
  {
    scroller: byId('scroller'),
    list: byId('messages', HTMLOListElement),
    outbox: byId('outbox', HTMLOListElement),
    empty: byId('empty'),
    loadOlder: byId('load-older', HTMLButtonElement),
    jump: byId('jump-latest', HTMLButtonElement),
    jumpText: byId('jump-latest-text'),
  },
  {
    onNearTop: () => loadOlder(),
    onNearBottom: () => {
      const conv = convs.current
      if (conv?.kind === 'room') nav.loadNewer(conv.id).catch(() => {})
    },
    onJumpToLatest: () => {
      const conv = convs.current
      if (conv?.kind === 'room') nav.toLatest(conv.id).catch((err: unknown) => showNotice(t('notice.newestFailed', { reason: failureText(err) }), { tone: 'bad' }))
    },
    onNewestSeen: () => scheduleRoomRead(),
    selfId: () => client.user?.userId,
    nameOf,
    onReact: (line, emoji, on) => react(line, emoji, on),
    onShowOriginal: (_line, seq) => {
      const conv = convs.current
      if (conv?.kind === 'room') void showMessage(conv.id, seq)
    },
  },
)
/** The namespaces login-ok announced (protocol 1.2.0): their text limits apply to the composer. */
let namespaces: readonly NamespaceTextLimit[] = []
const drafts = new Drafts(globalThis.localStorage)
const typingGate = new TypingGate()
const login = new LoginView((request) => void logIn(request))
languageMenu(byId('login-language', HTMLSelectElement))
const account = new AccountView(client, { failureText: (err) => failureText(err), onLogout: () => logOut(), onDeleted: () => afterLogout() })
const composer = new Composer({
  form: byId('composer', HTMLFormElement),
  input: byId('composer-input', HTMLTextAreaElement),
  sendButton: byId('composer-send', HTMLButtonElement),
  status: byId('composer-status'),
  notice: byId('composer-notice'),
  fix: byId('composer-fix', HTMLButtonElement),
  counter: byId('composer-count'),
  drafts,
  typingGate,
  limit: () => {
    const conv = convs.current
    return textLimit(conv?.kind === 'room' ? conv.id : undefined, namespaces, client.welcome?.limits.maxTextChars)
  },
  onSend: (text) => send(text),
  // Rooms have `typing`, DM conversations `dm-typing` (since 1.3.0); both go through the same gate.
  announcesTyping: (key) => key !== undefined && convs.get(key) !== undefined,
  onTyping: (typing, key) => {
    const conv = key === undefined ? undefined : convs.get(key)
    if (conv === undefined) return
    // Best effort; a refusal keeps the gate quiet for as long as the server asks.
    const sent = conv.kind === 'room' ? client.typing(conv.id, typing) : client.dmTyping(conv.id, typing)
    sent.catch((err: unknown) => {
      if (isChatError(err, 'rate-limited')) typingGate.refused(err.retryAfterMs)
    })
  },
})

const roles = new RoomRoles(client)
const roomBrowser = new RoomBrowser(client, { join: (room) => openRoom(room), isJoined: (room) => client.rooms.has(room), failureText: (err) => failureText(err) })
const roomSettings = new RoomSettings(client, roles, { nameOf: (userId) => names.get(userId), members: (room) => client.rooms.get(room)?.members ?? [], failureText: (err) => failureText(err) })
const memberActions = new MemberActions(client, roles, { message: (member) => openDm(member), failureText: (err) => failureText(err), done: (text) => showNotice(text) })
const picker = new EmojiPicker()
const replyBar = new ReplyBar(byId('reply-bar'))
const dmTyping = new DmTyping()
const nav = new HistoryNav({ client, convs, messages, toLines: (entries) => toLines(entries), busy: (on) => messages.loadingOlder(on) })
const notifier = new Notifier({
  api: typeof Notification === 'undefined' ? undefined : Notification,
  hidden: () => document.hidden,
  store: {
    get: () => {
      const saved = localStorage.getItem('wirechat.notify')
      return saved === null ? undefined : saved === 'on'
    },
    set: (on) => localStorage.setItem('wirechat.notify', on ? 'on' : 'off'),
  },
})
const search = new SearchView(client, {
  currentRoom: () => (convs.current?.kind === 'room' ? convs.current.id : undefined),
  selfId: () => client.user?.userId,
  nameOf,
  open: (target) => void openSearchHit(target),
  failureText: (err) => failureText(err),
})
const actions = new MessageActions(byId('messages', HTMLOListElement), {
  lineOf: (id) => {
    const conv = convs.current
    if (conv?.kind !== 'room') return undefined
    const line = conv.lines.find((l): l is MessageLine => l.id === id && l.kind === 'message')
    return line?.seq === undefined ? undefined : line
  },
  allowed: (line) => {
    const conv = convs.current
    const live = !line.deleted
    const moderator = conv?.kind === 'room' && isModerator(roles.yourRole(conv.id))
    return { react: live, reply: live, edit: live && line.own, delete: live && (line.own || moderator), link: true }
  },
  react: (line, emoji) => react(line, emoji, !hasMyReaction(line, emoji)),
  pickReaction: (line, anchor) => picker.open(anchor, (emoji) => react(line, emoji, !hasMyReaction(line, emoji))),
  reply: (line) => startReply(line),
  edit: (line) => editMessage(line),
  delete: (line) => confirmDelete(line),
  copyLink: (line) => copyLink(line),
})

const el = {
  title: byId('conv-title'),
  subtitle: byId('conv-subtitle'),
  leave: byId('leave-button', HTMLButtonElement),
  settings: byId('room-settings-button', HTMLButtonElement),
  membersToggle: byId('members-toggle', HTMLButtonElement),
  memberList: byId('member-list', HTMLUListElement),
  membersHeading: byId('members-heading'),
  typing: byId('typing'),
  meName: byId('me-name'),
  meAvatar: byId('me-avatar'),
  sidebar: { rooms: byId('room-list', HTMLUListElement), dms: byId('dm-list', HTMLUListElement), dmHint: byId('dm-hint') },
  joinForm: byId('join-form', HTMLFormElement),
  joinName: byId('join-name', HTMLInputElement),
  joinError: byId('join-error'),
  menuToggle: byId('menu-toggle', HTMLButtonElement),
  scrim: byId('scrim'),
  findForm: byId('find-form', HTMLFormElement),
  findName: byId('find-name', HTMLInputElement),
  findError: byId('find-error'),
  findResults: byId('find-results', HTMLUListElement),
}

// On narrow screens the conversation list and the member list are drawers (drawers.ts); these widths match style.css.
const drawers = new Drawers(
  [
    { panel: byId('sidebar'), toggle: el.menuToggle, bodyClass: 'drawer-open', media: '(max-width: 680px)' },
    { panel: byId('members'), toggle: el.membersToggle, bodyClass: 'members-open', media: '(max-width: 960px)' },
  ],
  el.scrim,
  [chatScreen.querySelector<HTMLElement>('.topbar') ?? chatScreen, byId('conn-banner'), byId('sidebar'), byId('conversation'), byId('members')],
)

// ---- session ----------------------------------------------------------------

/** Rooms to be in after login: the saved ones, or the lobby when there are none. */
function roomsToJoin(): string[] {
  const rooms = loadSaved().rooms
  return rooms !== undefined && rooms.length > 0 ? rooms : ['lobby']
}

/**
 * Guests join the saved rooms (or the lobby); a registered sign-in sends none, so the server's
 * memberships decide. Creating an account is a guest login with the name, then `register`.
 */
async function logIn(request: LoginRequest): Promise<void> {
  const { mode, name, password } = request
  login.busy(true)
  try {
    // After a logout or a revoked session the page stays offline until someone logs in.
    if (client.state === 'closed') await client.connect()
    if (mode === 'signin' && password !== undefined) await client.login({ name, password, device })
    else await client.login({ name, rooms: roomsToJoin(), device })
  } catch (err) {
    return login.failed(name, err)
  }
  if (mode === 'create' && password !== undefined) {
    try {
      await client.register(password)
    } catch (err) {
      // Do not leave a guest behind that the user did not ask for.
      save({ session: undefined, inbox: undefined, registered: undefined })
      await client.logout().catch(() => client.disconnect())
      login.show()
      return login.failed(name, err)
    }
  }
  enterChat()
}

/** Continues the user of another tab (or of the last visit) with the saved session key. */
async function resumeSaved(session: string): Promise<boolean> {
  try {
    const { inbox, registered } = loadSaved()
    await client.login({ session, device, ...(!registered && { rooms: roomsToJoin() }), ...(inbox !== undefined && { inbox }) })
    enterChat()
    return true
  } catch (err) {
    if (isChatError(err, 'invalid-session')) save({ session: undefined, inbox: undefined, registered: undefined })
    return false
  }
}

/** False until the conversation of the last visit was shown again: until then the first joined room is shown, but not remembered. */
let viewRestored = false

function enterChat(): void {
  login.hide()
  chatScreen.hidden = false
  const { view } = loadSaved()
  if (!viewRestored && view !== undefined && convs.get(view)) convs.show(view)
  viewRestored = true
  if (!convs.current) {
    const first = convs.rooms()[0]
    if (first) convs.show(first.key)
  }
  rememberView()
  composer.focus()
  followLink()
}

function rememberView(): void {
  const key = convs.current?.key
  if (viewRestored && key !== undefined) save({ view: key })
}

function leaveChat(): void {
  viewRestored = false
  composer.reset()
  account.close()
  chatScreen.hidden = true
  convs.removeAll()
  outboxes.clear()
  pendingLines.clear()
  names.clear()
  readMarkers.clear()
  roomMarkers.clear()
  seenUnread = undefined
  dmTyping.clear()
  replyBar.reset()
  search.reset()
  roles.clear()
  clearNotices()
  dmHistory.forget()
  clear(el.findResults)
  el.findName.value = ''
  login.reset()
  login.show()
}

function logOut(): void {
  const registered = client.registered
  const name = client.user?.name
  // An explicit logout leaves nothing typed behind on this browser.
  composer.reset()
  drafts.clear()
  save({ session: undefined, inbox: undefined, registered: undefined })
  const done = (): void => {
    afterLogout()
    if (registered) offerSignIn(name)
  }
  client.logout().then(done, () => {
    // Offline: forget the session locally; the server ends it when the connection is gone.
    client.disconnect()
    leaveChat()
    done()
  })
}

/** A registered user who left comes back by signing in: that form, with the name filled in. */
function offerSignIn(name: string | undefined): void {
  login.setMode('signin')
  if (name !== undefined) login.prefill(name)
  login.show()
}

/**
 * Back on the login screen, offline: after a logout's close 1000 a client does not reconnect
 * (PROTOCOL.md §12); the next login connects (logIn). An idle connection would only meet the
 * login deadline (4001) while nobody types.
 */
function afterLogout(): void {
  save({ session: undefined, inbox: undefined, registered: undefined })
}

async function start(): Promise<void> {
  const saved = loadSaved()
  // Show a screen at once: its status indicator tells whether the server is reachable.
  if (saved.session) chatScreen.hidden = false
  else login.show() // a login typed before the connection is up waits in the send buffer
  try {
    await client.connect()
  } catch {
    return // closed for good: the status says why
  }
  if (saved.session === undefined || (await resumeSaved(saved.session))) return
  chatScreen.hidden = true
  login.show()
}

// ---- sending ------------------------------------------------------------------

function failureText(err: unknown): string {
  if (!isChatError(err)) return t('error.unknown')
  // The server says what is wrong with a text (e.g. the room's limit), which Retry cannot change;
  // its words are English, so other languages say it in general terms.
  if (err.code === 'bad-frame' && err.details.some((d) => d.startsWith('/text'))) {
    return err.message.startsWith('Invalid') || currentLang() !== 'en' ? t('error.textRefused') : err.message
  }
  const refusal = roomRefusalText(err)
  if (refusal !== undefined) return refusal
  // The library waits out short limits and re-sends by itself: a refusal that gets here is a long one (a slow mode of minutes).
  if (err.code === 'rate-limited' && err.retryAfterMs !== undefined) return t('error.slowMode', { wait: waitText(err.retryAfterMs) })
  return t(ERROR_TEXT[err.code])
}

function outboxFor(key: string): HTMLOListElement {
  let outbox = outboxes.get(key)
  if (!outbox) {
    outbox = document.createElement('ol')
    outbox.className = 'messages outbox'
    outbox.setAttribute('aria-label', t('list.outbox'))
    outboxes.set(key, outbox)
  }
  return outbox
}

/** What a pending line needs to be sent again: where to, what, and its idempotency key. */
interface Send {
  clientMsgId: string
  kind: 'room' | 'dm'
  /** Room name or user id. */
  to: string
  text: string
  /** Seq of the room message this one answers. */
  replyTo?: number
}

const sendOf = (entry: OutboxEntry): Send => ({
  clientMsgId: entry.clientMsgId,
  kind: entry.kind === 'chat' ? 'room' : 'dm',
  to: entry.to,
  text: entry.text,
  ...(entry.replyTo !== undefined && { replyTo: entry.replyTo }),
})
const sendKey = (s: Send): string => (s.kind === 'room' ? roomKey(s.to) : dmKey(s.to))

function send(text: string): void {
  const conv = convs.current
  if (!conv) return
  const reply = conv.kind === 'room' ? replyBar.target : undefined
  // One id for every attempt: a retry after a timeout, a reconnect or a reload cannot post it twice.
  const s: Send = { clientMsgId: newMessageId(), kind: conv.kind, to: conv.id, text, ...(reply !== undefined && { replyTo: reply.seq }) }
  replyBar.clear()
  // Reading an older window: the new message belongs at the end, so go there first.
  if (conv.hasNewer) nav.toLatest(conv.id).catch(() => {})
  showPending(s)
  attempt(s)
  // Sending is a user action: the one moment the browser lets the page ask for notifications.
  void notifier.userActed()
}

function showPending(s: Send): PendingLine {
  const line = messages.addPending(s.text, { outbox: outboxFor(sendKey(s)), clientMsgId: s.clientMsgId })
  pendingLines.set(s.clientMsgId, line)
  return line
}

function attempt(s: Send): void {
  const options = { clientMsgId: s.clientMsgId }
  const sent: Promise<unknown> = s.kind === 'room' ? client.sendChat(s.to, s.text, s.replyTo === undefined ? options : { ...options, replyTo: s.replyTo }) : client.sendDm(s.to, s.text, options)
  sent.then(
    () => dropPending(s.clientMsgId),
    (err: unknown) => failPending(s, failureText(err), isFinalSendError(err)),
  )
}

/**
 * Marks a send's line failed (making one if this page has none, e.g. after a reload), with Retry and
 * Discard; a `final` refusal (the server will never take this text) offers Edit instead of Retry:
 * the text goes back into the box of its conversation.
 */
function failPending(s: Send, reason: string, final = false): void {
  const line = pendingLines.get(s.clientMsgId) ?? showPending(s)
  const discard = (): void => {
    pendingLines.delete(s.clientMsgId)
    client.discardPending(s.clientMsgId)
  }
  const retry = (): void => {
    line.retrying()
    attempt(s)
  }
  const edit = (): void => {
    line.remove()
    discard()
    convs.show(sendKey(s))
    composer.restore(s.text)
  }
  line.fail(reason, final ? undefined : retry, discard, final ? edit : undefined)
}

/** The send is stored: its line goes, the server's copy (ack, push, replay or history) is the one row shown. */
function dropPending(clientMsgId: string | undefined): void {
  if (clientMsgId === undefined) return
  const line = pendingLines.get(clientMsgId)
  if (!line) return
  pendingLines.delete(clientMsgId)
  line.remove()
}

// ---- what the server tells us -------------------------------------------------------

/** The line of a room stream entry (message-lines.ts); undefined for an edit, delete or reaction, which changes its target instead. */
const chatLine = (m: ChatMessage, own: boolean): Line | undefined => {
  const line = roomLine(m, own, client.user?.userId)
  if (own && line?.kind === 'message') dropPending(m.clientMsgId)
  return line
}
/** The lines of a snapshot or history page, oldest first: edit, delete and react entries changed their message and are no lines. */
const toLines = (messages: readonly ChatMessage[]): Line[] => messages.flatMap((m) => chatLine(m, m.userId === client.user?.userId) ?? [])
const dmLine = (m: DirectMessage, own: boolean): Line => {
  if (own) dropPending(m.clientMsgId)
  return {
    kind: 'message',
    id: m.msgId,
    userId: m.from,
    name: own ? (client.user?.name ?? m.fromName) : m.fromName,
    text: m.text,
    ts: m.ts,
    own,
    seq: m.seq,
    ...(own && m.clientMsgId !== undefined && { clientMsgId: m.clientMsgId }),
  }
}

/** DM conversations' history from the server: the recent page when one is opened, older pages on request. */
const dmHistory = new DmHistory({ client, convs, lineOf: (m) => dmLine(m, m.from === client.user?.userId) })

function remember(members: readonly Member[]): void {
  for (const m of members) names.set(m.userId, m.name)
}

function saveRooms(): void {
  save({ rooms: [...client.rooms.keys()] })
}

client.on('state', (change) => {
  status.update(change)
  if (change.to === 'closed' && change.reason === 'logout') leaveChat()
})
client.on('retry', (info) => status.retry(info))
client.on('welcome', (welcome) => {
  login.suggest(loadSaved().name ?? welcome.name)
  typingGate.setLimits(welcome.limits)
  dmTyping.ttlMs = welcome.limits.typingTtlMs
  composer.typingTtlMs = welcome.limits.typingTtlMs
  composer.check()
})
client.on('frame', (frame) => {
  if (frame.type === 'login-ok' && frame.namespaces !== undefined) namespaces = frame.namespaces
})
client.on('session', (info) => {
  drafts.setUser(info.userId)
  composer.reloadDraft()
  save({ session: info.session, name: info.name, registered: info.registered || undefined })
  showMe(info.name, info.userId)
  applyDms(info.dms)
  // After a reconnect the inbox resume may have been refused: read the shown conversation again.
  dmHistory.forget()
  const conv = convs.current
  if (conv?.kind === 'dm') dmHistory.open(conv)
})
client.on('registered', () => {
  save({ registered: true })
  account.render()
})
client.on('name', ({ name }) => {
  save({ name })
  showMe(name, client.user?.userId ?? '')
  account.render()
})
client.on('signed-out', ({ reason }) => {
  // The key is dead: nothing to resume; the page stays offline until the next login.
  const { registered, name } = loadSaved()
  save({ session: undefined, inbox: undefined, registered: undefined })
  leaveChat()
  if (registered) offerSignIn(name)
  login.notice(t(reason === 'session-revoked' ? 'login.notice.revoked' : 'login.notice.expired'))
})
client.on('dm-read', ({ userId, seq }) => {
  if (seq > (readMarkers.get(userId) ?? 0)) readMarkers.set(userId, seq)
  const conv = convs.get(dmKey(userId))
  if (conv && newestSeq(conv, true) <= seq) convs.setUnread(conv.key, 0)
})

client.on('joined', ({ room, members, history, outcome }) => {
  remember(members)
  const conv = convs.ensureRoom(room)
  if (!outcome.resumed) convs.reset(conv.key, toLines(history), (history[0]?.seq ?? 1) > 1, history[0]?.seq)
  updateRoomCounts(room)
  if (!convs.current) convs.show(conv.key)
  saveRooms()
  if (convs.current?.key === conv.key) showRoomDetails(conv)
})
client.on('left', ({ room }) => {
  roles.forget(room)
  convs.remove(roomKey(room))
  outboxes.delete(roomKey(room))
  saveRooms()
})
client.on('chat', ({ message, own }) => {
  const line = chatLine(message, own)
  if (line !== undefined) convs.add(roomKey(message.room), line)
  updateRoomCounts(message.room)
  const selfId = client.user?.userId
  if (!own && selfId !== undefined && message.mentions?.includes(selfId) && isRecent(message.ts)) {
    notifier.notify({
      title: t('notify.mention', { name: message.name, room: message.room }),
      body: noticeBody(message.text),
      tag: roomKey(message.room),
      onClick: () => void showMessage(message.room, message.seq),
    })
  }
})
// An edit, delete or reaction (live, replayed, or waiting for its target in a history page): redraw that message.
client.on('message-changed', ({ room, message }) => {
  const line = chatLine(message, message.userId === client.user?.userId)
  if (line !== undefined) convs.update(roomKey(room), line)
  updateRoomCounts(room)
})
client.on('read', ({ room, seq }) => {
  roomMarkers.heard(roomKey(room), seq)
  updateRoomCounts(room)
})
client.on('dm-typing', ({ userId, name, typing }) => dmTyping.apply(userId, name, typing))
const saveInbox = (): void => save({ inbox: client.inboxPosition })
client.on('inbox', saveInbox)
client.on('dm', ({ message, own, partnerId }) => {
  saveInbox()
  if (!own) names.set(message.from, message.fromName)
  const conv = convs.ensureDm(partnerId, names.get(partnerId) ?? (own ? t('someone') : message.fromName))
  convs.add(conv.key, dmLine(message, own))
  markRead(conv)
  if (!own) {
    dmTyping.messageFrom(partnerId)
    if (isRecent(message.ts)) notifier.notify({ title: message.fromName, body: noticeBody(message.text), tag: conv.key, onClick: () => convs.show(conv.key) })
  }
})
client.on('outbox', (change) => {
  switch (change.type) {
    case 'restored':
      // Sends of an earlier page (or of this one, failed earlier) go out again: show each once.
      for (const entry of change.entries) {
        const s = sendOf(entry)
        const line = pendingLines.get(s.clientMsgId)
        if (line) line.retrying()
        else if (!convs.hasSend(sendKey(s), s.clientMsgId)) {
          if (s.kind === 'dm') convs.ensureDm(s.to, names.get(s.to) ?? t('someone'))
          showPending(s)
        }
      }
      return
    case 'acked':
    case 'discarded':
      return dropPending(change.entry.clientMsgId)
    case 'rejected':
      return failPending(sendOf(change.entry), failureText(change.error), true)
    case 'expired':
      return failPending(sendOf(change.entry), t('error.expired'))
  }
})
client.on('alarm', (alarm) => {
  names.set(alarm.userId, alarm.name)
  convs.add(roomKey(alarm.room), { kind: 'system', id: `alarm:${alarm.room}:${alarm.userId}:${alarm.kind}:${alarm.ts}`, text: alarmText(alarm), ts: alarm.ts })
  if (alarm.kind === 'renamed' && convs.get(dmKey(alarm.userId))) convs.ensureDm(alarm.userId, alarm.name)
})
client.on('members', ({ room, members }) => {
  remember(members)
  const conv = convs.current
  if (conv?.kind === 'room' && conv.id === room) showRoomDetails(conv)
})
client.on('typing', ({ room, typing }) => {
  const conv = convs.current
  if (conv?.kind === 'room' && conv.id === room) el.typing.textContent = typingSentence(typing.map((m) => m.name))
})

// ---- rooms with owners and moderation ------------------------------------------------------

client.on('removed', ({ room, kind, by, until, reason }) => {
  const why = reason ? t('mod.reason', { reason }) : ''
  const text = kind === 'kick' ? t('notice.removed', { by: by.name, room, reason: why }) : t('notice.banned', { by: by.name, room, until: untilText(until), reason: why })
  showNotice(text, { tone: 'bad', sticky: true })
})
client.on('invited', ({ room, byName }) =>
  showNotice(t('notice.invited', { by: byName, room }), {
    sticky: true,
    action: { label: t('notice.join', { room }), run: () => void openRoom(room).catch((err: unknown) => showNotice(t('conv.joinFailed', { room, reason: failureText(err) }), { tone: 'bad' })) },
  }),
)
client.on('alarm', ({ room, kind }) => {
  if (kind === 'topic' || kind === 'visibility' || kind === 'role') roles.refresh(room)
})
client.on('chat', ({ message }) => {
  if (isModerationEvent(message.event) && roomSettings.room === message.room) roomSettings.render() // bans and mutes changed
})
client.on('blocked', () => {
  const conv = convs.current
  if (conv?.kind === 'room') showRoomDetails(conv)
})
roles.onChange = (room) => {
  const conv = convs.current
  if (conv?.kind === 'room' && conv.id === room) showRoomDetails(conv)
  if (roomSettings.room === room) roomSettings.render()
}

// ---- DM conversations and read markers ------------------------------------------------------

/** Newest inbox seq shown in a DM conversation (only the partner's messages with `fromPeer`), 0 for none. */
function newestSeq(conv: Conversation, fromPeer = false): number {
  let seq = 0
  for (const line of conv.lines) if (line.kind === 'message' && line.seq !== undefined && !(fromPeer && line.own) && line.seq > seq) seq = line.seq
  return seq
}

/** The server's list of DM conversations (every login): each with its newest message and unread count. */
function applyDms(dms: readonly DmConversation[]): void {
  for (const dm of dms) {
    names.set(dm.userId, dm.name)
    const conv = convs.ensureDm(dm.userId, dm.name)
    const own = dm.last.from === client.user?.userId
    convs.add(conv.key, dmLine(dm.last, own))
    if (convs.current?.key === conv.key && convs.visible) markRead(conv)
    else convs.setUnread(conv.key, dm.unread)
  }
}

/** The shown DM conversation is read: tell the server (and so this user's other devices) once per new seq. */
function markRead(conv: Conversation): void {
  if (conv.kind !== 'dm' || convs.current?.key !== conv.key || !convs.visible) return
  const seq = newestSeq(conv)
  if (seq === 0 || seq <= (readMarkers.get(conv.id) ?? 0)) return
  readMarkers.set(conv.id, seq)
  client.markDmRead(conv.id, seq).catch(() => readMarkers.delete(conv.id)) // sent again when next shown
}

// ---- views ------------------------------------------------------------------------------

function showMe(name: string, userId: string): void {
  el.meName.textContent = name
  el.meAvatar.textContent = initials(name)
  el.meAvatar.className = `avatar ${hueClass(userId)}`
}

function showRoomDetails(conv: Conversation): void {
  const room = client.rooms.get(conv.id)
  const members = room?.members ?? []
  const details = roles.get(conv.id)
  if (!details) void roles.load(conv.id)
  const count = members.length
  el.subtitle.textContent = details?.topic ? t('conv.onlineTopic', { count, topic: details.topic }) : t('conv.online', { count })
  el.membersToggle.textContent = t('conv.online', { count })
  el.membersHeading.textContent = t('conv.onlineIn', { room: conv.id, count })
  renderMembers(el.memberList, members, client.user?.userId, (member) => openDm(member), {
    roleOf: (userId) => roleOf(details, userId),
    blocked: client.blocked,
    onActions: (member) => memberActions.open(conv.id, member),
  })
  el.typing.textContent = typingSentence((room?.typing(client.user?.userId) ?? []).map((m) => m.name))
}

function openDm(member: Member): void {
  const conv = convs.ensureDm(member.userId, member.name)
  convs.show(conv.key)
  composer.focus()
}

function showCurrent(): void {
  const conv = convs.current
  // What was seen in the room being left is told now, not after the throttle: the reader moved on.
  if (seenUnread !== undefined && seenUnread.room !== (conv?.kind === 'room' ? conv.id : undefined)) flushRoomRead()
  cancelInlineEditor()
  actions.reset()
  picker.close()
  messages.setOutbox(outboxFor(conv?.key ?? ''))
  messages.show(conv, conv === undefined ? undefined : unreadLineOf(conv))
  replyBar.show(conv?.kind === 'room' ? conv.key : undefined)
  // A conversation picked in the drawer: focus goes on to its messages.
  drawers.close(byId('scroller'))
  if (!conv) {
    el.title.textContent = t('conv.none')
    el.subtitle.textContent = t('conv.noneHint')
    el.typing.textContent = ''
    el.leave.hidden = true
    el.settings.hidden = true
    el.membersToggle.hidden = true
    renderMembers(el.memberList, [], undefined, () => {})
    return
  }
  el.leave.hidden = false
  if (conv.kind === 'room') {
    el.title.textContent = `# ${conv.id}`
    el.leave.textContent = t('conv.leave')
    el.leave.setAttribute('aria-label', t('conv.leaveRoom', { room: conv.id }))
    el.membersToggle.hidden = false
    el.settings.hidden = false
    el.settings.setAttribute('aria-label', t('conv.roomSettings', { room: conv.id }))
    composer.target(t('composer.placeholderRoom', { room: conv.id }), conv.key)
    showRoomDetails(conv)
    placeUnreadLine(conv)
  } else {
    el.title.textContent = `@ ${conv.title}`
    el.subtitle.textContent = t('conv.dm')
    el.leave.textContent = t('conv.close')
    el.leave.setAttribute('aria-label', t('conv.closeDm', { name: conv.title }))
    el.membersToggle.hidden = true
    el.settings.hidden = true
    el.typing.textContent = typingSentence(nameList(dmTyping.typingName(conv.id)))
    composer.target(t('composer.placeholderDm', { name: conv.title }), conv.key)
    markRead(conv)
    dmHistory.open(conv)
  }
}

const nameList = (name: string | undefined): string[] => (name === undefined ? [] : [name])

/** "(3) wirechat" for mentions and DMs waiting, "• wirechat" for other unread messages. */
function updateTitle(): void {
  const addressed = convs.addressed
  document.title = pageTitle(addressed, convs.unread - Math.min(addressed, convs.unread))
}

/** The conversation on screen while the tab is visible: its counts are not shown in the sidebar. */
const quietKey = (): string | undefined => (document.hidden ? undefined : convs.current?.key)

convs.onChange = (change) => {
  switch (change.type) {
    case 'list':
      renderSidebar(el.sidebar, convs.rooms(), convs.dms(), convs.current?.key, (key) => convs.show(key), quietKey())
      return updateTitle()
    case 'current':
      rememberView()
      return showCurrent()
    case 'reset':
      actions.reset()
      return messages.reset(change.key)
    case 'added':
      return messages.append(change.key, change.line)
    case 'prepended':
    case 'extended':
      actions.reset()
      return messages.prepended(change.key)
    case 'updated':
      return messages.updated(change.key, change.line)
  }
}

// ---- the life of a message: reactions, replies, edits, deletes, links (protocol 1.3.0) -------

/** Notifications are for what just happened, not for what a reconnect or a reload brings back. */
const RECENT_MS = 5 * 60_000
const isRecent = (ts: number): boolean => Date.now() - ts < RECENT_MS

/** A room's unread and mention counts, as the client library keeps them (server marker + what came since). */
function updateRoomCounts(name: string): void {
  const room = client.rooms.get(name)
  if (room !== undefined) convs.setCounts(roomKey(name), room.unread, room.mentions)
}

/** Where "New messages" goes in a room just opened: above the first message of someone else after the read marker. */
function unreadLineOf(conv: Conversation): string | undefined {
  if (conv.kind !== 'room') return undefined
  const room = client.rooms.get(conv.id)
  // Nothing read yet (a room just joined): everything is new, and a line above all of it says nothing.
  if (room === undefined || room.unread === 0 || room.readSeq === 0) return undefined
  return firstUnreadLine(conv.lines, room.readSeq, conv.hasOlder)?.id
}

/** The first unread message lies before the loaded lines: load back to it (a few pages at most), then mark it. */
function placeUnreadLine(conv: Conversation): void {
  const room = client.rooms.get(conv.id)
  if (messages.unreadId !== undefined || room === undefined || room.unread === 0 || room.readSeq === 0 || !conv.hasOlder) return
  nav.loadBackTo(conv.id, room.readSeq + 1).then(
    () => {
      if (convs.current !== conv || messages.unreadId !== undefined) return
      const id = unreadLineOf(conv)
      if (id !== undefined) messages.show(conv, id)
    },
    () => {},
  )
}

/** Read markers go out at most this often: a busy room read at the bottom costs one request per interval, not one per message. */
const READ_EVERY_MS = 1_500
let readTimer: ReturnType<typeof setTimeout> | undefined
let lastReadAt = 0
/** What was seen and not yet told: the room and its newest seq at that moment (sent even if the reader moved on meanwhile). */
let seenUnread: { room: string; seq: number } | undefined

/**
 * The newest message of the room on screen is in view: if something of someone else is unread
 * there and the tab is visible, remember that it was seen and tell the server soon (now, unless a
 * marker went out just before). The page's own sends make nothing unread, so they cost no requests.
 */
function scheduleRoomRead(): void {
  const conv = convs.current
  if (conv?.kind !== 'room' || document.hidden || !messages.newestVisible) return
  const room = client.rooms.get(conv.id)
  if (room === undefined || room.unread === 0 || room.lastSeq <= room.readSeq) return
  if (seenUnread !== undefined && seenUnread.room !== conv.id) flushRoomRead() // another room's marker goes first
  seenUnread = { room: conv.id, seq: room.lastSeq }
  if (readTimer !== undefined) return
  readTimer = setTimeout(
    () => {
      readTimer = undefined
      flushRoomRead()
    },
    Math.max(0, lastReadAt + READ_EVERY_MS - Date.now()),
  )
}

/** Tells the server (and so this user's other devices) what was seen: the room read up to that seq. */
function flushRoomRead(): void {
  const seen = seenUnread
  seenUnread = undefined
  if (seen === undefined) return
  const key = roomKey(seen.room)
  const room = client.rooms.get(seen.room)
  if (room === undefined || seen.seq <= room.readSeq || !roomMarkers.due(key, seen.seq)) return
  roomMarkers.sent(key, seen.seq)
  lastReadAt = Date.now()
  client.markRead(seen.room, seen.seq).catch(() => roomMarkers.failed(key, seen.seq))
}

const hasMyReaction = (line: MessageLine, emoji: string): boolean => {
  const selfId = client.user?.userId
  return selfId !== undefined && line.reactions?.some((r) => r.emoji === emoji && r.users.includes(selfId)) === true
}

function react(line: MessageLine, emoji: string, on: boolean): void {
  const conv = convs.current
  if (conv?.kind !== 'room' || line.seq === undefined) return
  client.react(conv.id, line.seq, emoji, on).catch((err: unknown) => showNotice(t('notice.reactFailed', { reason: failureText(err) }), { tone: 'bad' }))
}

function startReply(line: MessageLine): void {
  if (line.seq === undefined) return
  replyBar.set({ seq: line.seq, name: line.own ? t('reply.yourself') : line.name, excerpt: replyExcerpt(line.text) })
  composer.focus()
}

function editMessage(line: MessageLine): void {
  const conv = convs.current
  const item = messages.item(line.id)
  if (conv?.kind !== 'room' || line.seq === undefined || item === null) return
  const seq = line.seq
  messages.editing(line.id, true)
  const opened = openInlineEditor({
    item,
    text: line.text,
    limit: textLimit(conv.id, namespaces, client.welcome?.limits.maxTextChars),
    save: async (text) => {
      await client.edit(conv.id, seq, text)
    },
    failureText: (err) => failureText(err),
    closed: () => {
      messages.editing(line.id, false)
      const again = messages.item(line.id)
      if (again !== null) {
        again.tabIndex = -1
        again.focus({ preventScroll: true })
      }
    },
  })
  if (!opened) messages.editing(line.id, false)
}

/** The confirmation before a delete: what goes, and that it cannot be undone. */
const deletePanel = createPanel('delete-confirm', t('delete.title'), 'compact')
const deleteExcerpt = h('blockquote', { class: 'delete-excerpt', attrs: { dir: 'auto' } })
const deleteError = h('p', { class: 'form-error', attrs: { role: 'alert' } })
const deleteButton = h('button', { class: 'danger-button', text: t('delete.confirm'), attrs: { type: 'button', id: 'delete-confirm-button' } })
const deleteCancel = h('button', { class: 'ghost', text: t('delete.cancel'), attrs: { type: 'button' } })
deletePanel.body.append(deleteExcerpt, deleteError, h('div', { class: 'dialog-actions' }, deleteCancel, deleteButton))
deleteCancel.addEventListener('click', () => deletePanel.close())
let deleting: { room: string; seq: number } | undefined
deleteButton.addEventListener('click', () => {
  const target = deleting
  if (target === undefined) return
  deleteButton.disabled = true
  client.deleteMessage(target.room, target.seq).then(
    () => {
      deleteButton.disabled = false
      deletePanel.close()
    },
    (err: unknown) => {
      deleteButton.disabled = false
      deleteError.textContent = t('delete.failed', { reason: failureText(err) })
    },
  )
})

function confirmDelete(line: MessageLine): void {
  const conv = convs.current
  if (conv?.kind !== 'room' || line.seq === undefined) return
  deleting = { room: conv.id, seq: line.seq }
  deletePanel.subtitle.textContent = line.own ? t('delete.own') : t('delete.other', { name: line.name })
  deleteExcerpt.textContent = replyExcerpt(line.text, 200)
  deleteError.textContent = ''
  deletePanel.open()
  deleteCancel.focus()
}

function copyLink(line: MessageLine): void {
  const conv = convs.current
  if (conv?.kind !== 'room' || line.seq === undefined) return
  const link = messageLink({ room: conv.id, seq: line.seq }, location.href)
  const fallback = (): void => void showNotice(t('notice.linkFallback', { link }), { sticky: true })
  if (navigator.clipboard === undefined) return fallback()
  navigator.clipboard.writeText(link).then(() => void showNotice(t('notice.linkCopied')), fallback)
}

/** Opens a room at message `seq` (joining the room first if needed), highlighted. */
async function showMessage(room: string, seq: number): Promise<void> {
  try {
    if (!convs.get(roomKey(room))) await client.join(room)
  } catch (err) {
    showNotice(t('notice.openFailed', { room, reason: failureText(err) }), { tone: 'bad' })
    return
  }
  if (!(await nav.reveal(room, seq))) showNotice(t('notice.notFound'))
}

async function openSearchHit(target: SearchTarget): Promise<void> {
  if (target.kind === 'room') return showMessage(target.room, target.seq)
  const conv = convs.ensureDm(target.userId, names.get(target.userId) ?? t('someone'))
  convs.show(conv.key)
  const line = convs.lineBySeq(conv.key, target.seq)
  if (line === undefined || !messages.reveal(line.id)) showNotice(t('notice.tooOld'))
}

/** A link to a message ("#room/seq") opens it; the fragment is then dropped so a reload shows the last conversation as usual. */
function followLink(): void {
  const target = parseMessageHash(location.hash)
  if (target === undefined || client.user === undefined) return
  history.replaceState(null, '', location.pathname + location.search)
  void showMessage(target.room, target.seq)
}
window.addEventListener('hashchange', () => followLink())

dmTyping.onChange = (userId) => {
  const conv = convs.current
  if (conv?.kind === 'dm' && conv.id === userId) el.typing.textContent = typingSentence(nameList(dmTyping.typingName(userId)))
}

// The composer's extras: @ autocomplete, Escape drops the reply, ↑ in an empty box edits one's last message.
const composerInput = byId('composer-input', HTMLTextAreaElement)
new MentionPopup({
  input: composerInput,
  list: byId('mention-list', HTMLUListElement),
  candidates: () => {
    const conv = convs.current
    if (conv?.kind !== 'room') return undefined
    // Who is here first, then recent authors (offline people can be mentioned too).
    const people = [...(client.rooms.get(conv.id)?.members ?? [])]
    for (let i = conv.lines.length - 1; i >= 0 && people.length < 200; i--) {
      const line = conv.lines[i]
      if (line?.kind === 'message') people.push({ userId: line.userId, name: nameOf(line.userId) ?? line.name })
    }
    return people
  },
  selfId: () => client.user?.userId,
  inserted: () => composerInput.dispatchEvent(new Event('input')),
})
composerInput.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && replyBar.target !== undefined) {
    event.preventDefault()
    replyBar.clear()
  } else if (event.key === 'ArrowUp' && composerInput.value === '' && !event.shiftKey) {
    const conv = convs.current
    const mine = conv?.kind === 'room' ? conv.lines.findLast((l): l is MessageLine => l.kind === 'message' && l.own && !l.deleted) : undefined
    if (mine === undefined) return
    event.preventDefault()
    messages.reveal(mine.id)
    editMessage(mine)
  }
})
replyBar.onChange = () => composer.focus()

// Search: the button, Ctrl+Shift+F, or "/" outside a text field (Ctrl+K stays free for a conversation switcher).
const searchButton = byId('search-button', HTMLButtonElement)
searchButton.addEventListener('click', () => search.open())
document.addEventListener('keydown', (event) => {
  if (chatScreen.hidden || event.defaultPrevented) return
  const typing = event.target instanceof HTMLElement && event.target.closest('input, textarea, select, [contenteditable="true"]') !== null
  const slash = event.key === '/' && !typing && !event.ctrlKey && !event.metaKey && !event.altKey
  const chord = (event.ctrlKey || event.metaKey) && event.shiftKey && event.key.toLowerCase() === 'f'
  if ((slash || chord) && document.querySelector('dialog[open]') === null) {
    event.preventDefault()
    search.open()
  }
})

// The bell: notifications for mentions and DMs while the tab is hidden; asked for only when pressed (or on the first send).
const bell = byId('notify-button', HTMLButtonElement)
function showBell(): void {
  const state = notifier.state
  bell.hidden = state === 'unsupported'
  bell.setAttribute('aria-label', bellLabel(state))
  bell.title = bellLabel(state)
  bell.setAttribute('aria-pressed', String(state === 'on'))
  bell.dataset.state = state
}
notifier.onChange = showBell
bell.addEventListener('click', () => void notifier.toggle())
showBell()

// ---- controls ---------------------------------------------------------------------------

el.leave.addEventListener('click', () => {
  const conv = convs.current
  if (!conv) return
  if (conv.kind === 'dm') return convs.remove(conv.key)
  client.leave(conv.id).catch((err: unknown) => {
    el.joinError.textContent = t('conv.leaveFailed', { room: conv.id, reason: failureText(err) })
  })
})

/** Shows the room, joining it first when the page is not in it; rejects with the server's refusal. */
async function openRoom(room: string): Promise<void> {
  const existing = convs.get(roomKey(room))
  if (!existing) await client.join(room)
  convs.show(roomKey(room))
  composer.focus()
}

el.joinForm.addEventListener('submit', (event) => {
  event.preventDefault()
  // Room names are lower case without spaces; be forgiving about "#Dev Team".
  const room = el.joinName.value.trim().replace(/^#/, '').toLowerCase().replace(/\s+/g, '-')
  if (room === '') return
  el.joinError.textContent = ''
  openRoom(room).then(
    () => {
      el.joinName.value = ''
    },
    (err: unknown) => {
      el.joinError.textContent = isChatError(err, 'bad-frame') ? t('conv.badRoomName', { room }) : t('conv.joinFailed', { room, reason: failureText(err) })
    },
  )
})

/** Older history is being fetched: one page at a time, whether asked for by scrolling up or by the button. */
let loadingOlder = false
function loadOlder(): void {
  const conv = convs.current
  // DM conversations page through dm-history (dm-history.ts keeps one request in flight).
  if (conv?.kind === 'dm') return dmHistory.older(conv)
  if (conv?.kind !== 'room' || !conv.hasOlder || loadingOlder) return
  const before = conv.oldestSeq ?? conv.lines.find((l) => l.seq !== undefined)?.seq
  loadingOlder = true
  messages.loadingOlder(true)
  const done = (): void => {
    loadingOlder = false
    messages.loadingOlder(false)
  }
  client.history(conv.id, before !== undefined ? { before } : {}).then(
    (page) => {
      done()
      // A page that brings nothing older ends the paging, or scrolling up would ask forever. A page of
      // only edits and reactions brings no line but moves `oldestSeq`, so the next page goes further back.
      const oldest = page.messages[0]?.seq
      const older = oldest !== undefined && (before === undefined || oldest < before)
      convs.prepend(conv.key, toLines(page.messages), page.hasMore && older, oldest)
    },
    done, // the button stays for another try
  )
}
byId('load-older', HTMLButtonElement).addEventListener('click', () => loadOlder())

byId('conn-retry', HTMLButtonElement).addEventListener('click', () => {
  if (client.state === 'reconnecting') client.reconnectNow()
  else if (client.state === 'closed') client.connect().catch(() => {})
})

byId('logout-button', HTMLButtonElement).addEventListener('click', () => logOut())
byId('browse-rooms', HTMLButtonElement).addEventListener('click', () => {
  drawers.close() // the drawer would stay open behind the panel on phones
  roomBrowser.open()
})
el.settings.addEventListener('click', () => {
  const conv = convs.current
  if (conv?.kind === 'room') roomSettings.open(conv.id)
})
byId('me-button', HTMLButtonElement).addEventListener('click', () => account.open())

// "New message": find a user by the start of their name and open a DM with them.
function renderFound(users: readonly FoundUser[], prefix: string): void {
  clear(el.findResults)
  if (users.length === 0) {
    el.findError.textContent = t('find.none', { prefix })
    return
  }
  for (const user of users) {
    const state = user.online ? 'online' : 'offline'
    const stateText = t(user.online ? 'presence.online' : 'presence.offline')
    // Named by its content, as the sidebar's rows: the visible name and state with the catalog's words around the name.
    const [before, after] = textAround('find.message', 'name')
    const button = h(
      'button',
      { class: 'conv', attrs: { type: 'button' } },
      before === '' ? null : h('span', { class: 'sr-only', text: before }),
      h('span', { class: `avatar tiny ${hueClass(user.userId)}`, text: initials(user.name), attrs: { 'aria-hidden': 'true' } }),
      h('span', { class: 'conv-title', text: user.name }),
      h('span', { class: 'sr-only', text: `${after}, ` }),
      h('span', { class: `found-state ${state}`, text: stateText }),
    )
    button.addEventListener('click', () => {
      names.set(user.userId, user.name)
      clear(el.findResults)
      el.findName.value = ''
      openDm({ userId: user.userId, name: user.name })
    })
    el.findResults.append(h('li', {}, button))
  }
}
let findSeq = 0
function findUsers(): void {
  const prefix = el.findName.value.trim()
  el.findError.textContent = ''
  const seq = ++findSeq
  if (prefix === '') return clear(el.findResults)
  client.findUsers(prefix, 8).then(
    (users) => {
      if (seq === findSeq) renderFound(users, prefix) // an older answer must not replace a newer one
    },
    (err: unknown) => {
      if (seq === findSeq) el.findError.textContent = isChatError(err, 'bad-frame') ? t('find.tooLong') : t('find.failed', { reason: failureText(err) })
    },
  )
}
let findTimer: ReturnType<typeof setTimeout> | undefined
el.findName.addEventListener('input', () => {
  clearTimeout(findTimer)
  findTimer = setTimeout(findUsers, 250)
})
el.findForm.addEventListener('submit', (event) => {
  event.preventDefault()
  clearTimeout(findTimer)
  findUsers()
})

// Ctrl+K (⌘K on a Mac): the conversation switcher, from anywhere in the chat, text fields included.
const switcher = new ConversationSwitcher({
  conversations: () => [...convs.rooms(), ...convs.dms()],
  currentKey: () => convs.current?.key,
  pick: (key) => {
    convs.show(key)
    composer.focus()
  },
})
const switcherButton = document.querySelector<HTMLButtonElement>('#open-switcher')!
// The shortcut as this platform writes it.
if (/Mac|iPhone|iPad/.test(navigator.platform)) switcherButton.querySelector('kbd')!.textContent = '⌘K'
switcherButton.addEventListener('click', () => {
  drawers.close(null)
  switcher.open()
})
document.addEventListener('keydown', (event) => {
  if (chatScreen.hidden || event.defaultPrevented || event.key.toLowerCase() !== 'k' || !(event.ctrlKey || event.metaKey) || event.shiftKey || event.altKey) return
  event.preventDefault()
  if (switcher.isOpen) return switcher.close()
  if (document.querySelector('dialog[open]') !== null) return
  drawers.close(null)
  switcher.open()
})

document.addEventListener('visibilitychange', () => {
  convs.visible = !document.hidden
  if (!document.hidden) {
    convs.markShownRead()
    const conv = convs.current
    if (conv) markRead(conv)
    scheduleRoomRead()
  }
  // The shown conversation's counts show in the sidebar only while the tab is hidden.
  renderSidebar(el.sidebar, convs.rooms(), convs.dms(), convs.current?.key, (key) => convs.show(key), quietKey())
})
// The browser knows before the heartbeat does that the network is back.
window.addEventListener('online', () => client.reconnectNow())

showCurrent()
void start()
