// Presentation helpers: times, avatars, who-is-typing sentences. Dates, times and
// lists go through Intl in the page's language (i18n.ts), rebuilt when it changes.
import { currentLocale, onLanguage, t } from './i18n.ts'

function formatters() {
  const locale = currentLocale()
  return {
    time: new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit' }),
    full: new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }),
    day: new Intl.DateTimeFormat(locale, { weekday: 'long', month: 'long', day: 'numeric' }),
    relative: new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }),
    list: new Intl.ListFormat(locale, { type: 'conjunction' }),
  }
}
let intl = formatters()
onLanguage(() => {
  intl = formatters()
})

/** "14:05" */
export function shortTime(ts: number): string {
  return intl.time.format(ts)
}

/** "12 May 2025, 14:05", for tooltips and datetime titles. */
export function fullTime(ts: number): string {
  return intl.full.format(ts)
}

/** "Today", "Yesterday" or "Monday, 12 May" ("오늘", "어제", "5월 12일 월요일"). */
export function dayLabel(ts: number, now = Date.now()): string {
  const day = (ms: number) => new Date(ms).toDateString()
  if (day(ts) === day(now)) return t('day.today')
  if (day(ts) === day(now - 86_400_000)) return t('day.yesterday')
  return intl.day.format(ts)
}

/** "ana, bob, and carol" ("ana, bob 및 carol"). */
export function listText(items: readonly string[]): string {
  return intl.list.format(items)
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

/** "bob is typing…", "ana and bob are typing…", "4 people are typing…" (Korean: "bob 님이 입력 중…"). */
export function typingSentence(names: readonly string[]): string {
  if (names.length === 0) return ''
  if (names.length > 3) return t('typing.many', { count: names.length })
  return t(names.length === 1 ? 'typing.one' : 'typing.some', { names: listText(names) })
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
              : t('device.aBrowser')
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
  return (os === '' ? browser : t('device.on', { browser, os })).slice(0, MAX_DEVICE_CHARS)
}

/** "just now", "5 minutes ago", "yesterday": how long ago a session was used. */
export function agoText(ts: number, now = Date.now()): string {
  const seconds = Math.round((ts - now) / 1000)
  if (seconds > -60) return t('time.justNow')
  const minutes = Math.round(seconds / 60)
  if (minutes > -60) return intl.relative.format(minutes, 'minute')
  const hours = Math.round(minutes / 60)
  if (hours > -24) return intl.relative.format(hours, 'hour')
  return intl.relative.format(Math.round(hours / 24), 'day')
}
