// The events a ChatClient emits: one typed map, one doc line per event.
import type { DmConversation, ServerFrame, ServerFrameOf } from '@wirechat/protocol/frames'
import type { ChatMessage, DirectMessage, Member } from '@wirechat/protocol/primitives'
import type { ChatError } from './errors.ts'
import type { OutboxChange } from './outbox.ts'
import type { JoinOutcome } from './room.ts'
import type { RetryInfo, StateChange } from './socket.ts'

/** Who this client is logged in as. */
export interface SessionInfo {
  userId: string
  name: string
  /** Secret key that continues this user in another tab or after a reconnect. */
  session: string
  /** True when this is a re-login after a reconnect (not the first login). */
  restored: boolean
  /** Public id of this session (device) in the session list; undefined from a 1.0.0 server. */
  sessionId: string | undefined
  /** True when the user is a registered account (false for guests and 1.0.0 servers). */
  registered: boolean
  /** The user's DM conversations, newest first, with their last message and unread count (empty from a 1.0.0 server). */
  dms: DmConversation[]
  /** The users this user blocks (since 1.3.0; empty from older servers). */
  blocked: string[]
}

/** A moderator removed this user from a room (a kick or ban event about them); the room is forgotten. */
export interface Removed {
  room: string
  kind: 'kick' | 'ban'
  /** The moderator (`system` for an operator). */
  by: Member
  /** With a ban: when it ends (epoch ms); absent: until lifted. */
  until?: number
  reason?: string
}

/** Why the server ended this session while connected; the client does not reconnect and forgets the session. */
export interface SignedOut {
  /** 4011: revoked (from another device, a password change or account deletion); 4012: the session or token expired. */
  code: 4011 | 4012
  reason: 'session-revoked' | 'session-expired'
}

export interface ChatEvents {
  /** The connection changed state (connecting, open, reconnecting, closed), with the reason. */
  state: StateChange
  /** A reconnect attempt was scheduled after a drop. */
  retry: RetryInfo
  /** The server greeted a new connection: suggested name, heartbeat and limits. */
  welcome: ServerFrameOf<'welcome'>
  /** Logged in, or the session was re-established after a reconnect (login-ok). */
  session: SessionInfo
  /** This user's display name changed (rename-ok, or another tab renamed us). */
  name: { name: string }
  /**
   * A room was joined or rejoined (join-room-ok or login-ok); `history` is the snapshot unless resumed:
   * its messages as they are now and its moderation events (room.lines()). `readSeq`, `unread` and
   * `mentions` come from 1.3.0 servers.
   */
  joined: { room: string; members: Member[]; history: ChatMessage[]; outcome: JoinOutcome; readSeq?: number; unread?: number; mentions?: number }
  /** A room was left (leave-room-ok, on the way out after logout, or `removed`: this user was kicked or banned, since 1.3.0). */
  left: { room: string; removed?: 'kick' | 'ban' }
  /**
   * A new room stream entry — push, replay, own acknowledgement (chat-ok, and since 1.3.0 the
   * `*-ok` of edit, delete, react and moderation) or history filling a gap in the live stream —
   * exactly once per seq, in seq order. An entry with `event` is an
   * event: kick, ban, mute … are lines to show; edit, delete and react change a message, reported by
   * `message-changed`.
   */
  chat: { message: ChatMessage; own: boolean }
  /** A held message changed (since 1.3.0): edited, deleted, reacted to, or its reply's original deleted. `cause` is the event entry. */
  'message-changed': { room: string; message: ChatMessage; cause: ChatMessage }
  /** This user's read marker of a room moved (read-ok here, or a read push from another device), with the counts now. */
  read: { room: string; seq: number; unread: number; mentions: number }
  /** The users this user blocks changed (block-ok, unblock-ok; none for a repeat): the list now. */
  blocked: { blocked: string[] }
  /** Where the DM inbox stands after a login; `lost`: the position given could not be resumed, so DMs may be missing. */
  inbox: { epoch: string; seq: number; resumed: boolean; missed: number; lost: boolean }
  /** A direct message to or from this user (dm push or dm-ok), once per inbox seq; `partnerId` is the other user. */
  dm: { message: DirectMessage; own: boolean; partnerId: string }
  /** The read marker of a DM conversation moved (dm-read-ok here, or a dm-read push from another device of this user). */
  'dm-read': { userId: string; seq: number }
  /** This user registered its name (register-ok here). */
  registered: { userId: string; name: string }
  /** The server ended the session (close 4011 or 4012): log in again, without the old key. */
  'signed-out': SignedOut
  /** Someone joined, left or was renamed in a room (alarm push). */
  alarm: ServerFrameOf<'alarm'>
  /** The member list of a room changed (join, alarm or presence-ok). */
  members: { room: string; members: Member[] }
  /** The set of users typing in a room changed (typing push); excludes this user. */
  typing: { room: string; typing: Member[] }
  /** A moderator kicked or banned this user from a room (after the `chat` event of the kick or ban); a `left` with `removed` follows. */
  removed: Removed
  /** This user was invited to a room (invited push): join it with `join()`. */
  invited: ServerFrameOf<'invited'>
  /** A user is (or stopped) typing a DM to this user (dm-typing push, since 1.3.0); clear it after `limits.typingTtlMs` without a refresh. */
  'dm-typing': { userId: string; name: string; typing: boolean }
  /** The persistent outbox changed: entries restored for re-sending, acknowledged, refused, expired or discarded. */
  outbox: OutboxChange
  /** A server error that answers no waiting request, or a frame the client could not read. */
  error: ChatError
  /** Every server frame as received, before the client acts on it (logs, tools). */
  frame: ServerFrame
}

export type ChatEventName = keyof ChatEvents
export type Listener<T> = (payload: T) => void

/** A minimal typed emitter; a throwing listener does not stop the others. */
export class Emitter<M extends object> {
  readonly #listeners = new Map<keyof M, Set<Listener<never>>>()

  /** Adds a listener; returns the function that removes it. */
  on<K extends keyof M>(event: K, listener: Listener<M[K]>): () => void {
    let set = this.#listeners.get(event)
    if (!set) this.#listeners.set(event, (set = new Set()))
    set.add(listener as Listener<never>)
    return () => this.off(event, listener)
  }

  off<K extends keyof M>(event: K, listener: Listener<M[K]>): void {
    this.#listeners.get(event)?.delete(listener as Listener<never>)
  }

  protected emit<K extends keyof M>(event: K, payload: M[K]): void {
    const set = this.#listeners.get(event)
    if (!set) return
    for (const listener of [...set]) {
      try {
        ;(listener as Listener<M[K]>)(payload)
      } catch (err) {
        // Report without breaking delivery to the other listeners or the socket.
        globalThis.queueMicrotask(() => {
          throw err
        })
      }
    }
  }
}
