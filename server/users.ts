// Online users: identity shared by all connections of a user, and the name
// index that keeps display names unique among online users.
import { randomInt } from './determinism.ts'
import { nameKey } from './names.ts'

/** A user as known to this node while at least one connection is logged in. */
export interface User {
  readonly userId: string
  name: string
  /** Ids of this node's logged-in connections of the user. */
  readonly connections: Set<string>
}

// Names are compared by nameKey: case-insensitively, with look-alikes folded.

export class OnlineUsers {
  readonly #users = new Map<string, User>()
  readonly #names = new Map<string, string>()

  get(userId: string): User | undefined {
    return this.#users.get(userId)
  }

  /** True when another online user holds the name. */
  isTaken(name: string, exceptUserId?: string): boolean {
    const owner = this.#names.get(nameKey(name))
    return owner !== undefined && owner !== exceptUserId
  }

  /** A random free name such as "user4821". */
  randomName(): string {
    for (let digits = 4; ; digits++) {
      for (let i = 0; i < 20; i++) {
        const name = `user${randomInt(10 ** (digits - 1), 10 ** digits)}`
        if (!this.isTaken(name)) return name
      }
    }
  }

  /** Adds a connection to a user, creating the user when it is the first. */
  connect(userId: string, name: string, connectionId: string): User {
    let user = this.#users.get(userId)
    if (!user) {
      user = { userId, name, connections: new Set() }
      this.#users.set(userId, user)
      this.#names.set(nameKey(name), userId)
    }
    user.connections.add(connectionId)
    return user
  }

  /** Removes a connection; true when it was the user's last. */
  disconnect(userId: string, connectionId: string): boolean {
    const user = this.#users.get(userId)
    if (!user?.connections.delete(connectionId) || user.connections.size > 0) return false
    this.#users.delete(userId)
    if (this.#names.get(nameKey(user.name)) === userId) this.#names.delete(nameKey(user.name))
    return true
  }

  rename(user: User, name: string): void {
    if (this.#names.get(nameKey(user.name)) === user.userId) this.#names.delete(nameKey(user.name))
    user.name = name
    this.#names.set(nameKey(name), user.userId)
  }

  /** Every online user of this node. */
  values(): IterableIterator<User> {
    return this.#users.values()
  }

  get size(): number {
    return this.#users.size
  }
}
