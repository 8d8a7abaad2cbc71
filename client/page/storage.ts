// What survives a reload, shared by every tab of this browser: the session key
// (so tabs are one user), the last name, the rooms to rejoin, the last DM seen
// and the conversation shown last.

const KEY = 'wirechat.v1'

export interface Saved {
  session?: string
  name?: string
  rooms?: string[]
  /** Last direct message seen, so a reload gets the DMs that came meanwhile. */
  inbox?: { epoch: string; seq: number }
  /** A registered user: the server's memberships decide the rooms after a reload, not `rooms`. */
  registered?: boolean
  /** The conversation shown last ("room:<name>" or "dm:<userId>"), shown again after a reload. */
  view?: string
}

function read(): Saved {
  try {
    const value: unknown = JSON.parse(localStorage.getItem(KEY) ?? '{}')
    if (value === null || typeof value !== 'object') return {}
    const v = value as Record<string, unknown>
    const saved: Saved = {}
    if (typeof v.session === 'string') saved.session = v.session
    if (typeof v.name === 'string') saved.name = v.name
    if (v.registered === true) saved.registered = true
    if (typeof v.view === 'string' && v.view.length <= 200) saved.view = v.view
    if (Array.isArray(v.rooms)) saved.rooms = v.rooms.filter((r): r is string => typeof r === 'string').slice(0, 50)
    const inbox = v.inbox as { epoch?: unknown; seq?: unknown } | null | undefined
    if (inbox && typeof inbox.epoch === 'string' && Number.isSafeInteger(inbox.seq)) saved.inbox = { epoch: inbox.epoch, seq: inbox.seq as number }
    return saved
  } catch {
    return {} // storage disabled or corrupt: start fresh
  }
}

/** The saved state (empty when none or unreadable). */
export function loadSaved(): Saved {
  return read()
}

/** Merges `patch` into the saved state; `undefined` fields are removed. */
export function save(patch: { [K in keyof Saved]?: Saved[K] | undefined }): void {
  const next: Record<string, unknown> = { ...read(), ...patch }
  for (const key of Object.keys(patch) as Array<keyof Saved>) if (patch[key] === undefined) delete next[key]
  try {
    localStorage.setItem(KEY, JSON.stringify(next))
  } catch {
    // Private mode or quota: the page still works, only without sharing tabs.
  }
}
