// The token buckets of one connection: a general one every frame spends from,
// and tighter ones for the frame types that fan out to a room.
import type { ClientFrame } from '@wirechat/protocol'
import type { Config } from '../config.ts'
import { TokenBucket } from '../limits/token-bucket.ts'

type LimitsConfig = Pick<Config, 'messageBurst' | 'messagesPerSecond' | 'joinBurst' | 'joinsPerSecond' | 'typingBurst' | 'typingPerSecond'>

/** Why a frame was refused by a bucket. */
export interface RateRefusal {
  message: string
  /** Time until the refusing bucket has a token again. */
  retryAfterMs: number
}

export class RateLimits {
  readonly #general: TokenBucket
  readonly #join: TokenBucket
  readonly #typing: TokenBucket

  constructor(config: LimitsConfig) {
    this.#general = new TokenBucket(config.messageBurst, config.messagesPerSecond)
    this.#join = new TokenBucket(config.joinBurst, config.joinsPerSecond)
    this.#typing = new TokenBucket(config.typingBurst, config.typingPerSecond)
  }

  /** Every frame, valid or not, spends a general token: floods of garbage are limited too. */
  takeAny(now: number): RateRefusal | undefined {
    if (this.#general.take(now)) return undefined
    return { message: 'Too many requests.', retryAfterMs: this.#general.msUntilNext(now) }
  }

  /**
   * The type's own bucket, for a frame that would act (join a room not yet
   * joined, type in a room joined): refusals such as not-logged-in or
   * not-in-room keep their own, more useful answer.
   */
  takeFor(frame: ClientFrame, now: number): RateRefusal | undefined {
    const bucket = frame.type === 'join-room' ? this.#join : frame.type === 'typing' || frame.type === 'dm-typing' ? this.#typing : undefined
    if (bucket === undefined || bucket.take(now)) return undefined
    return { message: `Too many "${frame.type}" requests.`, retryAfterMs: bucket.msUntilNext(now) }
  }
}
