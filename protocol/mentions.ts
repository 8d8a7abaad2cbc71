// How `@name` in a message's text becomes `mentions` (since 1.3.0). Names may
// hold inner spaces and dots ("ana k", "bob.smith"), so a mention does not end
// where the name's first word ends: for each "@" the server tries the
// candidates below, longest first, and takes the first that is the name of a
// member present in the room (compared the way names are compared); failing
// that, the first word as a registered name. Clients that highlight or
// autocomplete mentions use the same candidates, so they agree with it.
import { MAX_MENTIONS, MAX_NAME_CHARS, NAME_PATTERN } from './primitives.ts'

/** One "@" in a text and the names it may stand for. */
export interface MentionCandidate {
  /** UTF-16 index of the "@". */
  at: number
  /** Possible names after it, longest first; each a valid name. */
  names: string[]
}

/** At most this many "@"s of one text are looked at: a text full of them costs no more than this. */
export const MAX_MENTION_CANDIDATES = 2 * MAX_MENTIONS + 10

const NAME = new RegExp(NAME_PATTERN, 'u')
/** Characters a name can hold: the run after "@" stops at the first other one. */
const NAME_CHAR = /[\p{L}\p{M}\p{N}_. -]/u
/** An "@" that can start a mention: at the start, or after a character that cannot end a name (so "ana@example.com" mentions nobody). */
const AT = /(?<![\p{L}\p{M}\p{N}_.-])@/gu
/** Where a name may end inside the run: before a space, a "." or a "-" ("@ana, hi", "@ana.", "@ana k"). */
const BREAK = new Set([' ', '.', '-'])

/**
 * Every "@" that can start a mention, with its candidate names longest first:
 * the run of name characters after it (at most 32 code points, a name's
 * limit), cut at the end of the run or before a space, "." or "-", without
 * trailing spaces, when the result is a valid name.
 */
export function mentionCandidates(text: string): MentionCandidate[] {
  const out: MentionCandidate[] = []
  for (const match of text.matchAll(AT)) {
    if (out.length === MAX_MENTION_CANDIDATES) break
    const run: string[] = []
    for (const ch of text.slice(match.index + 1)) {
      if (run.length >= MAX_NAME_CHARS || !NAME_CHAR.test(ch)) break
      run.push(ch)
    }
    const names: string[] = []
    for (let n = run.length; n > 0; n--) {
      const next = run[n]
      if (next !== undefined && !BREAK.has(next)) continue
      const name = run.slice(0, n).join('').trimEnd()
      if (NAME.test(name) && !names.includes(name)) names.push(name)
    }
    if (names.length > 0) out.push({ at: match.index, names })
  }
  return out
}

/**
 * The user ids a text mentions: for each "@", the longest candidate that
 * `lookup` knows (the server's lookup compares like names, among the room's
 * members). Each user once, in order of first mention. More than
 * MAX_MENTIONS is a mention flood, which the server refuses (`bad-frame`).
 */
export function resolveMentions(text: string, lookup: (name: string) => string | undefined): string[] {
  const ids: string[] = []
  for (const { names } of mentionCandidates(text)) {
    for (const name of names) {
      const id = lookup(name)
      if (id === undefined) continue
      if (!ids.includes(id)) ids.push(id)
      break
    }
  }
  return ids
}
