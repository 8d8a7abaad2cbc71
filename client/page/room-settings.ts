// Room settings for the shown room: the topic (owners, moderators), public or
// private (owners), owners and moderators with appoint/remove (owners),
// invitations (private rooms), and the bans and mutes in force with
// unban/unmute (owners, moderators). Everyone sees what they may not change.
import type { Member } from '@wirechat/protocol/primitives'
import { type ChatClient, type FoundUser, isChatError, type Restriction, type RoomDetails } from '../index.ts'
import { createPanel, type Panel, section } from './dialog.ts'
import { clear, h } from './dom.ts'
import { hueClass, initials } from './format.ts'
import { t } from './i18n.ts'
import { untilText } from './moderation-text.ts'
import { isModerator, type RoomRoles } from './room-roles.ts'

export interface RoomSettingsActions {
  /** A user's display name when the page knows it. */
  nameOf(userId: string): string | undefined
  /** Who is online in the room now (candidates for moderator). */
  members(room: string): readonly Member[]
  /** Plain words for a failed request. */
  failureText(err: unknown): string
}

const personRow = (userId: string, name: string, ...extra: (Node | null)[]): HTMLLIElement =>
  h(
    'li',
    { class: 'person', attrs: { 'data-user-id': userId } },
    h('span', { class: `avatar small ${hueClass(userId)}`, text: initials(name), attrs: { 'aria-hidden': 'true' } }),
    h('span', { class: 'person-name' }, h('span', { text: name })),
    ...extra,
  )

export class RoomSettings {
  readonly #client: ChatClient
  readonly #roles: RoomRoles
  readonly #actions: RoomSettingsActions
  readonly #panel: Panel
  #room: string | undefined
  readonly #topic = {
    form: h('form', { class: 'settings-form', attrs: { id: 'settings-topic-form', novalidate: '' } }),
    input: h('input', { attrs: { id: 'settings-topic', maxlength: '200', autocomplete: 'off', placeholder: t('settings.topicPlaceholder'), 'aria-describedby': 'settings-topic-error' } }),
    save: h('button', { class: 'ghost', text: t('settings.save'), attrs: { type: 'submit' } }),
    shown: h('p', { class: 'settings-value', attrs: { id: 'settings-topic-text' } }),
    error: h('p', { class: 'form-error', attrs: { id: 'settings-topic-error', role: 'alert' } }),
  }
  readonly #visibility = {
    fieldset: h('fieldset', { class: 'choice-list', attrs: { id: 'settings-visibility' } }),
    public: h('input', { attrs: { type: 'radio', name: 'room-visibility', id: 'visibility-public', value: 'public' } }),
    private: h('input', { attrs: { type: 'radio', name: 'room-visibility', id: 'visibility-private', value: 'private' } }),
    shown: h('p', { class: 'settings-value', attrs: { id: 'settings-visibility-text' } }),
    error: h('p', { class: 'form-error', attrs: { role: 'alert' } }),
  }
  readonly #people = {
    owners: h('ul', { class: 'people', attrs: { id: 'settings-owners', 'aria-label': t('settings.owners') } }),
    moderators: h('ul', { class: 'people', attrs: { id: 'settings-moderators', 'aria-label': t('settings.moderators') } }),
    appoint: h('form', { class: 'inline-field wrap', attrs: { id: 'appoint-form', novalidate: '' } }),
    candidate: h('select', { attrs: { id: 'appoint-user', 'aria-label': t('settings.appointLabel') } }),
    appointButton: h('button', { class: 'ghost', text: t('settings.makeModerator'), attrs: { type: 'submit' } }),
    error: h('p', { class: 'form-error', attrs: { id: 'people-error', role: 'alert' } }),
  }
  readonly #invite = {
    section: h('div'),
    form: h('form', { class: 'inline-field', attrs: { id: 'invite-form', role: 'search', novalidate: '' } }),
    name: h('input', {
      attrs: { id: 'invite-name', type: 'search', maxlength: '32', autocomplete: 'off', spellcheck: 'false', placeholder: t('settings.invitePlaceholder'), 'aria-label': t('settings.inviteLabel') },
    }),
    results: h('ul', { class: 'people', attrs: { id: 'invite-results', 'aria-label': t('settings.usersFound') } }),
    status: h('p', { class: 'form-ok', attrs: { id: 'invite-status', role: 'status' } }),
    error: h('p', { class: 'form-error', attrs: { id: 'invite-error', role: 'alert' } }),
  }
  readonly #restrictions = {
    section: h('div'),
    bans: h('ul', { class: 'people', attrs: { id: 'settings-bans', 'aria-label': t('settings.banned') } }),
    mutes: h('ul', { class: 'people', attrs: { id: 'settings-mutes', 'aria-label': t('settings.muted') } }),
    error: h('p', { class: 'form-error', attrs: { id: 'restrictions-error', role: 'alert' } }),
  }
  #sections: { topic: HTMLElement; visibility: HTMLElement; people: HTMLElement; invite: HTMLElement; restrictions: HTMLElement }

  constructor(client: ChatClient, roles: RoomRoles, actions: RoomSettingsActions) {
    this.#client = client
    this.#roles = roles
    this.#actions = actions
    this.#panel = createPanel('room-settings', t('settings.title'), 'wide')

    const { form, input, save, shown, error } = this.#topic
    form.append(h('label', { class: 'sr-only', text: t('settings.topic'), attrs: { for: 'settings-topic' } }), input, save)
    const v = this.#visibility
    v.fieldset.append(
      h('legend', { class: 'sr-only', text: t('settings.whoCanJoin') }),
      h(
        'label',
        { class: 'choice', attrs: { for: 'visibility-public' } },
        v.public,
        h('span', {}, h('strong', { text: t('settings.public') }), h('span', { class: 'help', text: t('settings.publicHelp') })),
      ),
      h(
        'label',
        { class: 'choice', attrs: { for: 'visibility-private' } },
        v.private,
        h('span', {}, h('strong', { text: t('settings.private') }), h('span', { class: 'help', text: t('settings.privateHelp') })),
      ),
    )
    const p = this.#people
    p.appoint.append(p.candidate, p.appointButton)
    const inv = this.#invite
    inv.form.append(inv.name, h('button', { class: 'ghost', text: t('settings.find'), attrs: { type: 'submit' } }))
    inv.section.append(h('p', { class: 'help', text: t('settings.inviteHelp') }), inv.form, inv.error, inv.status, inv.results)
    const r = this.#restrictions
    r.section.append(h('h4', { text: t('settings.banned') }), r.bans, h('h4', { text: t('settings.muted') }), r.mutes, r.error)

    this.#sections = {
      topic: section(t('settings.topic'), shown, form, error),
      visibility: section(t('settings.whoCanJoin'), v.shown, v.fieldset, v.error),
      invite: section(t('settings.invite'), inv.section),
      people: section(t('settings.people'), h('h4', { text: t('settings.owners') }), p.owners, h('h4', { text: t('settings.moderators') }), p.moderators, p.appoint, p.error),
      restrictions: section(t('settings.restrictions'), r.section),
    }
    this.#panel.body.append(...Object.values(this.#sections))

    form.addEventListener('submit', (event) => {
      event.preventDefault()
      this.#saveTopic()
    })
    for (const radio of [v.public, v.private]) radio.addEventListener('change', () => this.#saveVisibility(radio === v.public))
    p.appoint.addEventListener('submit', (event) => {
      event.preventDefault()
      if (p.candidate.value !== '') this.#setRole(p.candidate.value, 'moderator')
    })
    inv.form.addEventListener('submit', (event) => {
      event.preventDefault()
      this.#findInvitees()
    })
  }

  get room(): string | undefined {
    return this.#panel.dialog.open ? this.#room : undefined
  }

  /** Opens the settings of `room`, with what is known at once and fresh details as they come. */
  open(room: string): void {
    this.#room = room
    this.#panel.heading.textContent = `# ${room}`
    for (const el of [this.#topic.error, this.#visibility.error, this.#people.error, this.#invite.error, this.#invite.status, this.#restrictions.error]) el.textContent = ''
    this.#invite.name.value = ''
    clear(this.#invite.results)
    this.render()
    this.#panel.open()
    void this.#roles.load(room, true)
  }

  close(): void {
    this.#panel.close()
  }

  /** Draws the details known for the room (called again when they change). */
  render(): void {
    const room = this.#room
    if (room === undefined) return
    const details = this.#roles.get(room)
    const role = details?.yourRole ?? 'none'
    const owner = role === 'owner'
    const moderator = isModerator(role)
    this.#panel.subtitle.textContent =
      details === undefined
        ? t('settings.loading')
        : t(details.public ? 'settings.summary' : 'settings.summaryPrivate', { members: t('settings.members', { count: details.members }), role: t(`settings.role.${role}`) })

    const tp = this.#topic
    const topic = details?.topic ?? ''
    tp.shown.textContent = topic === '' ? t('settings.noTopic') : topic
    tp.shown.classList.toggle('none', topic === '')
    tp.shown.hidden = moderator
    tp.form.hidden = !moderator
    if (document.activeElement !== tp.input) tp.input.value = topic

    const v = this.#visibility
    v.public.checked = details?.public === true
    v.private.checked = details?.public === false
    v.fieldset.hidden = !owner
    v.shown.hidden = owner
    v.shown.textContent = details === undefined ? '' : t(details.public ? 'settings.isPublic' : 'settings.isPrivate')

    this.#renderPeople(room, details, owner)
    this.#sections.invite.hidden = !moderator || details?.public !== false
    this.#sections.restrictions.hidden = !moderator
    if (moderator) void this.#loadRestrictions(room)
  }

  #name(userId: string): string {
    return userId === this.#client.user?.userId ? this.#client.user.name : (this.#actions.nameOf(userId) ?? t('settings.someone'))
  }

  /** A person in the owner or moderator list, "you" marked. */
  #person(userId: string, ...extra: (Node | null)[]): HTMLLIElement {
    const you = userId === this.#client.user?.userId ? h('span', { class: 'you', text: t('settings.you') }) : null
    return personRow(userId, this.#name(userId), you, ...extra)
  }

  #renderPeople(room: string, details: RoomDetails | undefined, owner: boolean): void {
    const p = this.#people
    clear(p.owners)
    clear(p.moderators)
    for (const userId of details?.owners ?? []) p.owners.append(this.#person(userId))
    if (details !== undefined && details.owners.length === 0) p.owners.append(h('li', { class: 'help', text: t('settings.noOwners') }))
    for (const userId of details?.moderators ?? []) {
      const name = this.#name(userId)
      const remove = owner ? h('button', { class: 'ghost small', text: t('settings.remove'), attrs: { type: 'button', 'aria-label': t('settings.removeModerator', { name }) } }) : null
      remove?.addEventListener('click', () => this.#setRole(userId, 'member'))
      p.moderators.append(this.#person(userId, remove))
    }
    if (details !== undefined && details.moderators.length === 0) p.moderators.append(h('li', { class: 'help', text: t('settings.noModerators') }))
    // Candidates: online members who hold no role; appointing needs owners only.
    const candidates = this.#actions.members(room).filter((m) => m.userId !== this.#client.user?.userId && !details?.owners.includes(m.userId) && !details?.moderators.includes(m.userId))
    clear(p.candidate)
    p.candidate.append(h('option', { text: t(candidates.length === 0 ? 'settings.nobodyToAppoint' : 'settings.chooseMember'), attrs: { value: '' } }))
    for (const m of candidates) p.candidate.append(h('option', { text: m.name, attrs: { value: m.userId } }))
    p.appoint.hidden = !owner
    p.candidate.disabled = candidates.length === 0
    p.appointButton.disabled = candidates.length === 0
  }

  #saveTopic(): void {
    const room = this.#room
    const { input, error, save } = this.#topic
    if (room === undefined) return
    error.textContent = ''
    save.disabled = true
    this.#client.setRoom(room, { topic: input.value.trim() }).then(
      () => {
        save.disabled = false
        input.blur()
        this.#roles.refresh(room)
      },
      (err: unknown) => {
        save.disabled = false
        error.textContent = isChatError(err, 'bad-frame') ? t('settings.badTopic') : t('settings.topicFailed', { reason: this.#actions.failureText(err) })
      },
    )
  }

  #saveVisibility(isPublic: boolean): void {
    const room = this.#room
    if (room === undefined) return
    this.#visibility.error.textContent = ''
    this.#client.setRoom(room, { public: isPublic }).then(
      () => this.#roles.refresh(room),
      (err: unknown) => {
        this.#visibility.error.textContent = t('settings.visibilityFailed', { reason: this.#actions.failureText(err) })
        this.render()
      },
    )
  }

  #setRole(userId: string, role: 'moderator' | 'member'): void {
    const room = this.#room
    if (room === undefined) return
    this.#people.error.textContent = ''
    this.#client.setRole(room, userId, role).then(
      () => this.#roles.refresh(room),
      (err: unknown) => {
        this.#people.error.textContent = t('settings.roleFailed', { reason: this.#actions.failureText(err) })
      },
    )
  }

  #findInvitees(): void {
    const room = this.#room
    const inv = this.#invite
    const prefix = inv.name.value.trim()
    inv.error.textContent = ''
    inv.status.textContent = ''
    if (room === undefined || prefix === '') return
    this.#client.findUsers(prefix, 8).then(
      (users) => {
        clear(inv.results)
        if (users.length === 0) inv.error.textContent = t('find.none', { prefix })
        for (const user of users) inv.results.append(this.#inviteRow(room, user))
      },
      (err: unknown) => {
        inv.error.textContent = isChatError(err, 'bad-frame') ? t('find.tooLong') : t('find.failed', { reason: this.#actions.failureText(err) })
      },
    )
  }

  #inviteRow(room: string, user: FoundUser): HTMLLIElement {
    const inv = this.#invite
    const button = h('button', { class: 'ghost small', text: t('settings.inviteButton'), attrs: { type: 'button', 'aria-label': t('settings.inviteUser', { name: user.name }) } })
    button.addEventListener('click', () => {
      button.disabled = true
      this.#client.invite(room, user.userId).then(
        () => {
          button.textContent = t('settings.invited')
          inv.status.textContent = t('settings.invitedText', { name: user.name, room })
        },
        (err: unknown) => {
          button.disabled = false
          inv.error.textContent = t('settings.inviteFailed', { name: user.name, reason: this.#actions.failureText(err) })
        },
      )
    })
    return personRow(user.userId, user.name, h('span', { class: `found-state ${user.online ? 'online' : 'offline'}`, text: t(user.online ? 'presence.online' : 'presence.offline') }), button)
  }

  async #loadRestrictions(room: string): Promise<void> {
    const r = this.#restrictions
    try {
      const { bans, mutes } = await this.#client.restrictions(room)
      if (this.#room !== room) return
      r.error.textContent = ''
      this.#fillRestrictions(room, r.bans, bans, 'ban')
      this.#fillRestrictions(room, r.mutes, mutes, 'mute')
    } catch (err) {
      if (this.#room === room) r.error.textContent = t('settings.restrictionsFailed', { reason: this.#actions.failureText(err) })
    }
  }

  #fillRestrictions(room: string, list: HTMLUListElement, rows: readonly Restriction[], kind: 'ban' | 'mute'): void {
    clear(list)
    if (rows.length === 0) list.append(h('li', { class: 'help', text: t(kind === 'ban' ? 'settings.nobodyBanned' : 'settings.nobodyMuted') }))
    for (const row of rows) {
      const by = row.by === this.#client.user?.userId ? t('settings.you') : (this.#actions.nameOf(row.by) ?? t('settings.aModerator'))
      const until = untilText(row.until)
      const details = row.reason ? t('settings.byReason', { by, until, reason: row.reason }) : t('settings.by', { by, until })
      const lift = h('button', {
        class: 'ghost small',
        text: t(kind === 'ban' ? 'settings.unban' : 'settings.unmute'),
        attrs: { type: 'button', 'aria-label': t(kind === 'ban' ? 'settings.unbanUser' : 'settings.unmuteUser', { name: row.name }) },
      })
      lift.addEventListener('click', () => {
        lift.disabled = true
        const done = kind === 'ban' ? this.#client.unban(room, row.userId) : this.#client.unmute(room, row.userId)
        done.then(
          () => void this.#loadRestrictions(room),
          (err: unknown) => {
            lift.disabled = false
            this.#restrictions.error.textContent = t(kind === 'ban' ? 'settings.unbanFailed' : 'settings.unmuteFailed', { name: row.name, reason: this.#actions.failureText(err) })
          },
        )
      })
      const item = personRow(row.userId, row.name, lift)
      item.querySelector('.person-name')?.append(h('span', { class: 'help person-detail', text: details }))
      list.append(item)
    }
  }
}
