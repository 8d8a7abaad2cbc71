// The way in: as a guest (a name, pre-filled with the server's suggestion), by
// signing in to a registered name, or by creating an account. Explains refusals.
import { isChatError } from '../index.ts'
import { byId } from './dom.ts'
import { t } from './i18n.ts'

export type LoginMode = 'guest' | 'signin' | 'create'

export interface LoginRequest {
  mode: LoginMode
  name: string
  /** Set for `signin` and `create`. */
  password?: string
}

/** Password bounds of the protocol (protocol/frames/account.ts), checked here to explain them before asking. */
const MIN_PASSWORD = 8
const MAX_PASSWORD = 128

/** "4 minutes", "30 seconds": how long to wait after `rate-limited`. */
export function waitText(ms: number | undefined): string {
  if (ms === undefined) return t('wait.moment')
  const seconds = Math.max(1, Math.ceil(ms / 1000))
  if (seconds < 60) return t('unit.second', { count: seconds })
  return t('unit.minute', { count: Math.ceil(seconds / 60) })
}

export class LoginView {
  readonly screen = byId('login-screen')
  readonly #form = byId('login-form', HTMLFormElement)
  readonly #input = byId('login-name', HTMLInputElement)
  readonly #password = byId('login-password', HTMLInputElement)
  readonly #passwordField = byId('password-field')
  readonly #lede = byId('login-lede')
  readonly #notice = byId('login-notice')
  readonly #error = byId('login-error')
  readonly #submit = byId('login-submit', HTMLButtonElement)
  #edited = false
  #suggested = ''
  #mode: LoginMode = 'guest'

  constructor(onSubmit: (request: LoginRequest) => void) {
    this.#input.addEventListener('input', () => {
      this.#edited = true
      this.#error.textContent = ''
    })
    this.#password.addEventListener('input', () => {
      this.#error.textContent = ''
    })
    for (const radio of this.#form.querySelectorAll<HTMLInputElement>('input[name="mode"]')) {
      radio.addEventListener('change', () => {
        if (radio.checked) this.#setMode(radio.value as LoginMode)
      })
    }
    this.#form.addEventListener('submit', (event) => {
      event.preventDefault()
      const name = this.#input.value.trim().replace(/\s+/g, ' ')
      if (name === '') return this.#refuse(t('login.error.noName'), this.#input)
      if (this.#mode === 'guest') return onSubmit({ mode: 'guest', name })
      const password = this.#password.value
      const length = [...password].length
      if (length < MIN_PASSWORD) return this.#refuse(t('login.error.passwordShort', { min: MIN_PASSWORD }), this.#password)
      if (length > MAX_PASSWORD) return this.#refuse(t('login.error.passwordLong', { max: MAX_PASSWORD }), this.#password)
      onSubmit({ mode: this.#mode, name, password })
    })
  }

  /** Switches the way in (e.g. to "Sign in" after a registered user's session ended). */
  setMode(mode: LoginMode): void {
    const radio = this.#form.querySelector<HTMLInputElement>(`input[name="mode"][value="${mode}"]`)
    if (radio) radio.checked = true
    this.#setMode(mode)
  }

  /** Pre-fills the name (a registered user signing in again). */
  prefill(name: string): void {
    this.#input.value = name
    this.#edited = true
  }

  #setMode(mode: LoginMode): void {
    this.#mode = mode
    this.#error.textContent = ''
    this.#passwordField.hidden = mode === 'guest'
    this.#password.autocomplete = mode === 'create' ? 'new-password' : 'current-password'
    this.#lede.textContent = t(`login.lede.${mode}`)
    // A random suggestion is no name to sign in with.
    if (!this.#edited) this.#input.value = mode === 'signin' ? '' : this.#suggested
    this.busy(false)
  }

  #refuse(text: string, field: HTMLInputElement): void {
    this.#error.textContent = text
    field.focus()
  }

  /** Forgets what was typed and any error (after a logout). */
  reset(): void {
    this.#edited = false
    this.#error.textContent = ''
    this.#password.value = ''
  }

  /** A sentence shown above the form until the next login (e.g. why the session ended). */
  notice(text: string): void {
    this.#notice.textContent = text
  }

  /** Suggests a name unless the user already typed one. */
  suggest(name: string): void {
    this.#suggested = name
    if (!this.#edited && this.#mode !== 'signin') this.#input.value = name
  }

  show(): void {
    this.screen.hidden = false
    this.busy(false)
    if (this.#mode === 'signin' && this.#input.value !== '') return this.#password.focus()
    this.#input.focus()
    this.#input.select()
  }

  hide(): void {
    this.screen.hidden = true
    this.#notice.textContent = ''
    this.#password.value = ''
  }

  busy(busy: boolean): void {
    this.#submit.disabled = busy
    this.#submit.textContent = t(busy ? `login.busy.${this.#mode}` : `login.submit.${this.#mode}`)
  }

  /** Explains why a login was refused; the attempted name is shown as plain text. */
  failed(name: string, err: unknown): void {
    this.busy(false)
    let text: string
    let field = this.#input
    if (isChatError(err, 'name-taken')) text = t('login.error.nameTaken', { name })
    else if (isChatError(err, 'name-reserved')) text = t(this.#mode === 'create' ? 'login.error.nameRegistered' : 'login.error.nameReserved', { name })
    else if (isChatError(err, 'auth-failed')) {
      text = t('login.error.authFailed')
      field = this.#password
    } else if (isChatError(err, 'bad-frame')) text = t('login.error.badName', { name })
    else if (isChatError(err, 'rate-limited')) text = t('login.error.rateLimited', { wait: waitText(err.retryAfterMs) })
    else if (isChatError(err, 'closed') || isChatError(err, 'connection-lost') || isChatError(err, 'timeout')) text = t('login.error.unreachable')
    else if (isChatError(err)) text = t('login.error.other', { reason: err.message })
    else text = t('login.error.unknown')
    this.#error.textContent = text
    field.focus()
  }
}
