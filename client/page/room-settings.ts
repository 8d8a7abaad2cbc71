// Room settings for the shown room: the topic (owners, moderators), public or
// private (owners), owners and moderators with appoint/remove (owners),
// invitations (private rooms), and the bans and mutes in force with
// unban/unmute (owners, moderators). Everyone sees what they may not change.
import type { Member } from '@wirechat/protocol/primitives'
import { type ChatClient, type FoundUser, isChatError, type Restriction, type RoomDetails } from '../index.ts'
import { createPanel, type Panel, section } from './dialog.ts'
import { clear, h } from './dom.ts'
import { hueClass, initials } from './format.ts'
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

const ROLE_WORDS = { owner: 'the owner', moderator: 'a moderator', member: 'a member', none: 'not a member' } as const

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
    input: h('input', { attrs: { id: 'settings-topic', maxlength: '200', autocomplete: 'off', placeholder: 'What is this room about?', 'aria-describedby': 'settings-topic-error' } }),
    save: h('button', { class: 'ghost', text: 'Save', attrs: { type: 'submit' } }),
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
    owners: h('ul', { class: 'people', attrs: { id: 'settings-owners', 'aria-label': 'Owners' } }),
    moderators: h('ul', { class: 'people', attrs: { id: 'settings-moderators', 'aria-label': 'Moderators' } }),
    appoint: h('form', { class: 'inline-field wrap', attrs: { id: 'appoint-form', novalidate: '' } }),
    candidate: h('select', { attrs: { id: 'appoint-user', 'aria-label': 'Member to make a moderator' } }),
    appointButton: h('button', { class: 'ghost', text: 'Make moderator', attrs: { type: 'submit' } }),
    error: h('p', { class: 'form-error', attrs: { id: 'people-error', role: 'alert' } }),
  }
  readonly #invite = {
    section: h('div'),
    form: h('form', { class: 'inline-field', attrs: { id: 'invite-form', role: 'search', novalidate: '' } }),
    name: h('input', {
      attrs: { id: 'invite-name', type: 'search', maxlength: '32', autocomplete: 'off', spellcheck: 'false', placeholder: 'Name to invite…', 'aria-label': 'Find a user to invite' },
    }),
    results: h('ul', { class: 'people', attrs: { id: 'invite-results', 'aria-label': 'Users found' } }),
    status: h('p', { class: 'form-ok', attrs: { id: 'invite-status', role: 'status' } }),
    error: h('p', { class: 'form-error', attrs: { id: 'invite-error', role: 'alert' } }),
  }
  readonly #restrictions = {
    section: h('div'),
    bans: h('ul', { class: 'people', attrs: { id: 'settings-bans', 'aria-label': 'Banned' } }),
    mutes: h('ul', { class: 'people', attrs: { id: 'settings-mutes', 'aria-label': 'Muted' } }),
    error: h('p', { class: 'form-error', attrs: { id: 'restrictions-error', role: 'alert' } }),
  }
  #sections: { topic: HTMLElement; visibility: HTMLElement; people: HTMLElement; invite: HTMLElement; restrictions: HTMLElement }

  constructor(client: ChatClient, roles: RoomRoles, actions: RoomSettingsActions) {
    this.#client = client
    this.#roles = roles
    this.#actions = actions
    this.#panel = createPanel('room-settings', 'Room settings', 'wide')

    const { form, input, save, shown, error } = this.#topic
    form.append(h('label', { class: 'sr-only', text: 'Topic', attrs: { for: 'settings-topic' } }), input, save)
    const v = this.#visibility
    v.fieldset.append(
      h('legend', { class: 'sr-only', text: 'Who can join' }),
      h(
        'label',
        { class: 'choice', attrs: { for: 'visibility-public' } },
        v.public,
        h('span', {}, h('strong', { text: 'Public' }), h('span', { class: 'help', text: 'Listed in the room browser; anyone can join.' })),
      ),
      h(
        'label',
        { class: 'choice', attrs: { for: 'visibility-private' } },
        v.private,
        h('span', {}, h('strong', { text: 'Private' }), h('span', { class: 'help', text: 'Not listed; people join by invitation.' })),
      ),
    )
    const p = this.#people
    p.appoint.append(p.candidate, p.appointButton)
    const inv = this.#invite
    inv.form.append(inv.name, h('button', { class: 'ghost', text: 'Find', attrs: { type: 'submit' } }))
    inv.section.append(h('p', { class: 'help', text: 'Invited users can join this private room.' }), inv.form, inv.error, inv.status, inv.results)
    const r = this.#restrictions
    r.section.append(h('h4', { text: 'Banned' }), r.bans, h('h4', { text: 'Muted' }), r.mutes, r.error)

    this.#sections = {
      topic: section('Topic', shown, form, error),
      visibility: section('Who can join', v.shown, v.fieldset, v.error),
      invite: section('Invite someone', inv.section),
      people: section('Owners and moderators', h('h4', { text: 'Owners' }), p.owners, h('h4', { text: 'Moderators' }), p.moderators, p.appoint, p.error),
      restrictions: section('Bans and mutes', r.section),
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
      details === undefined ? 'Loading…' : `${details.public ? 'Public' : 'Private'} room · ${details.members} member${details.members === 1 ? '' : 's'} · you are ${ROLE_WORDS[role]}`

    const t = this.#topic
    const topic = details?.topic ?? ''
    t.shown.textContent = topic === '' ? 'No topic yet.' : topic
    t.shown.classList.toggle('none', topic === '')
    t.shown.hidden = moderator
    t.form.hidden = !moderator
    if (document.activeElement !== t.input) t.input.value = topic

    const v = this.#visibility
    v.public.checked = details?.public === true
    v.private.checked = details?.public === false
    v.fieldset.hidden = !owner
    v.shown.hidden = owner
    v.shown.textContent = details === undefined ? '' : details.public ? 'Public: listed in the room browser; anyone can join.' : 'Private: people join by invitation.'

    this.#renderPeople(room, details, owner)
    this.#sections.invite.hidden = !moderator || details?.public !== false
    this.#sections.restrictions.hidden = !moderator
    if (moderator) void this.#loadRestrictions(room)
  }

  #name(userId: string): string {
    return userId === this.#client.user?.userId ? this.#client.user.name : (this.#actions.nameOf(userId) ?? 'someone')
  }

  /** A person in the owner or moderator list, "you" marked. */
  #person(userId: string, ...extra: (Node | null)[]): HTMLLIElement {
    const you = userId === this.#client.user?.userId ? h('span', { class: 'you', text: 'you' }) : null
    return personRow(userId, this.#name(userId), you, ...extra)
  }

  #renderPeople(room: string, details: RoomDetails | undefined, owner: boolean): void {
    const p = this.#people
    clear(p.owners)
    clear(p.moderators)
    for (const userId of details?.owners ?? []) p.owners.append(this.#person(userId))
    if (details !== undefined && details.owners.length === 0) p.owners.append(h('li', { class: 'help', text: 'Nobody: this room is older than owners.' }))
    for (const userId of details?.moderators ?? []) {
      const name = this.#name(userId)
      const remove = owner ? h('button', { class: 'ghost small', text: 'Remove', attrs: { type: 'button', 'aria-label': `Remove ${name} as moderator` } }) : null
      remove?.addEventListener('click', () => this.#setRole(userId, 'member'))
      p.moderators.append(this.#person(userId, remove))
    }
    if (details !== undefined && details.moderators.length === 0) p.moderators.append(h('li', { class: 'help', text: 'No moderators yet.' }))
    // Candidates: online members who hold no role; appointing needs owners only.
    const candidates = this.#actions.members(room).filter((m) => m.userId !== this.#client.user?.userId && !details?.owners.includes(m.userId) && !details?.moderators.includes(m.userId))
    clear(p.candidate)
    p.candidate.append(h('option', { text: candidates.length === 0 ? 'Nobody online to appoint' : 'Choose a member online…', attrs: { value: '' } }))
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
        error.textContent = isChatError(err, 'bad-frame') ? 'A topic has up to 200 characters, without control characters.' : `Could not set the topic: ${this.#actions.failureText(err)}`
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
        this.#visibility.error.textContent = `Could not change it: ${this.#actions.failureText(err)}`
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
        this.#people.error.textContent = `Could not change the role: ${this.#actions.failureText(err)}`
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
        if (users.length === 0) inv.error.textContent = `Nobody found whose name starts with “${prefix}”.`
        for (const user of users) inv.results.append(this.#inviteRow(room, user))
      },
      (err: unknown) => {
        inv.error.textContent = isChatError(err, 'bad-frame') ? 'Type up to 32 characters of a name.' : `Could not search: ${this.#actions.failureText(err)}`
      },
    )
  }

  #inviteRow(room: string, user: FoundUser): HTMLLIElement {
    const inv = this.#invite
    const button = h('button', { class: 'ghost small', text: 'Invite', attrs: { type: 'button', 'aria-label': `Invite ${user.name}` } })
    button.addEventListener('click', () => {
      button.disabled = true
      this.#client.invite(room, user.userId).then(
        () => {
          button.textContent = 'Invited'
          inv.status.textContent = `${user.name} is invited and can now join #${room}.`
        },
        (err: unknown) => {
          button.disabled = false
          inv.error.textContent = `Could not invite ${user.name}: ${this.#actions.failureText(err)}`
        },
      )
    })
    return personRow(user.userId, user.name, h('span', { class: `found-state ${user.online ? 'online' : 'offline'}`, text: user.online ? 'online' : 'offline' }), button)
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
      if (this.#room === room) r.error.textContent = `Could not list bans and mutes: ${this.#actions.failureText(err)}`
    }
  }

  #fillRestrictions(room: string, list: HTMLUListElement, rows: readonly Restriction[], kind: 'ban' | 'mute'): void {
    clear(list)
    if (rows.length === 0) list.append(h('li', { class: 'help', text: kind === 'ban' ? 'Nobody is banned.' : 'Nobody is muted.' }))
    for (const row of rows) {
      const by = row.by === this.#client.user?.userId ? 'you' : (this.#actions.nameOf(row.by) ?? 'a moderator')
      const details = `by ${by}, ${untilText(row.until)}${row.reason ? ` — ${row.reason}` : ''}`
      const label = kind === 'ban' ? 'Unban' : 'Unmute'
      const lift = h('button', { class: 'ghost small', text: label, attrs: { type: 'button', 'aria-label': `${label} ${row.name}` } })
      lift.addEventListener('click', () => {
        lift.disabled = true
        const done = kind === 'ban' ? this.#client.unban(room, row.userId) : this.#client.unmute(room, row.userId)
        done.then(
          () => void this.#loadRestrictions(room),
          (err: unknown) => {
            lift.disabled = false
            this.#restrictions.error.textContent = `Could not ${label.toLowerCase()} ${row.name}: ${this.#actions.failureText(err)}`
          },
        )
      })
      const item = personRow(row.userId, row.name, lift)
      item.querySelector('.person-name')?.append(h('span', { class: 'help person-detail', text: details }))
      list.append(item)
    }
  }
}
