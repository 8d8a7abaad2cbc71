// Presentation helpers: times, avatars, who-is-typing sentences.

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' })
const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })
const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'long', month: 'long', day: 'numeric' })

/** "14:05" */
export function shortTime(ts: number): string {
  return timeFormat.format(ts)
}

/** "12 May 2025, 14:05", for tooltips and datetime titles. */
export function fullTime(ts: number): string {
  return fullFormat.format(ts)
}

/** "Today", "Yesterday" or "Monday, 12 May". */
export function dayLabel(ts: number, now = Date.now()): string {
  const day = (t: number) => new Date(t).toDateString()
  if (day(ts) === day(now)) return 'Today'
  if (day(ts) === day(now - 86_400_000)) return 'Yesterday'
  return dayFormat.format(ts)
}

/** One letter for an avatar, two for a name of several words. */
export function initials(name: string): string {
  const parts = name.split(/[\s._-]+/).filter(Boolean)
  const letters = parts.length > 1 ? [parts[0]!, parts[1]!].map((p) => [...p][0]) : [...(parts[0] ?? name)].slice(0, 1)
  return letters.join('').toUpperCase()
}

export const HUES = 8

/** A stable colour class per user id ("hue-0" … "hue-7"). */
export function hueClass(userId: string): string {
  let hash = 0
  for (const ch of userId) hash = (hash * 31 + ch.codePointAt(0)!) >>> 0
  return `hue-${hash % HUES}`
}

/** "bob is typing…", "ana and bob are typing…", "4 people are typing…". */
export function typingSentence(names: readonly string[]): string {
  if (names.length === 0) return ''
  if (names.length === 1) return `${names[0]} is typing…`
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`
  if (names.length === 3) return `${names[0]}, ${names[1]} and ${names[2]} are typing…`
  return `${names.length} people are typing…`
}

/** Longest device label the protocol accepts (DeviceLabel in protocol/frames/account.ts). */
const MAX_DEVICE_CHARS = 64

/** "Chrome on Linux", "Safari on iOS": the browser's label in the session list, from its user agent. */
export function deviceLabel(userAgent: string): string {
  const browser = /Edg\//.test(userAgent)
    ? 'Edge'
    : /OPR\/|Opera/.test(userAgent)
      ? 'Opera'
      : /Firefox\/|FxiOS/.test(userAgent)
        ? 'Firefox'
        : /Chromium\//.test(userAgent)
          ? 'Chromium'
          : /Chrome\/|CriOS/.test(userAgent)
            ? 'Chrome'
            : /Safari\//.test(userAgent)
              ? 'Safari'
              : 'A browser'
  const os = /Android/.test(userAgent)
    ? 'Android'
    : /iPhone|iPad|iPod/.test(userAgent)
      ? 'iOS'
      : /Windows/.test(userAgent)
        ? 'Windows'
        : /Mac OS X|Macintosh/.test(userAgent)
          ? 'macOS'
          : /CrOS/.test(userAgent)
            ? 'ChromeOS'
            : /Linux/.test(userAgent)
              ? 'Linux'
              : ''
  return (os === '' ? browser : `${browser} on ${os}`).slice(0, MAX_DEVICE_CHARS)
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' })

/** "just now", "5 minutes ago", "yesterday": how long ago a session was used. */
export function agoText(ts: number, now = Date.now()): string {
  const seconds = Math.round((ts - now) / 1000)
  if (seconds > -60) return 'just now'
  const minutes = Math.round(seconds / 60)
  if (minutes > -60) return relative.format(minutes, 'minute')
  const hours = Math.round(minutes / 60)
  if (hours > -24) return relative.format(hours, 'hour')
  return relative.format(Math.round(hours / 24), 'day')
}
