// The emoji picker: a popover with a search field, recently used emoji,
// category tabs and a grid. One instance serves every message. Keyboard:
// typing searches, arrows move in the grid, Enter picks, Escape closes and
// gives focus back. On a phone it is a sheet at the bottom of the screen (CSS).
import { EMOJI_CATEGORIES, emojiName, searchEmoji, type EmojiEntry } from './emoji-data.ts'
import { clear, h } from './dom.ts'
import { t, type MessageKey } from './i18n.ts'

/** Columns of the grid: arrow Up/Down move by this many. Must match the CSS. */
const COLUMNS = 8
const RECENT_KEY = 'wirechat.emoji.recent'
const MAX_RECENT = 16

function loadRecent(): string[] {
  try {
    const list: unknown = JSON.parse(localStorage.getItem(RECENT_KEY) ?? '[]')
    return Array.isArray(list) ? list.filter((e): e is string => typeof e === 'string').slice(0, MAX_RECENT) : []
  } catch {
    return []
  }
}

export class EmojiPicker {
  readonly #root = h('div', { class: 'emoji-picker', attrs: { role: 'dialog', 'aria-label': t('emoji.picker'), id: 'emoji-picker' } })
  readonly #search = h('input', { class: 'emoji-search', attrs: { type: 'search', placeholder: t('emoji.search'), 'aria-label': t('emoji.search'), autocomplete: 'off', spellcheck: 'false' } })
  readonly #tabs = h('div', { class: 'emoji-tabs', attrs: { role: 'toolbar', 'aria-label': t('emoji.categories') } })
  readonly #grid = h('div', { class: 'emoji-grid' })
  readonly #status = h('p', { class: 'emoji-status', attrs: { role: 'status' } })
  #onPick: ((emoji: string) => void) | undefined
  #returnFocus: HTMLElement | null = null
  #recent = loadRecent()

  constructor() {
    this.#root.hidden = true
    this.#root.append(this.#search, this.#tabs, this.#grid, this.#status)
    document.body.append(this.#root)
    for (const category of EMOJI_CATEGORIES) {
      const tab = h('button', { class: 'emoji-tab', text: category.icon, attrs: { type: 'button', title: categoryLabel(category.id), 'aria-label': categoryLabel(category.id) } })
      tab.addEventListener('click', () => {
        this.#search.value = ''
        this.#render()
        this.#grid.querySelector(`[data-category="${category.id}"]`)?.scrollIntoView({ block: 'start' })
      })
      this.#tabs.append(tab)
    }
    this.#search.addEventListener('input', () => this.#render())
    this.#search.addEventListener('keydown', (event) => {
      if (event.key === 'ArrowDown' || (event.key === 'Enter' && this.#search.value.trim() !== '')) {
        event.preventDefault()
        const first = this.#buttons()[0]
        if (event.key === 'Enter' && first !== undefined) this.#pick(first.dataset.emoji ?? '')
        else first?.focus()
      }
    })
    this.#grid.addEventListener('click', (event) => {
      const button = (event.target as Element).closest<HTMLButtonElement>('button[data-emoji]')
      if (button) this.#pick(button.dataset.emoji ?? '')
    })
    this.#grid.addEventListener('keydown', (event) => this.#onGridKey(event))
    this.#root.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        event.preventDefault()
        event.stopPropagation()
        this.close()
      }
    })
    // A press outside closes it (the opener's own click toggles it).
    document.addEventListener('pointerdown', (event) => {
      if (!this.#root.hidden && !this.#root.contains(event.target as Node) && event.target !== this.#returnFocus) this.close()
    })
  }

  get isOpen(): boolean {
    return !this.#root.hidden
  }

  /** Opens next to `anchor`; `onPick` gets the chosen emoji. */
  open(anchor: HTMLElement, onPick: (emoji: string) => void): void {
    this.#onPick = onPick
    this.#returnFocus = anchor
    this.#search.value = ''
    this.#render()
    this.#root.hidden = false
    this.#place(anchor)
    this.#grid.scrollTop = 0
    // Typing starts a search at once; on touch screens the keyboard would cover the grid, so the grid gets focus there.
    if (matchMedia('(hover: none)').matches) this.#buttons()[0]?.focus({ preventScroll: true })
    else this.#search.focus({ preventScroll: true })
  }

  close(): void {
    if (this.#root.hidden) return
    this.#root.hidden = true
    this.#onPick = undefined
    const back = this.#returnFocus
    this.#returnFocus = null
    if (back?.isConnected) back.focus({ preventScroll: true })
  }

  #pick(emoji: string): void {
    if (emoji === '') return
    const onPick = this.#onPick
    this.#recent = [emoji, ...this.#recent.filter((e) => e !== emoji)].slice(0, MAX_RECENT)
    try {
      localStorage.setItem(RECENT_KEY, JSON.stringify(this.#recent))
    } catch {
      // Storage full or off: the list lives for this page only.
    }
    this.close()
    onPick?.(emoji)
  }

  #render(): void {
    clear(this.#grid)
    const query = this.#search.value.trim()
    if (query !== '') {
      const found = searchEmoji(query)
      this.#status.textContent = found.length === 0 ? t('emoji.none', { query }) : t('emoji.found', { count: found.length })
      this.#status.classList.toggle('sr-only', found.length > 0)
      if (found.length > 0) this.#grid.append(this.#section('results', t('emoji.results'), found))
      this.#tabs.hidden = true
    } else {
      this.#status.textContent = ''
      this.#tabs.hidden = false
      if (this.#recent.length > 0) {
        this.#grid.append(
          this.#section(
            'recent',
            t('emoji.recent'),
            this.#recent.map((emoji) => ({ emoji, name: emojiName(emoji) ?? emoji, words: [] })),
          ),
        )
      }
      for (const category of EMOJI_CATEGORIES) this.#grid.append(this.#section(category.id, categoryLabel(category.id), category.entries))
    }
    // One tab stop into the grid; arrows move inside it.
    const buttons = this.#buttons()
    buttons.forEach((b, i) => {
      b.tabIndex = i === 0 ? 0 : -1
    })
  }

  #section(id: string, label: string, entries: readonly EmojiEntry[]): HTMLElement {
    const headingId = `emoji-h-${id}`
    const cells = entries.map((entry) =>
      h('button', { class: 'emoji-cell', text: entry.emoji, attrs: { type: 'button', 'data-emoji': entry.emoji, title: `:${entry.name}:`, 'aria-label': entry.name } }),
    )
    return h(
      'section',
      { class: 'emoji-section', attrs: { 'data-category': id, 'aria-labelledby': headingId } },
      h('h3', { text: label, attrs: { id: headingId } }),
      h('div', { class: 'emoji-cells' }, ...cells),
    )
  }

  #buttons(): HTMLButtonElement[] {
    return [...this.#grid.querySelectorAll<HTMLButtonElement>('button[data-emoji]')]
  }

  #onGridKey(event: KeyboardEvent): void {
    const buttons = this.#buttons()
    const index = buttons.indexOf(document.activeElement as HTMLButtonElement)
    if (index === -1) return
    const moves: Record<string, number> = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: COLUMNS, ArrowUp: -COLUMNS, Home: -index, End: buttons.length - 1 - index }
    const move = moves[event.key]
    if (move === undefined) {
      // Letters go to the search field, so typing searches from anywhere in the picker.
      if (event.key.length === 1 && !event.ctrlKey && !event.metaKey && !event.altKey && event.key !== ' ') this.#search.focus()
      return
    }
    event.preventDefault()
    if (event.key === 'ArrowUp' && index < COLUMNS) return this.#search.focus()
    const next = buttons[Math.max(0, Math.min(buttons.length - 1, index + move))]
    if (!next) return
    buttons[index]!.tabIndex = -1
    next.tabIndex = 0
    next.focus()
  }

  /** Beside the anchor, inside the window; phones get the bottom sheet from the CSS and no coordinates. */
  #place(anchor: HTMLElement): void {
    const style = this.#root.style
    style.left = ''
    style.top = ''
    if (matchMedia('(max-width: 640px)').matches) return
    const a = anchor.getBoundingClientRect()
    const box = this.#root.getBoundingClientRect()
    const margin = 8
    const left = Math.min(Math.max(margin, a.right - box.width), innerWidth - box.width - margin)
    const below = a.bottom + 6
    const top = below + box.height + margin <= innerHeight ? below : Math.max(margin, a.top - box.height - 6)
    // CSSOM writes are allowed under the page's CSP (style-src 'self'); style attributes would not be.
    style.left = `${left}px`
    style.top = `${top}px`
  }
}

const CATEGORY_IDS = new Set(['smileys', 'people', 'hearts', 'nature', 'food', 'activities', 'flags'])
/** A category's name in the page's language (emoji-data.ts keeps the English one). */
const categoryLabel = (id: string): string => (CATEGORY_IDS.has(id) ? t(`emoji.cat.${id}` as MessageKey) : id)
