// Search for the memory store: a scan of the rooms and the inbox the query
// names, matching each message's tokens (search-terms.ts) against the terms.
// It is the reference the SQL stores are held to by the contract suite.
import type { DirectMessage } from '@wirechat/protocol'
import type { SearchableMessage } from './memory-rooms.ts'
import { type IndexTokens, indexTokens, isBelow, matchesTerms, pageOfHits, usableTerms } from './search-terms.ts'
import type { SearchHitRow, SearchQuery } from './store.ts'

/** What the memory store lets search read. */
export interface MemorySearchSource {
  /** The room's messages search may find: no event entries (their text is a fallback sentence), no tombstones. */
  room(room: string): Iterable<SearchableMessage>
  /** The user's inbox, oldest first, with `seq` in it. */
  inbox(userId: string): readonly DirectMessage[]
}

export function createMemorySearch(source: MemorySearchSource): (query: SearchQuery) => { hits: SearchHitRow[]; hasMore: boolean } {
  // Tokens of a message, kept while its text stays the same (an edit changes it).
  const cache = new WeakMap<object, { text: string; tokens: IndexTokens }>()
  const tokensOf = (key: object, text: string): IndexTokens => {
    const cached = cache.get(key)
    if (cached?.text === text) return cached.tokens
    const tokens = indexTokens(text)
    cache.set(key, { text, tokens })
    return tokens
  }

  return (query) => {
    const terms = usableTerms(query.terms)
    const hits: SearchHitRow[] = []
    if (terms.length > 0) {
      for (const room of new Set(query.rooms))
        for (const m of source.room(room)) if (isBelow(m, query.before) && matchesTerms(tokensOf(m.key, m.text), terms)) hits.push({ kind: 'room', message: m.message() })
      if (query.dms) for (const dm of source.inbox(query.userId)) if (isBelow(dm, query.before) && matchesTerms(tokensOf(dm, dm.text), terms)) hits.push({ kind: 'dm', dm: { ...dm } })
    }
    return pageOfHits(hits, query.limit)
  }
}
