// "Replying to ana: excerpt ×" above the composer. A reply target is kept per
// conversation (switching away and back keeps it, like a draft); sending
// uses it once; × or Escape drops it.
import { parseInline, plainText } from './markdown.ts'
import { h } from './dom.ts'
import { t, textAround } from './i18n.ts'

/** The message a reply will answer. */
export interface ReplyTarget {
  seq: number
  name: string
  /** The start of its text, on one line. */
  excerpt: string
}

/** Longest excerpt shown, in code points (the server keeps its own, up to MAX_EXCERPT_CHARS). */
const EXCERPT_CHARS = 90

/** The start of a text, on one line, cut with "…". */
export function replyExcerpt(text: string, maxChars = EXCERPT_CHARS): string {
  // What the message shows, not how it was typed: no markdown markers in a quote.
  const flat = plainText(parseInline(text, false)).replace(/\s+/g, ' ').trim()
  const chars = [...flat]
  return chars.length <= maxChars ? flat : `${chars.slice(0, maxChars - 1).join('')}…`
}

export class ReplyBar {
  readonly #bar: HTMLElement
  readonly #name = h('strong', { class: 'reply-bar-name' })
  readonly #excerpt = h('span', { class: 'reply-bar-excerpt', attrs: { dir: 'auto' } })
  readonly #targets = new Map<string, ReplyTarget>()
  #key: string | undefined
  /** Called after the target of the shown conversation changed (e.g. to focus the composer). */
  onChange: () => void = () => {}

  constructor(bar: HTMLElement) {
    this.#bar = bar
    const cancel = h('button', { class: 'reply-bar-cancel', text: '×', attrs: { type: 'button', 'aria-label': t('reply.cancel') } })
    cancel.addEventListener('click', () => this.clear())
    const [before, after] = textAround('reply.to', 'name')
    bar.replaceChildren(h('span', { class: 'reply-bar-icon', text: '↩', attrs: { 'aria-hidden': 'true' } }), h('span', { class: 'reply-bar-what' }, before, this.#name, after, this.#excerpt), cancel)
    bar.hidden = true
  }

  /** The reply target of the shown conversation. */
  get target(): ReplyTarget | undefined {
    return this.#key === undefined ? undefined : this.#targets.get(this.#key)
  }

  /** Shows the bar for conversation `key`. */
  show(key: string | undefined): void {
    this.#key = key
    this.#render()
  }

  /** Starts a reply to `target` in the shown conversation. */
  set(target: ReplyTarget): void {
    if (this.#key === undefined) return
    this.#targets.set(this.#key, target)
    this.#render()
    this.onChange()
  }

  /** Drops the reply of the shown conversation (sent, or cancelled). */
  clear(): void {
    if (this.#key === undefined || !this.#targets.delete(this.#key)) return
    this.#render()
    this.onChange()
  }

  /** Forgets every reply (logout). */
  reset(): void {
    this.#targets.clear()
    this.#render()
  }

  #render(): void {
    const target = this.target
    this.#bar.hidden = target === undefined
    if (target === undefined) return
    this.#name.textContent = target.name
    this.#excerpt.textContent = target.excerpt
  }
}
