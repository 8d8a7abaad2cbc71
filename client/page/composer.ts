// The message box: Enter sends, Shift+Enter breaks the line, the box grows
// with its text, and typing is announced at most every 2 s (false on send or blur).

/** Typing refreshes are sent at most this often (the server's indicator lives 5 s). */
export const TYPING_EVERY_MS = 2_000
const MAX_HEIGHT_PX = 160

export interface ComposerOptions {
  form: HTMLFormElement
  input: HTMLTextAreaElement
  /** Sends the text; the composer clears itself first. */
  onSend: (text: string) => void
  /** Typing started (repeated every 2 s while typing) or stopped. */
  onTyping: (typing: boolean) => void
}

export class Composer {
  readonly #o: ComposerOptions
  #typingSentAt = 0
  #typing = false

  constructor(options: ComposerOptions) {
    this.#o = options
    const { form, input } = options
    form.addEventListener('submit', (event) => {
      event.preventDefault()
      this.#send()
    })
    input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault()
        this.#send()
      }
    })
    input.addEventListener('input', () => {
      this.#resize()
      if (input.value.trim() === '') this.stopTyping()
      else this.#typed()
    })
    input.addEventListener('blur', () => this.stopTyping())
  }

  /** Sets the placeholder for the conversation shown and forgets typing state. */
  target(placeholder: string): void {
    this.stopTyping()
    this.#o.input.placeholder = placeholder
  }

  focus(): void {
    this.#o.input.focus()
  }

  /** Announces "stopped typing" if we announced typing. */
  stopTyping(): void {
    if (!this.#typing) return
    this.#typing = false
    this.#typingSentAt = 0
    this.#o.onTyping(false)
  }

  #typed(): void {
    const now = Date.now()
    if (this.#typing && now - this.#typingSentAt < TYPING_EVERY_MS) return
    this.#typing = true
    this.#typingSentAt = now
    this.#o.onTyping(true)
  }

  #send(): void {
    const { input } = this.#o
    const text = input.value.trim()
    if (text === '') return
    input.value = ''
    this.#resize()
    this.stopTyping()
    this.#o.onSend(text)
  }

  #resize(): void {
    const { input } = this.#o
    // CSSOM writes are allowed by the page's CSP (style-src 'self'); style attributes are not.
    input.style.height = 'auto'
    input.style.height = `${Math.min(input.scrollHeight, MAX_HEIGHT_PX)}px`
  }
}
