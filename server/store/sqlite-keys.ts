// What a write of the SQLite store hides until its batch is released
// (GroupCommit.readReleased): rows without a seq, named by key. A read of
// those rows waits for the release of any batch that named one of its keys.

/** Any account (a prefix search may see any). */
export const ACCOUNTS = 'accounts'
/** One user's sessions. */
export const sessionsOf = (userId: string) => `s:${userId}`
/** One user's memberships. */
export const membershipsOf = (userId: string) => `m:${userId}`
/** One user's read markers: of DM conversations and of rooms. */
export const readsOf = (userId: string) => `r:${userId}`
/** A room's record, roles and invitations. */
export const roomOf = (room: string) => `o:${room}`
/** Anything a directory page or a member count reads (every room record and membership). */
export const ROOMS = 'rooms'
export const banOf = (userId: string) => `b:${userId}`
export const blocksOf = (userId: string) => `k:${userId}`
/**
 * Messages of a room changed by an event (edit, delete, react): an event
 * changes rows below its own seq, which the room's seq bound does not hide,
 * so snapshot reads of the room wait for its release instead.
 */
export const eventsOf = (room: string) => `e:${room}`
/** A room's bans and mutes. */
export const restrictionsOf = (room: string) => `x:${room}`
/** The room whose bans and mutes a key names, if it names them. */
export const roomOfRestrictions = (key: string): string | undefined => (key.startsWith('x:') ? key.slice(2) : undefined)
