// The list of rooms and direct conversations, with unread counts.
import type { Conversation } from './conversations.ts'
import { clear, h } from './dom.ts'
import { hueClass, initials } from './format.ts'

export interface SidebarElements {
  rooms: HTMLUListElement
  dms: HTMLUListElement
  dmHint: HTMLElement
}

export function renderSidebar(el: SidebarElements, rooms: readonly Conversation[], dms: readonly Conversation[], currentKey: string | undefined, onPick: (key: string) => void): void {
  const item = (conv: Conversation) => {
    const icon =
      conv.kind === 'room'
        ? h('span', { class: 'conv-icon', text: '#', attrs: { 'aria-hidden': 'true' } })
        : h('span', { class: `avatar tiny ${hueClass(conv.id)}`, text: initials(conv.title), attrs: { 'aria-hidden': 'true' } })
    const label = conv.unread > 0 ? `${conv.title}, ${conv.unread} unread` : conv.title
    const button = h(
      'button',
      { class: conv.unread > 0 ? 'conv unread' : 'conv', attrs: { type: 'button', 'aria-label': conv.kind === 'room' ? `Room ${label}` : `Direct messages with ${label}` } },
      icon,
      h('span', { class: 'conv-title', text: conv.title }),
      conv.unread > 0 ? h('span', { class: 'badge', text: conv.unread > 99 ? '99+' : String(conv.unread), attrs: { 'aria-hidden': 'true' } }) : null,
    )
    if (conv.key === currentKey) button.setAttribute('aria-current', 'page')
    button.addEventListener('click', () => onPick(conv.key))
    return h('li', {}, button)
  }
  clear(el.rooms)
  el.rooms.append(...rooms.map(item))
  clear(el.dms)
  el.dms.append(...dms.map(item))
  el.dmHint.hidden = dms.length > 0
}
