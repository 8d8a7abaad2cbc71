// Desktop notifications for what is addressed to this user — a mention in a
// room, a direct message — while the tab is hidden. The browser's permission
// is asked for only from a user action (the bell button, or the first message
// the user sends): a prompt on load is what browsers penalise and users
// refuse. The user can switch them off with the bell; that choice is kept.
import { t } from './i18n.ts'

/** The parts of the browser's Notification API used here (injectable for tests). */
export interface NotificationApi {
  readonly permission: NotificationPermission
  requestPermission(): Promise<NotificationPermission>
  new (title: string, options?: NotificationOptions): { onclick: ((ev: Event) => unknown) | null; close(): void }
}

/** Where the on/off choice is kept. */
export interface ChoiceStore {
  get(): boolean | undefined
  set(on: boolean): void
}

/** What the bell shows. */
export type BellState = 'unsupported' | 'ask' | 'on' | 'off' | 'blocked'

export interface NotifierOptions {
  /** window.Notification, or undefined where the browser has none. */
  api: NotificationApi | undefined
  /** True while the tab is hidden (document.hidden). */
  hidden: () => boolean
  store: ChoiceStore
}

/** One notification to show. */
export interface Notice {
  title: string
  body: string
  /** A notification with the same tag replaces the earlier one (one per conversation). */
  tag: string
  /** The user clicked it: show the conversation. */
  onClick: () => void
}

export class Notifier {
  readonly #o: NotifierOptions
  /** Called when the bell's state may have changed. */
  onChange: () => void = () => {}

  constructor(options: NotifierOptions) {
    this.#o = options
  }

  /** What the bell shows now. */
  get state(): BellState {
    const { api, store } = this.#o
    if (api === undefined) return 'unsupported'
    if (api.permission === 'denied') return 'blocked'
    if (api.permission === 'default') return store.get() === false ? 'off' : 'ask'
    return store.get() === false ? 'off' : 'on'
  }

  /**
   * The bell was pressed: ask for the permission when it was never asked, else
   * switch notifications on or off. Call only from a user action.
   */
  async toggle(): Promise<void> {
    const { api, store } = this.#o
    if (api === undefined) return
    if (api.permission === 'default') {
      store.set(true)
      await this.#ask()
    } else if (api.permission === 'granted') store.set(store.get() === false)
    this.onChange()
  }

  /**
   * The user sent a message: a user action, so the browser allows the prompt.
   * Asked once, and never when the user switched notifications off.
   */
  async userActed(): Promise<void> {
    const { api, store } = this.#o
    if (api === undefined || api.permission !== 'default' || store.get() !== undefined) return
    store.set(true)
    await this.#ask()
    this.onChange()
  }

  /** Shows `notice` if notifications are on and the tab is hidden; true when shown. */
  notify(notice: Notice): boolean {
    const { api, hidden } = this.#o
    if (api === undefined || this.state !== 'on' || !hidden()) return false
    try {
      const shown = new api(notice.title, { body: notice.body, tag: notice.tag })
      shown.onclick = () => {
        globalThis.focus?.()
        notice.onClick()
        shown.close()
      }
      return true
    } catch {
      // Some mobile browsers allow notifications only from a service worker: then there are none.
      return false
    }
  }

  async #ask(): Promise<void> {
    try {
      await this.#o.api?.requestPermission()
    } catch {
      // An old callback-style API or a refusal to prompt: the state says what came of it.
    }
  }
}

/** The bell's label for screen readers and its tooltip. */
export function bellLabel(state: BellState): string {
  return t(`bell.${state}`)
}

/** The body of a notification: the text on one line, cut to a readable length. */
export function noticeBody(text: string, maxChars = 140): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  const chars = [...flat]
  return chars.length <= maxChars ? flat : `${chars.slice(0, maxChars - 1).join('')}…`
}

/** The page title: "(3) wirechat" for mentions and DMs waiting, "• wirechat" for other unread messages only. */
export function pageTitle(addressed: number, otherUnread: number, base = 'wirechat'): string {
  if (addressed > 0) return `(${addressed}) ${base}`
  return otherUnread > 0 ? `• ${base}` : base
}
