// The streams a node subscribes to: a room, or a user's DM inbox. Handlers,
// the hub and the metrics ask a channel its kind; only this module knows how
// the kind is written into the broker's channel name.

/** A room's stream or a user's inbox, as data. */
export type Channel = { readonly kind: 'room'; readonly room: string } | { readonly kind: 'inbox'; readonly userId: string }

// "@" cannot start a room name (protocol RoomName), so the two kinds never collide.
const INBOX_MARK = '@'

/** The broker and registry name of a room's stream. */
export const roomChannel = (room: string): string => room

/** The broker and registry name of a user's DM inbox. */
export const inboxChannel = (userId: string): string => `${INBOX_MARK}${userId}`

/** The kind (and room or user) of a channel name. */
export function channelOf(name: string): Channel {
  return name.startsWith(INBOX_MARK) ? { kind: 'inbox', userId: name.slice(INBOX_MARK.length) } : { kind: 'room', room: name }
}
