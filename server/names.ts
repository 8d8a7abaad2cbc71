// Display-name rules beyond the schema, against impersonation. The schema
// (protocol/primitives.ts Name) already refuses control, format (bidi,
// zero-width) and symbol characters and the codec normalises to NFC. Here:
// 1. a uniqueness key that folds look-alikes, so "Ana", "ａｎａ" (fullwidth),
//    "𝐚𝐧𝐚" (mathematical bold) and "аnа" (Cyrillic а) cannot be online
//    next to "ana";
// 2. refusal of names that are invisible in part (default-ignorable code
//    points the schema lets through as marks or letters, such as U+034F, the
//    variation selectors or U+3164), that hold two spaces in a row, or that
//    mix Latin, Greek and Cyrillic letters (the classic mixed-script spoof;
//    UTS #39 "moderately restrictive").
// This is a small subset of UTS #39 confusable detection, not all of it: see
// SECURITY.md for what it does not catch.

// Lower-case Cyrillic and Greek letters drawn like a Latin letter, and digit
// and letter look-alikes, mapped to one representative. Applied after NFKC
// and lower-casing.
const LOOKALIKES: Record<string, string> = {
  // Cyrillic
  а: 'a',
  в: 'b',
  е: 'e',
  ё: 'e',
  з: '3',
  и: 'u',
  й: 'u',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  п: 'n',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  ѕ: 's',
  і: 'l',
  ї: 'l',
  ј: 'j',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  һ: 'h',
  ү: 'y',
  ӏ: 'l',
  ɡ: 'g',
  ь: 'b',
  // Greek
  α: 'a',
  β: 'b',
  ε: 'e',
  η: 'n',
  ι: 'l',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
  ω: 'w',
  ς: 'c',
  ζ: 'z',
  μ: 'u',
  // Latin and digits
  i: 'l',
  '1': 'l',
  ı: 'l',
  '0': 'o',
}
const MULTI: [RegExp, string][] = [
  [/rn/g, 'm'],
  [/vv/g, 'w'],
]

const IGNORABLE = /\p{Default_Ignorable_Code_Point}/gu
const HAS_IGNORABLE = /\p{Default_Ignorable_Code_Point}/u
const SPACE_RUN = / {2,}/
const LATIN = /\p{Script=Latin}/u
const GREEK = /\p{Script=Greek}/u
const CYRILLIC = /\p{Script=Cyrillic}/u

/**
 * The key under which a name is unique among online users: NFKC, without
 * default-ignorable code points, lower-cased, look-alikes folded. Two names
 * with the same key are confusable; only one of them can be online at a time.
 */
export function nameKey(name: string): string {
  let key = name.normalize('NFKC').replace(IGNORABLE, '').replace(/ {2,}/g, ' ').toLowerCase()
  key = Array.from(key, (ch) => LOOKALIKES[ch] ?? ch).join('')
  for (const [pattern, to] of MULTI) key = key.replace(pattern, to)
  return key
}

// The sender of operator posts (handlers/rooms.ts SYSTEM): refused to
// everyone, with every look-alike, so a chat line named "system" is the server's.
const SYSTEM_KEY = nameKey('system')

/** Why a schema-valid name is still refused, or undefined when it is fine. */
export function nameProblem(name: string): string | undefined {
  if (nameKey(name) === SYSTEM_KEY) return 'is reserved for the server'
  if (HAS_IGNORABLE.test(name)) return 'contains an invisible (default-ignorable) character'
  // The schema's description promises single inner spaces; its pattern does not enforce it.
  if (SPACE_RUN.test(name)) return 'contains consecutive spaces'
  const scripts = [LATIN, GREEK, CYRILLIC].filter((script) => script.test(name)).length
  if (scripts > 1) return 'mixes Latin, Greek or Cyrillic letters'
  return undefined
}
