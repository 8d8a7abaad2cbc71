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

export interface MessageListElements {
  scroller: HTMLElement
  list: HTMLOListElement
  outbox: HTMLOListElement
  empty: HTMLElement
  loadOlder: HTMLButtonElement
}

/** A send shown before the server has it. */
export interface PendingLine {
  /** Marks it failed, with a retry and a discard button (discard removes the line, then calls `onDiscard`). */
  fail(reason: string, onRetry: () => void, onDiscard?: () => void): void
  /** Back to "sending" (on retry). */
  retrying(): void
  remove(): void
}

export class MessageList {
  readonly #el: MessageListElements
  #conv: Conversation | undefined
  #last: Line | undefined

  constructor(elements: MessageListElements) {
    this.#el = elements
  }

  /** Shows a conversation from scratch. */
  show(conv: Conversation | undefined): void {
    this.#conv = conv
    this.#renderAll()
    this.#scrollToBottom()
  }

  /** Adds a line at the end if it belongs to the shown conversation. */
  append(key: string, line: Line): void {
    if (this.#conv?.key !== key) return
    const follow = this.#atBottom() || (line.kind === 'message' && line.own)
    this.#el.list.append(...this.#render(line, this.#last))
    this.#last = line
    this.#updateEmpty()
    if (follow) this.#scrollToBottom()
  }

  /** Redraws after older lines were put in front, keeping what the reader sees in place. */
  prepended(key: string): void {
    if (this.#conv?.key !== key) return
    const { scroller } = this.#el
    const fromBottom = scroller.scrollHeight - scroller.scrollTop
    this.#renderAll()
    scroller.scrollTop = scroller.scrollHeight - fromBottom
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
      fail: (reason, onRetry, onDiscard) => {
        item.classList.add('failed')
        state.textContent = `Not sent: ${reason}`
        const retry = h('button', { class: 'link', text: 'Retry', attrs: { type: 'button' } })
        const discard = h('button', { class: 'link', text: 'Discard', attrs: { type: 'button' } })
        retry.addEventListener('click', onRetry)
        discard.addEventListener('click', () => {
          item.remove()
          this.#updateEmpty()
          onDiscard?.()
        })
        actions.replaceChildren(retry, discard)
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

  #scrollToBottom(): void {
    const { scroller } = this.#el
    scroller.scrollTop = scroller.scrollHeight
  }
}
