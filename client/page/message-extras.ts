// The parts of a message besides its text (since 1.3.0): the quote of the
// message it replies to, the reaction chips under it, the "(edited)" mark and
// the tombstone of a deleted message. Built from DOM nodes like everything
// else; names and excerpts go in as text.
import type { Reaction, ReplyRef } from '@wirechat/protocol/primitives'
import { h } from './dom.ts'
import { emojiName } from './emoji-data.ts'
import { t } from './i18n.ts'
import { fullTime, listText } from './format.ts'
import { replyExcerpt } from './reply-bar.ts'

/** Who reacted, in words: "ana, bob and 3 others reacted with thumbs up". */
export function reactionLabel(reaction: Reaction, nameOf: (userId: string) => string | undefined, selfId: string | undefined): string {
  const known: string[] = []
  const you = t('msg.you')
  for (const id of reaction.users) {
    if (known.length === 5) break
    known.push(id === selfId ? you : (nameOf(id) ?? t('someone')))
  }
  // "you" first reads better: "you and ana".
  known.sort((a, b) => (a === you ? -1 : b === you ? 1 : 0))
  const others = reaction.count - known.length
  const who = others > 0 ? t('msg.andOthers', { names: known.join(', '), count: others }) : known.length > 0 ? listText(known) : t('someone')
  const text = t('msg.reacted', { who, emoji: emojiName(reaction.emoji) ?? reaction.emoji })
  return `${text[0]?.toLocaleUpperCase() ?? ''}${text.slice(1)}`
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
          // The count is said too: the chip shows it, and what is read must contain what is shown.
          'aria-label': t(mine ? 'msg.takeBack' : 'msg.addYours', { label, count: reaction.count }),
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
  return h('div', { class: 'reactions', attrs: { role: 'group', 'aria-label': t('msg.reactions') } }, ...chips)
}

/** The quote above a reply: who and what it answers; a click asks to show the original. */
export function renderReplyQuote(reply: ReplyRef, onJump: (seq: number) => void): HTMLElement {
  const excerpt = reply.excerpt === undefined ? t('msg.originalDeleted') : replyExcerpt(reply.excerpt, Number.POSITIVE_INFINITY)
  const button = h(
    'button',
    { class: reply.excerpt === undefined ? 'reply-quote gone' : 'reply-quote', attrs: { type: 'button', 'aria-label': t('msg.replyQuote', { name: reply.name, excerpt }) } },
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
  return h('span', { class: 'edited', text: t('msg.edited'), attrs: { title: t('msg.editedAt', { time: fullTime(ts) }) } })
}

/** What a deleted message shows instead of its text. */
export function tombstone(): HTMLElement {
  return h('div', { class: 'text tombstone', text: t('msg.deleted') })
}
