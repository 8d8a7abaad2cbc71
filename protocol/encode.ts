// The one place that turns server frames into wire text. Every frame the
// server sends goes through here, typed by the ServerFrame union.
//
// Hot path: a stored message is JSON-encoded once and spliced into both the
// push every member gets and the sender's reply. The result is the same bytes
// as JSON.stringify of each whole frame (test/protocol/encode.test.ts), so a
// reader of the wire cannot tell the difference.
import type { ServerFrame, ServerFrameOf } from './frames.ts'

/** Encodes a server frame as it goes on the wire. */
export function encodeServerFrame(frame: ServerFrame): string {
  return JSON.stringify(frame)
}

/** Encodes a reply to a request: the request id goes right after `type`, where a reader of the wire looks for it. */
export function encodeReply(id: string | undefined, frame: ServerFrame): string {
  if (id === undefined) return JSON.stringify(frame)
  const { type, ...rest } = frame
  return JSON.stringify({ type, id, ...rest })
}

/** Pushes that carry a stored message, and the reply its sender gets instead. */
const REPLY_OF = { chat: 'chat-ok', dm: 'dm-ok' } as const

/** The push frames that carry one stored message. */
export type MessagePushType = keyof typeof REPLY_OF
/** The message a push of that type carries. */
export type MessageOf<K extends MessagePushType> = ServerFrameOf<K>['message']

/** A stored message encoded once for its push and for its sender's reply. */
export interface EncodedMessage {
  /** `{"type":"chat","message":…}` (or `dm`): what every other member gets. */
  push: string
  /** `{"type":"chat-ok","id":…,"message":…}` (or `dm-ok`): what the sender gets in its push's place. */
  reply: string
  /** The reply's type. */
  replyType: (typeof REPLY_OF)[MessagePushType]
}

/** A frame carrying an already encoded message, with the request id after `type` when there is one. */
const messageFrame = (type: string, id: string | undefined, body: string): string =>
  id === undefined ? `{"type":"${type}","message":${body}}` : `{"type":"${type}","id":${JSON.stringify(id)},"message":${body}}`

/** Encodes the push of a stored message. */
export function encodeMessagePush<K extends MessagePushType>(type: K, message: MessageOf<K>): string {
  return messageFrame(type, undefined, JSON.stringify(message))
}

/** Encodes a new message once, for its push and for the reply to the request `id`. */
export function encodeMessage<K extends MessagePushType>(type: K, message: MessageOf<K>, id: string | undefined): EncodedMessage {
  const body = JSON.stringify(message)
  const replyType = REPLY_OF[type]
  return { push: messageFrame(type, undefined, body), reply: messageFrame(replyType, id, body), replyType }
}
