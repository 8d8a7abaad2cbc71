// The name picker: pre-filled with the server's suggestion, explains refusals.
import { isChatError } from '../index.ts'
import { byId } from './dom.ts'

export class LoginView {
  readonly screen = byId('login-screen')
  readonly #form = byId('login-form', HTMLFormElement)
  readonly #input = byId('login-name', HTMLInputElement)
  readonly #error = byId('login-error')
  readonly #submit = byId('login-submit', HTMLButtonElement)
  #edited = false

  constructor(onSubmit: (name: string) => void) {
    this.#input.addEventListener('input', () => {
      this.#edited = true
      this.#error.textContent = ''
    })
    this.#form.addEventListener('submit', (event) => {
      event.preventDefault()
      const name = this.#input.value.trim().replace(/\s+/g, ' ')
      if (name === '') {
        this.#error.textContent = 'Please enter a name.'
        this.#input.focus()
        return
      }
      onSubmit(name)
    })
  }

  /** Forgets what was typed and any error (after a logout). */
  reset(): void {
    this.#edited = false
    this.#error.textContent = ''
  }

  /** Suggests a name unless the user already typed one. */
  suggest(name: string): void {
    if (!this.#edited) this.#input.value = name
  }

  show(): void {
    this.screen.hidden = false
    this.busy(false)
    this.#input.focus()
    this.#input.select()
  }

  hide(): void {
    this.screen.hidden = true
  }

  busy(busy: boolean): void {
    this.#submit.disabled = busy
    this.#submit.textContent = busy ? 'Joining…' : 'Start chatting'
  }

  /** Explains why a login was refused; the attempted name is shown as plain text. */
  failed(name: string, err: unknown): void {
    this.busy(false)
    let text: string
    if (isChatError(err, 'name-taken')) text = `“${name}” is taken right now. Try another name.`
    else if (isChatError(err, 'bad-frame')) text = `“${name}” cannot be used: names have 1–32 letters, digits, spaces, “_”, “-” or “.”.`
    else if (isChatError(err, 'rate-limited')) text = 'Too many attempts. Wait a moment and try again.'
    else if (isChatError(err)) text = `Could not log in: ${err.message}`
    else text = 'Could not log in.'
    this.#error.textContent = text
    this.#input.focus()
  }
}
