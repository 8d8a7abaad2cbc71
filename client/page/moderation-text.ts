// Words for moderation: the notices that kick, ban and mute events become in
// the timeline, how long a restriction lasts, and why a request was refused.
import type { ChatMessage, RoomEvent } from '@wirechat/protocol/primitives'
import { isChatError } from '../index.ts'
import { fullTime, shortTime } from './format.ts'
import { currentLang, t, type MessageKey } from './i18n.ts'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR
const WEEK = 7 * DAY

/** The durations a moderator picks from; `undefined` is "until lifted". */
export const DURATIONS: readonly { ms: number | undefined }[] = [{ ms: HOUR }, { ms: DAY }, { ms: WEEK }, { ms: undefined }]

/** A duration's label in the picker: "1 hour" … "Forever". */
export const durationLabel = (ms: number | undefined): string => (ms === undefined ? t('duration.forever') : durationText(ms))

const plural = (count: number, unit: 'week' | 'day' | 'hour' | 'minute'): string => t(`unit.${unit}`, { count })

/** "1 hour", "3 days", "2 weeks": a span rounded to its largest whole unit (the server adds its own ms of latency). */
export function durationText(ms: number): string {
  if (ms >= WEEK && Math.round(ms / DAY) % 7 === 0) return plural(Math.round(ms / WEEK), 'week')
  if (ms >= DAY - MINUTE) return plural(Math.round(ms / DAY), 'day')
  if (ms >= HOUR - MINUTE) return plural(Math.round(ms / HOUR), 'hour')
  return plural(Math.max(1, Math.round(ms / MINUTE)), 'minute')
}

/** "until 14:05" today, "until 12 May 2025, 14:05" later; "until lifted" without an end. */
export function untilText(until: number | undefined, now = Date.now()): string {
  if (until === undefined) return t('until.lifted')
  return t('until.time', { time: new Date(until).toDateString() === new Date(now).toDateString() ? shortTime(until) : fullTime(until) })
}

type ModerationEvent = Extract<RoomEvent, { kind: 'kick' | 'ban' | 'unban' | 'mute' | 'unmute' }>

/** True for the events that are about a user (kick, ban, mute and lifting them), not about a message. */
export function isModerationEvent(event: RoomEvent | undefined): event is ModerationEvent {
  return event !== undefined && (event.kind === 'kick' || event.kind === 'ban' || event.kind === 'unban' || event.kind === 'mute' || event.kind === 'unmute')
}

/**
 * The timeline notice of a moderation event, from the reader's side:
 * "mod banned spammer for 1 day: spam", "You muted bob for 1 hour", "mod kicked you".
 */
export function moderationNotice(message: ChatMessage, selfId: string | undefined): string | undefined {
  const { event } = message
  if (!isModerationEvent(event)) return undefined
  // Korean marks subject and object on the name ("ana 님이", "나를"): the catalog words each side whole.
  const actor = message.userId === selfId ? t('mod.you') : t('mod.actor', { name: message.name })
  const target = event.userId === selfId ? t('mod.youObject') : t('mod.target', { name: event.name })
  const span = 'until' in event && event.until !== undefined ? durationText(event.until - message.ts) : undefined
  const reason = 'reason' in event && event.reason ? t('mod.reason', { reason: event.reason }) : ''
  const key: MessageKey =
    event.kind === 'ban' ? (span === undefined ? 'mod.banForever' : 'mod.ban') : event.kind === 'mute' ? (span === undefined ? 'mod.muteForever' : 'mod.mute') : `mod.${event.kind}`
  return t(key, { actor, target, reason, span: span ?? '' })
}

/** When a `banned` or `muted` error says the restriction ends: its `until:<ms>` detail (undefined: never). */
function restrictionEnd(details: readonly string[]): number | undefined {
  const detail = details.find((d) => d.startsWith('until:'))
  const ms = Number(detail?.slice('until:'.length))
  return Number.isFinite(ms) ? ms : undefined
}

/**
 * Plain words for a refusal by a room's rules (muted, banned, forbidden, not-found), or undefined
 * for any other failure. The server's own message says best what the role or namespace forbids.
 */
export function roomRefusalText(err: unknown): string | undefined {
  if (!isChatError(err)) return undefined
  switch (err.code) {
    case 'muted':
      return t('error.muted', { until: untilText(restrictionEnd(err.details)) })
    case 'banned':
      return t('error.banned', { until: untilText(restrictionEnd(err.details)) })
    case 'blocked':
      return t('error.code.blocked')
    case 'forbidden':
    case 'not-found':
      // In English the server's own words say best what the role or namespace forbids.
      return currentLang() === 'en' ? err.message.replace(/\.$/, '') : t(`error.code.${err.code}`)
    default:
      return undefined
  }
}
