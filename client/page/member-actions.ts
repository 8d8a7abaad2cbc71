// What can be done to a member of the shown room: for everyone a DM and
// block/unblock; for owners and moderators (over members of lower rank) kick,
// mute and ban, each behind a form that is its confirmation (duration,
// optional reason, a button that names the act and the person); for owners,
// appointing and removing moderators.
import type { Member } from '@wirechat/protocol/primitives'
import { type ChatClient, isChatError, type Restriction } from '../index.ts'
import { createPanel, type Panel } from './dialog.ts'
import { clear, h } from './dom.ts'
import { hueClass, initials } from './format.ts'
import { t } from './i18n.ts'
import { DURATIONS, durationLabel, durationText, untilText } from './moderation-text.ts'
import { mayModerate, roleOf, type RoomRoles } from './room-roles.ts'

export interface MemberActionsHooks {
  /** Opens a DM with the member. */
  message(member: Member): void
  /** Plain words for a failed request. */
  failureText(err: unknown): string
  /** A short confirmation once an action is done. */
  done(text: string): void
}

type Act = 'kick' | 'mute' | 'ban' | 'block'

export class MemberActions {
  readonly #client: ChatClient
  readonly #roles: RoomRoles
  readonly #hooks: MemberActionsHooks
  readonly #panel: Panel
  readonly #avatar = h('span', { class: 'avatar', attrs: { 'aria-hidden': 'true' } })
  readonly #menu = h('div', { class: 'action-menu', attrs: { id: 'member-menu' } })
  readonly #confirm = h('form', { class: 'confirm-form', attrs: { id: 'member-confirm', novalidate: '' } })
  readonly #error = h('p', { class: 'form-error', attrs: { id: 'member-error', role: 'alert' } })
  #room = ''
  #member: Member | undefined
  /** The member's mute in force, when we moderate the room and asked (the menu then offers Unmute). */
  #mute: Restriction | undefined

  constructor(client: ChatClient, roles: RoomRoles, hooks: MemberActionsHooks) {
    this.#client = client
    this.#roles = roles
    this.#hooks = hooks
    this.#panel = createPanel('member-actions', '', 'compact')
    this.#panel.heading.parentElement?.before(this.#avatar)
    this.#panel.body.append(this.#menu, this.#confirm, this.#error)
  }

  /** Opens the actions for `member` of `room`. */
  open(room: string, member: Member): void {
    this.#room = room
    this.#member = member
    this.#panel.heading.textContent = member.name
    this.#avatar.textContent = initials(member.name)
    this.#avatar.className = `avatar ${hueClass(member.userId)}`
    this.#mute = undefined
    this.#showMenu()
    this.#panel.open()
    // Roles may have changed since the list was drawn, and a moderator wants to know about a mute: ask, redraw with the answers.
    void this.#refresh(room, member)
  }

  async #refresh(room: string, member: Member): Promise<void> {
    const stillShown = (): boolean => this.#member === member && this.#panel.dialog.open && !this.#menu.hidden
    const details = await this.#roles.load(room, true)
    if (!stillShown()) return
    if (mayModerate(details?.yourRole ?? 'none', roleOf(details, member.userId))) {
      const mutes = await this.#client.restrictions(room).then(
        (r) => r.mutes,
        () => [],
      )
      this.#mute = mutes.find((m) => m.userId === member.userId)
    }
    if (stillShown()) this.#showMenu()
  }

  close(): void {
    this.#panel.close()
  }

  #showMenu(): void {
    const member = this.#member
    if (!member) return
    const room = this.#room
    const details = this.#roles.get(room)
    const theirRole = roleOf(details, member.userId)
    const yourRole = this.#roles.yourRole(room)
    const blocked = this.#client.blocked.has(member.userId)
    const muted = this.#mute ? t('member.muted', { until: untilText(this.#mute.until) }) : ''
    this.#panel.subtitle.textContent = `${t(`member.role.${theirRole}`, { room })}${muted}${blocked ? t('member.blockedByYou') : ''}`
    this.#error.textContent = ''
    this.#confirm.hidden = true
    this.#menu.hidden = false
    clear(this.#menu)

    const item = (text: string, onClick: () => void, tone = ''): HTMLButtonElement => {
      const button = h('button', { class: `menu-item ${tone}`.trim(), text, attrs: { type: 'button' } })
      button.addEventListener('click', onClick)
      this.#menu.append(button)
      return button
    }
    item(t('member.sendMessage'), () => {
      this.close()
      this.#hooks.message(member)
    })
    if (blocked) item(t('member.unblock'), () => this.#run(() => this.#client.unblock(member.userId), t('member.unblocked', { name: member.name })))
    else item(t('member.block'), () => this.#showConfirm('block'))
    const moderate = mayModerate(yourRole, theirRole)
    const appoint = yourRole === 'owner' && theirRole !== 'owner'
    if (moderate || appoint) this.#menu.append(h('p', { class: 'menu-heading', text: t('member.moderation') }))
    if (appoint) {
      const role = theirRole === 'moderator' ? 'member' : 'moderator'
      item(role === 'moderator' ? t('member.makeModerator') : t('member.removeModerator'), () =>
        this.#run(
          () => this.#client.setRole(room, member.userId, role),
          role === 'moderator' ? t('member.isModerator', { name: member.name, room }) : t('member.notModerator', { name: member.name }),
          () => this.#roles.refresh(room),
        ),
      )
    }
    if (moderate) {
      item(t('member.kick'), () => this.#showConfirm('kick'), 'danger')
      if (this.#mute) item(t('member.unmute'), () => this.#run(() => this.#client.unmute(room, member.userId), t('member.unmuted', { name: member.name })))
      else item(t('member.mute'), () => this.#showConfirm('mute'), 'danger')
      item(t('member.ban'), () => this.#showConfirm('ban'), 'danger')
    }
  }

  /** The confirmation of an act: what it does, a duration and reason where they apply, Cancel and the act. */
  #showConfirm(act: Act): void {
    const member = this.#member
    if (!member) return
    const room = this.#room
    this.#menu.hidden = true
    this.#confirm.hidden = false
    this.#error.textContent = ''
    clear(this.#confirm)
    this.#confirm.append(h('h3', { text: t(`member.confirm.${act}`, { name: member.name, room }) }), h('p', { class: 'help', text: t(`member.explain.${act}`, { name: member.name, room }) }))
    if (act === 'mute' || act === 'ban') {
      const choices = h('fieldset', { class: 'durations' }, h('legend', { text: t('member.forHowLong') }))
      DURATIONS.forEach((d, i) => {
        const id = `duration-${i}`
        const radio = h('input', { attrs: { type: 'radio', name: 'duration', id, value: d.ms === undefined ? '' : String(d.ms) } })
        if (i === 1) radio.checked = true
        choices.append(h('label', { class: 'duration', attrs: { for: id } }, radio, h('span', { text: durationLabel(d.ms) })))
      })
      this.#confirm.append(choices)
    }
    if (act !== 'block') {
      this.#confirm.append(
        h('label', { text: t('member.reason'), attrs: { for: 'member-reason' } }),
        h('input', { attrs: { id: 'member-reason', name: 'reason', maxlength: '200', autocomplete: 'off' } }),
      )
    }
    const cancel = h('button', { class: 'ghost', text: t('member.cancel'), attrs: { type: 'button' } })
    const go = h('button', { class: 'danger-solid', text: t(`member.go.${act}`, { name: member.name }), attrs: { type: 'submit', id: 'member-confirm-button' } })
    cancel.addEventListener('click', () => this.#showMenu())
    this.#confirm.append(h('div', { class: 'dialog-actions' }, cancel, go))
    this.#confirm.onsubmit = (event) => {
      event.preventDefault()
      const data = new FormData(this.#confirm)
      const reason = String(data.get('reason') ?? '').trim()
      const duration = String(data.get('duration') ?? '')
      const options = { ...(duration !== '' && { durationMs: Number(duration) }), ...(reason !== '' && { reason }) }
      const span = duration === '' ? undefined : durationText(Number(duration))
      switch (act) {
        case 'kick':
          return this.#run(() => this.#client.kick(room, member.userId, reason || undefined), t('member.kicked', { name: member.name, room }), undefined, go)
        case 'mute':
          return this.#run(
            () => this.#client.mute(room, member.userId, options),
            span === undefined ? t('member.mutedForever', { name: member.name }) : t('member.mutedFor', { name: member.name, span }),
            undefined,
            go,
          )
        case 'ban':
          return this.#run(
            () => this.#client.ban(room, member.userId, options),
            span === undefined ? t('member.bannedForever', { name: member.name, room }) : t('member.bannedFor', { name: member.name, room, span }),
            undefined,
            go,
          )
        case 'block':
          return this.#run(() => this.#client.block(member.userId), t('member.blockedDone', { name: member.name }), undefined, go)
      }
    }
    go.focus()
  }

  /** Runs a request; closes with a confirmation when it succeeds, says why in the panel when not. */
  #run(request: () => Promise<unknown>, doneText: string, after?: () => void, button?: HTMLButtonElement): void {
    this.#error.textContent = ''
    if (button) button.disabled = true
    request().then(
      () => {
        this.close()
        after?.()
        this.#hooks.done(doneText)
      },
      (err: unknown) => {
        if (button) button.disabled = false
        this.#error.textContent = isChatError(err, 'bad-frame') ? t('member.badReason') : t('member.failed', { reason: this.#hooks.failureText(err) })
      },
    )
  }
}
