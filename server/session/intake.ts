// From wire text to a frame to handle, or a refusal: decode, then spend the
// general token, then the frame type's own token, then count the strike.
import { decodeClientFrame, type ClientFrame, type ErrorCode } from '@wirechat/protocol'
import type { Config } from '../config.ts'
import { RateLimits } from './rate-limits.ts'
import { AbuseStrikes } from './strikes.ts'

/** A refused frame's answer. */
export interface Refusal {
  id: string | undefined
  code: ErrorCode
  message: string
  details?: string[] | undefined
  retryAfterMs?: number | undefined
}

/** What becomes of one received text. */
export type Admission =
  | { kind: 'frame'; frame: ClientFrame }
  | { kind: 'refused'; refusal: Refusal }
  /** The strike that reaches the limit: no reply, close 4008. */
  | { kind: 'abuse' }

/** Whether a frame would act, which is when its type's own bucket counts it. */
export interface ActingCheck {
  wouldAct(frame: ClientFrame): boolean
}

export class Intake {
  readonly #limits: RateLimits
  readonly #strikes: AbuseStrikes

  constructor(config: Config) {
    this.#limits = new RateLimits(config)
    this.#strikes = new AbuseStrikes(config.abuseStrikes)
  }

  admit(text: string, now: number, acting: ActingCheck): Admission {
    const decoded = decodeClientFrame(text)
    const id = decoded.ok ? decoded.frame.id : decoded.id
    // Typing that would act spends only its own bucket: someone typing must
    // never use up their budget for sending what they typed.
    const typing = decoded.ok && (decoded.frame.type === 'typing' || decoded.frame.type === 'dm-typing') && acting.wouldAct(decoded.frame)
    const limited = typing ? undefined : this.#limits.takeAny(now)
    if (limited !== undefined) return this.#refuse(now, { id, code: 'rate-limited', ...limited })
    if (!decoded.ok) return this.#refuse(now, { id, code: decoded.code, message: decoded.message, details: decoded.details })
    const frame = decoded.frame
    const typeLimited = acting.wouldAct(frame) ? this.#limits.takeFor(frame, now) : undefined
    if (typeLimited !== undefined) return this.#refuse(now, { id, code: 'rate-limited', ...typeLimited })
    return { kind: 'frame', frame }
  }

  #refuse(now: number, refusal: Refusal): Admission {
    return this.#strikes.strike(now) ? { kind: 'abuse' } : { kind: 'refused', refusal }
  }
}
