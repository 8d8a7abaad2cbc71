// Who is online in the shown room; a click on someone opens a direct conversation,
// their "…" button the actions on them (block; kick, mute, ban for moderators).
import type { Member } from '@wirechat/protocol/primitives'
import { clear, h } from './dom.ts'
import { hueClass, initials } from './format.ts'
import { t, textAround } from './i18n.ts'

/** What the list knows beyond presence: roles in the room, whom we block, and where the actions go. */
export interface MemberExtras {
  /** The member's role in the room; owners and moderators get a tag. */
  roleOf?: (userId: string) => 'owner' | 'moderator' | 'member'
  /** Users this user blocks: tagged. */
  blocked?: ReadonlySet<string>
  /** Opens the actions on a member. */
  onActions?: (member: Member) => void
}

export function renderMembers(list: HTMLUListElement, members: readonly Member[], selfId: string | undefined, onPick: (member: Member) => void, extras: MemberExtras = {}): void {
  clear(list)
  const sorted = [...members].sort((a, b) => (a.userId === selfId ? -1 : b.userId === selfId ? 1 : a.name.localeCompare(b.name)))
  for (const member of sorted) {
    const avatar = h('span', { class: `avatar ${hueClass(member.userId)}`, text: initials(member.name), attrs: { 'aria-hidden': 'true' } })
    const presence = h('span', { class: 'presence-dot', attrs: { 'aria-hidden': 'true' } })
    const role = extras.roleOf?.(member.userId) ?? 'member'
    const roleTag = role === 'member' ? null : h('span', { class: `role-tag ${role}`, text: t(role === 'owner' ? 'role.owner' : 'role.mod') })
    if (member.userId === selfId) {
      list.append(h('li', { class: 'member self' }, avatar, presence, h('span', { class: 'member-name', text: member.name }), roleTag, h('span', { class: 'you', text: t('members.you') })))
      continue
    }
    const blocked = extras.blocked?.has(member.userId) === true
    const [messageBefore, messageAfter] = textAround('members.message', 'name')
    const button = h(
      'button',
      { class: 'member', attrs: { type: 'button', title: t('members.message', { name: member.name }) } },
      // The name is the visible one with the catalog's words around it (the tags after it are read too).
      messageBefore === '' ? null : h('span', { class: 'sr-only', text: messageBefore }),
      avatar,
      presence,
      h('span', { class: 'member-name', text: member.name }),
      messageAfter === '' ? null : h('span', { class: 'sr-only', text: messageAfter }),
      roleTag,
      blocked ? h('span', { class: 'role-tag blocked', text: t('members.blocked') }) : null,
    )
    button.addEventListener('click', () => onPick(member))
    const item = h('li', { class: 'member-row', attrs: { 'data-user-id': member.userId } }, button)
    if (extras.onActions) {
      const more = h('button', {
        class: 'member-more',
        text: '⋯',
        attrs: { type: 'button', 'aria-label': t('members.actions', { name: member.name }), 'aria-haspopup': 'dialog', title: t('members.actions', { name: member.name }) },
      })
      more.addEventListener('click', () => extras.onActions?.(member))
      item.append(more)
    }
    list.append(item)
  }
}
