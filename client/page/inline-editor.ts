// Editing a sent message in place: its text becomes a box with the same rules
// as the composer (the limit in force, refused characters explained before
// anything is sent). Enter saves, Shift+Enter breaks the line, Escape
// cancels; an unchanged text saves nothing. One editor at a time.
import { noticeText } from './composer.ts'
import { h } from './dom.ts'
import { t } from './i18n.ts'
import { checkText } from './text-rules.ts'

export interface InlineEditorOptions {
  /** The message's list item; its `.text` is swapped for the box. */
  item: HTMLElement
  text: string
  /** Longest text, in code points. */
  limit: number
  /** Sends the new text; a rejection's message is shown and the box stays. */
  save: (text: string) => Promise<void>
  /** Plain words for a failed save. */
  failureText: (err: unknown) => string
  /** The editor closed (saved or cancelled): draw the message as it is now. */
  closed: () => void
}

const numbers = new Intl.NumberFormat()
let open: { cancel: () => void } | undefined

/** Opens the editor in `item` (closing another one first); false when the item has no text to edit. */
export function openInlineEditor(o: InlineEditorOptions): boolean {
  const shown = o.item.querySelector<HTMLElement>('.bubble > .text')
  if (shown === null) return false
  open?.cancel()
  const input = h('textarea', { class: 'edit-input', attrs: { rows: '1', 'aria-label': t('edit.label'), 'aria-describedby': 'edit-help edit-notice' } })
  input.value = o.text
  const notice = h('p', { class: 'edit-notice', attrs: { id: 'edit-notice', role: 'status' } })
  const counter = h('span', { class: 'composer-count edit-count' })
  const help = h('p', { class: 'edit-help', attrs: { id: 'edit-help' } }, t('edit.help'))
  const saveButton = h('button', { class: 'primary small', text: t('edit.save'), attrs: { type: 'submit' } })
  const cancelButton = h('button', { class: 'ghost small', text: t('edit.cancel'), attrs: { type: 'button' } })
  const form = h('form', { class: 'inline-editor', attrs: { novalidate: '' } }, input, h('div', { class: 'edit-row' }, help, counter, cancelButton, saveButton), notice)
  shown.replaceWith(form)
  o.item.classList.add('editing')
  let busy = false

  const resize = (): void => {
    // CSSOM writes are allowed by the page's CSP; style attributes are not.
    input.style.height = 'auto'
    input.style.height = `${Math.min(input.scrollHeight, 240)}px`
  }
  const check = (): ReturnType<typeof checkText> => {
    const c = checkText(input.value, o.limit)
    counter.hidden = !c.nearLimit
    counter.textContent = `${numbers.format(c.length)} / ${numbers.format(o.limit)}`
    counter.classList.toggle('over', c.over > 0)
    notice.textContent = noticeText(c)
    input.setAttribute('aria-invalid', String(!c.empty && !c.sendable))
    return c
  }
  const close = (): void => {
    if (open !== handle) return
    open = undefined
    o.item.classList.remove('editing')
    if (form.isConnected) form.replaceWith(shown)
    o.closed()
  }
  const submit = (): void => {
    if (busy) return
    const c = check()
    const text = input.value.trim()
    if (text === o.text.trim()) return close()
    if (c.empty) {
      notice.textContent = t('edit.empty')
      return
    }
    if (!c.sendable) return input.focus()
    busy = true
    form.classList.add('busy')
    saveButton.disabled = true
    o.save(text).then(close, (err: unknown) => {
      busy = false
      form.classList.remove('busy')
      saveButton.disabled = false
      notice.textContent = t('edit.failed', { reason: o.failureText(err) })
      input.focus()
    })
  }
  const handle = { cancel: close }
  open = handle

  form.addEventListener('submit', (event) => {
    event.preventDefault()
    submit()
  })
  cancelButton.addEventListener('click', close)
  input.addEventListener('input', () => {
    resize()
    check()
  })
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault()
      event.stopPropagation()
      close()
    } else if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault()
      submit()
    }
  })
  resize()
  check()
  input.focus()
  input.setSelectionRange(input.value.length, input.value.length)
  return true
}

/** Closes the open editor, if any, without saving (the conversation changed). */
export function cancelInlineEditor(): void {
  open?.cancel()
}
