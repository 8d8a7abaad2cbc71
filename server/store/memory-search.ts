// Search for the memory store: a scan of the rooms and the inbox the query
// names, matching each message's tokens (search-terms.ts) against the terms.
// It is the reference the SQL stores are held to by the contract suite.
import type { ChatMessage, DirectMessage } from '@wirechat/protocol'
import { type IndexTokens, indexTokens, isBelow, matchesTerms, pageOfHits, usableTerms } from './search-terms.ts'
import type { SearchHitRow, SearchQuery } from './store.ts'

/** What the memory store lets search read. */
export interface MemorySearchSource {
  /** The room's entries, oldest first (messages and events). */
  room(room: string): readonly ChatMessage[]
  /** The user's inbox, oldest first, with `seq` in it. */
  inbox(userId: string): readonly DirectMessage[]
}

/** Never found: event entries (their text is a fallback sentence) and tombstones. */
const searchable = (m: ChatMessage): boolean => m.event === undefined && m.deleted !== true

export function createMemorySearch(source: MemorySearchSource): (query: SearchQuery) => { hits: SearchHitRow[]; hasMore: boolean } {
  // Tokens of a message, kept while its text stays the same (an edit changes it).
  const cache = new WeakMap<object, { text: string; tokens: IndexTokens }>()
  const tokensOf = (m: ChatMessage | DirectMessage): IndexTokens => {
    const cached = cache.get(m)
    if (cached?.text === m.text) return cached.tokens
    const tokens = indexTokens(m.text)
    cache.set(m, { text: m.text, tokens })
    return tokens
  }

  return (query) => {
    const terms = usableTerms(query.terms)
    const hits: SearchHitRow[] = []
    if (terms.length > 0) {
      for (const room of new Set(query.rooms))
        for (const m of source.room(room)) if (searchable(m) && isBelow(m, query.before) && matchesTerms(tokensOf(m), terms)) hits.push({ kind: 'room', message: { ...m } })
      if (query.dms) for (const dm of source.inbox(query.userId)) if (isBelow(dm, query.before) && matchesTerms(tokensOf(dm), terms)) hits.push({ kind: 'dm', dm: { ...dm } })
    }
    return pageOfHits(hits, query.limit)
  }
}
