// The message pane: lines of the shown conversation grouped by sender and
// day, system notices, and the outbox of sends still on their way. Since
// 1.3.0 a message also shows the quote it replies to, "(edited)", reaction
// chips, its mentions, or a tombstone; a "New messages" line marks where the
// unread ones begin.
import type { Conversation, Line, MessageLine } from './conversations.ts'
import { clear, h } from './dom.ts'
import { dayLabel, fullTime, hueClass, initials, shortTime } from './format.ts'
import { t } from './i18n.ts'
import { editedMark, renderReactions, renderReplyQuote, tombstone } from './message-extras.ts'
import { lookupAmong, markMentions } from './mention-marks.ts'
import { renderMessageText } from './message-text.ts'

/** Consecutive messages of one sender closer than this share one header. */
const GROUP_MS = 5 * 60_000
/** Within this distance of the bottom the list follows new messages. */
const STICKY_PX = 80
/** Within this distance of the top, older history is asked for (and of the bottom, newer history in a window). */
const NEAR_TOP_PX = 400
/** How long a message shown by a jump stays highlighted. */
const FLASH_MS = 2_400

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
  /** The reader scrolled near the bottom of a window of older history (`hasNewer`): load newer lines. */
  onNearBottom?: () => void
  /** The newest line is on screen (after a scroll, a new line, or showing a conversation): the conversation may be marked read. */
  onNewestSeen?: () => void
  /** The pill was pressed in a window of older history: go back to the newest messages. */
  onJumpToLatest?: () => void
  /** Who is reading: own reactions and mentions of this user are marked. */
  selfId?: () => string | undefined
  /** A user's name by id (reaction tooltips, mention marks). */
  nameOf?: (userId: string) => string | undefined
  /** A reaction chip was pressed: add (`on`) or take back this user's reaction. */
  onReact?: (line: MessageLine, emoji: string, on: boolean) => void
  /** A reply's quote was pressed: show the message it answers. */
  onShowOriginal?: (line: MessageLine, seq: number) => void
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
  /** The line the "New messages" line goes above, in the shown conversation. */
  #unreadId: string | undefined
  /** The line highlighted by a jump, until when: a redraw meanwhile (older history put in front) keeps it lit. */
  #flash: { id: string; until: number } | undefined
  /** Lines being edited in place: a change that arrives meanwhile is drawn when the editor closes. */
  readonly #editing = new Set<string>()

  constructor(elements: MessageListElements, options: MessageListOptions = {}) {
    this.#el = elements
    this.#options = options
    elements.scroller.addEventListener('scroll', () => this.#onScroll(), { passive: true })
    elements.jump?.addEventListener('click', () => {
      if (this.#conv?.hasNewer && this.#options.onJumpToLatest) this.#options.onJumpToLatest()
      else this.scrollToLatest()
    })
    new ResizeObserver(() => {
      if (this.#pinned) this.#scrollToBottom()
    }).observe(elements.scroller)
  }

  /**
   * Shows a conversation from scratch, at its newest line; with `unreadId`, the "New messages"
   * line goes above that line, and when it would be out of sight the view opens there instead.
   */
  show(conv: Conversation | undefined, unreadId?: string): void {
    this.#conv = conv
    this.#unseen = 0
    this.#unreadId = unreadId
    this.#editing.clear()
    this.#renderAll()
    this.#scrollToBottom()
    const marker = this.#el.list.querySelector<HTMLElement>('li.unread-line')
    if (marker !== null && this.#offsetInView(marker) < 0) {
      this.#el.scroller.scrollTop += this.#offsetInView(marker) - 8
      this.#pinned = this.#atBottom()
    }
    this.#updateJump()
    this.#fillCheck()
    this.#seen()
  }

  /** The line the "New messages" line is above, if any. */
  get unreadId(): string | undefined {
    return this.#unreadId
  }

  /** Puts the "New messages" line above `id` (or removes it), without moving the view. */
  setUnreadLine(id: string | undefined): void {
    if (id === this.#unreadId) return
    this.#unreadId = id
    this.#el.list.querySelector('li.unread-line')?.remove()
    if (id === undefined) return
    const li = this.#item(id)
    if (li === null) return
    // The day separator of that line stays above the marker.
    li.before(this.#unreadLine())
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
    if (follow) this.#seen()
  }

  /** Redraws one line in place (edited, deleted, reacted to) if it is in the shown conversation; the view stays where it is. */
  updated(key: string, line: Line): void {
    if (this.#conv?.key !== key) return
    if (this.#editing.has(line.id)) return // drawn when the editor closes
    const old = this.#item(line.id)
    if (old === null) return
    const lines = this.#conv.lines
    const index = lines.findIndex((l) => l.id === line.id)
    const fresh = this.#render(line, index > 0 ? lines[index - 1] : undefined).at(-1)
    if (fresh === undefined) return
    this.#keepPosition(() => old.replaceWith(fresh))
    if (this.#last?.id === line.id) this.#last = line
  }

  /** Marks a line as being edited in place (`true`), or done (`false`: it is drawn again as it is now). */
  editing(id: string, on: boolean): void {
    if (on) return void this.#editing.add(id)
    this.#editing.delete(id)
    const line = this.#conv?.lines.find((l) => l.id === id)
    if (line !== undefined && this.#conv !== undefined) this.updated(this.#conv.key, line)
  }

  /** The element of a line of the shown conversation, if drawn. */
  item(id: string): HTMLElement | null {
    return this.#item(id)
  }

  /** Scrolls a line into the middle of the pane and highlights it for a moment; false when it is not drawn. */
  reveal(id: string): boolean {
    const li = this.#item(id)
    if (li === null) return false
    const { scroller } = this.#el
    scroller.scrollTop += this.#offsetInView(li) - Math.max(0, (scroller.clientHeight - li.offsetHeight) / 2)
    this.#pinned = this.#atBottom()
    li.classList.remove('flash')
    void li.offsetWidth // restarts the animation
    li.classList.add('flash')
    this.#flash = { id, until: Date.now() + FLASH_MS }
    setTimeout(() => this.#item(id)?.classList.remove('flash'), FLASH_MS)
    this.#updateJump()
    this.#seen()
    return true
  }

  /** True when the newest line is on screen (the reader is at the bottom of a conversation that has no newer lines). */
  get newestVisible(): boolean {
    return this.#conv !== undefined && !this.#conv.hasNewer && this.#atBottom()
  }

  /** Redraws after older lines were put in front (or newer ones after a window); the first message the reader saw stays where it was on screen. */
  prepended(key: string): void {
    if (this.#conv?.key !== key) return
    this.#keepPosition(() => this.#renderAll())
    this.#updateJump()
    this.#fillCheck()
  }

  /** Runs a change of the drawn lines keeping the first visible message where it was on screen (or the newest in view when pinned). */
  #keepPosition(change: () => void): void {
    const { scroller } = this.#el
    if (this.#pinned && this.#atBottom()) {
      change()
      return this.#scrollToBottom()
    }
    const anchor = this.#firstVisible()
    const fromBottom = scroller.scrollHeight - scroller.scrollTop
    change()
    const again = anchor === undefined ? null : this.#item(anchor.id)
    if (anchor !== undefined && again !== null) scroller.scrollTop += this.#offsetInView(again) - anchor.offset
    else scroller.scrollTop = scroller.scrollHeight - fromBottom
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
    loadOlder.textContent = t(loading ? 'list.loadingOlder' : 'list.loadOlder')
  }

  /** Redraws the shown conversation if it is `key` (its lines were replaced). */
  reset(key: string): void {
    if (this.#conv?.key === key) this.show(this.#conv, this.#unreadId)
  }

  /**
   * Shows an outgoing message until the server acknowledges it, in `outbox` (default: the shown
   * conversation's); `clientMsgId` marks the line so it can be matched with the server's copy.
   */
  addPending(text: string, options: { outbox?: HTMLOListElement; clientMsgId?: string } = {}): PendingLine {
    const outbox = options.outbox ?? this.#el.outbox
    const state = h('span', { class: 'send-state', text: t('list.sending') })
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
        state.textContent = t('list.notSent', { reason })
        const buttons: HTMLButtonElement[] = []
        if (onRetry !== undefined) {
          const retry = h('button', { class: 'link', text: t('list.retry'), attrs: { type: 'button' } })
          retry.addEventListener('click', onRetry)
          buttons.push(retry)
        }
        if (onEdit !== undefined) {
          const edit = h('button', { class: 'link', text: t('list.edit'), attrs: { type: 'button' } })
          edit.addEventListener('click', onEdit)
          buttons.push(edit)
        }
        const discard = h('button', { class: 'link', text: t('list.discard'), attrs: { type: 'button' } })
        discard.addEventListener('click', () => {
          item.remove()
          this.#updateEmpty()
          onDiscard?.()
        })
        actions.replaceChildren(...buttons, discard)
      },
      retrying: () => {
        item.classList.remove('failed')
        state.textContent = t('list.sending')
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
      nodes.push(h('li', { class: 'day' }, h('span', { text: dayLabel(line.ts) })))
    }
    if (line.id === this.#unreadId) nodes.push(this.#unreadLine())
    const time = h('time', { text: shortTime(line.ts), attrs: { datetime: new Date(line.ts).toISOString(), title: fullTime(line.ts) } })
    if (line.kind === 'system') {
      nodes.push(h('li', { class: 'system', attrs: { 'data-id': line.id } }, h('span', { class: 'system-text', text: line.text }), ' ', time))
      return nodes
    }
    // A reply starts a new group: its quote reads best under the author's name.
    const continued = previous?.kind === 'message' && previous.userId === line.userId && line.ts - previous.ts < GROUP_MS && nodes.length === 0 && line.replyTo === undefined
    const selfId = this.#options.selfId?.()
    const mentionsMe = selfId !== undefined && line.mentions?.includes(selfId) === true && !line.own
    const lit = this.#flash?.id === line.id && this.#flash.until > Date.now()
    const classes = ['msg', line.own ? 'own' : 'other', continued ? 'cont' : '', mentionsMe ? 'mentions-me' : '', line.deleted ? 'deleted' : '', lit ? 'flash' : ''].filter(Boolean).join(' ')
    const avatar = h('span', { class: `avatar ${hueClass(line.userId)}`, text: initials(line.name), attrs: { 'aria-hidden': 'true' } })
    const meta = h('div', { class: 'meta' }, h('span', { class: 'author', text: line.own ? t('list.you') : line.name }), time)
    const attrs: Record<string, string> = { 'data-id': line.id }
    if (line.seq !== undefined) attrs['data-seq'] = String(line.seq)
    const bubble = h('div', { class: 'bubble' }, meta)
    if (line.deleted) bubble.append(tombstone())
    else {
      if (line.replyTo !== undefined) {
        const seq = line.replyTo.seq
        bubble.append(renderReplyQuote(line.replyTo, () => this.#options.onShowOriginal?.(line, seq)))
      }
      const text = renderMessageText(line.text)
      if (line.mentions !== undefined && line.mentions.length > 0)
        markMentions(
          text,
          lookupAmong(line.mentions, (id) => this.#options.nameOf?.(id)),
          selfId,
        )
      bubble.append(text)
      // After the text, not in the meta: a grouped row hides its meta.
      if (line.edited !== undefined) bubble.append(editedMark(line.edited))
    }
    const reactions = line.deleted
      ? null
      : renderReactions(
          line.reactions,
          selfId,
          (id) => this.#options.nameOf?.(id),
          (emoji, on) => {
            this.#options.onReact?.(line, emoji, on)
          },
        )
    nodes.push(h('li', { class: classes, attrs }, line.own ? null : avatar, h('div', { class: 'msg-body' }, bubble, reactions)))
    return nodes
  }

  #unreadLine(): HTMLLIElement {
    return h('li', { class: 'unread-line' }, h('span', { text: t('list.unreadLine') }))
  }

  #item(id: string): HTMLElement | null {
    return this.#el.list.querySelector<HTMLElement>(`li[data-id="${CSS.escape(id)}"]`)
  }

  /** Tells the page when the newest line is in view. */
  #seen(): void {
    if (this.newestVisible) this.#options.onNewestSeen?.()
  }

  #updateEmpty(): void {
    const { empty, list, outbox } = this.#el
    const conv = this.#conv
    const isEmpty = conv !== undefined && list.childElementCount === 0 && outbox.childElementCount === 0
    empty.hidden = !isEmpty
    if (conv) empty.textContent = conv.kind === 'room' ? t('list.emptyRoom', { room: conv.id }) : t('list.emptyDm', { name: conv.title })
  }

  #atBottom(): boolean {
    const { scroller } = this.#el
    return scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < STICKY_PX
  }

  #onScroll(): void {
    const { scroller } = this.#el
    this.#pinned = this.#atBottom()
    if (this.#pinned && this.#unseen > 0) this.#unseen = 0
    this.#updateJump()
    if (scroller.scrollTop < NEAR_TOP_PX && this.#conv?.hasOlder) this.#options.onNearTop?.()
    if (this.#conv?.hasNewer && scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < NEAR_TOP_PX) this.#options.onNearBottom?.()
    this.#seen()
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
    const far = this.#conv?.hasNewer === true || scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight > scroller.clientHeight * 1.5
    jump.hidden = this.#unseen === 0 && !far
    const count = this.#unseen
    const label = count === 0 ? t('list.jump') : t('list.newMessages', { count })
    if (jumpText !== undefined && jumpText.textContent !== label) jumpText.textContent = label
    jump.setAttribute('aria-label', count === 0 ? t('list.jumpLabel') : t('list.newMessagesJump', { count }))
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
