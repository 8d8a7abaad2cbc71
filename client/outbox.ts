// The persistent outbox: every chat or DM send is written here before it goes
// to the socket and removed when the server acknowledges it (duplicate or not),
// so a message typed just before a reload or a network drop is re-sent with
// its original clientMsgId when the page comes back — and, thanks to the
// server's per-user clientMsgId dedup (PROTOCOL.md §6), stored once.
//
// Storage is injected: localStorage in the page, memory under Node. Every
// operation reads and writes storage afresh (no cache), so two tabs of one user
// sharing localStorage do not overwrite each other's entries with stale copies.
import type { ChatMessage, DirectMessage } from '@wirechat/protocol/primitives'
import type { Clock } from './clock.ts'
import { ChatError } from './errors.ts'

/** Where outbox entries live: one JSON value per key. `set` may throw (quota, private mode). */
export interface OutboxStorage {
  /** The value stored under `key`, or undefined. */
  get(key: string): unknown
  /** Stores a JSON-serialisable value under `key`. */
  set(key: string, value: unknown): void
  remove(key: string): void
}

/** One unacknowledged send. */
export interface OutboxEntry {
  /** Idempotency key; a re-send with it is stored and delivered once. */
  clientMsgId: string
  kind: 'chat' | 'dm'
  /** Room name (chat) or recipient user id (dm). */
  to: string
  text: string
  /** chat only (since 1.3.0): seq of the message this one answers. */
  replyTo?: number
  /** Client time of the first attempt, ms since the Unix epoch. */
  createdAt: number
}

/** Bounds of one user's outbox. */
export interface OutboxLimits {
  /** Entries kept at most; one more send is refused with `outbox-full`. Default 100. */
  maxEntries: number
  /** Serialised size (UTF-8 bytes of the stored JSON) kept at most. Default 65 536. */
  maxBytes: number
  /** Entries older than this are dropped (with an `expired` event) instead of re-sent, in ms. Default 24 h. */
  maxAgeMs: number
}

export const defaultOutboxLimits: OutboxLimits = { maxEntries: 100, maxBytes: 64 * 1024, maxAgeMs: 24 * 60 * 60_000 }

/** What happened to outbox entries; see ChatEvents.outbox. */
export type OutboxChange =
  /** After a login: entries left by an earlier page or connection, about to be re-sent in their original order. */
  | { type: 'restored'; entries: OutboxEntry[] }
  /** The server acknowledged an entry (`duplicate`: it had been stored before) and it left the outbox. */
  | { type: 'acked'; entry: OutboxEntry; message: ChatMessage | DirectMessage; duplicate: boolean }
  /** The server refused an entry for good (e.g. not-in-room, user-not-found, bad-frame); it left the outbox. */
  | { type: 'rejected'; entry: OutboxEntry; error: ChatError }
  /** An entry was older than `maxAgeMs` when it was due to be re-sent; dropped unsent. */
  | { type: 'expired'; entry: OutboxEntry }
  /** The application discarded an entry (`discardPending`). */
  | { type: 'discarded'; entry: OutboxEntry }

/** The storage key of one user's outbox on one server. */
export function outboxKey(url: string, userId: string): string {
  return `wirechat.outbox.v1:${url}:${userId}`
}

/** In-memory storage for tests and non-browser hosts; values are kept as JSON text, as real storage would. */
export function createMemoryStorage(): OutboxStorage & { readonly keys: string[] } {
  const data = new Map<string, string>()
  return {
    get: (key) => {
      const text = data.get(key)
      return text === undefined ? undefined : JSON.parse(text)
    },
    set: (key, value) => void data.set(key, JSON.stringify(value)),
    remove: (key) => void data.delete(key),
    get keys() {
      return [...data.keys()]
    },
  }
}

/** Storage on the browser's localStorage (shared by the tabs of one origin). Unreadable values read as undefined. */
export function createLocalStorage(storage: Storage = globalThis.localStorage): OutboxStorage {
  return {
    get: (key) => {
      try {
        const text = storage.getItem(key)
        return text === null ? undefined : JSON.parse(text)
      } catch {
        return undefined // disabled storage or corrupt JSON: nothing to re-send
      }
    },
    set: (key, value) => storage.setItem(key, JSON.stringify(value)),
    remove: (key) => {
      try {
        storage.removeItem(key)
      } catch {
        // Disabled storage: nothing was kept either.
      }
    },
  }
}

const CLIENT_MSG_ID = /^[A-Za-z0-9_-]{8,64}$/
const encoder = new TextEncoder()

function isEntry(value: unknown): value is OutboxEntry {
  if (value === null || typeof value !== 'object') return false
  const v = value as Record<string, unknown>
  return (
    typeof v.clientMsgId === 'string' &&
    CLIENT_MSG_ID.test(v.clientMsgId) &&
    (v.kind === 'chat' || v.kind === 'dm') &&
    typeof v.to === 'string' &&
    typeof v.text === 'string' &&
    typeof v.createdAt === 'number' &&
    Number.isFinite(v.createdAt) &&
    (v.replyTo === undefined || (Number.isSafeInteger(v.replyTo) && (v.replyTo as number) >= 1))
  )
}

/** One user's outbox on one server: an ordered list of entries under one storage key. */
export class Outbox {
  readonly key: string
  readonly #storage: OutboxStorage
  readonly #limits: OutboxLimits
  readonly #clock: Pick<Clock, 'now'>

  constructor(storage: OutboxStorage, key: string, limits: Partial<OutboxLimits> = {}, clock: Pick<Clock, 'now'> = { now: () => Date.now() }) {
    this.#storage = storage
    this.key = key
    this.#limits = { ...defaultOutboxLimits, ...limits }
    this.#clock = clock
  }

  /** The entries, oldest first. A corrupt stored value reads as empty; malformed entries are skipped. */
  entries(): OutboxEntry[] {
    let value: unknown
    try {
      value = this.#storage.get(this.key)
    } catch {
      return []
    }
    return Array.isArray(value) ? value.filter(isEntry) : []
  }

  has(clientMsgId: string): boolean {
    return this.entries().some((e) => e.clientMsgId === clientMsgId)
  }

  /**
   * Writes a new entry (stamped with the clock) at the end; returns the stored one. An entry with the
   * same clientMsgId is kept as it is (a retry of the same send). Throws ChatError `outbox-full` when
   * a bound would be exceeded or storage refuses the write: the caller must not send then.
   */
  add(send: Omit<OutboxEntry, 'createdAt'>): OutboxEntry {
    const entries = this.entries()
    const existing = entries.find((e) => e.clientMsgId === send.clientMsgId)
    if (existing) return existing
    const { maxEntries, maxBytes } = this.#limits
    if (entries.length >= maxEntries) {
      throw new ChatError('outbox-full', `${entries.length} messages are still waiting to be sent (at most ${maxEntries}).`)
    }
    const entry: OutboxEntry = {
      clientMsgId: send.clientMsgId,
      kind: send.kind,
      to: send.to,
      text: send.text,
      ...(send.replyTo !== undefined && { replyTo: send.replyTo }),
      createdAt: this.#clock.now(),
    }
    const next = [...entries, entry]
    const bytes = encoder.encode(JSON.stringify(next)).length
    if (bytes > maxBytes) throw new ChatError('outbox-full', `The messages waiting to be sent would take ${bytes} bytes (at most ${maxBytes}).`)
    this.#write(next)
    return entry
  }

  /** Removes an entry; returns it, or undefined when it was not there (another tab took it, or already removed). */
  remove(clientMsgId: string): OutboxEntry | undefined {
    const entries = this.entries()
    const entry = entries.find((e) => e.clientMsgId === clientMsgId)
    if (!entry) return undefined
    try {
      this.#write(entries.filter((e) => e !== entry))
    } catch {
      // Left behind, it is re-sent at the next login and the server answers duplicate: harmless.
    }
    return entry
  }

  /** Removes and returns the entries older than `maxAgeMs`. */
  expire(): OutboxEntry[] {
    const entries = this.entries()
    const cutoff = this.#clock.now() - this.#limits.maxAgeMs
    const old = entries.filter((e) => e.createdAt < cutoff)
    if (old.length > 0) {
      try {
        this.#write(entries.filter((e) => e.createdAt >= cutoff))
      } catch {
        // Could not drop them now; they are reported again next time.
      }
    }
    return old
  }

  #write(entries: OutboxEntry[]): void {
    if (entries.length === 0) this.#storage.remove(this.key)
    else {
      try {
        this.#storage.set(this.key, entries)
      } catch (err) {
        throw new ChatError('outbox-full', `The message could not be saved for re-sending (${err instanceof Error ? err.message : String(err)}).`)
      }
    }
  }
}
