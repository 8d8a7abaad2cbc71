// Room stream entries on their way out. Since protocol 1.3.0 a message may
// carry fields (events, replies, mentions, edits, reactions) that a client
// written for an older minor version does not know; such a client gets the
// entry without them, where `text` already says what happened. Entries are
// encoded once per version, here, for every path: live pushes, resume
// replays, gap fills and history pages.
import { encodeMessage, encodeMessagePush, speaksAtLeast, type ChatMessage } from '@wirechat/protocol'
import type { Delivery } from './broker/broker.ts'

/** The first version that knows the message lifecycle fields. */
export const LIFECYCLE_VERSION = '1.3.0'

/** True when a client of `version` must get messages without the 1.3.0 fields. */
export const needsLegacyMessages = (version: string | undefined): boolean => !speaksAtLeast(version, LIFECYCLE_VERSION)

/** The message as a client older than 1.3.0 sees it: the same object when it carries nothing new. */
export function legacyMessage(message: ChatMessage): ChatMessage {
  if (
    message.event === undefined &&
    message.replyTo === undefined &&
    message.mentions === undefined &&
    message.edited === undefined &&
    message.deleted === undefined &&
    message.reactions === undefined &&
    message.rev === undefined
  ) {
    return message
  }
  const { event: _e, replyTo: _r, mentions: _m, edited: _d, deleted: _x, reactions: _a, rev: _v, ...legacy } = message
  return legacy
}

/** A stored room entry as a broker delivery: its push, and the older clients' push when it differs. */
export function entryDelivery(message: ChatMessage, origin?: string): Delivery {
  const delivery: Delivery = { data: encodeMessagePush('chat', message), seq: message.seq }
  const legacy = legacyMessage(message)
  if (legacy !== message) delivery.legacy = encodeMessagePush('chat', legacy)
  if (origin !== undefined) delivery.origin = origin
  return delivery
}

/**
 * A message just sent, encoded once for the stream and for its sender's reply
 * (`chat-ok` to the request `id`), each for the sender's and the members'
 * versions; the sender's connection gets the reply in its push's place.
 */
export function newEntry(message: ChatMessage, id: string | undefined, sender: { readonly id: string; readonly legacy: boolean }): { delivery: Delivery; reply: string } {
  const encoded = encodeMessage('chat', message, id)
  const delivery: Delivery = { data: encoded.push, seq: message.seq, origin: sender.id }
  const legacy = legacyMessage(message)
  if (legacy === message) return { delivery, reply: encoded.reply }
  const old = encodeMessage('chat', legacy, id)
  delivery.legacy = old.push
  return { delivery, reply: sender.legacy ? old.reply : encoded.reply }
}

/** Messages as a client of `version` sees them. */
export function messagesFor(version: string | undefined, messages: ChatMessage[]): ChatMessage[] {
  return needsLegacyMessages(version) ? messages.map(legacyMessage) : messages
}
