// Direct messages and the per-user inbox they are stored in.
import type { ClientFrameOf, DirectMessage, InboxState, Position, ServerFrame } from '@wirechat/protocol'
import { userChannel } from '../hub.ts'
import type { Session } from '../session.ts'
import { planResume } from './resume.ts'

const encode = (frame: ServerFrame): string => JSON.stringify(frame)

export async function handleDm(session: Session, frame: ClientFrameOf<'dm'>): Promise<void> {
  const { hub } = session
  const user = session.user!
  if (!hub.users.get(frame.to) && !(await hub.store.hasUser(frame.to))) return session.fail(frame, 'user-not-found', 'No such user.')
  if (!hub.broker.ready()) return session.fail(frame, 'unavailable', 'Broker unavailable; send again later.')
  let appended
  try {
    appended = await hub.store.appendDm({ from: user.userId, fromName: user.name, to: frame.to, text: frame.text, ts: Date.now(), clientMsgId: frame.clientMsgId })
  } catch (err) {
    session.log.error({ err }, 'history store append failed')
    return session.fail(frame, 'unavailable', 'History store unavailable; nothing was sent.')
  }
  const own: DirectMessage = { ...appended.message, seq: appended.fromSeq }
  const ack: ServerFrame = appended.duplicate ? { type: 'dm-ok', message: own, duplicate: true } : { type: 'dm-ok', message: own }
  if (appended.duplicate) return session.reply(frame, ack)
  if (frame.id !== undefined) ack.id = frame.id
  const ownChannel = userChannel(user.userId)
  // Like chat: the sender's own delivery on its inbox channel is replaced by the ack.
  const key = session.expectOwnDelivery(ownChannel, own.seq, encode(ack))
  try {
    if (frame.to !== user.userId) {
      await hub.publish(userChannel(frame.to), { data: encode({ type: 'dm', message: { ...appended.message, seq: appended.toSeq } }), seq: appended.toSeq })
    }
    await hub.publish(ownChannel, { data: encode({ type: 'dm', message: own }), seq: own.seq, origin: session.id })
  } catch (err) {
    session.log.error({ err }, 'broker publish failed')
    return session.fail(frame, 'unavailable', 'Broker unavailable; send again with the same clientMsgId.')
  }
  session.settleOwnDelivery(key)
}

/** The user's inbox opened at login, whose replay waits for the login reply. */
export interface OpenedInbox {
  state: InboxState
  replay: DirectMessage[]
}

/** Joins the user's inbox channel, holding live DMs until releaseInbox (see openRoom). */
export async function openInbox(session: Session, since: Position | undefined): Promise<OpenedInbox> {
  const { hub } = session
  const { store, config } = hub
  const userId = session.user!.userId
  const channel = userChannel(userId)
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
export function releaseInbox(session: Session, opened: OpenedInbox): void {
  for (const message of opened.replay) session.sendEncoded('dm', encode({ type: 'dm', message }))
  session.endSync(userChannel(session.user!.userId), opened.state.seq)
}
