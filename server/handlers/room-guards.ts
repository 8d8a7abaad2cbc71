// Checks shared by the requests that post in a room (chat, edit, react,
// typing): the namespace's text limit and the user's mute.
import * as clock from '../determinism.ts'
import type { Refusal } from '../rooms/access.ts'
import type { Session } from '../session/session.ts'
import type { RestrictionRow } from '../store/store.ts'

/** `until:<ms>` or `until:never`: how `banned` and `muted` errors carry the end of a restriction (room or server-wide). */
export const untilDetail = (until: number | null | undefined): string => `until:${until ?? 'never'}`

/** The end of a restriction in words, for the message of a `banned` or `muted` error. */
export const untilText = (until: number | null | undefined): string => (until == null ? 'until it is lifted' : `until ${new Date(until).toISOString()}`)

/** The refusal of a restricted user: `muted` (or `banned`) with until when. */
export function restrictionRefusal(row: RestrictionRow): Refusal {
  return row.kind === 'mute'
    ? { code: 'muted', message: `You are muted in "${row.room}" ${untilText(row.until)}.`, details: [untilDetail(row.until)] }
    : { code: 'banned', message: `You are banned from "${row.room}" ${untilText(row.until)}.`, details: [untilDetail(row.until)] }
}

/** Why the user may not post in the room now (muted), or undefined. */
export async function muted(session: Session, room: string, userId: string): Promise<Refusal | undefined> {
  const row = await session.hub.store.findRestriction(room, userId, 'mute', clock.now())
  return row === undefined ? undefined : restrictionRefusal(row)
}

/** Why this text may not be posted in the room (the namespace's maxTextChars), or undefined. */
export function textRefusal(session: Session, room: string, text: string): Refusal | undefined {
  const max = session.hub.namespaces.of(room)?.limits.maxTextChars
  if (max === undefined || [...text].length <= max) return undefined
  return { code: 'bad-frame', message: `Longer than ${max} characters, the limit of this namespace.`, details: [`/text: longer than ${max} code points`] }
}

/** Sends the refusal as the request's error. */
export function refuse(session: Session, frame: { id?: string | undefined }, refusal: Refusal): void {
  session.fail(frame, refusal.code, refusal.message, { details: refusal.details })
}
