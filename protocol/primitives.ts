// Bounded building blocks shared by every frame. Each one states its rule in
// `description`, because these strings become PROTOCOL.md and the JSON Schema.
import Type from 'typebox'

/** Protocol name offered as the WebSocket subprotocol. */
export const SUBPROTOCOL = 'chat.v1'
/** Semantic version of the frame set; the major number is the subprotocol's. */
export const PROTOCOL_VERSION = '1.3.0'

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
/** Display names: the pattern of `Name`. */
export const NAME_PATTERN = '^(?!.*  )[\\p{L}\\p{N}_](?:[\\p{L}\\p{M}\\p{N}_. -]{0,30}[\\p{L}\\p{M}\\p{N}_.-])?$'
/** Room names of protocol 1.0.0 and 1.1.0: a name without a namespace. */
export const LOCAL_ROOM_PATTERN = '^[\\p{Ll}\\p{Lo}\\p{N}_](?:[\\p{Ll}\\p{Lo}\\p{M}\\p{N}_.-]{0,30}[\\p{Ll}\\p{Lo}\\p{M}\\p{N}_-])?$'
/** A configured namespace's name (the default namespace is named ""). */
export const NAMESPACE_PATTERN = '^[a-z][a-z0-9-]{0,15}$'
// Since 1.2.0 a room name may carry its namespace: "news:releases". The local
// part keeps the 1.0.0 rule, so every 1.0.0 name is still a valid name.
export const ROOM_PATTERN = `^(?:${NAMESPACE_PATTERN.slice(1, -1)}:)?${LOCAL_ROOM_PATTERN.slice(1)}`
// Chat text: anything printable plus newline and tab; no other C0/C1 controls,
// no bidi embedding/override/isolate controls (U+202A–U+202E, U+2066–U+2069).
const TEXT_PATTERN = '^[^\\u0000-\\u0008\\u000B-\\u001F\\u007F-\\u009F\\u202A-\\u202E\\u2066-\\u2069]*$'

export const MAX_NAME_CHARS = 32
export const MAX_TEXT_CHARS = 2000
export const MAX_NAMESPACE_CHARS = 16
/** Longest room name: a namespace, ":" and a local name of MAX_NAME_CHARS. */
export const MAX_ROOM_CHARS = MAX_NAMESPACE_CHARS + 1 + MAX_NAME_CHARS

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
  maxLength: MAX_ROOM_CHARS,
  pattern: ROOM_PATTERN,
  description:
    'Room name: an optional namespace and ":" (since 1.2.0; e.g. "news:releases"; without one the room is in the default namespace), then 1–32 Unicode code points after NFC normalisation; lowercase letters (or letters without case), marks, digits, "_", "-" and "."; starts with a letter, digit or "_" and does not end with "."; no upper case, so "Dev" and "dev" cannot both exist. A namespace is 1–16 of a–z, 0–9 and "-", starting with a letter. The server sends names with a namespace only to clients that announced 1.2.0 or later, or that asked for such a room by name.',
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

// ---- the life of a message (since 1.3.0) ------------------------------------
// A room's stream holds two kinds of entries, numbered by the one gapless seq:
// messages (a user's line) and events (an entry with `event`) that change the
// room's state: an edit, a delete or a reaction of an earlier message, or a
// moderator's kick, ban or mute. Resume and history replay both, so a client
// that reduces them in seq order (protocol/timeline.ts) ends where a client
// that stayed online is. Clients older than 1.3.0 get events as ordinary
// messages whose `text` says what happened: their seqs stay gapless.

export const MAX_REACTIONS_PER_MESSAGE = 20
export const MAX_REACTIONS_PER_USER = 10
export const MAX_REACTION_USERS = 100
export const MAX_MENTIONS = 20
export const MAX_EXCERPT_CHARS = 120
/** The text of a deleted message (and of the edits made to it) on the wire: the stored text is gone. */
export const DELETED_TEXT = '(deleted)'

/** One emoji: what a reaction is. */
export const Emoji = Type.String({
  minLength: 1,
  maxLength: 32,
  description:
    'One emoji as Unicode recommends them (an RGI emoji in its fully-qualified form, with its modifiers and joiners): "👍", "❤️" (not a bare ❤), "👩🏽‍💻", "🇰🇷", "1️⃣". Anything else is `bad-frame`.',
})

export const Reaction = Type.Object(
  {
    emoji: Emoji,
    count: Type.Integer({ minimum: 1, description: 'Users who reacted with this emoji.' }),
    users: Type.Array(UserId, { maxItems: MAX_REACTION_USERS, description: `Ids of the users who reacted, first first (at most ${MAX_REACTION_USERS}).` }),
  },
  {
    additionalProperties: false,
    description: 'The users who reacted to a message with one emoji. Groups come in the order they began: a group keeps its place while it has a reaction; one that empties and comes back goes last.',
  },
)
export type Reaction = Type.Static<typeof Reaction>

/** Position of an entry in its room (an event names its target by it). */
export const TargetSeq = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'Seq of the message the event changes, in the same room.' })
const EventUser = {
  userId: UserId,
  name: Name,
}
// One line: no control characters at all (newline and tab included), no bidi controls.
export const Reason = Type.String({
  maxLength: 200,
  pattern: '^[^\\u0000-\\u001F\\u007F-\\u009F\\u202A-\\u202E\\u2066-\\u2069]*$',
  description: 'Why, as the moderator wrote it: one line of 0–200 code points, without control or bidi control characters.',
})
export const Until = Type.Integer({ minimum: 0, description: 'When it ends (server time, ms); absent: until lifted.' })

export const RoomEvent = Type.Union(
  [
    Type.Object({ kind: Type.Literal('edit'), target: TargetSeq }, { additionalProperties: false, description: "The author replaced the target's text with this entry's `text`." }),
    Type.Object({ kind: Type.Literal('delete'), target: TargetSeq }, { additionalProperties: false, description: 'The author or a moderator deleted the target: its text is gone.' }),
    Type.Object(
      { kind: Type.Literal('react'), target: TargetSeq, emoji: Emoji, on: Type.Boolean({ description: 'true: the actor added this reaction; false: took it back.' }) },
      { additionalProperties: false, description: 'The actor added or removed a reaction.' },
    ),
    Type.Object({ kind: Type.Literal('kick'), ...EventUser, reason: Type.Optional(Reason) }, { additionalProperties: false, description: 'The user was removed from the room; they may join again.' }),
    Type.Object(
      { kind: Type.Literal('ban'), ...EventUser, until: Type.Optional(Until), reason: Type.Optional(Reason) },
      { additionalProperties: false, description: 'The user was removed and cannot join or read the room until `until` (or until unbanned).' },
    ),
    Type.Object({ kind: Type.Literal('unban'), ...EventUser }, { additionalProperties: false, description: 'The ban was lifted.' }),
    Type.Object(
      { kind: Type.Literal('mute'), ...EventUser, until: Type.Optional(Until), reason: Type.Optional(Reason) },
      { additionalProperties: false, description: 'The user can read but not post, edit, react or type until `until` (or until unmuted).' },
    ),
    Type.Object({ kind: Type.Literal('unmute'), ...EventUser }, { additionalProperties: false, description: 'The mute was lifted.' }),
  ],
  { description: 'What an event entry changes (since 1.3.0). `userId` and `name` of the entry are the actor (`system` for an operator).' },
)
export type RoomEvent = Type.Static<typeof RoomEvent>
export type RoomEventKind = RoomEvent['kind']

export const ReplyRef = Type.Object(
  {
    msgId: MessageId,
    seq: TargetSeq,
    userId: UserId,
    name: Name,
    excerpt: Type.Optional(
      Type.String({ maxLength: MAX_EXCERPT_CHARS, description: `The start of the original's text (at most ${MAX_EXCERPT_CHARS} code points) as sent; absent once the original is deleted.` }),
    ),
  },
  { additionalProperties: false, description: 'The message a reply answers, in the same room.' },
)
export type ReplyRef = Type.Static<typeof ReplyRef>

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
    // Since 1.3.0 (sent only to clients that announced it).
    event: Type.Optional(RoomEvent),
    replyTo: Type.Optional(ReplyRef),
    mentions: Type.Optional(Type.Array(UserId, { maxItems: MAX_MENTIONS, description: 'Users the text mentions with `@name`, resolved by the server when it was sent (since 1.3.0).' })),
    edited: Type.Optional(Type.Integer({ minimum: 0, description: 'When the text was last edited (since 1.3.0); absent: never.' })),
    deleted: Type.Optional(Type.Literal(true, { description: `The message was deleted (since 1.3.0): \`text\` is "${DELETED_TEXT}", its reactions, mentions and reply are gone.` })),
    reactions: Type.Optional(Type.Array(Reaction, { maxItems: MAX_REACTIONS_PER_MESSAGE })),
    rev: Type.Optional(
      Type.Integer({
        minimum: 1,
        description:
          'Seq of the newest event already applied to this message (since 1.3.0); absent: none. A client skips events at or below it, so a snapshot from history and the events around it never apply twice.',
      }),
    ),
  },
  {
    additionalProperties: false,
    description:
      'An entry of a room stream with its server-assigned id, position, sender and time. The sender fields come from the server, never from the client. With `event` (since 1.3.0) it is an event that changes the room rather than a line of chat.',
  },
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
