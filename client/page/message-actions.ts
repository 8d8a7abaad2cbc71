// What can be done with a message: react, reply, edit, delete, copy a link.
// One toolbar serves the whole list: it moves into the message under the
// pointer (desktop hover) or the one with keyboard focus, so a list of a
// thousand messages holds one set of buttons, not a thousand. On touch
// screens a tap shows the toolbar's "⋯", a long press opens the actions as a
// sheet. Arrow keys move between messages; Tab then reaches the toolbar.
import type { MessageLine } from './conversations.ts'
import { h } from './dom.ts'
import { t, type MessageKey } from './i18n.ts'
import { QUICK_REACTIONS, emojiName } from './emoji-data.ts'

/** How long a press must last to open the actions on a touch screen. */
const LONG_PRESS_MS = 500
/** A finger that moves further than this is scrolling, not pressing. */
const MOVE_TOLERANCE_PX = 10
/** Quick reactions on the desktop toolbar (the menu shows all of QUICK_REACTIONS). */
const TOOLBAR_REACTIONS = 3
/**
 * While the list scrolls under a still pointer, every row passing under it is "hovered": the
 * toolbar waits until the list has been still this long, then goes to the row under the pointer
 * (moving it each frame would lay the list out each frame).
 */
const SCROLL_QUIET_MS = 150

/** What this user may do with a message. */
export interface Allowed {
  react: boolean
  reply: boolean
  edit: boolean
  delete: boolean
  link: boolean
}

export interface MessageActionHooks {
  /** The line a list item shows (by its data-id), when it is a message that actions apply to. */
  lineOf(id: string): MessageLine | undefined
  allowed(line: MessageLine): Allowed
  /** Toggles this user's reaction with `emoji`. */
  react(line: MessageLine, emoji: string): void
  /** Opens the emoji picker next to `anchor`. */
  pickReaction(line: MessageLine, anchor: HTMLElement): void
  reply(line: MessageLine): void
  edit(line: MessageLine): void
  delete(line: MessageLine): void
  copyLink(line: MessageLine): void
}

type Act = 'reply' | 'edit' | 'link' | 'delete'

/** A device without hover (a phone, a tablet): a tap shows the toolbar, a long press opens the sheet. */
const touchOnly = (): boolean => matchMedia('(hover: none)').matches

const ACT_LABEL: Record<Act, MessageKey> = { reply: 'msg.reply', edit: 'msg.edit', link: 'msg.copyLink', delete: 'msg.delete' }
const ACT_ICON: Record<Act, string> = { reply: '↩', edit: '✎', link: '🔗', delete: '🗑' }

export class MessageActions {
  readonly #list: HTMLElement
  readonly #hooks: MessageActionHooks
  readonly #toolbar = h('div', { class: 'msg-toolbar', attrs: { role: 'toolbar', 'aria-label': t('msg.actions') } })
  readonly #menu = h('div', { class: 'msg-menu', attrs: { role: 'menu', id: 'message-menu', 'aria-label': t('msg.actions') } })
  readonly #scrim = h('div', { class: 'msg-menu-scrim' })
  /** The message item the toolbar is in. */
  #item: HTMLElement | undefined
  #menuOpener: HTMLElement | null = null
  #press: { timer: ReturnType<typeof setTimeout>; x: number; y: number; item: HTMLElement } | undefined
  /** A long press opened the sheet: the click that ends the press must not do anything more. */
  #swallowClick = false
  /** The message the reader moved to with the arrows: it stays the tab stop (else the newest is). */
  #chosen: HTMLElement | undefined
  /** When the list last scrolled, and the message hovered meanwhile (it gets the toolbar when the list is still). */
  #scrolledAt = 0
  #hovered: HTMLElement | undefined
  #hoverTimer: ReturnType<typeof setTimeout> | undefined

  constructor(list: HTMLElement, hooks: MessageActionHooks) {
    this.#list = list
    this.#hooks = hooks
    this.#menu.hidden = true
    this.#scrim.hidden = true
    // Inside the conversation's landmark, where the messages it acts on are (it is position: fixed, so placement is unchanged).
    const landmark = list.closest('main') ?? document.body
    landmark.append(this.#scrim, this.#menu)

    list.addEventListener('mouseover', (event) => {
      // On touch screens the compatibility mouseover comes before the tap's click: a toolbar shown
      // then would be under the finger and take that click. The click itself shows it there.
      if (touchOnly()) return
      const item = this.#messageItem(event.target)
      if (item === undefined || item === this.#item || this.#toolbar.contains(document.activeElement)) return
      if (performance.now() - this.#scrolledAt < SCROLL_QUIET_MS) return this.#attachWhenStill(item)
      this.#attach(item)
    })
    list.closest('.scroller')?.addEventListener(
      'scroll',
      () => {
        this.#scrolledAt = performance.now()
      },
      { passive: true },
    )
    list.addEventListener('mouseleave', () => {
      // Touch screens send compatibility mouse events that say nothing about where the finger is: a tap elsewhere hides it there.
      if (touchOnly()) return
      if (!this.#toolbar.contains(document.activeElement) && this.#menu.hidden) this.#detach()
    })
    list.addEventListener('focusin', (event) => {
      const item = this.#messageItem(event.target)
      if (item !== undefined && item !== this.#item) this.#attach(item)
    })
    list.addEventListener('focusout', (event) => {
      const to = event.relatedTarget as Node | null
      if (this.#item !== undefined && (to === null || !this.#item.contains(to)) && this.#menu.hidden) this.#detach()
    })
    list.addEventListener('keydown', (event) => this.#onListKey(event))
    // Roving focus: one message is a tab stop (the newest, or the last one moved to); arrows move from it.
    new MutationObserver(() => this.#ensureTabStop()).observe(list, { childList: true })

    // Touch: a tap shows the toolbar (with its "⋯"), a long press opens the sheet.
    list.addEventListener('pointerdown', (event) => {
      if (event.pointerType !== 'touch') return
      const item = this.#messageItem(event.target)
      if (item === undefined || (event.target as Element).closest('button, a, textarea')) return
      this.#cancelPress()
      this.#press = { x: event.clientX, y: event.clientY, item, timer: setTimeout(() => this.#longPress(item), LONG_PRESS_MS) }
    })
    list.addEventListener('pointermove', (event) => {
      if (this.#press && Math.hypot(event.clientX - this.#press.x, event.clientY - this.#press.y) > MOVE_TOLERANCE_PX) this.#cancelPress()
    })
    for (const type of ['pointerup', 'pointercancel'] as const) list.addEventListener(type, () => this.#cancelPress())
    list.addEventListener(
      'click',
      (event) => {
        if (this.#swallowClick) {
          this.#swallowClick = false
          event.preventDefault()
          event.stopPropagation()
          return
        }
        const item = this.#messageItem(event.target)
        if (item !== undefined && touchOnly() && !(event.target as Element).closest('button, a')) this.#attach(item)
      },
      true,
    )
    // The long press of a touch screen would open the browser's menu (copy, select) on top of ours.
    list.addEventListener('contextmenu', (event) => {
      if (this.#press !== undefined || !this.#menu.hidden) event.preventDefault()
    })

    this.#menu.addEventListener('keydown', (event) => this.#onMenuKey(event))
    this.#scrim.addEventListener('click', () => this.closeMenu())
    document.addEventListener('pointerdown', (event) => {
      const target = event.target as Node
      if (!this.#menu.hidden && !this.#menu.contains(target) && target !== this.#menuOpener && !this.#scrim.contains(target)) this.closeMenu(false)
      else if (event.pointerType === 'touch' && this.#menu.hidden && !this.#list.contains(target)) this.#detach()
    })
  }

  /** Hides toolbar and menu (the conversation changed or redrew). */
  reset(): void {
    this.closeMenu(false)
    this.#detach()
  }

  /** Opens the actions of `line` as a menu under `opener` (desktop) or as a sheet (phones). */
  openMenu(line: MessageLine, opener: HTMLElement | null): void {
    this.#menuOpener = opener
    this.#fillMenu(line)
    this.#menu.hidden = false
    const sheet = matchMedia('(max-width: 640px), (hover: none)').matches
    this.#menu.classList.toggle('sheet', sheet)
    this.#scrim.hidden = !sheet
    this.#place(opener, sheet)
    opener?.setAttribute('aria-expanded', 'true')
    this.#menuItems()[0]?.focus({ preventScroll: true })
  }

  /** Closes the menu; gives focus back to its opener unless `refocus` is false. */
  closeMenu(refocus = true): void {
    if (this.#menu.hidden) return
    this.#menu.hidden = true
    this.#scrim.hidden = true
    const opener = this.#menuOpener
    this.#menuOpener = null
    opener?.setAttribute('aria-expanded', 'false')
    if (refocus && opener?.isConnected) opener.focus({ preventScroll: true })
  }

  get menuOpen(): boolean {
    return !this.#menu.hidden
  }

  #messageItem(target: EventTarget | null): HTMLElement | undefined {
    if (!(target instanceof Element)) return undefined
    const item = target.closest<HTMLElement>('li.msg[data-id]')
    if (item === null || !this.#list.contains(item) || item.classList.contains('pending')) return undefined
    return this.#hooks.lineOf(item.dataset.id ?? '') === undefined ? undefined : item
  }

  /** Puts the toolbar on `item` once the list has been still for SCROLL_QUIET_MS, if the pointer is still on it then. */
  #attachWhenStill(item: HTMLElement): void {
    this.#hovered = item
    if (this.#hoverTimer !== undefined) return
    const later = (): void => {
      const still = performance.now() - this.#scrolledAt
      if (still < SCROLL_QUIET_MS) {
        this.#hoverTimer = setTimeout(later, SCROLL_QUIET_MS - still)
        return
      }
      this.#hoverTimer = undefined
      const hovered = this.#hovered
      this.#hovered = undefined
      if (hovered !== undefined && hovered !== this.#item && hovered.isConnected && hovered.matches(':hover') && !this.#toolbar.contains(document.activeElement)) this.#attach(hovered)
    }
    this.#hoverTimer = setTimeout(later, SCROLL_QUIET_MS)
  }

  #attach(item: HTMLElement): void {
    const line = this.#hooks.lineOf(item.dataset.id ?? '')
    if (line === undefined) return this.#detach()
    // Read before the writes below: reading positions after them would lay the list out again.
    const pane = this.#list.closest('.scroller') ?? this.#list
    const atTopEdge = item.getBoundingClientRect().top - pane.getBoundingClientRect().top < 30
    const allowed = this.#hooks.allowed(line)
    const buttons: HTMLButtonElement[] = []
    const button = (cls: string, text: string, label: string, run: (b: HTMLButtonElement) => void): void => {
      const b = h('button', { class: `tool ${cls}`, text, attrs: { type: 'button', 'aria-label': label, title: label } })
      b.addEventListener('click', (event) => {
        event.stopPropagation()
        run(b)
      })
      buttons.push(b)
    }
    if (allowed.react) {
      for (const emoji of QUICK_REACTIONS.slice(0, TOOLBAR_REACTIONS)) button('tool-quick', emoji, t('msg.reactWith', { emoji: emojiName(emoji) ?? emoji }), () => this.#hooks.react(line, emoji))
      button('tool-react', '☺', t('msg.addReaction'), (b) => this.#hooks.pickReaction(line, b))
    }
    if (allowed.reply) button('tool-reply', ACT_ICON.reply, t('msg.reply'), () => this.#hooks.reply(line))
    if (allowed.edit) button('tool-edit', ACT_ICON.edit, t('msg.edit'), () => this.#hooks.edit(line))
    if (buttons.length === 0 && !allowed.link && !allowed.delete) return this.#detach()
    button('tool-more', '⋯', t('msg.moreActions'), (b) => (this.#menu.hidden ? this.openMenu(line, b) : this.closeMenu()))
    const more = buttons.at(-1)
    more?.setAttribute('aria-haspopup', 'menu')
    more?.setAttribute('aria-expanded', 'false')
    more?.setAttribute('aria-controls', 'message-menu')
    this.#toolbar.replaceChildren(...buttons)
    this.#item?.classList.remove('has-toolbar')
    this.#item = item
    item.classList.add('has-toolbar')
    const body = item.querySelector('.msg-body') ?? item
    body.append(this.#toolbar)
    // At the top edge of the pane the toolbar would be cut off above the message: it goes below it instead.
    this.#toolbar.classList.toggle('inside', atTopEdge)
  }

  #detach(): void {
    this.#item?.classList.remove('has-toolbar')
    this.#item = undefined
    this.#toolbar.remove()
  }

  #longPress(item: HTMLElement): void {
    this.#press = undefined
    const line = this.#hooks.lineOf(item.dataset.id ?? '')
    if (line === undefined) return
    this.#swallowClick = true
    // Nothing in the list must end up selected by the press.
    getSelection()?.removeAllRanges()
    navigator.vibrate?.(10)
    this.#attach(item)
    this.openMenu(line, item.querySelector<HTMLElement>('.tool-more'))
  }

  #cancelPress(): void {
    if (this.#press) clearTimeout(this.#press.timer)
    this.#press = undefined
  }

  #fillMenu(line: MessageLine): void {
    const allowed = this.#hooks.allowed(line)
    const children: HTMLElement[] = []
    if (allowed.react) {
      const quick = QUICK_REACTIONS.map((emoji) => {
        const b = h('button', { class: 'menu-emoji', text: emoji, attrs: { type: 'button', role: 'menuitem', 'aria-label': t('msg.reactWith', { emoji: emojiName(emoji) ?? emoji }) } })
        b.addEventListener('click', () => {
          this.closeMenu()
          this.#hooks.react(line, emoji)
        })
        return b
      })
      const more = h('button', { class: 'menu-emoji more', text: '+', attrs: { type: 'button', role: 'menuitem', 'aria-label': t('msg.moreReactions') } })
      more.addEventListener('click', () => {
        const anchor = this.#menuOpener ?? more
        this.closeMenu(false)
        this.#hooks.pickReaction(line, anchor)
      })
      children.push(h('div', { class: 'menu-emojis', attrs: { role: 'group', 'aria-label': t('msg.reactions') } }, ...quick, more))
    }
    const acts: Act[] = (['reply', 'edit', 'link', 'delete'] as const).filter((act) => allowed[act])
    for (const act of acts) {
      const item = h(
        'button',
        { class: act === 'delete' ? 'menu-item danger' : 'menu-item', attrs: { type: 'button', role: 'menuitem' } },
        h('span', { class: 'menu-icon', text: ACT_ICON[act], attrs: { 'aria-hidden': 'true' } }),
        t(ACT_LABEL[act]),
      )
      item.addEventListener('click', () => {
        this.closeMenu(act !== 'edit' && act !== 'reply')
        if (act === 'reply') this.#hooks.reply(line)
        else if (act === 'edit') this.#hooks.edit(line)
        else if (act === 'link') this.#hooks.copyLink(line)
        else this.#hooks.delete(line)
      })
      children.push(item)
    }
    this.#menu.replaceChildren(...children)
  }

  #menuItems(): HTMLElement[] {
    return [...this.#menu.querySelectorAll<HTMLElement>('[role="menuitem"]')]
  }

  #onMenuKey(event: KeyboardEvent): void {
    const items = this.#menuItems()
    const index = items.indexOf(document.activeElement as HTMLElement)
    const step = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 }[event.key]
    if (event.key === 'Escape') {
      event.preventDefault()
      event.stopPropagation()
      return this.closeMenu()
    }
    if (event.key === 'Tab') return this.closeMenu(false)
    if (step === undefined) return
    event.preventDefault()
    items[(index + step + items.length) % items.length]?.focus()
  }

  /** Arrow Up/Down from a message (or the list) to the previous/next message; Escape leaves the toolbar for its message. */
  #onListKey(event: KeyboardEvent): void {
    if (event.key === 'Escape' && this.#item !== undefined && this.#toolbar.contains(document.activeElement)) {
      event.preventDefault()
      return this.#item.focus()
    }
    if (event.key !== 'ArrowUp' && event.key !== 'ArrowDown') return
    const active = document.activeElement
    if (!(active instanceof HTMLElement) || !active.matches('li.msg[data-id]')) return
    const items = [...this.#list.querySelectorAll<HTMLElement>('li.msg[data-id]:not(.pending)')]
    const next = items[items.indexOf(active) + (event.key === 'ArrowUp' ? -1 : 1)]
    if (next === undefined) return
    event.preventDefault()
    active.tabIndex = -1
    next.tabIndex = 0
    this.#chosen = next
    next.focus()
    next.scrollIntoView({ block: 'nearest' })
  }

  /** Exactly one message is a tab stop: the one the reader moved to, while it is shown, else the newest. */
  #ensureTabStop(): void {
    const chosen = this.#chosen?.isConnected ? this.#chosen : undefined
    const items = this.#list.querySelectorAll<HTMLElement>('li.msg[data-id]:not(.pending)')
    const stop = chosen ?? items[items.length - 1]
    for (const li of this.#list.querySelectorAll<HTMLElement>('li.msg[tabindex="0"]')) if (li !== stop) li.tabIndex = -1
    if (stop !== undefined && stop.tabIndex !== 0) stop.tabIndex = 0
  }

  #place(opener: HTMLElement | null, sheet: boolean): void {
    const style = this.#menu.style
    style.left = ''
    style.top = ''
    if (sheet || opener === null) return
    const a = opener.getBoundingClientRect()
    const box = this.#menu.getBoundingClientRect()
    const margin = 8
    const left = Math.min(Math.max(margin, a.right - box.width), innerWidth - box.width - margin)
    const below = a.bottom + 4
    const top = below + box.height + margin <= innerHeight ? below : Math.max(margin, a.top - box.height - 4)
    style.left = `${left}px`
    style.top = `${top}px`
  }
}
