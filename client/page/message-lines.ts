// Room stream entries as lines of the page (protocol 1.3.0). A room's stream
// holds messages and event entries: kick, ban, mute … become notices; edit,
// delete and react entries are no lines of their own, they change the message
// they target (the library reports that as `message-changed`, and the page
// redraws that one row). A message is drawn as it is now: its text, an
// "edited" mark, a tombstone once deleted, reactions as chips.
import type { ChatMessage } from '@wirechat/protocol/primitives'
import type { Line, MessageState } from './conversations.ts'
import { moderationNotice } from './moderation-text.ts'

/** True for an entry that changes another message (edit, delete, react) rather than adding a line. */
export function changesAMessage(m: ChatMessage): boolean {
  return m.event !== undefined && 'target' in m.event
}

/** What a message looks like now: edited, deleted, its reactions (with the reader's own marked) and what it answers. */
export function messageState(m: ChatMessage, selfId: string | undefined): MessageState {
  const reactions = (m.reactions ?? []).filter((r) => r.count > 0)
  return {
    ...(m.edited !== undefined && { edited: m.edited }),
    ...(m.deleted === true && { deleted: true }),
    ...(reactions.length > 0 && { reactions: reactions.map((r) => ({ emoji: r.emoji, count: r.count, mine: selfId !== undefined && r.users.includes(selfId) })) }),
    ...(m.replyTo !== undefined && { replyTo: m.replyTo }),
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
    ...messageState(m, selfId),
  }
}
