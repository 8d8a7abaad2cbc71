// The frame log: one collapsible entry per frame (direction, time, type, id,
// pretty JSON) with its findings listed beneath, always visible. Everything
// from the wire goes in as text (textContent), never as markup.
import { clear, h } from '../page/dom.ts'
import type { Direction, Violation } from './validate.ts'

/** The kinds of finding, each counted in the summary. */
export type FlagKind = 'invalid' | 'gap' | 'unmatched' | 'unanswered'

const FLAG_LABELS: Record<FlagKind, string> = { invalid: 'invalid', gap: 'seq', unmatched: 'no request', unanswered: 'no reply' }
const SUMMARY: Record<FlagKind, [string, string]> = {
  invalid: ['invalid', 'invalid'],
  gap: ['seq problem', 'seq problems'],
  unmatched: ['reply without request', 'replies without request'],
  unanswered: ['request without reply', 'requests without reply'],
}
const PREVIEW_CHARS = 140

/** One logged frame, for adding findings after the fact (a reply that never came). */
export interface Entry {
  flag(kind: FlagKind, text: string): void
  /** Marks the entry as answered, with the reply's type (shown in the summary line). */
  answered(by: string): void
}

/** Milliseconds clock time as HH:MM:SS.mmm, in local time. */
export function clockTime(ms: number): string {
  const d = new Date(ms)
  const two = (n: number) => String(n).padStart(2, '0')
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`
}

/** The text of a frame as a reader wants it: indented JSON when it parses, else as it came. */
function pretty(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2)
  } catch {
    return text
  }
}

export class LogView {
  readonly #list: HTMLOListElement
  readonly #empty: HTMLElement
  readonly #summary: HTMLElement
  readonly #counts: Record<FlagKind, number> = { invalid: 0, gap: 0, unmatched: 0, unanswered: 0 }
  #frames = 0

  constructor(list: HTMLOListElement, empty: HTMLElement, summary: HTMLElement) {
    this.#list = list
    this.#empty = empty
    this.#summary = summary
    this.#render()
  }

  /** Logs one frame; `type` and `id` are what could be read from it. */
  frame(direction: Direction, at: number, text: string, read: { type?: string | undefined; id?: string | undefined; violations?: Violation[]; note?: string }): Entry {
    this.#frames++
    const sent = direction === 'out'
    const flags = h('ul', { class: 'flags' })
    const badges = h('span', { class: 'badges' })
    const replyNote = h('span', { class: 'reply-note' })
    const compact = text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS)}…` : text
    const summary = h(
      'summary',
      {},
      h('span', { class: 'dir', text: sent ? '↑ sent' : '↓ received' }),
      h('time', { text: clockTime(at), attrs: { datetime: new Date(at).toISOString() } }),
      h('span', { class: 'type', text: read.type ?? '(no type)' }),
      read.id !== undefined && h('span', { class: 'fid', text: `id ${read.id}` }),
      replyNote,
      badges,
      h('code', { class: 'preview', text: compact }),
    )
    const li = h('li', { class: 'frame', attrs: { 'data-dir': direction } }, h('details', {}, summary, h('pre', { class: 'json', text: pretty(text) })), flags)
    const stick = this.#atBottom()
    this.#list.append(li)
    const entry: Entry = {
      flag: (kind, message) => {
        this.#counts[kind]++
        li.classList.add('flagged')
        if (!badges.querySelector(`[data-kind="${kind}"]`)) badges.append(h('span', { class: `badge ${kind}`, text: FLAG_LABELS[kind], attrs: { 'data-kind': kind } }))
        flags.append(h('li', { class: kind, text: message }))
        this.#render()
      },
      answered: (by) => {
        replyNote.textContent = `→ ${by}`
      },
    }
    if (read.note !== undefined) flags.append(h('li', { class: 'note', text: read.note }))
    for (const v of read.violations ?? []) entry.flag('invalid', `${v.path}: ${v.message}`)
    this.#render()
    if (stick) li.scrollIntoView({ block: 'nearest' })
    return entry
  }

  /** Logs a connection event (connecting, open, closed). */
  event(at: number, text: string, tone: 'info' | 'bad' = 'info'): void {
    const stick = this.#atBottom()
    const li = h('li', { class: `event ${tone}` }, h('time', { text: clockTime(at), attrs: { datetime: new Date(at).toISOString() } }), h('span', { text }))
    this.#list.append(li)
    this.#render()
    if (stick) li.scrollIntoView({ block: 'nearest' })
  }

  clear(): void {
    clear(this.#list)
    this.#frames = 0
    for (const kind of Object.keys(this.#counts) as FlagKind[]) this.#counts[kind] = 0
    this.#render()
  }

  // Follows the newest frame only when the reader is already at the end (not while they read older ones).
  #atBottom(): boolean {
    const scroller = this.#list.parentElement
    return scroller === null || scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 40
  }

  #render(): void {
    this.#empty.hidden = this.#list.childElementCount > 0
    const parts = [`${this.#frames} ${this.#frames === 1 ? 'frame' : 'frames'}`]
    for (const kind of Object.keys(SUMMARY) as FlagKind[]) {
      const n = this.#counts[kind]
      if (n > 0) parts.push(`${n} ${SUMMARY[kind][n === 1 ? 0 : 1]}`)
    }
    this.#summary.textContent = parts.join(' · ')
    this.#summary.dataset.flagged = String(parts.length > 1)
  }
}
