// Message search: a panel with the query box, where to look (everywhere, or
// the room shown), the results newest first with the query's words marked,
// and "More results" for older ones. A result opens its conversation at that
// message. The server decides what matches (words, phrases, CJK inside runs);
// the marks only help the eye (highlight.ts).
import type { ChatClient, SearchHit } from '../index.ts'
import { createPanel, type Panel } from './dialog.ts'
import { clear, h } from './dom.ts'
import { dayLabel, fullTime, hueClass, initials, shortTime } from './format.ts'
import { currentLocale, t } from './i18n.ts'
import { excerptAround, highlightSegments, queryWords } from './highlight.ts'

/** Longest query the server takes, in code points (MAX_SEARCH_QUERY_CHARS). */
const MAX_QUERY_CHARS = 200
const PAGE = 20

/** Where a result is: a room message by seq, or a DM with a partner by inbox seq. */
export type SearchTarget = { kind: 'room'; room: string; seq: number } | { kind: 'dm'; userId: string; seq: number }

export interface SearchHooks {
  /** The room shown, when one is (the "This room" scope). */
  currentRoom(): string | undefined
  selfId(): string | undefined
  nameOf(userId: string): string | undefined
  /** Opens a result's conversation at its message. */
  open(target: SearchTarget): void
  failureText(err: unknown): string
}

export class SearchView {
  readonly #client: ChatClient
  readonly #hooks: SearchHooks
  readonly #panel: Panel
  readonly #input = h('input', {
    attrs: {
      id: 'search-input',
      type: 'search',
      placeholder: t('search.placeholder'),
      'aria-label': t('search.placeholder'),
      maxlength: String(MAX_QUERY_CHARS),
      autocomplete: 'off',
      spellcheck: 'false',
    },
  })
  readonly #scope = h('select', { attrs: { id: 'search-scope', 'aria-label': t('search.scope') } })
  readonly #status = h('p', { class: 'help search-status', attrs: { id: 'search-status', role: 'status' } })
  readonly #results = h('ul', { class: 'search-results', attrs: { id: 'search-results', 'aria-label': t('search.results') } })
  readonly #more = h('button', { class: 'ghost small search-more', text: t('search.more'), attrs: { type: 'button' } })
  #next: string | undefined
  #query = ''
  #room: string | undefined
  /** The newest search: answers to older ones are dropped. */
  #seq = 0
  #count = 0

  constructor(client: ChatClient, hooks: SearchHooks) {
    this.#client = client
    this.#hooks = hooks
    this.#panel = createPanel('search-panel', t('search.title'), 'wide search-panel')
    const form = h(
      'form',
      { class: 'search-form', attrs: { role: 'search', novalidate: '' } },
      this.#input,
      this.#scope,
      h('button', { class: 'primary', text: t('search.button'), attrs: { type: 'submit' } }),
    )
    this.#more.hidden = true
    this.#panel.body.append(form, this.#status, this.#results, this.#more)
    form.addEventListener('submit', (event) => {
      event.preventDefault()
      this.#search()
    })
    this.#scope.addEventListener('change', () => {
      if (this.#input.value.trim() !== '') this.#search()
    })
    this.#more.addEventListener('click', () => void this.#page())
  }

  get isOpen(): boolean {
    return this.#panel.dialog.open
  }

  /** Opens the panel with the query box focused (the last query and results stay). */
  open(): void {
    const room = this.#hooks.currentRoom()
    const previous = this.#scope.value
    const options = [h('option', { text: t('search.all'), attrs: { value: '' } })]
    if (room !== undefined) options.push(h('option', { text: t('search.thisRoom', { room }), attrs: { value: room } }))
    this.#scope.replaceChildren(...options)
    this.#scope.value = previous === room ? previous : ''
    this.#panel.open()
    this.#input.focus()
    this.#input.select()
  }

  close(): void {
    this.#panel.close()
  }

  /** Forgets queries and results (logout). */
  reset(): void {
    this.#seq++
    this.#input.value = ''
    this.#status.textContent = ''
    clear(this.#results)
    this.#more.hidden = true
    this.close()
  }

  #search(): void {
    const query = this.#input.value.trim()
    if (query === '') return
    this.#query = query
    this.#room = this.#scope.value === '' ? undefined : this.#scope.value
    this.#next = undefined
    this.#count = 0
    clear(this.#results)
    void this.#page()
  }

  async #page(): Promise<void> {
    const seq = ++this.#seq
    const first = this.#next === undefined
    this.#more.disabled = true
    this.#status.textContent = t(first ? 'search.searching' : 'search.loadingMore')
    try {
      const options = { limit: PAGE, ...(this.#room !== undefined && { room: this.#room }), ...(this.#next !== undefined && { cursor: this.#next }) }
      const { hits, next } = await this.#client.search(this.#query, options)
      if (seq !== this.#seq) return
      this.#next = next
      this.#count += hits.length
      const words = queryWords(this.#query)
      this.#results.append(...hits.map((hit) => this.#render(hit, words)))
      const room = this.#room
      const query = this.#query
      const count = this.#count
      const shown = `${new Intl.NumberFormat(currentLocale()).format(count)}${next === undefined ? '' : '+'}`
      this.#status.textContent =
        count === 0
          ? room === undefined
            ? t('search.none', { query })
            : t('search.noneIn', { query, room })
          : room === undefined
            ? t('search.found', { count, shown })
            : t('search.foundIn', { count, shown, room })
      this.#more.hidden = next === undefined
    } catch (err) {
      if (seq !== this.#seq) return
      this.#status.textContent = t('search.failed', { reason: this.#hooks.failureText(err) })
    } finally {
      if (seq === this.#seq) this.#more.disabled = false
    }
  }

  #render(hit: SearchHit, words: readonly string[]): HTMLLIElement {
    const selfId = this.#hooks.selfId()
    let where: string
    let author: { userId: string; name: string }
    let target: SearchTarget
    let text: string
    let ts: number
    if ('message' in hit) {
      const m = hit.message
      where = `#${m.room}`
      author = { userId: m.userId, name: m.userId === selfId ? t('search.you') : m.name }
      target = { kind: 'room', room: m.room, seq: m.seq }
      text = m.text
      ts = m.ts
    } else {
      const m = hit.dm
      const partner = m.from === selfId ? m.to : m.from
      where = `@ ${m.from === selfId ? (this.#hooks.nameOf(partner) ?? t('search.dm')) : m.fromName}`
      author = { userId: m.from, name: m.from === selfId ? t('search.you') : m.fromName }
      target = { kind: 'dm', userId: partner, seq: m.seq }
      text = m.text
      ts = m.ts
    }
    const excerpt = h('span', { class: 'search-text', attrs: { dir: 'auto' } })
    for (const segment of highlightSegments(excerptAround(text, words), words)) excerpt.append(segment.match ? h('mark', { text: segment.text }) : document.createTextNode(segment.text))
    const button = h(
      'button',
      { class: 'search-hit', attrs: { type: 'button' } },
      h('span', { class: `avatar tiny ${hueClass(author.userId)}`, text: initials(author.name), attrs: { 'aria-hidden': 'true' } }),
      h(
        'span',
        { class: 'search-hit-body' },
        h(
          'span',
          { class: 'search-hit-meta' },
          h('span', { class: 'search-where', text: where }),
          h('span', { class: 'search-author', text: author.name }),
          h('time', { text: `${dayLabel(ts)} ${shortTime(ts)}`, attrs: { datetime: new Date(ts).toISOString(), title: fullTime(ts) } }),
        ),
        excerpt,
      ),
    )
    button.addEventListener('click', () => {
      this.close()
      this.#hooks.open(target)
    })
    return h('li', {}, button)
  }
}
