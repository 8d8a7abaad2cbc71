// What the server will accept as message text, checked in the composer before
// anything is sent: the length in code points against the limit in force, and
// the characters the protocol's Text refuses. Pure functions, no DOM.
//
// The page bundle does not import protocol/primitives.ts (it would pull TypeBox
// into the page), so the rule is restated here; test/unit/page/text-rules.test.ts
// checks it against the protocol's own Text schema.

/** The protocol's longest text (MAX_TEXT_CHARS), when neither the server nor the namespace says otherwise. */
export const DEFAULT_MAX_TEXT_CHARS = 2000

/** C0 controls but tab and newline, DEL, C1 controls, bidi embeddings/overrides (U+202A–U+202E) and isolates (U+2066–U+2069). */
const FORBIDDEN = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g

/** English names of the refused characters that have one (the page shows them in its language: char.<code> in the catalogs). */
export const NAMES: Record<number, string> = {
  0: 'null character',
  7: 'bell',
  8: 'backspace',
  11: 'vertical tab',
  12: 'form feed',
  13: 'carriage return',
  27: 'escape',
  127: 'delete',
  8234: 'left-to-right embedding',
  8235: 'right-to-left embedding',
  8236: 'pop directional formatting',
  8237: 'left-to-right override',
  8238: 'right-to-left override',
  8294: 'left-to-right isolate',
  8295: 'right-to-left isolate',
  8296: 'first strong isolate',
  8297: 'pop directional isolate',
}

/** One kind of refused character found in a text. */
export interface ForbiddenChar {
  /** "U+202E" */
  code: string
  /** "right-to-left override", or "control character". */
  name: string
  /** How often it occurs. */
  count: number
}

/** Length as the server counts it: Unicode code points. */
export function codePoints(text: string): number {
  let n = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    // A high surrogate followed by a low one is one code point.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1)
      if (d >= 0xdc00 && d <= 0xdfff) i++
    }
    n++
  }
  return n
}

/** The refused characters of `text`, each kind once, in order of first appearance. */
export function forbiddenChars(text: string): ForbiddenChar[] {
  const found = new Map<number, ForbiddenChar>()
  for (const match of text.matchAll(FORBIDDEN)) {
    const code = match[0].charCodeAt(0)
    const seen = found.get(code)
    if (seen) seen.count++
    else found.set(code, { code: `U+${code.toString(16).toUpperCase().padStart(4, '0')}`, name: NAMES[code] ?? 'control character', count: 1 })
  }
  return [...found.values()]
}

/** `text` without the refused characters. */
export function removeForbidden(text: string): string {
  return text.replace(FORBIDDEN, '')
}

/** The composer's verdict on a text about to be sent. */
export interface TextCheck {
  /** Code points of the text as it would be sent (trimmed). */
  length: number
  limit: number
  /** Code points past the limit (0 when within). */
  over: number
  /** Near or past the limit: the counter is shown. */
  nearLimit: boolean
  forbidden: ForbiddenChar[]
  /** Nothing but whitespace: Send does nothing. */
  empty: boolean
  /** The server would take it. */
  sendable: boolean
}

/** The counter appears this close to the limit: a tenth of it, at least 20 characters. */
export const warnWithin = (limit: number): number => Math.max(20, Math.round(limit / 10))

/** Checks the text the composer would send (`raw` is trimmed first, as the composer sends it). */
export function checkText(raw: string, limit: number): TextCheck {
  const text = raw.trim()
  const length = codePoints(text)
  const over = Math.max(0, length - limit)
  const forbidden = forbiddenChars(text)
  const empty = text === ''
  return { length, limit, over, nearLimit: length >= limit - warnWithin(limit), forbidden, empty, sendable: !empty && over === 0 && forbidden.length === 0 }
}

/** A namespace's rules as login-ok announces them (only what the composer needs). */
export interface NamespaceTextLimit {
  name: string
  limits: { maxTextChars?: number }
}

/**
 * The longest text for a conversation: a room's namespace limit when the server announced one,
 * else the connection's `welcome.limits.maxTextChars`, else the protocol's 2000. A room name
 * "news:releases" is in namespace "news"; one without ":" in the default namespace "".
 */
export function textLimit(room: string | undefined, namespaces: readonly NamespaceTextLimit[], connectionLimit: number | undefined): number {
  const base = connectionLimit ?? DEFAULT_MAX_TEXT_CHARS
  if (room === undefined) return base
  const colon = room.indexOf(':')
  const name = colon < 0 ? '' : room.slice(0, colon)
  const own = namespaces.find((ns) => ns.name === name)?.limits.maxTextChars
  return own === undefined ? base : Math.min(own, base)
}
