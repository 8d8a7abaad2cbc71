// The `@` autocomplete list under the composer: it opens while the caret is in
// an "@…" (mention-complete.ts decides), lists the matching members, and is
// driven from the box: ↑/↓ move, Enter or Tab insert, Escape closes. The
// focus stays in the box; aria-activedescendant points screen readers at the
// option (a textarea may not take the combobox role, so no aria-expanded).
import { h } from './dom.ts'
import { t } from './i18n.ts'
import { hueClass, initials } from './format.ts'
import { insertMention, matchMembers, mentionAt, type MentionQuery } from './mention-complete.ts'

export interface MentionCandidate {
  userId: string
  name: string
}

export interface MentionPopupOptions {
  input: HTMLTextAreaElement
  /** The list element (a `ul`), placed above the box by the CSS. */
  list: HTMLUListElement
  /** Who may be mentioned in the shown conversation (most relevant first), or undefined where there are no mentions (DMs). */
  candidates: () => readonly MentionCandidate[] | undefined
  selfId: () => string | undefined
  /** The box's text changed by an insertion: tell the composer (e.g. dispatch an `input` event) for drafts, counters and typing. */
  inserted: () => void
}

export class MentionPopup {
  readonly #o: MentionPopupOptions
  #query: MentionQuery | undefined
  #shown: MentionCandidate[] = []
  #active = 0
  /** A member was just inserted: the input event that follows must not open the list again at once. */
  #justChose = false

  constructor(options: MentionPopupOptions) {
    this.#o = options
    const { input, list } = options
    list.hidden = true
    list.setAttribute('role', 'listbox')
    list.setAttribute('aria-label', t('mention.list'))
    input.setAttribute('aria-autocomplete', 'list')
    input.setAttribute('aria-controls', list.id)
    input.addEventListener('input', () => this.update())
    input.addEventListener('click', () => this.update())
    input.addEventListener('blur', () => setTimeout(() => this.close(), 150))
    // Capture: the list's keys must win over the composer's Enter-sends.
    input.form?.addEventListener('keydown', (event) => this.#onKey(event), true)
    list.addEventListener('mousedown', (event) => event.preventDefault()) // keep the focus in the box
    list.addEventListener('click', (event) => {
      const option = (event.target as Element).closest<HTMLElement>('[role="option"]')
      const index = option === null ? -1 : Number(option.dataset.index)
      if (index >= 0) this.#choose(index)
    })
  }

  get isOpen(): boolean {
    return !this.#o.list.hidden
  }

  /** Looks at the caret again: opens, refreshes or closes the list. */
  update(): void {
    if (this.#justChose) {
      this.#justChose = false
      return
    }
    const { input } = this.#o
    const candidates = this.#o.candidates()
    const query = candidates === undefined || input.selectionStart !== input.selectionEnd ? undefined : mentionAt(input.value, input.selectionStart)
    if (query === undefined || candidates === undefined) return this.close()
    const shown = matchMembers(candidates, query.query, this.#o.selfId())
    if (shown.length === 0) return this.close()
    const same = this.#query?.at === query.at && shown.length === this.#shown.length && shown.every((m, i) => m.userId === this.#shown[i]?.userId)
    this.#query = query
    this.#shown = shown
    if (!same) this.#active = 0
    this.#render()
  }

  close(): void {
    this.#query = undefined
    this.#shown = []
    this.#o.list.hidden = true
    this.#o.input.removeAttribute('aria-activedescendant')
  }

  #render(): void {
    const { list, input } = this.#o
    list.replaceChildren(
      ...this.#shown.map((member, index) =>
        h(
          'li',
          {
            class: index === this.#active ? 'mention-option active' : 'mention-option',
            attrs: { role: 'option', id: `mention-option-${index}`, 'data-index': String(index), 'aria-selected': String(index === this.#active) },
          },
          h('span', { class: `avatar tiny ${hueClass(member.userId)}`, text: initials(member.name), attrs: { 'aria-hidden': 'true' } }),
          h('span', { class: 'mention-name', text: member.name }),
        ),
      ),
    )
    list.hidden = false
    input.setAttribute('aria-activedescendant', `mention-option-${this.#active}`)
  }

  #onKey(event: KeyboardEvent): void {
    if (!this.isOpen || event.target !== this.#o.input || event.isComposing) return
    const n = this.#shown.length
    switch (event.key) {
      case 'ArrowDown':
      case 'ArrowUp':
        this.#active = (this.#active + (event.key === 'ArrowDown' ? 1 : -1) + n) % n
        this.#render()
        break
      case 'Enter':
      case 'Tab':
        if (event.shiftKey) return
        this.#choose(this.#active)
        break
      case 'Escape':
        this.close()
        break
      default:
        return
    }
    event.preventDefault()
    event.stopPropagation()
  }

  #choose(index: number): void {
    const member = this.#shown[index]
    const query = this.#query
    if (member === undefined || query === undefined) return
    const { input } = this.#o
    const { text, caret } = insertMention(input.value, query, member.name)
    input.value = text
    input.setSelectionRange(caret, caret)
    this.close()
    input.focus()
    this.#justChose = true
    this.#o.inserted()
    this.#justChose = false
  }
}
