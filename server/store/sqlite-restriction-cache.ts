// Every chat asks whether its sender is muted in the room. Through the
// store's reads that is a query and a turn of the loop per chat; here the
// answer is read once per (room, user, kind) and kept. It stays right
// because this process writes every row of the file (one process per file,
// see sqlite.ts): every change of a room's restrictions names the room's key
// in its batch (sqlite-keys.ts restrictionsOf), and forget() drops the room
// when such a batch commits; while the batch is not yet released the store
// reads as before, waiting for the release. A commit by another connection
// (the overlap of a restart) shows in PRAGMA data_version and drops it all.
import type { Statements } from './sqlite-statements.ts'
import type { RestrictionTableRow } from './rows.ts'

/** Answers kept at most; past it the cache starts over (a miss costs one query). */
const MAX_ENTRIES = 100_000

export class RestrictionCache {
  readonly #s: Statements
  /** Per room: `kind userId` → the row, or null for none. */
  readonly #rooms = new Map<string, Map<string, RestrictionTableRow | null>>()
  #entries = 0
  #dataVersion: unknown

  constructor(statements: Statements) {
    this.#s = statements
  }

  /** The stored row (in force or not), from the cache or one query; call only while no unreleased batch hides the room's restrictions. */
  get(room: string, userId: string, kind: 'ban' | 'mute'): RestrictionTableRow | undefined {
    // One cheap pragma, no table read: another connection's commit changes it.
    const version = this.#s.dataVersion.get()
    if (version !== this.#dataVersion || this.#entries >= MAX_ENTRIES) {
      this.#rooms.clear()
      this.#entries = 0
      this.#dataVersion = version
    }
    let rows = this.#rooms.get(room)
    const key = `${kind} ${userId}`
    const cached = rows?.get(key)
    if (cached !== undefined) return cached ?? undefined
    const row = this.#s.restriction.get(room, userId, kind)
    if (rows === undefined) this.#rooms.set(room, (rows = new Map()))
    rows.set(key, row ?? null)
    this.#entries++
    return row
  }

  /** A batch that changes the room's restrictions is committing. */
  forget(room: string): void {
    this.#entries -= this.#rooms.get(room)?.size ?? 0
    this.#rooms.delete(room)
  }
}
