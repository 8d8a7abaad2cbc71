// Which conversations the Ctrl+K switcher lists, in what order. No DOM.
import type { Conversation } from './conversations.ts'

const newest = (conv: Conversation): number => conv.lines.at(-1)?.ts ?? 0

/**
 * The conversations whose title contains `query` (any case, a leading "#" or "@" ignored), those
 * that start with it first; then the ones waiting for the reader (mentions, then unread) before the
 * others, the most recent first. The shown conversation goes last: the switcher is for going elsewhere.
 */
export function switcherOrder(conversations: readonly Conversation[], query: string, currentKey?: string): Conversation[] {
  const q = query.trim().replace(/^[#@]/, '').toLowerCase()
  const at = (conv: Conversation): number => conv.title.toLowerCase().indexOf(q)
  return conversations
    .filter((conv) => q === '' || at(conv) >= 0)
    .sort(
      (a, b) =>
        Number(a.key === currentKey) - Number(b.key === currentKey) ||
        (q === '' ? 0 : Number(at(a) !== 0) - Number(at(b) !== 0)) ||
        Number(b.mentions > 0) - Number(a.mentions > 0) ||
        Number(b.unread > 0) - Number(a.unread > 0) ||
        newest(b) - newest(a) ||
        a.title.localeCompare(b.title),
    )
}
