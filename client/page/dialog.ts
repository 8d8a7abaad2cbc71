// A modal panel built in code (no HTML strings): heading, close button and a
// body the caller fills. The native <dialog> gives focus trapping, Escape and
// the top layer, so it works the same over the mobile drawers.
import { h } from './dom.ts'
import { t } from './i18n.ts'
import './rooms.css'

export interface Panel {
  dialog: HTMLDialogElement
  heading: HTMLHeadingElement
  /** A line under the heading (what this is about). */
  subtitle: HTMLParagraphElement
  body: HTMLDivElement
  open(): void
  close(): void
}

/** Creates a dialog `#id` with a heading and a close button, appended to the body. */
export function createPanel(id: string, title: string, className = ''): Panel {
  const heading = h('h2', { text: title, attrs: { id: `${id}-heading` } })
  const subtitle = h('p', { class: 'help panel-subtitle', attrs: { id: `${id}-subtitle` } })
  const close = h('button', { class: 'icon-button', text: '×', attrs: { type: 'button', 'aria-label': t('panel.close') } })
  const body = h('div', { class: 'panel-body' })
  const dialog = h(
    'dialog',
    { class: `dialog panel ${className}`.trim(), attrs: { id, 'aria-labelledby': `${id}-heading`, 'aria-describedby': `${id}-subtitle` } },
    h('div', { class: 'panel-head' }, h('div', { class: 'panel-title' }, heading, subtitle), close),
    body,
  )
  document.body.append(dialog)
  const panel: Panel = {
    dialog,
    heading,
    subtitle,
    body,
    open: () => {
      if (!dialog.open) dialog.showModal()
    },
    close: () => {
      if (dialog.open) dialog.close()
    },
  }
  close.addEventListener('click', () => panel.close())
  // A click on the backdrop (outside the panel's box) closes it, as on most sites.
  dialog.addEventListener('click', (event) => {
    if (event.target !== dialog) return
    const box = dialog.getBoundingClientRect()
    const inside = event.clientX >= box.left && event.clientX <= box.right && event.clientY >= box.top && event.clientY <= box.bottom
    if (!inside) panel.close()
  })
  return panel
}

/** A titled section of a panel. */
export function section(title: string, ...children: (Node | null)[]): HTMLElement {
  return h('section', { class: 'panel-section' }, h('h3', { text: title }), ...children)
}
