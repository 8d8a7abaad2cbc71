// Who is online in the shown room; a click on someone opens a direct conversation.
import type { Member } from '@wirechat/protocol/primitives'
import { clear, h } from './dom.ts'
import { hueClass, initials } from './format.ts'

export function renderMembers(list: HTMLUListElement, members: readonly Member[], selfId: string | undefined, onPick: (member: Member) => void): void {
  clear(list)
  const sorted = [...members].sort((a, b) => (a.userId === selfId ? -1 : b.userId === selfId ? 1 : a.name.localeCompare(b.name)))
  for (const member of sorted) {
    const avatar = h('span', { class: `avatar ${hueClass(member.userId)}`, text: initials(member.name), attrs: { 'aria-hidden': 'true' } })
    const presence = h('span', { class: 'presence-dot', attrs: { 'aria-hidden': 'true' } })
    if (member.userId === selfId) {
      list.append(h('li', { class: 'member self' }, avatar, presence, h('span', { class: 'member-name', text: member.name }), h('span', { class: 'you', text: 'you' })))
      continue
    }
    const button = h(
      'button',
      { class: 'member', attrs: { type: 'button', 'aria-label': `Message ${member.name}`, title: `Message ${member.name}` } },
      avatar,
      presence,
      h('span', { class: 'member-name', text: member.name }),
    )
    button.addEventListener('click', () => onPick(member))
    list.append(h('li', {}, button))
  }
}
