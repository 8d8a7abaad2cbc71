// What a reaction is: exactly one emoji as Unicode recommends them for
// general interchange (an RGI emoji: a single emoji, a keycap, a flag, a
// modifier or ZWJ sequence). JSON Schema cannot say this, so the codec checks
// `react` frames with this function after the schema (protocol/codec.ts) and
// the server needs no rule of its own.
//
// Only the fully-qualified form counts ("❤️", U+2764 U+FE0F, not a bare
// U+2764): every emoji then has one spelling, so two users reacting with
// "the same heart" land in one reaction group.

/** Exactly one RGI emoji (ES2024 `v` flag; Node 24 and current browsers). */
const RGI_SOURCE = '^\\p{RGI_Emoji}$'
// Engines without the `v` flag (older browsers) get a looser check: one
// pictographic cluster. The server, on Node 24, always has the exact one.
const FALLBACK_SOURCE =
  '^(?:\\p{Regional_Indicator}{2}|[#*0-9]\\uFE0F\\u20E3|\\p{Extended_Pictographic}(?:\\uFE0F|\\p{Emoji_Modifier})?(?:\\u200D\\p{Extended_Pictographic}(?:\\uFE0F|\\p{Emoji_Modifier})?)*)$'

let rgi: RegExp | undefined

// Built on first use, not at load: a module-level literal with the `v` flag
// would throw a SyntaxError at import in an engine without it.
function pattern(): RegExp {
  if (rgi === undefined) {
    try {
      rgi = new RegExp(RGI_SOURCE, 'v')
    } catch {
      rgi = new RegExp(FALLBACK_SOURCE, 'u')
    }
  }
  return rgi
}

/** True when `s` is exactly one emoji (RGI, fully qualified): "👍", "❤️", "👩🏽‍💻", "🇰🇷", "1️⃣". */
export function isEmoji(s: string): boolean {
  // The longest RGI sequences are 10 code points; anything much longer is not one.
  return s.length > 0 && s.length <= 40 && pattern().test(s)
}
