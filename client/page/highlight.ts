// Where the words of a search query occur in a result's text, so the page can
// mark them. The server matches more loosely (accents, width, word stems of
// CJK runs), so this is a reader's aid, not the rule: it marks every
// occurrence of each query word, case-insensitively, and marks nothing when a
// word is not literally there.

/** One run of a text: matched by a query word, or not. */
export interface Segment {
  text: string
  match: boolean
}

/** The words of a query ("quoted phrases" as one), without quotes, longest first, lower-cased; at most 20. */
export function queryWords(query: string): string[] {
  const words: string[] = []
  for (const m of query.matchAll(/"([^"]*)"|(\S+)/g)) {
    const word = (m[1] ?? m[2] ?? '').trim().toLocaleLowerCase()
    if (word !== '' && !words.includes(word)) words.push(word)
    if (words.length === 20) break
  }
  return words.sort((a, b) => b.length - a.length)
}

/**
 * Splits `text` into runs, marking every occurrence of any of `words`
 * (lower-case, from queryWords), case-insensitively; overlapping matches merge.
 * Joined, the runs give `text` back unchanged.
 */
export function highlightSegments(text: string, words: readonly string[]): Segment[] {
  if (words.length === 0 || text === '') return [{ text, match: false }]
  const lower = text.toLocaleLowerCase()
  // Lower-casing can change a string's length (İ → i̇): then indexes would not line up, so mark nothing.
  if (lower.length !== text.length) return [{ text, match: false }]
  const marked = new Uint8Array(text.length)
  for (const word of words) {
    if (word === '') continue
    for (let at = lower.indexOf(word); at !== -1; at = lower.indexOf(word, at + word.length)) marked.fill(1, at, at + word.length)
  }
  const out: Segment[] = []
  let start = 0
  for (let i = 1; i <= text.length; i++) {
    if (i === text.length || marked[i] !== marked[start]) {
      out.push({ text: text.slice(start, i), match: marked[start] === 1 })
      start = i
    }
  }
  return out
}

/**
 * A window of a long text around its first match, so the match shows in a
 * one-line result: "…the words before **match** and after…". At most
 * `maxChars` UTF-16 units (plus the ellipses); short texts come back whole.
 */
export function excerptAround(text: string, words: readonly string[], maxChars = 160): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  if (flat.length <= maxChars) return flat
  const lower = flat.toLocaleLowerCase()
  let first = -1
  for (const word of words) {
    const at = word === '' ? -1 : lower.indexOf(word)
    if (at !== -1 && (first === -1 || at < first)) first = at
  }
  const start = first <= maxChars / 3 ? 0 : Math.min(first - Math.floor(maxChars / 3), flat.length - maxChars)
  // Never cut a surrogate pair in half.
  const safe = (i: number): number => (i > 0 && i < flat.length && /[\uDC00-\uDFFF]/.test(flat[i] ?? '') ? i - 1 : i)
  const from = safe(start)
  const to = safe(from + maxChars)
  return `${from > 0 ? '…' : ''}${flat.slice(from, to)}${to < flat.length ? '…' : ''}`
}
