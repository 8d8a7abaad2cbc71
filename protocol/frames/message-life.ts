// The life of a message after it is sent (chat.v1 1.3.0): edit, delete,
// react, read markers and search. Every change is an event entry in the
// room's stream (see `RoomEvent` in primitives.ts): the sender's reply carries
// the entry it appended, every other member gets it as a `chat` push.
import Type from 'typebox'
import { ChatMessage, DirectMessage, Emoji, RoomName, TargetSeq, Text } from '../primitives.ts'
import { push, reply, request } from './define.ts'

export const MAX_SEARCH_QUERY_CHARS = 200
export const MAX_SEARCH_PAGE = 50

/** The reply of a request that changes a room: the event entry it appended, absent when nothing changed. */
const Changed = {
  room: RoomName,
  /** The event entry appended to the stream, as every other member gets it; absent when nothing changed (done already: these requests are idempotent). */
  message: Type.Optional(ChatMessage),
}

export const Edit = request(
  'edit',
  { room: RoomName, seq: TargetSeq, text: Text },
  'Replaces the text of your own message (validated like a new message). Members get an `edit` event; history returns the new text with `edited`.',
)
export const EditOk = reply('edit-ok', Changed, 'The edit is in the stream.')

export const Delete = request(
  'delete',
  { room: RoomName, seq: TargetSeq },
  'Deletes your own message, or any message of a room you moderate. Its text, reactions and mentions are removed from the store; members get a `delete` event and history a tombstone.',
)
export const DeleteOk = reply('delete-ok', Changed, 'The message is deleted.')

export const React = request(
  'react',
  { room: RoomName, seq: TargetSeq, emoji: Emoji, on: Type.Optional(Type.Boolean({ description: 'true (default): add your reaction; false: take it back.' })) },
  'Adds or removes your reaction to a message of a joined room.',
)
export const ReactOk = reply('react-ok', Changed, 'The reaction is as asked.')

export const Read = request(
  'read',
  { room: RoomName, seq: TargetSeq },
  "Moves your read marker of a joined room up to `seq` (never down). Your other connections get a `read` push, so every device clears the room's unread count.",
)
export const ReadOk = reply('read-ok', { room: RoomName, seq: Type.Integer({ minimum: 0, description: 'The marker in force.' }) }, 'The read marker in force.')
export const ReadPush = push('read', { room: RoomName, seq: Type.Integer({ minimum: 0 }) }, 'You read a room up to `seq` on another connection.')

export const SearchCursor = Type.String({ minLength: 1, maxLength: 128, description: 'Opaque position in the results, from `next` of the previous page.' })

export const Search = request(
  'search',
  {
    query: Type.String({
      minLength: 1,
      maxLength: MAX_SEARCH_QUERY_CHARS,
      description:
        'Words to find, all of them (1–200 code points). "Quoted words" must appear together, in order. Case, accents and width do not matter; Chinese, Japanese and Korean words are found inside longer runs (회의 finds 회의가). No other syntax: operators and pattern characters are plain text.',
    }),
    room: Type.Optional(RoomName),
    cursor: Type.Optional(SearchCursor),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_SEARCH_PAGE, description: 'Most hits (default 20).' })),
  },
  'Searches the messages you may read, newest first: the rooms you belong to (or one of them with `room`) and, without `room`, your DMs. Deleted messages and events are never found.',
)

export const SearchHit = Type.Union(
  [
    Type.Object({ message: ChatMessage }, { additionalProperties: false, description: 'A room message (its `room` and `seq` let a client open it in context with `history`).' }),
    Type.Object({ dm: DirectMessage }, { additionalProperties: false, description: 'A direct message, with `seq` in your inbox.' }),
  ],
  { description: 'One search result: a room message or a direct message, as it is now.' },
)
export type SearchHit = Type.Static<typeof SearchHit>

export const SearchOk = reply(
  'search-ok',
  { hits: Type.Array(SearchHit, { maxItems: MAX_SEARCH_PAGE, description: 'Newest first.' }), next: Type.Optional(SearchCursor) },
  'A page of results; `next`, when present, asks for older ones.',
)
