// The composer: a `type` combobox (datalist) that offers a template, a JSON
// textarea checked as the user types, the frame's fields with buttons to add
// the optional ones, and a Send button that says "Send anyway" when the text is
// not a valid client frame (an inspector must be able to send bad frames).
import { byId, clear, h } from '../page/dom.ts'
import { clientTypes, fieldPlaceholder, fieldsOf, template } from './templates.ts'
import { checkText, type FrameCheck } from './validate.ts'

export interface ComposerOptions {
  /** Sends the text as it stands, with the check it was shown with. */
  onSend(text: string, check: FrameCheck): void
}

export class Composer {
  readonly #form = byId('composer', HTMLFormElement)
  readonly #type = byId('frame-type', HTMLInputElement)
  readonly #typeHelp = byId('type-help')
  readonly #text = byId('frame-text', HTMLTextAreaElement)
  readonly #check = byId('frame-check')
  readonly #send = byId('send-button', HTMLButtonElement)
  readonly #fields = byId('fields', HTMLFieldSetElement)
  readonly #fieldsLegend = byId('fields-legend')
  readonly #fieldList = byId('field-list', HTMLUListElement)
  readonly #descriptions = new Map(clientTypes().map((t) => [t.type, t.description]))
  #connected = false
  #nextId = 1
  /** The text last put in by a template, to know whether the user has changed it since. */
  #inserted = ''
  #current: FrameCheck = checkText('out', '')

  readonly #onSend: ComposerOptions['onSend']

  constructor(options: ComposerOptions) {
    this.#onSend = options.onSend
    const list = byId('frame-types', HTMLDataListElement)
    for (const [type, description] of this.#descriptions) list.append(h('option', { attrs: { value: type, label: firstSentence(description) } }))
    this.#type.addEventListener('input', () => this.#typeChosen(false))
    this.#type.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        e.preventDefault() // Enter in the type box takes the template, it does not send
        this.#typeChosen(true)
      }
    })
    byId('insert-template', HTMLButtonElement).addEventListener('click', () => this.#typeChosen(true))
    this.#text.addEventListener('input', () => this.#recheck())
    this.#text.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault()
        this.#form.requestSubmit()
      }
    })
    this.#form.addEventListener('submit', (e) => {
      e.preventDefault()
      if (!this.#connected || this.#text.value.trim() === '') return
      this.#onSend(this.#text.value, this.#current)
      this.#afterSend()
    })
    this.#recheck()
  }

  /** Enables sending while a socket is open. */
  set connected(open: boolean) {
    this.#connected = open
    this.#renderSend()
  }

  /** Puts a frame in the textarea (tests and the first hint use it too). */
  setText(text: string): void {
    this.#text.value = text
    this.#recheck()
  }

  #typeChosen(force: boolean): void {
    const type = this.#type.value.trim()
    const description = this.#descriptions.get(type)
    this.#typeHelp.textContent = description ?? (type === '' ? 'Pick a type for a template with its required fields.' : `"${type}" is not a client frame type.`)
    if (description === undefined) return
    // Typing a type replaces only what a template put there; the button and Enter replace anything.
    if (force || this.#text.value.trim() === '' || this.#text.value === this.#inserted) {
      this.#inserted = pretty(template(type, this.#freshId()))
      this.setText(this.#inserted)
    } else if (this.#current.kind === 'bad-json' || this.#current.type !== type) {
      this.#typeHelp.textContent = `${description} Enter or Template replaces the frame below with a ${type} template.`
    }
    this.#renderFields()
  }

  #freshId(): string {
    return `r${this.#nextId++}`
  }

  // After a send the same frame is ready again under a new id, so a repeat is one keystroke and never reuses a waiting id.
  #afterSend(): void {
    const check = this.#current
    if (check.kind === 'bad-json' || typeof check.frame.id !== 'string') return
    const next = pretty({ ...check.frame, id: this.#freshId() })
    if (this.#text.value === this.#inserted) this.#inserted = next
    this.setText(next)
  }

  #recheck(): void {
    const text = this.#text.value
    this.#current = checkText('out', text)
    const check = this.#current
    clear(this.#check)
    if (text.trim() === '') {
      this.#check.dataset.state = 'empty'
      this.#check.append(h('span', { text: 'Write a frame, or pick a type above for a template.' }))
    } else if (check.kind === 'valid') {
      this.#check.dataset.state = 'valid'
      this.#check.append(h('span', { text: '✓ Valid ' }), h('code', { text: check.type }), h('span', { text: ' frame' }))
    } else if (check.kind === 'bad-json') {
      this.#check.dataset.state = 'invalid'
      this.#check.append(h('span', { text: `✗ ${check.message}` }))
    } else {
      this.#check.dataset.state = 'invalid'
      const n = check.violations.length
      this.#check.append(
        h('span', { text: `✗ Invalid ${check.type !== undefined && this.#descriptions.has(check.type) ? `"${check.type}" ` : ''}frame: ${n} ${n === 1 ? 'problem' : 'problems'}` }),
        h('ul', {}, ...check.violations.map((v) => h('li', {}, h('code', { text: v.path }), ` ${v.message}`))),
      )
    }
    // The type box follows the frame being edited, unless the user is in it.
    if (check.kind !== 'bad-json' && typeof check.type === 'string' && this.#descriptions.has(check.type) && document.activeElement !== this.#type) {
      this.#type.value = check.type
      this.#typeHelp.textContent = this.#descriptions.get(check.type)!
    }
    this.#renderFields()
    this.#renderSend()
  }

  #renderSend(): void {
    const empty = this.#text.value.trim() === ''
    const bad = !empty && this.#current.kind !== 'valid'
    this.#send.disabled = !this.#connected || empty
    this.#send.textContent = bad ? 'Send anyway' : 'Send'
    this.#send.classList.toggle('warn', bad)
  }

  #renderFields(): void {
    const check = this.#current
    const type = check.kind !== 'bad-json' && typeof check.type === 'string' && this.#descriptions.has(check.type) ? check.type : this.#type.value.trim()
    const fields = fieldsOf(type)
    this.#fields.hidden = fields.length === 0
    if (fields.length === 0) return
    this.#fieldsLegend.textContent = `Fields of ${type}`
    const frame = check.kind === 'bad-json' ? undefined : check.frame
    clear(this.#fieldList)
    for (const field of fields) {
      const present = frame !== undefined && field.name in frame
      // A field can be added only to text that parses: otherwise the user's text would be lost.
      const add =
        !present && frame !== undefined
          ? h('button', { class: 'ghost small', text: `Add ${field.name}`, attrs: { type: 'button', 'aria-label': `Add the ${field.required ? 'required' : 'optional'} field ${field.name}` } })
          : null
      add?.addEventListener('click', () => {
        const value = field.name === 'id' ? this.#freshId() : fieldPlaceholder(type, field.name)
        this.setText(pretty({ ...frame, [field.name]: value }))
        this.#text.focus()
      })
      this.#fieldList.append(
        h(
          'li',
          { class: present ? 'present' : field.required ? 'missing' : '' },
          h('code', { text: field.name }),
          h('span', { class: 'tag', text: field.required ? 'required' : 'optional' }),
          present && h('span', { class: 'tag ok', text: '✓ present' }),
          add,
          h('p', { class: 'help', text: field.description }),
        ),
      )
    }
  }
}

const pretty = (value: unknown): string => JSON.stringify(value, null, 2)
const firstSentence = (text: string): string => text.split(/(?<=\.)\s/)[0] ?? text
