// The chat page: wires the ChatClient to the views. Rendering lives in the
// view modules; this file decides what happens when.
import type { ChatMessage, DirectMessage, Member } from '@wirechat/protocol/primitives'
import { ChatClient, createLocalStorage, isChatError, isFinalSendError, newMessageId, type ChatError, type DmConversation, type FoundUser, type OutboxEntry } from '../index.ts'
import { AccountView } from './account.ts'
import { Composer } from './composer.ts'
import { Conversations, dmKey, roomKey, type Conversation, type Line } from './conversations.ts'
import { byId, clear, h } from './dom.ts'
import { Drafts } from './drafts.ts'
import { deviceLabel, hueClass, initials, typingSentence } from './format.ts'
import { LoginView, type LoginRequest } from './login.ts'
import { renderMembers } from './members.ts'
import { MessageList, type PendingLine } from './message-list.ts'
import { renderSidebar } from './sidebar.ts'
import { StatusView } from './status.ts'
import { MemberActions } from './member-actions.ts'
import { moderationNotice, roomRefusalText, untilText } from './moderation-text.ts'
import { clearNotices, showNotice } from './notices.ts'
import { RoomBrowser } from './room-browser.ts'
import { roleOf, RoomRoles } from './room-roles.ts'
import { RoomSettings } from './room-settings.ts'
import { loadSaved, save } from './storage.ts'
import { textLimit, type NamespaceTextLimit } from './text-rules.ts'
import { TypingGate } from './typing-gate.ts'
import './style.css'

// The outbox in localStorage keeps unacknowledged sends across reloads: they are re-sent, with
// their clientMsgId, after the next login of the same user (the session key is in localStorage too).
const client = new ChatClient({ url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`, outbox: createLocalStorage() })
const convs = new Conversations()
/** Names of users we have seen, for direct conversations (a dm carries only the sender's name). */
const names = new Map<string, string>()
/** Outgoing lines per conversation, so each shows only its own. */
const outboxes = new Map<string, HTMLOListElement>()
/** Lines of sends not yet acknowledged, by clientMsgId: at most one per send, whoever reports it first. */
const pendingLines = new Map<string, PendingLine>()
/** Per DM partner: the highest inbox seq this page marked read (or heard was read), so a marker is sent once. */
const readMarkers = new Map<string, number>()
/** This browser in the session list. */
const device = deviceLabel(navigator.userAgent)

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
  { onNearTop: () => loadOlder() },
)
/** The namespaces login-ok announced (protocol 1.2.0): their text limits apply to the composer. */
let namespaces: readonly NamespaceTextLimit[] = []
const drafts = new Drafts(globalThis.localStorage)
const typingGate = new TypingGate()
const login = new LoginView((request) => void logIn(request))
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
  // The typing frame names a room: there is no typing signal in direct conversations.
  announcesTyping: (key) => key !== undefined && convs.get(key)?.kind === 'room',
  onTyping: (typing, key) => {
    const conv = key === undefined ? undefined : convs.get(key)
    if (conv?.kind !== 'room') return
    // Best effort; a refusal keeps the gate quiet for as long as the server asks.
    client.typing(conv.id, typing).catch((err: unknown) => {
      if (isChatError(err, 'rate-limited')) typingGate.refused(err.retryAfterMs)
    })
  },
})

const roles = new RoomRoles(client)
const roomBrowser = new RoomBrowser(client, { join: (room) => openRoom(room), isJoined: (room) => client.rooms.has(room), failureText: (err) => failureText(err) })
const roomSettings = new RoomSettings(client, roles, { nameOf: (userId) => names.get(userId), members: (room) => client.rooms.get(room)?.members ?? [], failureText: (err) => failureText(err) })
const memberActions = new MemberActions(client, roles, { message: (member) => openDm(member), failureText: (err) => failureText(err), done: (text) => showNotice(text) })

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
  roles.clear()
  clearNotices()
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

/** Back on the login screen with a fresh connection, ready for the next login. */
function afterLogout(): void {
  save({ session: undefined, inbox: undefined, registered: undefined })
  client.connect().catch(() => {})
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
  if (!isChatError(err)) return 'something went wrong'
  // The server says what is wrong with a text (e.g. the room's limit), which Retry cannot change.
  if (err.code === 'bad-frame' && err.details.some((d) => d.startsWith('/text'))) {
    return err.message.startsWith('Invalid') ? 'the server refuses this text (too long, or characters it does not allow)' : err.message
  }
  const refusal = roomRefusalText(err)
  if (refusal !== undefined) return refusal
  const reasons: Partial<Record<ChatError['code'], string>> = {
    timeout: 'no answer from the server',
    'connection-lost': 'the connection dropped',
    'buffer-full': 'too many messages waiting for the connection',
    closed: 'you are offline',
    'rate-limited': 'you are sending too fast',
    'not-in-room': 'you are not in this room',
    'user-not-found': 'this user is unknown',
    'auth-failed': 'the password is wrong',
    'not-registered': 'this needs a registered name',
    'session-not-found': 'that session is gone already',
    'bad-frame': 'this text cannot be sent',
    'outbox-full': 'too many messages are still waiting to be sent',
  }
  return reasons[err.code] ?? err.message
}

function outboxFor(key: string): HTMLOListElement {
  let outbox = outboxes.get(key)
  if (!outbox) {
    outbox = document.createElement('ol')
    outbox.className = 'messages outbox'
    outbox.setAttribute('aria-label', 'Messages being sent')
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
}

const sendOf = (entry: OutboxEntry): Send => ({ clientMsgId: entry.clientMsgId, kind: entry.kind === 'chat' ? 'room' : 'dm', to: entry.to, text: entry.text })
const sendKey = (s: Send): string => (s.kind === 'room' ? roomKey(s.to) : dmKey(s.to))

function send(text: string): void {
  const conv = convs.current
  if (!conv) return
  // One id for every attempt: a retry after a timeout, a reconnect or a reload cannot post it twice.
  const s: Send = { clientMsgId: newMessageId(), kind: conv.kind, to: conv.id, text }
  showPending(s)
  attempt(s)
}

function showPending(s: Send): PendingLine {
  const line = messages.addPending(s.text, { outbox: outboxFor(sendKey(s)), clientMsgId: s.clientMsgId })
  pendingLines.set(s.clientMsgId, line)
  return line
}

function attempt(s: Send): void {
  const options = { clientMsgId: s.clientMsgId }
  const sent: Promise<unknown> = s.kind === 'room' ? client.sendChat(s.to, s.text, options) : client.sendDm(s.to, s.text, options)
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

const chatLine = (m: ChatMessage, own: boolean): Line => {
  // Kicks, bans and mutes are notices in the timeline, not messages.
  const notice = moderationNotice(m, client.user?.userId)
  if (notice !== undefined) return { kind: 'system', id: m.msgId, text: notice, ts: m.ts }
  if (own) dropPending(m.clientMsgId)
  return { kind: 'message', id: m.msgId, userId: m.userId, name: m.name, text: m.text, ts: m.ts, own, seq: m.seq, ...(own && m.clientMsgId !== undefined && { clientMsgId: m.clientMsgId }) }
}
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
  login.notice(reason === 'session-revoked' ? 'This session was signed out from another device.' : 'Your session expired, sign in again.')
})
client.on('dm-read', ({ userId, seq }) => {
  if (seq > (readMarkers.get(userId) ?? 0)) readMarkers.set(userId, seq)
  const conv = convs.get(dmKey(userId))
  if (conv && newestSeq(conv, true) <= seq) convs.setUnread(conv.key, 0)
})

client.on('joined', ({ room, members, history, outcome }) => {
  remember(members)
  const conv = convs.ensureRoom(room)
  if (!outcome.resumed)
    convs.reset(
      conv.key,
      history.map((m) => chatLine(m, m.userId === client.user?.userId)),
      (history[0]?.seq ?? 1) > 1,
    )
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
client.on('chat', ({ message, own }) => convs.add(roomKey(message.room), chatLine(message, own)))
const saveInbox = (): void => save({ inbox: client.inboxPosition })
client.on('inbox', saveInbox)
client.on('dm', ({ message, own, partnerId }) => {
  saveInbox()
  if (!own) names.set(message.from, message.fromName)
  const conv = convs.ensureDm(partnerId, names.get(partnerId) ?? (own ? 'someone' : message.fromName))
  convs.add(conv.key, dmLine(message, own))
  markRead(conv)
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
          if (s.kind === 'dm') convs.ensureDm(s.to, names.get(s.to) ?? 'someone')
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
      return failPending(sendOf(change.entry), 'it waited too long to be sent')
  }
})
client.on('alarm', (alarm) => {
  names.set(alarm.userId, alarm.name)
  convs.add(roomKey(alarm.room), { kind: 'system', id: `alarm:${alarm.room}:${alarm.userId}:${alarm.kind}:${alarm.ts}`, text: alarm.text, ts: alarm.ts })
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
  const why = reason ? `: ${reason}` : ''
  const text = kind === 'kick' ? `${by.name} removed you from #${room}${why}. You can join again.` : `${by.name} banned you from #${room} ${untilText(until)}${why}.`
  showNotice(text, { tone: 'bad', sticky: true })
})
client.on('invited', ({ room, byName }) =>
  showNotice(`${byName} invited you to #${room}.`, {
    sticky: true,
    action: { label: `Join #${room}`, run: () => void openRoom(room).catch((err: unknown) => showNotice(`Could not join #${room}: ${failureText(err)}`, { tone: 'bad' })) },
  }),
)
client.on('alarm', ({ room, kind }) => {
  if (kind === 'topic' || kind === 'visibility' || kind === 'role') roles.refresh(room)
})
client.on('chat', ({ message }) => {
  if (message.event !== undefined && roomSettings.room === message.room) roomSettings.render() // bans and mutes changed
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
  el.subtitle.textContent = details?.topic ? `${members.length} online · ${details.topic}` : `${members.length} online`
  el.membersToggle.textContent = `${members.length} online`
  el.membersHeading.textContent = `Online in #${conv.id} — ${members.length}`
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
  messages.setOutbox(outboxFor(conv?.key ?? ''))
  messages.show(conv)
  document.body.classList.remove('drawer-open', 'members-open')
  el.menuToggle.setAttribute('aria-expanded', 'false')
  el.membersToggle.setAttribute('aria-expanded', 'false')
  el.scrim.hidden = true
  if (!conv) {
    el.title.textContent = 'No conversation'
    el.subtitle.textContent = 'Join a room to start.'
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
    el.leave.textContent = 'Leave'
    el.leave.setAttribute('aria-label', `Leave room ${conv.id}`)
    el.membersToggle.hidden = false
    el.settings.hidden = false
    el.settings.setAttribute('aria-label', `Settings of room ${conv.id}`)
    composer.target(`Message #${conv.id}`, conv.key)
    showRoomDetails(conv)
  } else {
    el.title.textContent = `@ ${conv.title}`
    el.subtitle.textContent = 'Direct message'
    el.leave.textContent = 'Close'
    el.leave.setAttribute('aria-label', `Close conversation with ${conv.title}`)
    el.membersToggle.hidden = true
    el.settings.hidden = true
    el.typing.textContent = ''
    composer.target(`Message ${conv.title}`, conv.key)
    markRead(conv)
  }
}

function updateTitle(): void {
  const unread = convs.unread
  document.title = unread > 0 ? `(${unread}) wirechat` : 'wirechat'
}

convs.onChange = (change) => {
  switch (change.type) {
    case 'list':
      renderSidebar(el.sidebar, convs.rooms(), convs.dms(), convs.current?.key, (key) => convs.show(key))
      return updateTitle()
    case 'current':
      rememberView()
      return showCurrent()
    case 'reset':
      return messages.reset(change.key)
    case 'added':
      return messages.append(change.key, change.line)
    case 'prepended':
      return messages.prepended(change.key)
  }
}

// ---- controls ---------------------------------------------------------------------------

el.leave.addEventListener('click', () => {
  const conv = convs.current
  if (!conv) return
  if (conv.kind === 'dm') return convs.remove(conv.key)
  client.leave(conv.id).catch((err: unknown) => {
    el.joinError.textContent = `Could not leave #${conv.id}: ${failureText(err)}`
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
      el.joinError.textContent = isChatError(err, 'bad-frame') ? `“${room}” is not a valid room name: use lower-case letters, digits, “_”, “-” or “.”.` : `Could not join #${room}: ${failureText(err)}`
    },
  )
})

/** Older history is being fetched: one page at a time, whether asked for by scrolling up or by the button. */
let loadingOlder = false
function loadOlder(): void {
  const conv = convs.current
  if (conv?.kind !== 'room' || !conv.hasOlder || loadingOlder) return
  const first = conv.lines.find((l): l is Extract<Line, { kind: 'message' }> => l.kind === 'message' && l.seq !== undefined)
  loadingOlder = true
  messages.loadingOlder(true)
  const done = (): void => {
    loadingOlder = false
    messages.loadingOlder(false)
  }
  client.history(conv.id, first?.seq !== undefined ? { before: first.seq } : {}).then(
    (page) => {
      done()
      const lines = page.messages.map((m) => chatLine(m, m.userId === client.user?.userId))
      // A page that brings nothing new ends the paging, or scrolling up would ask forever.
      const known = new Set(conv.lines.map((l) => l.id))
      const fresh = lines.some((l) => !known.has(l.id))
      convs.prepend(conv.key, lines, page.hasMore && fresh)
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
  if (document.body.classList.contains('drawer-open')) el.scrim.click() // the drawer would stay open behind the panel on phones
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
    el.findError.textContent = `Nobody found whose name starts with “${prefix}”.`
    return
  }
  for (const user of users) {
    const state = user.online ? 'online' : 'offline'
    const button = h(
      'button',
      { class: 'conv', attrs: { type: 'button', 'aria-label': `Message ${user.name} (${state})` } },
      h('span', { class: `avatar tiny ${hueClass(user.userId)}`, text: initials(user.name), attrs: { 'aria-hidden': 'true' } }),
      h('span', { class: 'conv-title', text: user.name }),
      h('span', { class: `found-state ${state}`, text: state }),
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
      if (seq === findSeq) el.findError.textContent = isChatError(err, 'bad-frame') ? 'Type up to 32 characters of a name.' : `Could not search: ${failureText(err)}`
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

el.menuToggle.addEventListener('click', () => {
  const open = document.body.classList.toggle('drawer-open')
  el.menuToggle.setAttribute('aria-expanded', String(open))
  el.scrim.hidden = !open
})
el.membersToggle.addEventListener('click', () => {
  const open = document.body.classList.toggle('members-open')
  el.membersToggle.setAttribute('aria-expanded', String(open))
  el.scrim.hidden = !open
})
el.scrim.addEventListener('click', () => {
  document.body.classList.remove('drawer-open', 'members-open')
  el.menuToggle.setAttribute('aria-expanded', 'false')
  el.membersToggle.setAttribute('aria-expanded', 'false')
  el.scrim.hidden = true
})
document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && (document.body.classList.contains('drawer-open') || document.body.classList.contains('members-open'))) el.scrim.click()
})

document.addEventListener('visibilitychange', () => {
  convs.visible = !document.hidden
  if (!document.hidden) {
    convs.markShownRead()
    const conv = convs.current
    if (conv) markRead(conv)
  }
})
// The browser knows before the heartbeat does that the network is back.
window.addEventListener('online', () => client.reconnectNow())

showCurrent()
void start()
