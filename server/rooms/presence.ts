// Who is in which room, per user, counting connections, so a user with
// several tabs joins once (first connection) and leaves once (last one).
import type { Member } from '@wirechat/protocol'

/** Told about a user who left a room because their node died or shut down. */
export type ExpiredHandler = (room: string, member: Member) => void

export interface PresenceTracker {
  /** Records a connection of a user in a room; true when it is the user's first there. */
  add(room: string, member: Member, connectionId: string): Promise<boolean>
  /** Removes a connection, on the node that added it; true when it was the user's last one in the room. */
  remove(room: string, userId: string, connectionId: string): Promise<boolean>
  list(room: string): Promise<Member[]>
  rename(room: string, userId: string, name: string): Promise<void>
  /**
   * Sets the one handler told, once cluster-wide, about each user who left a
   * room without a remove() from a live node: their last connections were on a
   * node that died (or closed). The hub publishes the `left` alarm for them.
   * Optional: a single-process tracker dies with its members.
   */
  onExpired?(handler: ExpiredHandler): void
  /** False while the tracker cannot reach its backend (shown by /readyz). Optional: always ready in memory. */
  ready?(): boolean
  /** Stops timers and releases connections (see the implementation for what it reports). */
  close?(): Promise<void>
}

/** A user's connections in one room: almost always one, kept as a bare id until a second arrives. */
interface PresenceEntry {
  name: string
  connections: string | Set<string>
}

export function createMemoryPresence(): PresenceTracker {
  const rooms = new Map<string, Map<string, PresenceEntry>>()
  return {
    async add(room, member, connectionId) {
      let users = rooms.get(room)
      if (!users) rooms.set(room, (users = new Map()))
      const entry = users.get(member.userId)
      if (entry) {
        if (typeof entry.connections === 'string') entry.connections = new Set([entry.connections])
        entry.connections.add(connectionId)
        return false
      }
      users.set(member.userId, { name: member.name, connections: connectionId })
      return true
    },
    async remove(room, userId, connectionId) {
      const users = rooms.get(room)
      const entry = users?.get(userId)
      if (!users || !entry) return false
      if (typeof entry.connections === 'string') {
        if (entry.connections !== connectionId) return false
      } else {
        if (!entry.connections.delete(connectionId)) return false
        if (entry.connections.size > 0) return false
      }
      users.delete(userId)
      if (users.size === 0) rooms.delete(room)
      return true
    },
    async list(room) {
      return [...(rooms.get(room) ?? [])].map(([userId, e]) => ({ userId, name: e.name }))
    },
    async rename(room, userId, name) {
      const entry = rooms.get(room)?.get(userId)
      if (entry) entry.name = name
    },
  }
}
