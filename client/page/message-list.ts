// The message pane: lines of the shown conversation grouped by sender and
// day, system notices, and the outbox of sends still on their way. Since
// 1.3.0 a message also shows the quote it replies to, "(edited)", reaction
// chips, its mentions, or a tombstone; a "New messages" line marks where the
// unread ones begin.
//
// Drawn incrementally, for conversations of thousands of lines: older pages go
// in front and new lines at the end without redrawing the rest (only the line
// at the seam is drawn again: its day separator and grouping depend on the
// line before it); a change redraws its one row. The drawn rows of the last
// few conversations are kept while another is shown, and come back where the
// reader left them.
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
/** Conversations whose drawn rows are kept (the shown one included): switching back to them draws nothing. */
const KEPT_VIEWS = 5
/** More rows than this drawn or shown at once (a conversation opened or switched back to; not a history page) are laid out lazily first. */
const LAZY_ABOVE = 200
/** Lazy rows made ordinary at a time, while the page is idle. */
const SETTLE_BATCH = 50

/** A conversation's drawn rows while another is shown, and where its reader was. */
interface KeptView {
  conv: Conversation
  /** The list's children (day separators, "New messages", rows), in order. */
  nodes: DocumentFragment
  rows: Map<string, HTMLElement>
  last: Line | undefined
  unreadId: string | undefined
  /** At the newest line when left: it opens there again, with what came meanwhile. */
  pinned: boolean
  /** Otherwise the message at the top of the pane and its offset from the pane's top. */
  anchor: { id: string; offset: number } | undefined
}

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
  /** The drawn rows of the shown conversation by line id: a contiguous run of its lines. */
  #rows = new Map<string, HTMLElement>()
  /** The last drawn line (the one a new line is grouped with). */
  #last: Line | undefined
  /** Other conversations' drawn rows, least recently shown first. */
  readonly #kept = new Map<string, KeptView>()
  /** A scroll is waiting for the next frame (scroll events can come faster than frames). */
  #scrollFrame = 0
  /** What the pill shows now, so a scroll writes to it only when that changes. */
  #jumpState = ''
  /**
   * The message at the top of the pane and its offset from the pane's top, as of the last scroll
   * by the reader or move by the page (undefined at the newest line): when rows above it get
   * their drawn height (lazy rows, see the list's CSS), it is put back there.
   */
  #reading: { id: string; offset: number } | undefined
  /** The scroll offset when the page last moved the list or noted the reader's place: a scroll elsewhere is the reader's. */
  #placedAt = 0
  /**
   * Rows shown in bulk are "lazy" (laid out and painted only near the pane: see the list's CSS), so
   * a long conversation comes on screen at once; then, while the page is idle, they are laid out
   * for good a batch at a time (a lazy row costs the browser a visibility check every frame).
   */
  #lazy: HTMLElement[] = []
  #settling = false
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
    // One look at the scroll position a frame, whatever the rate of scroll events.
    elements.scroller.addEventListener(
      'scroll',
      () => {
        if (this.#scrollFrame !== 0) return
        this.#scrollFrame = requestAnimationFrame(() => {
          this.#scrollFrame = 0
          this.#onScroll()
        })
      },
      { passive: true },
    )
    elements.jump?.addEventListener('click', () => {
      if (this.#conv?.hasNewer && this.#options.onJumpToLatest) this.#options.onJumpToLatest()
      else this.scrollToLatest()
    })
    new ResizeObserver(() => {
      if (this.#pinned) this.#scrollToBottom()
    }).observe(elements.scroller)
    // Rows coming near the pane are laid out for real then, and change height: the reader's line stays put.
    new ResizeObserver(() => this.#holdPosition()).observe(elements.list)
  }

  /**
   * Shows a conversation at its newest line; with `unreadId`, the "New messages" line goes above
   * that line, and when it would be out of sight the view opens there instead. A conversation
   * shown lately comes back with its drawn rows, where the reader left it (at the newest line
   * if that is where they were).
   */
  show(conv: Conversation | undefined, unreadId?: string): void {
    const again = conv !== undefined && conv.key === this.#conv?.key
    if (!again) this.#keep()
    const kept = again || conv === undefined ? undefined : this.#kept.get(conv.key)
    if (conv === undefined) this.#kept.clear() // logged out, or no conversation left
    this.#conv = conv
    this.#unseen = 0
    this.#editing.clear()
    if (kept !== undefined) {
      this.#kept.delete(kept.conv.key)
      this.#el.list.replaceChildren(kept.nodes)
      this.#rows = kept.rows
      this.#last = kept.last
      this.#unreadId = kept.unreadId
      this.#lazy = []
      this.#settleLater([...kept.rows.values()])
    } else if (!again) {
      this.#unreadId = unreadId
      this.#renderAll()
    }
    this.#sync()
    this.setUnreadLine(unreadId)
    this.#updateEmpty()
    const anchor = kept?.pinned === false ? kept.anchor : undefined
    const row = anchor === undefined ? undefined : this.#rows.get(anchor.id)
    if (anchor !== undefined && row !== undefined) {
      this.#el.scroller.scrollTop += this.#offsetInView(row) - anchor.offset
      this.#pinned = this.#atBottom()
      this.#noteReading(this.#pinned ? undefined : anchor)
    } else {
      this.#scrollToBottom()
      const marker = this.#el.list.querySelector<HTMLElement>('li.unread-line')
      if (marker !== null && this.#offsetInView(marker) < 0) {
        this.#el.scroller.scrollTop += this.#offsetInView(marker) - 8
        this.#pinned = this.#atBottom()
      }
      this.#noteReading()
    }
    this.#updateJump()
    this.#fillCheck()
    this.#seen()
  }

  /**
   * Puts the shown conversation's rows aside, with where the reader is, for when it is shown
   * again; forgets the least recent beyond KEPT_VIEWS.
   */
  #keep(): void {
    const conv = this.#conv
    if (conv === undefined || this.#rows.size === 0) return
    const anchor = this.#firstVisible()
    const pinned = this.#atBottom()
    const range = document.createRange()
    range.selectNodeContents(this.#el.list)
    const nodes = range.extractContents()
    // Out of the page, so marking them costs no restyle now; shown again, they come in lazily.
    for (const row of this.#rows.values()) row.classList.add('lazy')
    this.#lazy = []
    this.#kept.set(conv.key, { conv, nodes, rows: this.#rows, last: this.#last, unreadId: this.#unreadId, pinned, anchor })
    this.#rows = new Map()
    this.#last = undefined
    for (const key of this.#kept.keys()) {
      if (this.#kept.size < KEPT_VIEWS) break
      this.#kept.delete(key)
    }
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
    const li = this.#rows.get(id)
    if (li === undefined) return
    // The day separator of that line stays above the marker.
    li.before(this.#unreadLine())
  }

  /** Adds a line at the end if it belongs to the shown conversation; scrolled up, the view stays and the pill counts it. */
  append(key: string, line: Line): void {
    if (this.#conv?.key !== key) return
    const follow = this.#atBottom() || (line.kind === 'message' && line.own)
    const lines = this.#conv.lines
    // Drawn after the last drawn line. Lines the conversation dropped in front stay drawn until the
    // next redraw at the seam: the reader may be reading them.
    if (lines.at(-1) === line && (this.#last === undefined ? lines.length === 1 : lines.at(-2)?.id === this.#last.id)) this.#el.list.append(this.#draw(line, this.#last))
    else this.#sync()
    this.#updateEmpty()
    if (follow) this.#scrollToBottom()
    else if (line.kind === 'message' && !line.own) this.#unseen++
    this.#updateJump()
    if (follow) this.#seen()
  }

  /** Redraws one line in place (edited, deleted, reacted to) if it is in the shown conversation; the view stays where it is. */
  updated(key: string, line: Line): void {
    if (this.#conv?.key !== key) return this.#updateKept(key, line)
    if (this.#editing.has(line.id)) return // drawn when the editor closes
    const old = this.#rows.get(line.id)
    if (old === undefined) return
    const fresh = this.#rowOf(this.#conv, line)
    this.#keepPosition(() => old.replaceWith(fresh))
    this.#rows.set(line.id, fresh)
    if (this.#last?.id === line.id) this.#last = line
  }

  /** A change in a conversation not shown: its kept row (if any) is drawn again, out of the page. */
  #updateKept(key: string, line: Line): void {
    const kept = this.#kept.get(key)
    const old = kept?.rows.get(line.id)
    if (kept === undefined || old === undefined) return
    const fresh = this.#rowOf(kept.conv, line)
    old.replaceWith(fresh)
    kept.rows.set(line.id, fresh)
    if (kept.last?.id === line.id) kept.last = line
  }

  /** The row of `line` alone (without the separators before it), grouped with the line before it in `conv`. */
  #rowOf(conv: Conversation, line: Line): HTMLElement {
    const index = conv.lines.findIndex((l) => l.id === line.id)
    return this.#render(line, index > 0 ? conv.lines[index - 1] : undefined).at(-1) as HTMLElement
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
    return this.#rows.get(id) ?? null
  }

  /** Scrolls a line into the middle of the pane and highlights it for a moment; false when it is not drawn. */
  reveal(id: string): boolean {
    const li = this.#rows.get(id)
    if (li === undefined) return false
    const { scroller } = this.#el
    scroller.scrollTop += this.#offsetInView(li) - Math.max(0, (scroller.clientHeight - li.offsetHeight) / 2)
    this.#pinned = this.#atBottom()
    this.#noteReading(this.#pinned ? undefined : { id, offset: this.#offsetInView(li) })
    li.classList.remove('flash')
    void li.offsetWidth // restarts the animation
    li.classList.add('flash')
    this.#flash = { id, until: Date.now() + FLASH_MS }
    setTimeout(() => {
      li.classList.remove('flash') // kept out of the page meanwhile, it would light up again when shown
      this.#rows.get(id)?.classList.remove('flash')
    }, FLASH_MS)
    this.#updateJump()
    this.#seen()
    return true
  }

  /** True when the newest line is on screen (the reader is at the bottom of a conversation that has no newer lines). */
  get newestVisible(): boolean {
    return this.#conv !== undefined && !this.#conv.hasNewer && this.#atBottom()
  }

  /** Draws older lines put in front (or newer ones after a window); the first message the reader saw stays where it was on screen. */
  prepended(key: string): void {
    if (this.#conv?.key !== key) return
    this.#keepPosition(() => this.#sync())
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
    const again = anchor === undefined ? undefined : this.#rows.get(anchor.id)
    if (anchor !== undefined && again !== undefined) {
      scroller.scrollTop += this.#offsetInView(again) - anchor.offset
      this.#noteReading(anchor)
    } else {
      scroller.scrollTop = scroller.scrollHeight - fromBottom
      this.#noteReading()
    }
  }

  /**
   * Remembers the message at the top of the pane, or `at` (a message the page just put in place:
   * rows above it may not have their drawn height yet); nothing at the newest line (the list
   * follows the newest then).
   */
  #noteReading(at = this.#pinned ? undefined : this.#firstVisible()): void {
    this.#reading = at
    this.#placedAt = this.#el.scroller.scrollTop
  }

  /** True when the list was scrolled since the page last placed it or noted the reader's place. */
  #scrolledByReader(): boolean {
    return Math.abs(this.#el.scroller.scrollTop - this.#placedAt) >= 1
  }

  /**
   * The list changed height (or the page's own scroll came back as an event): at the newest line,
   * stay there; else the message noted at the top goes back where it was.
   */
  #holdPosition(): void {
    // The reader scrolled since (their scroll is answered in the next frame): where they are now counts.
    if (this.#scrolledByReader()) {
      this.#pinned = this.#atBottom()
      return this.#noteReading()
    }
    if (this.#pinned) return this.#scrollToBottom()
    const reading = this.#reading
    const row = reading === undefined ? undefined : this.#rows.get(reading.id)
    if (reading === undefined || row === undefined) return
    const off = this.#offsetInView(row) - reading.offset
    if (Math.abs(off) < 1) return
    this.#el.scroller.scrollTop += off
    this.#placedAt = this.#el.scroller.scrollTop
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

  /** Redraws the shown conversation if it is `key` (its lines were replaced); forgets its kept rows if it is not. */
  reset(key: string): void {
    this.#kept.delete(key)
    if (this.#conv?.key !== key) return
    const conv = this.#conv
    this.#rows = new Map()
    this.#renderAll()
    this.show(conv, this.#unreadId)
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
    this.#rows = new Map()
    this.#last = undefined
    const conv = this.#conv
    loadOlder.hidden = !conv?.hasOlder
    if (!conv) return this.#updateEmpty()
    this.#lazy = []
    list.append(this.#drawRun(conv.lines, 0, conv.lines.length, undefined))
    this.#last = conv.lines.at(-1)
    this.#updateEmpty()
  }

  /** Makes these lazy rows (of the shown conversation) ordinary, a batch at a time while the page is idle. */
  #settleLater(rows: HTMLElement[]): void {
    for (const row of rows) this.#lazy.push(row)
    if (this.#settling || this.#lazy.length === 0) return
    this.#settling = true
    const settle = (deadline: IdleDeadline): void => {
      const { list } = this.#el
      // A scroll of the reader's not answered yet (that happens once a frame): where they are now is
      // the place to hold, noted before rows above it change height.
      if (this.#scrolledByReader()) {
        this.#pinned = this.#atBottom()
        this.#noteReading()
      }
      // Laid out here (the read below), in idle time, not in the next frame.
      while (this.#lazy.length > 0 && deadline.timeRemaining() > 8) {
        for (const row of this.#lazy.splice(-SETTLE_BATCH)) row.classList.remove('lazy')
        void list.offsetHeight
        // Rows above the pane may have grown: the reader's line goes back in place before anything is painted.
        this.#holdPosition()
      }
      if (this.#lazy.length > 0) requestIdleCallback(settle)
      else this.#settling = false
    }
    requestIdleCallback(settle)
  }

  /**
   * Brings the drawn rows in line with the conversation's lines, drawing only what is new: lines put
   * in front (then the first line drawn before is drawn again: its separator and grouping depend on
   * the line before it), lines put after the last drawn one, lines dropped in front taken out. When
   * the drawn rows are not a run of the lines (they were replaced), everything is drawn again.
   */
  #sync(): void {
    const conv = this.#conv
    if (conv === undefined || this.#rows.size === 0) return this.#renderAll()
    const { list, loadOlder } = this.#el
    loadOlder.hidden = !conv.hasOlder
    const lines = conv.lines
    const first = lines.findIndex((l) => this.#rows.has(l.id))
    if (first === -1) return this.#renderAll()
    let dropped = false
    const firstRow = this.#rows.get(lines[first]!.id)!
    // Rows before the first line kept: lines the conversation dropped in front (it keeps so many).
    while (firstRow.parentNode === list && list.firstChild !== firstRow && !this.#leads(list.firstChild, firstRow)) {
      const gone = list.firstChild as HTMLElement
      if (gone.dataset?.id !== undefined) this.#rows.delete(gone.dataset.id)
      gone.remove()
      dropped = true
    }
    const last = first + this.#rows.size - 1
    if (last >= lines.length) return this.#renderAll()
    for (let i = first; i <= last; i++) if (!this.#rows.has(lines[i]!.id)) return this.#renderAll()
    if (first > 0) list.prepend(this.#drawRun(lines, 0, first, undefined))
    if (first > 0 || dropped) this.#redraw(lines[first]!, lines[first - 1])
    if (last < lines.length - 1) list.append(this.#drawRun(lines, last + 1, lines.length, lines[last]))
    this.#last = lines.at(-1)
  }

  /** True when `node` is one of the separators drawn right before `row` (its day, "New messages"). */
  #leads(node: ChildNode | null, row: HTMLElement): boolean {
    for (let n: ChildNode | null = node; n !== null; n = n.nextSibling) {
      if (n === row) return true
      if (n instanceof HTMLElement && n.dataset.id !== undefined) return false
    }
    return false
  }

  /** Draws `lines[from..to)` after `previous`, into a fragment; the rows are remembered by id (and lazy, when many). */
  #drawRun(lines: readonly Line[], from: number, to: number, previous: Line | undefined): DocumentFragment {
    const nodes = document.createDocumentFragment()
    const lazy = to - from > LAZY_ABOVE
    const rows: HTMLElement[] = []
    for (let i = from; i < to; i++) {
      const line = lines[i]!
      nodes.append(this.#draw(line, i === from ? previous : lines[i - 1]))
      if (!lazy) continue
      const row = this.#rows.get(line.id)!
      row.classList.add('lazy')
      rows.push(row)
    }
    this.#settleLater(rows)
    return nodes
  }

  /** Draws one line (with the separators before it) and remembers its row. */
  #draw(line: Line, previous: Line | undefined): DocumentFragment {
    const nodes = this.#render(line, previous)
    this.#rows.set(line.id, nodes.at(-1) as HTMLElement)
    this.#last = line
    const fragment = document.createDocumentFragment()
    fragment.append(...nodes)
    return fragment
  }

  /** Draws a drawn line again with the separators before it (the line before it changed). */
  #redraw(line: Line, previous: Line | undefined): void {
    const old = this.#rows.get(line.id)
    if (old === undefined) return
    while (old.previousElementSibling instanceof HTMLElement && old.previousElementSibling.dataset.id === undefined) old.previousElementSibling.remove()
    const last = this.#last
    old.replaceWith(this.#draw(line, previous))
    this.#last = last
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
    // A scroll event for one of the page's own moves is no move by the reader: the place they had holds.
    this.#holdPosition()
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
    const hidden = this.#unseen === 0 && !far
    const count = this.#unseen
    const label = count === 0 ? t('list.jump') : t('list.newMessages', { count })
    // Called on every scroll frame: the page is written to only when what it shows changes.
    const state = `${hidden} ${label}`
    if (state === this.#jumpState) return
    this.#jumpState = state
    jump.hidden = hidden
    if (jumpText !== undefined) jumpText.textContent = label
    jump.setAttribute('aria-label', count === 0 ? t('list.jumpLabel') : t('list.newMessagesJump', { count }))
  }

  /**
   * The first message line (not a day separator) whose bottom is inside the pane (the first one
   * laid out, if lazy rows come first), and its top's distance from the pane's top. Found by
   * halving (the list's items are stacked top to bottom): a few reads of positions, not one per
   * line of a long conversation.
   */
  #firstVisible(): { id: string; offset: number } | undefined {
    const top = this.#el.scroller.getBoundingClientRect().top
    const items = this.#el.list.children
    let low = 0
    let high = items.length
    while (low < high) {
      const mid = (low + high) >> 1
      if (items[mid]!.getBoundingClientRect().bottom > top) high = mid
      else low = mid + 1
    }
    const bottom = this.#el.scroller.getBoundingClientRect().bottom
    let first: { id: string; offset: number } | undefined
    for (let i = low; i < items.length; i++) {
      const li = items[i] as HTMLElement
      if (li.dataset.id === undefined) continue
      const rect = li.getBoundingClientRect()
      if (rect.top >= bottom) break
      if (rect.bottom <= top) continue
      const at = { id: li.dataset.id, offset: rect.top - top }
      first ??= at
      // A lazy row not laid out yet has an estimated height, which changes when it is: a laid-out one is a steadier mark.
      if (!li.classList.contains('lazy') || li.firstElementChild?.checkVisibility({ contentVisibilityAuto: true }) !== false) return at
    }
    return first
  }

  #offsetInView(el: HTMLElement): number {
    return el.getBoundingClientRect().top - this.#el.scroller.getBoundingClientRect().top
  }

  #scrollToBottom(): void {
    const { scroller } = this.#el
    scroller.scrollTop = scroller.scrollHeight
    this.#pinned = true
    this.#reading = undefined
    this.#placedAt = scroller.scrollTop
  }
}
