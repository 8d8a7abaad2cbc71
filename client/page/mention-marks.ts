// Mentions in a shown message: the "@name"s the server resolved (the
// message's `mentions`), marked as such, and the one naming this user marked
// more strongly. Names are found with the server's own candidates
// (protocol/mentions.ts), so the page marks what the server counted, not
// every word after an "@".
import { mentionCandidates } from '@wirechat/protocol/mentions'
import { foldName } from './mention-complete.ts'

/** One "@name" in a text. */
export interface MentionRange {
  /** UTF-16 index of the "@". */
  start: number
  /** Index after the name. */
  end: number
  userId: string
}

/** Finds a user id by name (names compared folded: case and accents do not matter). */
export type NameLookup = (name: string) => string | undefined

/** A lookup over `users` (id → name), for the ids a message mentions. */
export function lookupAmong(ids: readonly string[], nameOf: (userId: string) => string | undefined): NameLookup {
  const byName = new Map<string, string>()
  for (const id of ids) {
    const name = nameOf(id)
    if (name !== undefined) byName.set(foldName(name), id)
  }
  return (name) => byName.get(foldName(name))
}

/** The "@name"s of `text` that `lookup` knows, in order; for each "@" its longest known name. */
export function mentionRanges(text: string, lookup: NameLookup): MentionRange[] {
  const out: MentionRange[] = []
  for (const { at, names } of mentionCandidates(text)) {
    for (const name of names) {
      const userId = lookup(name)
      if (userId === undefined) continue
      out.push({ start: at, end: at + 1 + name.length, userId })
      break
    }
  }
  return out
}

/**
 * Wraps each known "@name" in the rendered text `root` in `<span class="mention">`
 * (plus `mention-me` for `selfId`). Text inside code, links and existing marks
 * is left alone: a mention in a code block is not one a reader should see marked.
 */
export function markMentions(root: HTMLElement, lookup: NameLookup, selfId: string | undefined): void {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
    acceptNode: (node) => (node.parentElement?.closest('code, pre, a, .mention') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
  })
  const texts: Text[] = []
  for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) if ((node.nodeValue ?? '').includes('@')) texts.push(node as Text)
  for (const node of texts) {
    const text = node.nodeValue ?? ''
    const ranges = mentionRanges(text, lookup)
    if (ranges.length === 0) continue
    const parts: Node[] = []
    let from = 0
    for (const range of ranges) {
      if (range.start > from) parts.push(document.createTextNode(text.slice(from, range.start)))
      const span = document.createElement('span')
      span.className = range.userId === selfId ? 'mention mention-me' : 'mention'
      span.textContent = text.slice(range.start, range.end)
      parts.push(span)
      from = range.end
    }
    if (from < text.length) parts.push(document.createTextNode(text.slice(from)))
    node.replaceWith(...parts)
  }
}
