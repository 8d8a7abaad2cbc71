// Direct messages and the per-user inbox they are stored in.
import * as clock from '../determinism.ts'
import { encodeMessage, encodeMessagePush, encodeServerFrame, type ClientFrameOf, type DirectMessage, type InboxState, type Position } from '@wirechat/protocol'
import { inboxChannel } from '../channels.ts'
import type { Session } from '../session/session.ts'
import type { User } from '../users.ts'
import { planResume } from './resume.ts'

export async function handleDm(session: Session, user: User, frame: ClientFrameOf<'dm'>): Promise<void> {
  const { hub } = session
  if (!hub.users.get(frame.to) && !(await hub.store.hasUser(frame.to))) return session.fail(frame, 'user-not-found', 'No such user.')
  if (frame.to !== user.userId && (await hub.store.isBlocked(frame.to, user.userId))) return session.fail(frame, 'blocked', 'This user does not accept your direct messages.')
  if (!hub.broker.ready()) return session.fail(frame, 'unavailable', 'Broker unavailable; send again later.')
  let appended
  try {
    appended = await hub.store.appendDm({ from: user.userId, fromName: user.name, to: frame.to, text: frame.text, ts: clock.now(), clientMsgId: frame.clientMsgId })
  } catch (err) {
    session.log.error({ err }, 'history store append failed')
    return session.fail(frame, 'unavailable', 'History store unavailable; nothing was sent.')
  }
  const own: DirectMessage = { ...appended.message, seq: appended.fromSeq }
  if (appended.duplicate) return session.reply(frame, { type: 'dm-ok', message: own, duplicate: true })
  const encoded = encodeMessage('dm', own, frame.id)
  const ownChannel = inboxChannel(user.userId)
  // Like chat: the sender's own delivery on its inbox channel is replaced by the reply.
  const key = session.expectOwnDelivery(ownChannel, own.seq, { type: encoded.replyType, data: encoded.reply })
  try {
    if (frame.to !== user.userId) {
      await hub.publish(inboxChannel(frame.to), { data: encodeMessagePush('dm', { ...appended.message, seq: appended.toSeq }), seq: appended.toSeq })
    }
    await hub.publish(ownChannel, { data: encoded.push, seq: own.seq, origin: session.id })
  } catch (err) {
    session.log.error({ err }, 'broker publish failed')
    return session.fail(frame, 'unavailable', 'Broker unavailable; send again with the same clientMsgId.')
  }
  session.settleOwnDelivery(key)
}

/** Page size of `dm-history` without a `limit` (the schema documents it). */
export const DM_HISTORY_DEFAULT_LIMIT = 50

/** One DM conversation of the user, a page backwards from `before` (since 1.3.0). */
export async function handleDmHistory(session: Session, user: User, frame: ClientFrameOf<'dm-history'>): Promise<void> {
  const { hub } = session
  const limit = Math.min(frame.limit ?? DM_HISTORY_DEFAULT_LIMIT, hub.config.historyPageMax)
  const page = await hub.store.dmConversation(user.userId, frame.userId, { before: frame.before, limit })
  // Asked only of an empty page: a peer whose account is deleted is no user any more, yet the DMs stay readable.
  if (page.messages.length === 0 && frame.userId !== user.userId && !hub.users.get(frame.userId) && !(await hub.store.hasUser(frame.userId))) {
    return session.fail(frame, 'user-not-found', 'No such user.')
  }
  session.reply(frame, { type: 'dm-history-ok', userId: frame.userId, messages: page.messages, hasMore: page.hasMore })
}

/** The user's inbox opened at login, whose replay waits for the login reply. */
export interface OpenedInbox {
  state: InboxState
  replay: DirectMessage[]
}

/** Joins the user's inbox channel, holding live DMs until releaseInbox (see openRoom). */
export async function openInbox(session: Session, user: User, since: Position | undefined): Promise<OpenedInbox> {
  const { hub } = session
  const { store, config } = hub
  const { userId } = user
  const channel = inboxChannel(userId)
  session.beginSync(channel)
  await hub.join(channel, session)
  const head = await store.inboxHead(userId)
  if (since === undefined) return { state: { epoch: store.epoch, seq: head }, replay: [] }
  const plan = planResume(since, { epoch: store.epoch, head, tail: head > 0 ? 1 : 0, maxReplay: config.maxReplay })
  const page = 'replayAfter' in plan ? await store.inboxRange(userId, plan.replayAfter, config.maxReplay) : undefined
  if (page === undefined || page.hasMore) {
    return { state: { epoch: store.epoch, seq: head, resume: 'refused' in plan ? plan.refused : { resumed: false, missed: 0, reason: 'too-far-behind' } }, replay: [] }
  }
  return { state: { epoch: store.epoch, seq: page.messages.at(-1)?.seq ?? since.seq, resume: { resumed: true, missed: page.messages.length } }, replay: page.messages }
}

/** Sends the inbox replay after the login reply, then the DMs held meanwhile. */
export function releaseInbox(session: Session, user: User, opened: OpenedInbox): void {
  for (const message of opened.replay) session.sendEncoded('dm', encodeMessagePush('dm', message))
  session.endSync(inboxChannel(user.userId), opened.state.seq)
}

/** Moves the user's read marker of a DM conversation and tells the user's other connections, on every node. */
export async function handleDmRead(session: Session, user: User, frame: ClientFrameOf<'dm-read'>): Promise<void> {
  const { hub } = session
  if (!hub.users.get(frame.userId) && !(await hub.store.hasUser(frame.userId))) return session.fail(frame, 'user-not-found', 'No such user.')
  // Never past the inbox head: a marker ahead would hide DMs not received yet.
  const seq = Math.min(frame.seq, await hub.store.inboxHead(user.userId))
  const marker = await hub.store.markDmRead(user.userId, frame.userId, seq)
  session.reply(frame, { type: 'dm-read-ok', userId: frame.userId, seq: marker })
  try {
    await hub.publish(inboxChannel(user.userId), { data: encodeServerFrame({ type: 'dm-read', userId: frame.userId, seq: marker }), origin: session.id })
  } catch (err) {
    // The marker is stored: other devices see it at their next login.
    session.log.error({ err }, 'broker publish failed')
  }
}

export async function handleDmTyping(session: Session, user: User, frame: ClientFrameOf<'dm-typing'>): Promise<void> {
  const { hub } = session
  if (frame.to === user.userId) return session.fail(frame, 'bad-frame', 'Typing to yourself says nothing.', { details: ['/to: yourself'] })
  if (!hub.users.get(frame.to) && !(await hub.store.hasUser(frame.to))) return session.fail(frame, 'user-not-found', 'No such user.')
  session.reply(frame, { type: 'dm-typing-ok', to: frame.to })
  const push = encodeServerFrame({ type: 'dm-typing', userId: user.userId, name: user.name, typing: frame.typing })
  // `from`: not to a recipient who blocks the sender; '' for clients older than 1.3.0, which do not know the push.
  await hub.publish(inboxChannel(frame.to), { data: push, legacy: '', from: user.userId }).catch((err) => session.log.error({ err }, 'broker publish failed'))
}
