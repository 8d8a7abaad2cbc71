// The parts of a message besides its text (since 1.3.0): the quote of the
// message it replies to, the reaction chips under it, the "(edited)" mark and
// the tombstone of a deleted message. Built from DOM nodes like everything
// else; names and excerpts go in as text.
import type { Reaction, ReplyRef } from '@wirechat/protocol/primitives'
import { h } from './dom.ts'
import { emojiName } from './emoji-data.ts'
import { fullTime } from './format.ts'

/** Who reacted, in words: "ana, bob and 3 others reacted with thumbs up". */
export function reactionLabel(reaction: Reaction, nameOf: (userId: string) => string | undefined, selfId: string | undefined): string {
  const known: string[] = []
  for (const id of reaction.users) {
    if (known.length === 5) break
    known.push(id === selfId ? 'you' : (nameOf(id) ?? 'someone'))
  }
  // "you" first reads better: "you and ana".
  known.sort((a, b) => (a === 'you' ? -1 : b === 'you' ? 1 : 0))
  const others = reaction.count - known.length
  const who =
    others > 0 ? `${known.join(', ')} and ${others} ${others === 1 ? 'other' : 'others'}` : known.length > 1 ? `${known.slice(0, -1).join(', ')} and ${known.at(-1)}` : (known[0] ?? 'someone')
  return `${who[0]?.toUpperCase() ?? ''}${who.slice(1)} reacted with ${emojiName(reaction.emoji) ?? reaction.emoji}`
}

/** The reaction chips of a message, or null when it has none. `onToggle` adds or takes back this user's reaction. */
export function renderReactions(
  reactions: readonly Reaction[] | undefined,
  selfId: string | undefined,
  nameOf: (userId: string) => string | undefined,
  onToggle: (emoji: string, on: boolean) => void,
): HTMLElement | null {
  if (reactions === undefined || reactions.length === 0) return null
  const chips = reactions.map((reaction) => {
    const mine = selfId !== undefined && reaction.users.includes(selfId)
    const label = reactionLabel(reaction, nameOf, selfId)
    const chip = h(
      'button',
      {
        class: mine ? 'reaction mine' : 'reaction',
        attrs: {
          type: 'button',
          'aria-pressed': String(mine),
          'aria-label': `${label}, ${reaction.count} in all. ${mine ? 'Take back yours' : 'Add yours'}`,
          title: label,
          'data-emoji': reaction.emoji,
        },
      },
      h('span', { class: 'reaction-emoji', text: reaction.emoji, attrs: { 'aria-hidden': 'true' } }),
      h('span', { class: 'reaction-count', text: String(reaction.count), attrs: { 'aria-hidden': 'true' } }),
    )
    chip.addEventListener('click', () => onToggle(reaction.emoji, !mine))
    return chip
  })
  return h('div', { class: 'reactions', attrs: { role: 'group', 'aria-label': 'Reactions' } }, ...chips)
}

/** The quote above a reply: who and what it answers; a click asks to show the original. */
export function renderReplyQuote(reply: ReplyRef, onJump: (seq: number) => void): HTMLElement {
  const excerpt = reply.excerpt === undefined ? 'Original message deleted' : reply.excerpt.replace(/\s+/g, ' ')
  const button = h(
    'button',
    { class: reply.excerpt === undefined ? 'reply-quote gone' : 'reply-quote', attrs: { type: 'button', 'aria-label': `Reply to ${reply.name}: ${excerpt}. Show the original message` } },
    h('span', { class: 'reply-icon', text: '↩', attrs: { 'aria-hidden': 'true' } }),
    h('span', { class: 'reply-name', text: reply.name }),
    ' ',
    h('span', { class: 'reply-excerpt', text: excerpt, attrs: { dir: 'auto' } }),
  )
  button.addEventListener('click', () => onJump(reply.seq))
  return button
}

/** "(edited)", with the time of the edit as its tooltip. */
export function editedMark(ts: number): HTMLElement {
  return h('span', { class: 'edited', text: '(edited)', attrs: { title: `Edited ${fullTime(ts)}` } })
}

/** What a deleted message shows instead of its text. */
export function tombstone(): HTMLElement {
  return h('div', { class: 'text tombstone', text: 'This message was deleted' })
}
