// Room stream entries as lines of the page (protocol 1.3.0). A room's stream
// holds messages and event entries: kick, ban, mute … become notices; edit,
// delete and react entries are no lines of their own, they change the message
// they target (the library reports that as `message-changed`, and the page
// redraws that one row). A message is drawn as it is now: its text, an
// "edited" mark, a tombstone once deleted, reactions as chips (with who
// reacted, for their tooltips), the quote it replies to, its mentions.
import type { ChatMessage } from '@wirechat/protocol/primitives'
import type { Line, MessageLine } from './conversations.ts'
import { moderationNotice } from './moderation-text.ts'

/** The parts of a message that change after it is sent, or come with 1.3.0. */
export type MessageState = Pick<MessageLine, 'edited' | 'deleted' | 'reactions' | 'replyTo' | 'mentions'>

/** True for an entry that changes another message (edit, delete, react) rather than adding a line. */
export function changesAMessage(m: ChatMessage): boolean {
  return m.event !== undefined && 'target' in m.event
}

/** What a message looks like now: edited, deleted, its reactions, what it answers, whom it mentions. Absent fields stay absent. */
export function messageState(m: ChatMessage): MessageState {
  const reactions = (m.reactions ?? []).filter((r) => r.count > 0)
  return {
    ...(m.edited !== undefined && { edited: m.edited }),
    ...(m.deleted === true && { deleted: true }),
    ...(reactions.length > 0 && { reactions }),
    ...(m.replyTo !== undefined && { replyTo: m.replyTo }),
    ...(m.mentions !== undefined && m.mentions.length > 0 && { mentions: m.mentions }),
  }
}

/** The line of a room stream entry, or undefined for an entry that only changes another message. */
export function roomLine(m: ChatMessage, own: boolean, selfId: string | undefined): Line | undefined {
  if (changesAMessage(m)) return undefined
  const notice = moderationNotice(m, selfId)
  if (notice !== undefined) return { kind: 'system', id: m.msgId, text: notice, ts: m.ts, seq: m.seq }
  return {
    kind: 'message',
    id: m.msgId,
    userId: m.userId,
    name: m.name,
    text: m.text,
    ts: m.ts,
    own,
    seq: m.seq,
    ...(own && m.clientMsgId !== undefined && { clientMsgId: m.clientMsgId }),
    ...messageState(m),
  }
}
