// The account panel (from the "me" button): rename, register the name (guests),
// change the password, the session list with Revoke, delete the account, log out.
import { isChatError, type ChatClient, type DeviceSession } from '../index.ts'
import { byId, clear, h } from './dom.ts'
import { agoText, fullTime, hueClass, initials } from './format.ts'
import { languageMenu, t } from './i18n.ts'
import { waitText } from './login.ts'

export interface AccountActions {
  /** Plain words for a failed request. */
  failureText: (err: unknown) => string
  /** The user logged out from the panel. */
  onLogout: () => void
  /** The account was deleted (the connection is closed). */
  onDeleted: () => void
}

const MIN_PASSWORD = 8

export class AccountView {
  readonly #client: ChatClient
  readonly #actions: AccountActions
  readonly #dialog = byId('account-dialog', HTMLDialogElement)
  readonly #avatar = byId('account-avatar')
  readonly #kind = byId('account-kind')
  readonly #rename = { form: byId('rename-form', HTMLFormElement), name: byId('rename-name', HTMLInputElement), error: byId('rename-error') }
  readonly #register = { form: byId('register-form', HTMLFormElement), password: byId('register-password', HTMLInputElement), error: byId('register-error') }
  readonly #password = {
    form: byId('password-form', HTMLFormElement),
    current: byId('current-password', HTMLInputElement),
    next: byId('new-password', HTMLInputElement),
    error: byId('password-error'),
    done: byId('password-done'),
  }
  readonly #sessions = { list: byId('session-list', HTMLUListElement), error: byId('sessions-error') }
  readonly #delete = { form: byId('delete-form', HTMLFormElement), password: byId('delete-password', HTMLInputElement), error: byId('delete-error') }

  constructor(client: ChatClient, actions: AccountActions) {
    this.#client = client
    this.#actions = actions
    byId('account-close', HTMLButtonElement).addEventListener('click', () => this.close())
    languageMenu(byId('account-language', HTMLSelectElement))
    byId('account-logout', HTMLButtonElement).addEventListener('click', () => {
      this.close()
      actions.onLogout()
    })
    this.#rename.form.addEventListener('submit', (event) => {
      event.preventDefault()
      this.#renameSubmit()
    })
    this.#register.form.addEventListener('submit', (event) => {
      event.preventDefault()
      this.#registerSubmit()
    })
    this.#password.form.addEventListener('submit', (event) => {
      event.preventDefault()
      this.#passwordSubmit()
    })
    this.#delete.form.addEventListener('submit', (event) => {
      event.preventDefault()
      this.#deleteSubmit()
    })
  }

  get isOpen(): boolean {
    return this.#dialog.open
  }

  open(): void {
    for (const el of [this.#rename.error, this.#register.error, this.#password.error, this.#password.done, this.#sessions.error, this.#delete.error]) el.textContent = ''
    for (const input of [this.#register.password, this.#password.current, this.#password.next, this.#delete.password]) input.value = ''
    this.#rename.name.value = this.#client.user?.name ?? ''
    this.render()
    if (!this.#dialog.open) this.#dialog.showModal()
    this.#rename.name.focus()
    void this.refreshSessions()
  }

  close(): void {
    if (this.#dialog.open) this.#dialog.close()
  }

  /** Shows who we are and which sections apply (guest or registered). */
  render(): void {
    const user = this.#client.user
    const registered = this.#client.registered
    this.#avatar.textContent = initials(user?.name ?? '')
    this.#avatar.className = `avatar ${hueClass(user?.userId ?? '')}`
    this.#kind.textContent = user === undefined ? '' : t(registered ? 'account.registered' : 'account.guest', { name: user.name })
    this.#register.form.hidden = registered
    this.#password.form.hidden = !registered
    this.#delete.form.hidden = !registered
  }

  async refreshSessions(): Promise<void> {
    let sessions: DeviceSession[]
    try {
      sessions = await this.#client.sessions()
    } catch (err) {
      this.#sessions.error.textContent = t('account.sessionsFailed', { reason: this.#actions.failureText(err) })
      return
    }
    this.#sessions.error.textContent = ''
    clear(this.#sessions.list)
    for (const session of sessions) {
      const device = session.device ?? t('account.unnamedDevice')
      const details = h(
        'div',
        { class: 'session-details' },
        h('span', { class: 'session-device', text: device }, session.current ? h('span', { class: 'you', text: t('account.thisDevice') }) : null),
        h('span', { class: 'help', text: t('account.lastActive', { ago: agoText(session.lastSeenAt) }), attrs: { title: fullTime(session.lastSeenAt) } }),
      )
      const item = h('li', { class: session.current ? 'session current' : 'session', attrs: { 'data-session-id': session.sessionId } }, details)
      if (!session.current) {
        const revoke = h('button', { class: 'ghost small', text: t('account.revoke'), attrs: { type: 'button', 'aria-label': t('account.revokeLabel', { device, ago: agoText(session.lastSeenAt) }) } })
        revoke.addEventListener('click', () => {
          revoke.disabled = true
          this.#client.revokeSession(session.sessionId).then(
            () => this.refreshSessions(),
            (err: unknown) => {
              revoke.disabled = false
              this.#sessions.error.textContent = t('account.revokeFailed', { device, reason: this.#actions.failureText(err) })
            },
          )
        })
        item.append(revoke)
      }
      this.#sessions.list.append(item)
    }
  }

  #renameSubmit(): void {
    const { name: input, error } = this.#rename
    const name = input.value.trim().replace(/\s+/g, ' ')
    if (name === '' || name === this.#client.user?.name) return
    error.textContent = ''
    this.#client.rename(name).then(
      () => this.render(),
      (err: unknown) => {
        error.textContent = isChatError(err, 'name-taken')
          ? t('account.nameTaken', { name })
          : isChatError(err, 'name-reserved')
            ? t('account.nameReserved', { name })
            : isChatError(err, 'bad-frame')
              ? t('account.badName', { name })
              : t('account.renameFailed', { reason: this.#actions.failureText(err) })
      },
    )
  }

  #registerSubmit(): void {
    const { password, error } = this.#register
    if ([...password.value].length < MIN_PASSWORD) {
      error.textContent = t('account.passwordShort', { min: MIN_PASSWORD })
      return password.focus()
    }
    error.textContent = ''
    this.#client.register(password.value).then(
      () => {
        password.value = ''
        this.render()
        void this.refreshSessions()
      },
      (err: unknown) => {
        error.textContent = isChatError(err, 'name-reserved')
          ? t('account.registeredFirst')
          : isChatError(err, 'already-registered')
            ? t('account.alreadyRegistered')
            : t('account.registerFailed', { reason: this.#actions.failureText(err) })
      },
    )
  }

  #passwordSubmit(): void {
    const { current, next, error, done } = this.#password
    done.textContent = ''
    if ([...next.value].length < MIN_PASSWORD) {
      error.textContent = t('account.newPasswordShort', { min: MIN_PASSWORD })
      return next.focus()
    }
    error.textContent = ''
    this.#client.changePassword(current.value, next.value).then(
      () => {
        current.value = ''
        next.value = ''
        done.textContent = t('account.passwordChanged')
        void this.refreshSessions()
      },
      (err: unknown) => {
        error.textContent = passwordError(err, this.#actions.failureText)
        current.focus()
      },
    )
  }

  #deleteSubmit(): void {
    const { password, error } = this.#delete
    if (password.value === '') {
      error.textContent = t('account.deleteNeedsPassword')
      return password.focus()
    }
    if (!window.confirm(t('account.deleteConfirm'))) return
    error.textContent = ''
    this.#client.deleteAccount(password.value).then(
      () => {
        this.close()
        this.#actions.onDeleted()
      },
      (err: unknown) => {
        error.textContent = passwordError(err, this.#actions.failureText)
        password.focus()
      },
    )
  }
}

function passwordError(err: unknown, failureText: (err: unknown) => string): string {
  if (isChatError(err, 'auth-failed')) return t('account.wrongPassword')
  if (isChatError(err, 'rate-limited')) return t('account.tooManyPasswords', { wait: waitText(err.retryAfterMs) })
  if (isChatError(err, 'bad-frame')) return t('account.passwordBounds')
  return failureText(err)
}
