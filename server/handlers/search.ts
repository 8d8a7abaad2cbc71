// search (protocol 1.3.0): the rooms the user may read and their DMs.
import type { ClientFrameOf } from '@wirechat/protocol'
import type { Session } from '../session/session.ts'
import type { User } from '../users.ts'

export async function handleSearch(session: Session, _user: User, frame: ClientFrameOf<'search'>): Promise<void> {
  session.fail(frame, 'unavailable', 'Search is not available yet.')
}
