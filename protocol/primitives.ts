// Bounded building blocks shared by every frame. Each one states its rule in
// `description`, because these strings become PROTOCOL.md and the JSON Schema.
import Type from 'typebox'

/** Protocol name offered as the WebSocket subprotocol. */
export const SUBPROTOCOL = 'chat.v1'
/** Semantic version of the frame set; the major number is the subprotocol's. */
export const PROTOCOL_VERSION = '1.2.0'

/**
 * True when a client that announced `version` in login (none: 1.0.0) speaks at
 * least `minimum`: the server sends fields and pushes of a minor version only to
 * clients written for it.
 */
export function speaksAtLeast(version: string | undefined, minimum: string): boolean {
  const have = (version ?? '1.0.0').split('.').map(Number)
  const need = minimum.split('.').map(Number)
  for (let i = 0; i < 3; i++) if ((have[i] ?? 0) !== (need[i] ?? 0)) return (have[i] ?? 0) > (need[i] ?? 0)
  return true
}

// Letters, marks and digits of any script plus a few separators. No control,
// format (bidi overrides, zero-width) or symbol characters, so a name cannot
// reorder or hide the text around it.
// The lookahead forbids two spaces in a row ("ana  k" would impersonate "ana k").
const NAME_PATTERN = '^(?!.*  )[\\p{L}\\p{N}_](?:[\\p{L}\\p{M}\\p{N}_. -]{0,30}[\\p{L}\\p{M}\\p{N}_.-])?$'
const ROOM_PATTERN = '^[\\p{Ll}\\p{Lo}\\p{N}_](?:[\\p{Ll}\\p{Lo}\\p{M}\\p{N}_.-]{0,30}[\\p{Ll}\\p{Lo}\\p{M}\\p{N}_-])?$'
// Chat text: anything printable plus newline and tab; no other C0/C1 controls,
// no bidi embedding/override/isolate controls (U+202A–U+202E, U+2066–U+2069).
const TEXT_PATTERN = '^[^\\u0000-\\u0008\\u000B-\\u001F\\u007F-\\u009F\\u202A-\\u202E\\u2066-\\u2069]*$'

export const MAX_NAME_CHARS = 32
export const MAX_TEXT_CHARS = 2000

/** Client-chosen correlation id of a request, echoed by its reply. */
export const RequestId = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '^[\\x21-\\x7E]+$',
  description: 'Client-chosen correlation id (1–64 printable ASCII characters, no spaces). Echoed by the reply.',
})

/** Display name of a user. */
export const Name = Type.String({
  minLength: 1,
  maxLength: MAX_NAME_CHARS,
  pattern: NAME_PATTERN,
  description:
    'Display name: 1–32 Unicode code points after NFC normalisation; letters, marks, digits, "_", "-", "." and inner spaces; starts with a letter, digit or "_" and does not end with a space. Unique among online users, compared case-insensitively.',
})

/** Room name. */
export const RoomName = Type.String({
  minLength: 1,
  maxLength: MAX_NAME_CHARS,
  pattern: ROOM_PATTERN,
  description:
    'Room name: 1–32 Unicode code points after NFC normalisation; lowercase letters (or letters without case), marks, digits, "_", "-" and "."; starts with a letter, digit or "_" and does not end with "."; no upper case, so "Dev" and "dev" cannot both exist.',
})

/** Chat or DM text. */
export const Text = Type.String({
  minLength: 1,
  maxLength: MAX_TEXT_CHARS,
  pattern: TEXT_PATTERN,
  description: 'Message text: 1–2000 Unicode code points; newline and tab allowed; other control characters (C0, DEL, C1) and bidi embedding/override/isolate controls rejected.',
})

/** Server-assigned user id. */
export const UserId = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '^[\\x21-\\x7E]+$',
  description: 'Server-assigned user id, stable for the session (or the token subject when authentication is on).',
})

/** Server-assigned connection id. */
export const ConnectionId = Type.String({ minLength: 1, maxLength: 64, description: 'Server-assigned connection id.' })

/** Server-assigned message id. */
export const MessageId = Type.String({ minLength: 1, maxLength: 64, description: 'Server-assigned message id, unique across rooms and DMs.' })

/** Client-assigned message id: the idempotency key of a send. */
export const ClientMessageId = Type.String({
  minLength: 8,
  maxLength: 64,
  pattern: '^[A-Za-z0-9_-]+$',
  description:
    'Client-chosen unique id of a send (8–64 of A–Z a–z 0–9 _ -; a UUID without braces fits). A re-send with the same id returns the original acknowledgement and is stored and delivered once.',
})

/** Position of a message in its room. */
export const Seq = Type.Integer({
  minimum: 0,
  maximum: Number.MAX_SAFE_INTEGER,
  description: 'Position of a message in its stream: 1 for the first, then strictly +1 with no gaps. 0 means "nothing yet".',
})

/** Identity of the history store instance. */
export const Epoch = Type.String({ minLength: 1, maxLength: 64, description: 'Identity of the stored history; it changes when history is wiped, so a position from another epoch is meaningless.' })

/** Milliseconds since the Unix epoch, server clock. */
export const Timestamp = Type.Integer({ minimum: 0, description: 'Server time in milliseconds since 1970-01-01T00:00:00Z.' })

/** Opaque session key that lets another connection act as the same user. */
export const SessionKey = Type.String({
  minLength: 16,
  maxLength: 128,
  pattern: '^[A-Za-z0-9_-]+$',
  description: 'Secret returned by login-ok. Presenting it in a later login (another tab, a reconnect) continues the same user. Keep it like a password.',
})

/** Signed token for deployments with authentication. */
export const Token = Type.String({ minLength: 1, maxLength: 4096, description: 'Signed JWT; required when the server has authentication configured.' })

/** A resume position in one stream. */
export const Position = Type.Object({ epoch: Epoch, seq: Seq }, { additionalProperties: false, description: 'Last message the client has: its epoch and seq.' })
export type Position = Type.Static<typeof Position>

/** A room member as others see them. */
export const Member = Type.Object({ userId: UserId, name: Name }, { additionalProperties: false, description: 'A user present in a room (once, however many connections they have).' })
export type Member = Type.Static<typeof Member>

/** A chat message as stored and delivered. */
export const ChatMessage = Type.Object(
  {
    msgId: MessageId,
    room: RoomName,
    seq: Type.Integer({ minimum: 1, description: 'Position in the room: gapless, strictly increasing.' }),
    userId: UserId,
    name: Name,
    text: Text,
    ts: Timestamp,
    clientMsgId: Type.Optional(ClientMessageId),
  },
  { additionalProperties: false, description: 'A room message with its server-assigned id, position, sender and time. The sender fields come from the server, never from the client.' },
)
export type ChatMessage = Type.Static<typeof ChatMessage>

/** A direct message as stored and delivered. */
export const DirectMessage = Type.Object(
  {
    msgId: MessageId,
    from: UserId,
    fromName: Name,
    to: UserId,
    seq: Type.Integer({ minimum: 1, description: 'Position in the inbox of the user receiving this frame: one gapless stream of every DM the user sent or received.' }),
    text: Text,
    ts: Timestamp,
    clientMsgId: Type.Optional(ClientMessageId),
  },
  { additionalProperties: false, description: "A direct message between two users, as seen in one participant's inbox." },
)
export type DirectMessage = Type.Static<typeof DirectMessage>
