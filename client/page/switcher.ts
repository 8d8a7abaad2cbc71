// The conversation switcher (Ctrl+K, ⌘K on a Mac): a dialog with a filter box
// over the user's rooms and direct conversations, the ones waiting for the
// reader first. The box is a combobox that owns a listbox: arrows move the
// active option (focus stays in the box), Enter opens it, Escape closes the
// dialog and focus goes back where it was.
import type { Conversation } from './conversations.ts'
import { createPanel, type Panel } from './dialog.ts'
import { h } from './dom.ts'
import { hueClass, initials } from './format.ts'
import { t } from './i18n.ts'
import { spokenAround } from './sidebar.ts'
import { switcherOrder } from './switcher-order.ts'
import { badgeText } from './unread.ts'
import './switcher.css'

export interface SwitcherHooks {
  /** The user's rooms and direct conversations. */
  conversations(): readonly Conversation[]
  currentKey(): string | undefined
  /** Shows the chosen conversation. */
  pick(key: string): void
}

export class ConversationSwitcher {
  readonly #hooks: SwitcherHooks
  readonly #panel: Panel
  readonly #input = h('input', {
    class: 'switcher-input',
    attrs: {
      id: 'switcher-input',
      type: 'text',
      role: 'combobox',
      'aria-autocomplete': 'list',
      'aria-expanded': 'true',
      'aria-controls': 'switcher-list',
      'aria-label': t('switcher.filter'),
      placeholder: t('switcher.placeholder'),
      autocomplete: 'off',
      spellcheck: 'false',
    },
  })
  readonly #list = h('ul', { class: 'switcher-list', attrs: { id: 'switcher-list', role: 'listbox', 'aria-label': t('switcher.title') } })
  readonly #status = h('p', { class: 'help switcher-status', attrs: { id: 'switcher-status', role: 'status' } })
  #shown: Conversation[] = []
  #active = 0
  #returnFocus: HTMLElement | null = null

  constructor(hooks: SwitcherHooks) {
    this.#hooks = hooks
    this.#panel = createPanel('switcher', t('switcher.title'), 'compact switcher')
    this.#panel.subtitle.textContent = t('switcher.hint')
    this.#panel.body.append(this.#input, this.#list, this.#status)
    this.#input.addEventListener('input', () => {
      this.#active = 0
      this.#render()
    })
    this.#input.addEventListener('keydown', (event) => this.#onKey(event))
    this.#list.addEventListener('click', (event) => {
      const option = (event.target as Element).closest<HTMLElement>('[role="option"]')
      const key = option?.dataset.key
      if (key !== undefined) this.#pick(key)
    })
    this.#panel.dialog.addEventListener('close', () => {
      const back = this.#returnFocus
      this.#returnFocus = null
      if (back?.isConnected) back.focus()
    })
  }

  get isOpen(): boolean {
    return this.#panel.dialog.open
  }

  open(): void {
    if (this.isOpen) return
    this.#returnFocus = document.activeElement instanceof HTMLElement ? document.activeElement : null
    this.#input.value = ''
    this.#active = 0
    this.#render()
    this.#panel.open()
    this.#input.focus()
  }

  close(): void {
    this.#panel.close()
  }

  #onKey(event: KeyboardEvent): void {
    const last = this.#shown.length - 1
    const moves: Record<string, number> = { ArrowDown: this.#active + 1, ArrowUp: this.#active - 1, Home: 0, End: last, PageDown: this.#active + 5, PageUp: this.#active - 5 }
    const to = moves[event.key]
    if (to !== undefined && last >= 0 && (event.key.startsWith('Arrow') || event.key.startsWith('Page') || event.ctrlKey)) {
      event.preventDefault()
      // Arrows wrap around, pages stop at the ends.
      this.#active = event.key.startsWith('Arrow') ? (to + this.#shown.length) % this.#shown.length : Math.min(last, Math.max(0, to))
      this.#markActive()
    } else if (event.key === 'Enter') {
      event.preventDefault()
      const conv = this.#shown[this.#active]
      if (conv !== undefined) this.#pick(conv.key)
    }
  }

  #pick(key: string): void {
    // Focus goes to the conversation, not back to where the switcher was opened.
    this.#returnFocus = null
    this.#panel.close()
    this.#hooks.pick(key)
  }

  #render(): void {
    const query = this.#input.value
    const current = this.#hooks.currentKey()
    this.#shown = switcherOrder(this.#hooks.conversations(), query, current)
    this.#list.replaceChildren(
      ...this.#shown.map((conv, i) => {
        // As in the sidebar: the visible title with its kind and counts around it (sidebar.ts).
        const [before, after] = spokenAround(conv.kind, conv.unread, conv.mentions)
        const icon =
          conv.kind === 'room'
            ? h('span', { class: 'conv-icon', text: '#', attrs: { 'aria-hidden': 'true' } })
            : h('span', { class: `avatar tiny ${hueClass(conv.id)}`, text: initials(conv.title), attrs: { 'aria-hidden': 'true' } })
        return h(
          'li',
          { class: 'switcher-option', attrs: { id: `switcher-option-${i}`, role: 'option', 'aria-selected': 'false', 'data-key': conv.key } },
          before === '' ? null : h('span', { class: 'sr-only', text: before }),
          icon,
          h('span', { class: 'conv-title', text: conv.title }),
          after === '' ? null : h('span', { class: 'sr-only', text: after }),
          conv.key === current ? h('span', { class: 'switcher-current', text: t('switcher.current') }) : null,
          conv.mentions > 0 ? h('span', { class: 'badge mention-badge', text: `@${conv.mentions > 9 ? '9+' : conv.mentions}`, attrs: { 'aria-hidden': 'true' } }) : null,
          conv.unread > 0 ? h('span', { class: 'badge', text: badgeText(conv.unread), attrs: { 'aria-hidden': 'true' } }) : null,
        )
      }),
    )
    this.#status.textContent = this.#shown.length === 0 ? t('switcher.none', { query: query.trim() }) : t('switcher.count', { count: this.#shown.length })
    this.#markActive()
  }

  #markActive(): void {
    const options = this.#list.querySelectorAll<HTMLElement>('[role="option"]')
    options.forEach((option, i) => option.setAttribute('aria-selected', String(i === this.#active)))
    const active = options[this.#active]
    if (active === undefined) this.#input.removeAttribute('aria-activedescendant')
    else {
      this.#input.setAttribute('aria-activedescendant', active.id)
      active.scrollIntoView({ block: 'nearest' })
    }
  }
}
