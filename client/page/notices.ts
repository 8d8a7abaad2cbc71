// Notices that belong to no conversation: "you were removed from #room"
// stays until dismissed (the room it would show in is gone); short
// confirmations fade on their own.
import { h } from './dom.ts'
import { t } from './i18n.ts'
import './rooms.css'

const FADE_MS = 6_000
const MAX_SHOWN = 4

let region: HTMLElement | undefined

function regionEl(): HTMLElement {
  if (!region) {
    region = h('div', { class: 'toasts', attrs: { role: 'region', 'aria-label': t('notices.label') } })
    document.body.append(region)
  }
  return region
}

export interface NoticeOptions {
  /** `bad`: something was done to the user (an alert); default `info` (a status). */
  tone?: 'info' | 'bad'
  /** Stays until dismissed. Default false: fades after a few seconds. */
  sticky?: boolean
  /** A button that does the obvious next thing (e.g. join the room one was invited to); the notice goes with the click. */
  action?: { label: string; run: () => void }
}

/** Shows a notice. Returns the function that removes it. */
export function showNotice(text: string, options: NoticeOptions = {}): () => void {
  const { tone = 'info', sticky = false, action } = options
  const close = h('button', { class: 'toast-close', text: '×', attrs: { type: 'button', 'aria-label': t('notices.dismiss') } })
  const button = action ? h('button', { class: 'ghost small toast-action', text: action.label, attrs: { type: 'button' } }) : null
  const toast = h('div', { class: `toast ${tone}`, attrs: { role: tone === 'bad' ? 'alert' : 'status' } }, h('p', { class: 'toast-text', text }), button, close)
  const remove = (): void => toast.remove()
  close.addEventListener('click', remove)
  button?.addEventListener('click', () => {
    remove()
    action?.run()
  })
  const all = regionEl()
  all.append(toast)
  while (all.children.length > MAX_SHOWN) all.firstElementChild?.remove()
  if (!sticky) setTimeout(remove, FADE_MS)
  return remove
}

/** Removes every notice (logout). */
export function clearNotices(): void {
  region?.replaceChildren()
}
