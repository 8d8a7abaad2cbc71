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

// ---- control messages --------------------------------------------------------
// Node-to-node instructions about one user's connections travel on that user's
// inbox channel, so they reach exactly the nodes where the user is connected,
// in order with the user's DMs. A frame always starts with "{", so the mark
// tells them apart; the hub acts on them and never sends one to a client.
const CONTROL_MARK = '!'

/** What one node asks every node to do to a user's local connections. */
export type Control =
  /** Close with 4011 the connections logged in with one of these sessions (but `except`, a connection closing otherwise). */
  | { readonly kind: 'revoke'; readonly sessionIds: readonly string[]; readonly except?: string }
  /** Close every connection of the user: an operator's disconnect (4013) or server-wide ban (4014). */
  | { readonly kind: 'disconnect'; readonly code: 4013 | 4014 }
  /** On a room's channel: the room was deleted; its members here leave it. */
  | { readonly kind: 'room-deleted'; readonly room: string }
  /** On a room's channel, after a kick or ban event: the user's connections here leave the room. */
  | { readonly kind: 'removed'; readonly room: string; readonly userId: string }
  /** On a user's inbox channel: the user blocked (or unblocked) someone; their connections filter typing by it. */
  | { readonly kind: 'block'; readonly blockedId: string; readonly on: boolean }

export const encodeControl = (control: Control): string => CONTROL_MARK + JSON.stringify(control)

/** The control message in a delivery's data, or undefined for a frame. */
export function controlOf(data: string): Control | undefined {
  if (!data.startsWith(CONTROL_MARK)) return undefined
  try {
    const control = JSON.parse(data.slice(CONTROL_MARK.length)) as Control
    switch (control.kind) {
      case 'revoke':
        return Array.isArray(control.sessionIds) ? control : undefined
      case 'disconnect':
        return control.code === 4013 || control.code === 4014 ? control : undefined
      case 'room-deleted':
        return typeof control.room === 'string' ? control : undefined
      case 'removed':
        return typeof control.room === 'string' && typeof control.userId === 'string' ? control : undefined
      case 'block':
        return typeof control.blockedId === 'string' && typeof control.on === 'boolean' ? control : undefined
      default:
        return undefined
    }
  } catch {
    return undefined
  }
}
