// search (protocol 1.3.0): the messages a user may read, newest first — the
// rooms they belong to (or one of them) and, without `room`, their DMs. The
// store finds them (search-terms.ts decides what a query means, for every
// store alike); this decides where to look and pages with opaque cursors.
import type { ClientFrameOf, ServerFrameOf } from '@wirechat/protocol'
import type { Session } from '../session/session.ts'
import { parseSearchQuery } from '../store/search-terms.ts'
import type { SearchHitRow, SearchPosition } from '../store/store.ts'
import { legacyMessage } from '../stream-entries.ts'
import type { User } from '../users.ts'

const DEFAULT_LIMIT = 20

/** The cursor of the page after `hit`: its position, opaque to clients. */
const encodeCursor = (hit: SearchPosition): string => Buffer.from(JSON.stringify([hit.ts, hit.msgId]), 'utf8').toString('base64url')

function decodeCursor(cursor: string): SearchPosition | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
    if (!Array.isArray(value) || value.length !== 2) return undefined
    const [ts, msgId] = value as unknown[]
    if (!Number.isSafeInteger(ts) || (ts as number) < 0 || typeof msgId !== 'string' || msgId.length === 0 || msgId.length > 64) return undefined
    const position = { ts: ts as number, msgId }
    // Only what encodeCursor writes: one spelling per position.
    return encodeCursor(position) === cursor ? position : undefined
  } catch {
    return undefined
  }
}

const positionOf = (hit: SearchHitRow): SearchPosition => (hit.kind === 'room' ? hit.message : hit.dm)

export async function handleSearch(session: Session, user: User, frame: ClientFrameOf<'search'>): Promise<void> {
  const { store } = session.hub
  const before = frame.cursor === undefined ? undefined : decodeCursor(frame.cursor)
  if (frame.cursor !== undefined && before === undefined) return session.fail(frame, 'bad-frame', 'Not a cursor this server made.', { details: ['/cursor: unknown'] })
  const parsed = parseSearchQuery(frame.query)
  if (!parsed.ok) {
    if (parsed.reason === 'too-long') return session.fail(frame, 'bad-frame', 'The query is too long.', { details: ['/query: too long'] })
    // Only punctuation, spaces or emoji: nothing any message can match.
    return session.reply(frame, { type: 'search-ok', hits: [] })
  }
  const belongs = new Set([...(await store.listMemberships(user.userId)), ...session.rooms])
  if (frame.room !== undefined && !belongs.has(frame.room)) return session.fail(frame, 'not-found', `No room "${frame.room}" of yours.`)
  const limit = frame.limit ?? DEFAULT_LIMIT
  let found
  try {
    found = await store.search({
      userId: user.userId,
      rooms: frame.room === undefined ? [...belongs] : [frame.room],
      dms: frame.room === undefined,
      terms: parsed.terms,
      before,
      limit,
    })
  } catch (err) {
    session.log.error({ err }, 'search failed')
    return session.fail(frame, 'unavailable', 'Search is unavailable; try again later.')
  }
  const hits: ServerFrameOf<'search-ok'>['hits'] = found.hits.map((hit) => (hit.kind === 'room' ? { message: session.legacy ? legacyMessage(hit.message) : hit.message } : { dm: hit.dm }))
  const reply: ServerFrameOf<'search-ok'> = { type: 'search-ok', hits }
  const last = found.hits.at(-1)
  if (found.hasMore && last !== undefined) reply.next = encodeCursor(positionOf(last))
  session.reply(frame, reply)
}
