// Unsent text per conversation: switching rooms keeps what was typed in each,
// and a reload finds it again. Kept per user in localStorage (one key per
// user id, so another user of this browser never sees it), and in memory as
// well, so drafts work for the visit even when storage is refused.

const PREFIX = 'wirechat.drafts.v1:'
/** Drafts kept per user; the oldest go first. */
export const MAX_DRAFTS = 50
/** Longer drafts stay for the visit but are not stored (localStorage is small and shared by the origin). */
export const MAX_STORED_DRAFT_CHARS = 20_000

interface Entry {
  text: string
  /** When it was last changed, ms since the Unix epoch: which ones go first past MAX_DRAFTS. */
  at: number
}

/** The storage drafts need (localStorage in the page, a Map-backed fake in tests). */
export type DraftStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>

export class Drafts {
  readonly #storage: DraftStorage | undefined
  readonly #now: () => number
  readonly #memory = new Map<string, string>()
  #user: string | undefined

  constructor(storage: DraftStorage | undefined, now: () => number = Date.now) {
    this.#storage = storage
    this.#now = now
  }

  /** Whose drafts these are; drafts of the previous user stay stored but are no longer reachable. */
  setUser(userId: string | undefined): void {
    if (userId === this.#user) return
    this.#user = userId
    this.#memory.clear()
  }

  /** The draft of a conversation ("" when none). */
  get(conv: string): string {
    return this.#memory.get(conv) ?? this.#read()[conv]?.text ?? ''
  }

  /** Keeps (or, for blank text, forgets) the draft of a conversation. */
  set(conv: string, text: string): void {
    if (text.trim() === '') this.#memory.delete(conv)
    else this.#memory.set(conv, text)
    const all = this.#read()
    if (text.trim() === '' || text.length > MAX_STORED_DRAFT_CHARS) delete all[conv]
    else all[conv] = { text, at: this.#now() }
    const keys = Object.keys(all).sort((a, b) => all[b]!.at - all[a]!.at)
    for (const old of keys.slice(MAX_DRAFTS)) delete all[old]
    this.#write(all)
  }

  /** Forgets every draft of the current user (e.g. on logout). */
  clear(): void {
    this.#memory.clear()
    if (this.#user === undefined) return
    try {
      this.#storage?.removeItem(PREFIX + this.#user)
    } catch {
      // Storage refused: nothing was stored either.
    }
  }

  #read(): Record<string, Entry> {
    if (this.#user === undefined || this.#storage === undefined) return {}
    try {
      const value: unknown = JSON.parse(this.#storage.getItem(PREFIX + this.#user) ?? '{}')
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return {}
      const out: Record<string, Entry> = {}
      for (const [conv, entry] of Object.entries(value as Record<string, unknown>)) {
        const e = entry as Partial<Entry> | null
        if (e && typeof e.text === 'string' && typeof e.at === 'number') out[conv] = { text: e.text, at: e.at }
      }
      return out
    } catch {
      return {} // corrupt or refused: no stored drafts
    }
  }

  #write(all: Record<string, Entry>): void {
    if (this.#user === undefined || this.#storage === undefined) return
    try {
      if (Object.keys(all).length === 0) this.#storage.removeItem(PREFIX + this.#user)
      else this.#storage.setItem(PREFIX + this.#user, JSON.stringify(all))
    } catch {
      // Quota or private mode: the draft still lives in memory for this visit.
    }
  }
}
