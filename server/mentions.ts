// `@name` mentions (protocol 1.3.0), resolved by the server when a message is
// sent: a name is matched the way names are compared (nameKey), against the
// room's present members first (their names may hold spaces: the longest
// name that follows the "@" wins), then against registered names (one word).
// The result is stored with the message, so a later rename changes nothing.
import { MAX_MENTIONS, MAX_NAME_CHARS } from '@wirechat/protocol'
import type { Hub } from './hub.ts'
import { nameKey } from './names.ts'

/** Characters a name is made of (protocol Name): what may follow the "@". */
const NAME_CHAR = /[\p{L}\p{M}\p{N}_.\- ]/u
/** "@" that starts a mention: at the start or after a character that cannot be in a name (so "a@b.c" is no mention). */
const AT = /(?<![\p{L}\p{M}\p{N}_.-])@/gu

/** At most this many "@"s of one text are looked up: a text full of them costs no more than this. */
const MAX_CANDIDATES = 2 * MAX_MENTIONS + 10

/** The text after each mention's "@", up to the longest a name can be, in order (at most MAX_CANDIDATES). */
export function mentionCandidates(text: string): string[] {
  const out: string[] = []
  for (const match of text.matchAll(AT)) {
    if (out.length === MAX_CANDIDATES) break
    let run = ''
    for (const ch of text.slice(match.index + 1)) {
      if (!NAME_CHAR.test(ch) || [...run].length >= MAX_NAME_CHARS) break
      run += ch
    }
    if (run.trim() !== '') out.push(run)
  }
  return out
}

/** The longest prefix of `run` that is one of `keys` (name keys) and ends at a word boundary. */
function longestName(run: string, keys: Map<string, string>): string | undefined {
  const chars = [...run]
  for (let n = chars.length; n > 0; n--) {
    const next = chars[n]
    if (next !== undefined && next !== ' ' && next !== '.' && next !== '-') continue
    const found = keys.get(nameKey(chars.slice(0, n).join('').trimEnd()))
    if (found !== undefined) return found
  }
  return undefined
}

/**
 * The user ids the text mentions, in order, once each; 'flood' when it names
 * more than MAX_MENTIONS users (the message is refused, not cut).
 */
export async function resolveMentions(hub: Pick<Hub, 'presence' | 'store'>, room: string, text: string): Promise<string[] | 'flood'> {
  const candidates = mentionCandidates(text)
  if (candidates.length === 0) return []
  const present = new Map<string, string>()
  for (const member of await hub.presence.list(room)) present.set(nameKey(member.name), member.userId)
  const ids = new Set<string>()
  for (const run of candidates) {
    let userId = longestName(run, present)
    if (userId === undefined) {
      const word = run.split(' ')[0]!.replace(/[.-]+$/, '')
      if (word !== '') userId = (await hub.store.findAccountByNameKey(nameKey(word)))?.userId
    }
    if (userId !== undefined) ids.add(userId)
    if (ids.size > MAX_MENTIONS) return 'flood'
  }
  return [...ids]
}
