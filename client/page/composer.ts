// The message box: Enter sends, Shift+Enter breaks the line, the box grows
// with its text. It keeps a draft per conversation, tells the user before
// sending when the text is too long or holds characters the server refuses
// (and never clears a text it did not send), and announces typing through a
// gate that keeps the request budget for messages (typing-gate.ts).
import type { Drafts } from './drafts.ts'
import { t, type MessageKey } from './i18n.ts'
import { checkText, NAMES, removeForbidden, type TextCheck } from './text-rules.ts'
import type { TypingGate } from './typing-gate.ts'

/** Typing refreshes are sent at most this often (the server's indicator lives 5 s). */
export const TYPING_EVERY_MS = 2_000
const MAX_HEIGHT_PX = 160
/** Drafts are written to storage this long after the last keystroke (and at once on a switch or when the page goes away). */
const DRAFT_SAVE_MS = 300

export interface ComposerOptions {
  form: HTMLFormElement
  input: HTMLTextAreaElement
  /** Sends the text; the composer clears itself first. */
  onSend: (text: string) => void
  /** Typing started (repeated every 2 s while typing) or stopped, in the conversation `key` given to `target`. */
  onTyping: (typing: boolean, key: string | undefined) => void
  /** The Send button: marked aria-disabled while the text cannot be sent (it still explains why when pressed). */
  sendButton?: HTMLButtonElement
  /** The row above the box that holds the notice, the fix button and the counter; hidden when all are. */
  status?: HTMLElement
  /** Why the text cannot be sent. */
  notice?: HTMLElement
  /** "Remove them": takes the refused characters out. */
  fix?: HTMLButtonElement
  /** "1,950 / 2,000", near the limit. */
  counter?: HTMLElement
  /** Longest text, in code points, for the conversation shown. Default 2000. */
  limit?: () => number
  /** Where drafts are kept; none: a switch of conversation starts with an empty box. */
  drafts?: Drafts
  /** Decides whether a typing signal may go out; none: every 2 s while typing. */
  typingGate?: TypingGate
  /** Whether typing is announced in conversation `key` at all (asked before the gate, so it spends nothing). Default: yes. */
  announcesTyping?: (key: string | undefined) => boolean
}

export class Composer {
  readonly #o: ComposerOptions
  #typingSentAt = 0
  #typing = false
  /**
   * Least time between two typing signals while the user types: TYPING_EVERY_MS, or less when the
   * server's indicator lapses sooner (§9: refresh within limits.typingTtlMs / 2; see typingTtl).
   */
  #typingEveryMs = TYPING_EVERY_MS
  /** Conversation key of the text in the box. */
  #key: string | undefined
  #draftTimer: ReturnType<typeof setTimeout> | undefined

  constructor(options: ComposerOptions) {
    this.#o = options
    const { form, input, fix } = options
    form.addEventListener('submit', (event) => {
      event.preventDefault()
      this.#send()
    })
    input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault()
        this.#send()
      }
    })
    input.addEventListener('input', () => {
      this.#resize()
      if (input.value.trim() === '') this.stopTyping()
      else this.#typed()
      this.#scheduleDraft()
      this.check()
    })
    input.addEventListener('blur', () => this.stopTyping())
    fix?.addEventListener('click', () => {
      input.value = removeForbidden(input.value)
      this.#resize()
      this.#saveDraft()
      this.check()
      input.focus()
    })
    // A reload or a closed tab must not lose the last keystrokes of a draft.
    addEventListener('pagehide', () => this.#saveDraft())
  }

  /** Shows the box for conversation `key`: keeps the draft of the previous one, brings back this one's. */
  target(placeholder: string, key?: string): void {
    this.stopTyping()
    this.#o.input.placeholder = placeholder
    if (key === this.#key) return
    this.#saveDraft()
    this.#key = key
    if (this.#o.drafts !== undefined) {
      this.#o.input.value = key === undefined ? '' : this.#o.drafts.get(key)
      this.#resize()
    }
    this.check()
  }

  /** Brings back the stored draft of the conversation shown, unless something is typed already (drafts become readable once the user is known). */
  reloadDraft(): void {
    const { input, drafts } = this.#o
    if (this.#key === undefined || drafts === undefined || input.value !== '') return
    input.value = drafts.get(this.#key)
    this.#resize()
    this.check()
  }

  /** Puts a text back into the box (a send the server refused): in an empty box as it was, else after what is there. */
  restore(text: string): void {
    const { input } = this.#o
    input.value = input.value.trim() === '' ? text : `${input.value}\n${text}`
    this.#resize()
    this.#saveDraft()
    this.check()
    input.focus()
  }

  /** Empties the box and forgets its conversation without keeping a draft (logged out). */
  reset(): void {
    clearTimeout(this.#draftTimer)
    this.#draftTimer = undefined
    this.#typing = false
    this.#key = undefined
    this.#o.input.value = ''
    this.#resize()
    this.check()
  }

  focus(): void {
    this.#o.input.focus()
  }

  /** Announces "stopped typing" if we announced typing. */
  stopTyping(): void {
    if (!this.#typing) return
    this.#typing = false
    this.#typingSentAt = 0
    // Skipped when the gate says no: the server's indicator lapses by itself.
    if (this.#o.typingGate?.take({ stopping: true }) ?? true) this.#o.onTyping(false, this.#key)
  }

  /** Re-checks the text (e.g. the limit changed with a login) and updates counter, notice and Send. */
  check(): TextCheck {
    const { input, sendButton, status, notice, fix, counter } = this.#o
    const limit = this.#o.limit?.() ?? 2000
    const c = checkText(input.value, limit)
    const problem = !c.empty && !c.sendable
    if (counter !== undefined) {
      counter.hidden = !c.nearLimit
      counter.textContent = t('composer.count', { length: c.length, limit })
      counter.classList.toggle('over', c.over > 0)
    }
    if (notice !== undefined) {
      const text = noticeText(c)
      if (notice.textContent !== text) notice.textContent = text
      notice.hidden = text === ''
    }
    if (fix !== undefined) fix.hidden = c.forbidden.length === 0
    if (status !== undefined) status.hidden = (counter?.hidden ?? true) && (notice?.hidden ?? true)
    sendButton?.setAttribute('aria-disabled', String(problem))
    input.setAttribute('aria-invalid', String(problem))
    return c
  }

  /**
   * The server's typing TTL (welcome.limits.typingTtlMs): typing is repeated within half of it. A
   * repeat goes with a keystroke, so it aims a fifth earlier than that: the keystroke that carries
   * it may come a little after the time is up.
   */
  set typingTtlMs(ttlMs: number) {
    this.#typingEveryMs = Math.max(100, Math.min(TYPING_EVERY_MS, Math.floor(ttlMs * 0.4)))
  }

  #typed(): void {
    const now = Date.now()
    if (this.#typing && now - this.#typingSentAt < this.#typingEveryMs) return
    if (this.#o.announcesTyping?.(this.#key) === false) return
    // Not now: the next keystroke asks again.
    if (this.#o.typingGate !== undefined && !this.#o.typingGate.take()) return
    this.#typing = true
    this.#typingSentAt = now
    this.#o.onTyping(true, this.#key)
  }

  #send(): void {
    const { input, notice } = this.#o
    const c = this.check()
    if (c.empty) return
    if (!c.sendable) {
      // Refused here, before anything is sent: the text stays for the user to fix, and the reason is said again.
      if (notice !== undefined) {
        notice.classList.remove('refused')
        void notice.offsetWidth // restarts the highlight
        notice.classList.add('refused')
      }
      input.focus()
      return
    }
    const text = input.value.trim()
    input.value = ''
    this.#resize()
    this.#saveDraft()
    this.check()
    // No "stopped typing" frame: the message itself ends the indicator (the server clears it on chat).
    this.#typing = false
    this.#typingSentAt = 0
    this.#o.typingGate?.spent()
    this.#o.onSend(text)
  }

  #scheduleDraft(): void {
    clearTimeout(this.#draftTimer)
    this.#draftTimer = setTimeout(() => this.#saveDraft(), DRAFT_SAVE_MS)
  }

  #saveDraft(): void {
    clearTimeout(this.#draftTimer)
    this.#draftTimer = undefined
    if (this.#key !== undefined) this.#o.drafts?.set(this.#key, this.#o.input.value)
  }

  #resize(): void {
    const { input, form } = this.#o
    // CSSOM writes are allowed by the page's CSP (style-src 'self'); style attributes are not.
    // The form keeps its height while the box is measured at 'auto': otherwise the message pane
    // grows for that moment, the browser clamps its scroll position, and a reader at the newest
    // line is left above it.
    form.style.minHeight = `${form.offsetHeight}px`
    input.style.height = 'auto'
    input.style.height = `${Math.min(input.scrollHeight, MAX_HEIGHT_PX)}px`
    form.style.minHeight = ''
  }
}

/** What the notice says about a text, "" when nothing is wrong. */
export function noticeText(c: TextCheck): string {
  if (c.over > 0) {
    return t('composer.tooLong', { count: c.over, over: c.over, limit: c.limit })
  }
  if (c.forbidden.length > 0) {
    const total = c.forbidden.reduce((sum, f) => sum + f.count, 0)
    const kinds = c.forbidden
      .slice(0, 3)
      .map((f) => `${f.code} ${charName(f.code)}`)
      .join(', ')
    const listed = c.forbidden.length > 3 ? t('composer.invisibleMore', { kinds, count: c.forbidden.length - 3 }) : kinds
    return t('composer.invisible', { count: total, kinds: listed })
  }
  return ''
}

/** The name of a refused character ("U+202E" → "right-to-left override"), in the page's language. */
function charName(code: string): string {
  const key = `char.${Number.parseInt(code.slice(2), 16)}`
  return t(NAMED_CHARS.has(key) ? (key as MessageKey) : 'char.control')
}
const NAMED_CHARS = new Set(Object.keys(NAMES).map((n) => `char.${n}`))
