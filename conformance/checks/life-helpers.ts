// What the checks of the life of a message, moderation and search share
// (PROTOCOL.md §7a, protocol 1.3.0): 1.3.0 logins, reading a room's entries
// off the wire, reading a whole stream through `history`, and reducing
// entries with the protocol's own reducer (`applyEntry`), so that "the same
// state" means one thing in every check.
import { applyEntry, type ChatMessage, type ServerFrameOf, type Timeline } from '@wirechat/protocol'
import { type Target, uniqueName } from '../target.ts'
import type { Teardown, Wire } from '../wire.ts'
import { roomCreationSkip } from './15-rooms-namespaces.ts'
import { lifecycleSkip, V } from './lifecycle-version.ts'

export { V }

/** The ChatMessage fields added by 1.3.0: a client that announced an older version gets none of them. */
export const FIELDS_SINCE_1_3 = ['event', 'replyTo', 'mentions', 'edited', 'deleted', 'reactions', 'rev'] as const
/** The RoomState fields added by 1.3.0. */
export const ROOM_FIELDS_SINCE_1_3 = ['readSeq', 'unread', 'mentions'] as const

export interface Member {
  wire: Wire
  ok: ServerFrameOf<'login-ok'>
}

/** The version a login announces: 1.3.0 by default; null announces none (a 1.0.0 client). */
type Version = string | null

/** A login with a unique name, in `rooms` (in this order: the first to join a new room owns it). */
export const member = (target: Target, tt: Teardown, base: string, rooms: string[] = [], version: Version = V): Promise<Member> =>
  target.login(tt, { name: uniqueName(base), rooms: rooms.map((room) => ({ room })), ...(version === null ? {} : { version }) })

/** A second connection of the same user (its session key), in `rooms`. */
export const secondConnection = (target: Target, tt: Teardown, of: Member, rooms: string[] = [], version: Version = V): Promise<Member> =>
  target.login(tt, { session: of.ok.session, rooms: rooms.map((room) => ({ room })), ...(version === null ? {} : { version }) })

/** The next entry (a `chat` push) of `room` a connection gets; other frames stay queued. */
export async function nextEntry(wire: Wire, room: string): Promise<ChatMessage> {
  return (await wire.takeType('chat', (f) => f.message.room === room)).message
}

/** The next `count` entries of `room`, in the order they arrive. */
export async function nextEntries(wire: Wire, room: string, count: number): Promise<ChatMessage[]> {
  const out: ChatMessage[] = []
  for (let i = 0; i < count; i++) out.push(await nextEntry(wire, room))
  return out
}

/** Frames a connection got up to a ping round trip that are entries of `room` (or any frame of `types`). */
export async function arrivedBeforePong(wire: Wire, types: readonly string[] = ['chat']): Promise<ServerFrameOf<'chat'>[]> {
  return (await wire.framesBeforePong()).filter((f) => types.includes(f.type)) as ServerFrameOf<'chat'>[]
}

/** Entries applied one after another with `applyEntry`, onto `timeline` (default: empty). */
export function reduce(entries: readonly ChatMessage[], timeline: Timeline = new Map()): Timeline {
  for (const entry of entries) applyEntry(timeline, entry)
  return timeline
}

/** A timeline as [seq, entry] pairs in seq order: two timelines hold the same state when these are the same. */
export const lines = (timeline: Timeline): Array<[number, ChatMessage]> => [...timeline].sort((a, b) => a[0] - b[0])

/** Every entry of a room, read forwards with `history` pages of at most `pageSize`, oldest first. */
export async function historyForwards(wire: Wire, room: string, pageSize: number): Promise<ChatMessage[]> {
  const out: ChatMessage[] = []
  for (let after = 0, pages = 0; pages < 200; pages++) {
    const page = await wire.ok('history-ok', { type: 'history', room, after, limit: pageSize })
    out.push(...page.messages)
    if (!page.hasMore || page.messages.length === 0) break
    after = page.messages.at(-1)!.seq
  }
  return out
}

/** The pages of a room's history read backwards from the newest, each oldest first, in the order they arrived. */
export async function historyBackwards(wire: Wire, room: string, pageSize: number): Promise<ChatMessage[][]> {
  const pages: ChatMessage[][] = []
  let before: number | undefined
  for (let i = 0; i < 200; i++) {
    const page = await wire.ok('history-ok', { type: 'history', room, limit: pageSize, ...(before === undefined ? {} : { before }) })
    pages.push(page.messages)
    if (!page.hasMore || page.messages.length === 0) break
    before = page.messages[0]!.seq
  }
  return pages
}

/** The 1.3.0 fields a message (or room state) carries, by name. */
export const fieldsOf = (value: object, fields: readonly string[]): string[] => Object.keys(value).filter((k) => fields.includes(k))

/**
 * Why the checks that need room owners cannot run (false when they can): the
 * 1.3.0 checks create rooms of the default namespace, whose creator owns them,
 * and post there as members.
 */
export async function ownedRoomsSkip(target: Target): Promise<string | false> {
  return lifecycleSkip(target.welcome) || (await roomCreationSkip(target))
}
