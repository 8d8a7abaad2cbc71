// The message pane: lines of the shown conversation grouped by sender and
// day, system notices, and the outbox of sends still on their way.
import type { Conversation, Line } from './conversations.ts'
import { clear, h } from './dom.ts'
import { dayLabel, fullTime, hueClass, initials, shortTime } from './format.ts'
import { renderMessageText } from './message-text.ts'

/** Consecutive messages of one sender closer than this share one header. */
const GROUP_MS = 5 * 60_000
/** Within this distance of the bottom the list follows new messages. */
const STICKY_PX = 80
/** Within this distance of the top, older history is asked for. */
const NEAR_TOP_PX = 400

export interface MessageListElements {
  scroller: HTMLElement
  list: HTMLOListElement
  outbox: HTMLOListElement
  empty: HTMLElement
  loadOlder: HTMLButtonElement
  /** The "jump to latest" pill, shown while the reader is scrolled up and new messages came. */
  jump?: HTMLButtonElement
  /** Its label ("3 new messages"). */
  jumpText?: HTMLElement
}

export interface MessageListOptions {
  /** The reader scrolled near the top of a conversation that has older history (or it does not fill the pane): load some. */
  onNearTop?: () => void
}

/** A send shown before the server has it. */
export interface PendingLine {
  /**
   * Marks it failed, with a retry button (when `onRetry` is given), an edit button (when `onEdit` is:
   * for texts the server will never take) and a discard button (it removes the line, then calls `onDiscard`).
   */
  fail(reason: string, onRetry: (() => void) | undefined, onDiscard?: () => void, onEdit?: () => void): void
  /** Back to "sending" (on retry). */
  retrying(): void
  remove(): void
}

export class MessageList {
  readonly #el: MessageListElements
  readonly #options: MessageListOptions
  #conv: Conversation | undefined
  #last: Line | undefined
  /** Messages of others added while the reader was scrolled up. */
  #unseen = 0
  /** The reader is at the newest line (as of the last scroll): a smaller pane (a growing composer) keeps it in view. */
  #pinned = true

  constructor(elements: MessageListElements, options: MessageListOptions = {}) {
    this.#el = elements
    this.#options = options
    elements.scroller.addEventListener('scroll', () => this.#onScroll(), { passive: true })
    elements.jump?.addEventListener('click', () => this.scrollToLatest())
    new ResizeObserver(() => {
      if (this.#pinned) this.#scrollToBottom()
    }).observe(elements.scroller)
  }

  /** Shows a conversation from scratch. */
  show(conv: Conversation | undefined): void {
    this.#conv = conv
    this.#unseen = 0
    this.#renderAll()
    this.#scrollToBottom()
    this.#updateJump()
    this.#fillCheck()
  }

  /** Adds a line at the end if it belongs to the shown conversation; scrolled up, the view stays and the pill counts it. */
  append(key: string, line: Line): void {
    if (this.#conv?.key !== key) return
    const follow = this.#atBottom() || (line.kind === 'message' && line.own)
    this.#el.list.append(...this.#render(line, this.#last))
    this.#last = line
    this.#updateEmpty()
    if (follow) this.#scrollToBottom()
    else if (line.kind === 'message' && !line.own) this.#unseen++
    this.#updateJump()
  }

  /** Redraws after older lines were put in front; the first message the reader saw stays where it was on screen. */
  prepended(key: string): void {
    if (this.#conv?.key !== key) return
    const { scroller } = this.#el
    const anchor = this.#firstVisible()
    const fromBottom = scroller.scrollHeight - scroller.scrollTop
    this.#renderAll()
    const again = anchor === undefined ? null : this.#el.list.querySelector<HTMLElement>(`li[data-id="${CSS.escape(anchor.id)}"]`)
    if (anchor !== undefined && again !== null) scroller.scrollTop += this.#offsetInView(again) - anchor.offset
    else scroller.scrollTop = scroller.scrollHeight - fromBottom
    this.#fillCheck()
  }

  /** Scrolls to the newest line and forgets the unseen count. */
  scrollToLatest(): void {
    this.#scrollToBottom()
    this.#unseen = 0
    this.#updateJump()
  }

  /** Says older history is on its way (the fallback button shows it, and is not pressed twice). */
  loadingOlder(loading: boolean): void {
    const { loadOlder } = this.#el
    loadOlder.disabled = loading
    loadOlder.textContent = loading ? 'Loading earlier messages…' : 'Load earlier messages'
  }

  /** Redraws the shown conversation if it is `key` (its lines were replaced). */
  reset(key: string): void {
    if (this.#conv?.key === key) this.show(this.#conv)
  }

  /**
   * Shows an outgoing message until the server acknowledges it, in `outbox` (default: the shown
   * conversation's); `clientMsgId` marks the line so it can be matched with the server's copy.
   */
  addPending(text: string, options: { outbox?: HTMLOListElement; clientMsgId?: string } = {}): PendingLine {
    const outbox = options.outbox ?? this.#el.outbox
    const state = h('span', { class: 'send-state', text: 'Sending…' })
    const actions = h('span', { class: 'send-actions' })
    const attrs: Record<string, string> = options.clientMsgId === undefined ? {} : { 'data-client-msg-id': options.clientMsgId }
    const item = h('li', { class: 'msg own pending', attrs }, h('div', { class: 'bubble' }, renderMessageText(text), h('div', { class: 'send-footer' }, state, actions)))
    outbox.append(item)
    if (outbox === this.#el.outbox) {
      this.#updateEmpty()
      this.#scrollToBottom()
    }
    return {
      fail: (reason, onRetry, onDiscard, onEdit) => {
        item.classList.add('failed')
        state.textContent = `Not sent: ${reason}`
        const buttons: HTMLButtonElement[] = []
        if (onRetry !== undefined) {
          const retry = h('button', { class: 'link', text: 'Retry', attrs: { type: 'button' } })
          retry.addEventListener('click', onRetry)
          buttons.push(retry)
        }
        if (onEdit !== undefined) {
          const edit = h('button', { class: 'link', text: 'Edit', attrs: { type: 'button' } })
          edit.addEventListener('click', onEdit)
          buttons.push(edit)
        }
        const discard = h('button', { class: 'link', text: 'Discard', attrs: { type: 'button' } })
        discard.addEventListener('click', () => {
          item.remove()
          this.#updateEmpty()
          onDiscard?.()
        })
        actions.replaceChildren(...buttons, discard)
      },
      retrying: () => {
        item.classList.remove('failed')
        state.textContent = 'Sending…'
        clear(actions)
      },
      remove: () => {
        item.remove()
        this.#updateEmpty()
      },
    }
  }

  /** Moves the outbox to another conversation: pending lines belong to the one they were typed in. */
  setOutbox(outbox: HTMLOListElement): void {
    this.#el.outbox.replaceWith(outbox)
    this.#el.outbox = outbox
    this.#updateEmpty()
  }

  #renderAll(): void {
    const { list, loadOlder } = this.#el
    clear(list)
    this.#last = undefined
    const conv = this.#conv
    loadOlder.hidden = !conv?.hasOlder
    if (!conv) return this.#updateEmpty()
    const nodes: Node[] = []
    for (const line of conv.lines) {
      nodes.push(...this.#render(line, this.#last))
      this.#last = line
    }
    list.append(...nodes)
    this.#updateEmpty()
  }

  #render(line: Line, previous: Line | undefined): Node[] {
    const nodes: Node[] = []
    if (previous === undefined || new Date(previous.ts).toDateString() !== new Date(line.ts).toDateString()) {
      nodes.push(h('li', { class: 'day', attrs: { role: 'separator' } }, h('span', { text: dayLabel(line.ts) })))
    }
    const time = h('time', { text: shortTime(line.ts), attrs: { datetime: new Date(line.ts).toISOString(), title: fullTime(line.ts) } })
    if (line.kind === 'system') {
      nodes.push(h('li', { class: 'system', attrs: { 'data-id': line.id } }, h('span', { class: 'system-text', text: line.text }), ' ', time))
      return nodes
    }
    const continued = previous?.kind === 'message' && previous.userId === line.userId && line.ts - previous.ts < GROUP_MS && nodes.length === 0
    const classes = ['msg', line.own ? 'own' : 'other', continued ? 'cont' : ''].filter(Boolean).join(' ')
    const avatar = h('span', { class: `avatar ${hueClass(line.userId)}`, text: initials(line.name), attrs: { 'aria-hidden': 'true' } })
    const meta = h('div', { class: 'meta' }, h('span', { class: 'author', text: line.own ? 'You' : line.name }), time)
    nodes.push(h('li', { class: classes, attrs: { 'data-id': line.id } }, line.own ? null : avatar, h('div', { class: 'bubble' }, meta, renderMessageText(line.text))))
    return nodes
  }

  #updateEmpty(): void {
    const { empty, list, outbox } = this.#el
    const conv = this.#conv
    const isEmpty = conv !== undefined && list.childElementCount === 0 && outbox.childElementCount === 0
    empty.hidden = !isEmpty
    if (conv) empty.textContent = conv.kind === 'room' ? `No messages in #${conv.id} yet. Say hi!` : `This is the start of your conversation with ${conv.title}.`
  }

  #atBottom(): boolean {
    const { scroller } = this.#el
    return scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < STICKY_PX
  }

  #onScroll(): void {
    this.#pinned = this.#atBottom()
    if (this.#pinned && this.#unseen > 0) this.#unseen = 0
    this.#updateJump()
    if (this.#el.scroller.scrollTop < NEAR_TOP_PX && this.#conv?.hasOlder) this.#options.onNearTop?.()
  }

  /** History too short to scroll cannot be scrolled up to: ask for more at once. */
  #fillCheck(): void {
    const { scroller } = this.#el
    if (this.#conv?.hasOlder && scroller.scrollHeight <= scroller.clientHeight + NEAR_TOP_PX) this.#options.onNearTop?.()
  }

  /** The pill: shown with a count when messages came while scrolled up, or without one when far from the newest. */
  #updateJump(): void {
    const { jump, jumpText, scroller } = this.#el
    if (jump === undefined) return
    const far = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight > scroller.clientHeight * 1.5
    jump.hidden = this.#unseen === 0 && !far
    const label = this.#unseen === 0 ? 'Jump to latest' : this.#unseen === 1 ? '1 new message' : `${this.#unseen} new messages`
    if (jumpText !== undefined && jumpText.textContent !== label) jumpText.textContent = label
    jump.setAttribute('aria-label', this.#unseen === 0 ? 'Jump to the latest message' : `${label}: jump to the latest`)
  }

  /** The first message line (not a day separator) whose bottom is inside the pane, and its top's distance from the pane's top. */
  #firstVisible(): { id: string; offset: number } | undefined {
    const top = this.#el.scroller.getBoundingClientRect().top
    for (const li of this.#el.list.querySelectorAll<HTMLElement>('li[data-id]')) {
      const rect = li.getBoundingClientRect()
      if (rect.bottom > top) return { id: li.dataset.id!, offset: rect.top - top }
    }
    return undefined
  }

  #offsetInView(el: HTMLElement): number {
    return el.getBoundingClientRect().top - this.#el.scroller.getBoundingClientRect().top
  }

  #scrollToBottom(): void {
    const { scroller } = this.#el
    scroller.scrollTop = scroller.scrollHeight
    this.#pinned = true
  }
}
