// Resume decisions shared by rooms and the DM inbox: replay exactly what a
// client missed, or say plainly why it cannot (never a partial replay).
import type { Position, ResumeOutcome } from '@wirechat/protocol'

export interface StreamBounds {
  epoch: string
  /** Newest seq in the stream. */
  head: number
  /** Oldest seq still kept (0 when the stream is empty). */
  tail: number
  /** Most messages one resume may replay. */
  maxReplay: number
}

/** Either replay everything after `after`, or a refusal with its reason. */
export type ResumePlan = { replayAfter: number } | { refused: ResumeOutcome }

export function planResume(since: Position, bounds: StreamBounds): ResumePlan {
  const refuse = (reason: NonNullable<ResumeOutcome['reason']>): ResumePlan => ({ refused: { resumed: false, missed: 0, reason } })
  if (since.epoch !== bounds.epoch) return refuse('epoch-changed')
  if (since.seq > bounds.head) return refuse('ahead-of-server')
  if (bounds.head - since.seq > bounds.maxReplay) return refuse('too-far-behind')
  if (bounds.tail > since.seq + 1) return refuse('too-far-behind') // the next message was pruned
  return { replayAfter: since.seq }
}
