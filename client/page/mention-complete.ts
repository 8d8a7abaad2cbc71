// `@` autocomplete, the part without DOM: which "@…" the caret is in, which
// members match it, and the text after one is chosen. A mention starts where
// protocol/mentions.ts says one can (at the start or after a character that
// cannot end a name, so "ana@example.com" offers nothing); names may hold
// spaces, so the query runs from the "@" to the caret.
import { MAX_NAME_CHARS } from '@wirechat/protocol/primitives'

/** The "@…" being typed: where its "@" is and what follows it up to the caret. */
export interface MentionQuery {
  /** UTF-16 index of the "@". */
  at: number
  /** What is typed after the "@", up to the caret ("" right after the "@"). */
  query: string
}

/** A character that may come right before a mention's "@" (not one a name can end with). */
const BEFORE_AT = /[^\p{L}\p{M}\p{N}_.-]/u
/** What a name can hold. */
const NAME_CHAR = /^[\p{L}\p{M}\p{N}_. -]*$/u

/** The "@…" that ends at `caret` in `text`, or undefined when the caret is not in one. */
export function mentionAt(text: string, caret: number): MentionQuery | undefined {
  const before = text.slice(0, caret)
  const at = before.lastIndexOf('@')
  if (at === -1) return undefined
  const query = before.slice(at + 1)
  if ([...query].length > MAX_NAME_CHARS || !NAME_CHAR.test(query) || query.startsWith(' ') || query.includes('  ')) return undefined
  if (at > 0 && !BEFORE_AT.test(before[at - 1] ?? '')) return undefined
  return { at, query }
}

/** Compares names the way people type them: case and accents do not matter. */
export function foldName(name: string): string {
  return name.normalize('NFKD').replace(/\p{M}/gu, '').toLocaleLowerCase()
}

/**
 * The members whose name matches `query`: names that start with it first, then
 * names with a word that starts with it; each group in the order given (pass
 * the most relevant first). `selfId` is left out. At most `limit`.
 */
export function matchMembers<M extends { userId: string; name: string }>(members: readonly M[], query: string, selfId?: string, limit = 8): M[] {
  const q = foldName(query)
  const starts: M[] = []
  const inside: M[] = []
  const seen = new Set<string>()
  for (const member of members) {
    if (member.userId === selfId || seen.has(member.userId)) continue
    seen.add(member.userId)
    const name = foldName(member.name)
    if (name.startsWith(q)) starts.push(member)
    else if (q !== '' && name.split(/[\s._-]+/).some((word) => word.startsWith(q))) inside.push(member)
  }
  return [...starts, ...inside].slice(0, limit)
}

/** The text with the "@query" at `mention` replaced by "@name " (and the caret after it). */
export function insertMention(text: string, mention: MentionQuery, name: string): { text: string; caret: number } {
  const end = mention.at + 1 + mention.query.length
  const rest = text.slice(end)
  // No second space when one follows already.
  const inserted = `@${name}${rest.startsWith(' ') ? '' : ' '}`
  return { text: text.slice(0, mention.at) + inserted + rest, caret: mention.at + inserted.length + (rest.startsWith(' ') ? 1 : 0) }
}
