// The list of rooms and direct conversations, with unread and mention counts.
import type { Conversation } from './conversations.ts'
import { clear, h } from './dom.ts'
import { hueClass, initials } from './format.ts'
import { t, textAround } from './i18n.ts'
import { badgeText } from './unread.ts'

export interface SidebarElements {
  rooms: HTMLUListElement
  dms: HTMLUListElement
  dmHint: HTMLElement
}

/**
 * What a screen reader hears around a conversation's visible title: the kind of conversation,
 * before or after the title as the language puts it, then the unread and mention counts.
 */
export function spokenAround(kind: Conversation['kind'], unread: number, mentions: number): [before: string, after: string] {
  const [before, after] = textAround(kind === 'room' ? 'sidebar.room' : 'sidebar.dm', 'name')
  const counts = [unread > 0 ? t('sidebar.unread', { count: unread }) : '', mentions > 0 ? t('sidebar.mentions', { count: mentions }) : ''].filter(Boolean)
  return [before, after + counts.map((count) => `, ${count}`).join('')]
}

/**
 * Draws both lists. Each conversation shows its unread count and, for rooms, a separate "@" badge
 * for unread mentions of this user; `quiet` is a conversation whose counts are not shown (the one
 * on screen while the tab is visible: its new messages are in view or counted by the pill).
 */
export function renderSidebar(el: SidebarElements, rooms: readonly Conversation[], dms: readonly Conversation[], currentKey: string | undefined, onPick: (key: string) => void, quiet?: string): void {
  const item = (conv: Conversation) => {
    const icon =
      conv.kind === 'room'
        ? h('span', { class: 'conv-icon', text: '#', attrs: { 'aria-hidden': 'true' } })
        : h('span', { class: `avatar tiny ${hueClass(conv.id)}`, text: initials(conv.title), attrs: { 'aria-hidden': 'true' } })
    const unread = conv.key === quiet ? 0 : conv.unread
    const mentions = conv.key === quiet || conv.kind === 'dm' ? 0 : conv.mentions
    // The name is the visible title with the words the catalog puts around it (the kind: "Room design",
    // "design 님과의 …") and the counts after it (the badges are only seen), so what is read contains what is shown.
    const [before, after] = spokenAround(conv.kind, unread, mentions)
    const button = h(
      'button',
      { class: unread > 0 ? 'conv unread' : 'conv', attrs: { type: 'button' } },
      before === '' ? null : h('span', { class: 'sr-only', text: before }),
      icon,
      h('span', { class: 'conv-title', text: conv.title }),
      after === '' ? null : h('span', { class: 'sr-only', text: after }),
      mentions > 0 ? h('span', { class: 'badge mention-badge', text: `@${mentions > 9 ? '9+' : mentions}`, attrs: { 'aria-hidden': 'true' } }) : null,
      unread > 0 ? h('span', { class: 'badge', text: badgeText(unread), attrs: { 'aria-hidden': 'true' } }) : null,
    )
    if (conv.key === currentKey) button.setAttribute('aria-current', 'page')
    button.addEventListener('click', () => onPick(conv.key))
    return h('li', { attrs: { 'data-key': conv.key } }, button)
  }
  clear(el.rooms)
  el.rooms.append(...rooms.map(item))
  clear(el.dms)
  el.dms.append(...dms.map(item))
  el.dmHint.hidden = dms.length > 0
}
