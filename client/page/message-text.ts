// Message text as elements: the markdown tree of markdown.ts, built with
// createElement and text nodes only. No HTML string is ever parsed, so text
// cannot become markup; a link's href is checked again here, so no tree, from
// this parser or a future one, can put anything but http(s) or mailto there.
import { isSafeHref, parseMessage, type Block, type Inline } from './markdown.ts'

const INLINE_TAG = { strong: 'strong', em: 'em', strike: 's' } as const

function inlines(nodes: readonly Inline[], into: Node): void {
  for (const node of nodes) {
    switch (node.type) {
      case 'text':
        into.appendChild(document.createTextNode(node.text))
        break
      case 'code': {
        const code = document.createElement('code')
        code.textContent = node.text
        into.appendChild(code)
        break
      }
      case 'link': {
        const href = isSafeHref(node.href)
        if (href === undefined) {
          inlines(node.children, into)
          break
        }
        const a = document.createElement('a')
        a.setAttribute('href', href)
        // A new tab, without a window.opener handle back to the chat and without a Referer.
        a.setAttribute('target', '_blank')
        a.setAttribute('rel', 'noopener noreferrer')
        inlines(node.children, a)
        // A label that is not the address itself: show where it goes on hover.
        if (a.textContent !== href && a.textContent !== node.href) a.setAttribute('title', href)
        into.appendChild(a)
        break
      }
      default: {
        const el = document.createElement(INLINE_TAG[node.type])
        inlines(node.children, el)
        into.appendChild(el)
      }
    }
  }
}

function blocks(nodes: readonly Block[], into: Node): void {
  for (const node of nodes) {
    switch (node.type) {
      case 'paragraph': {
        const p = document.createElement('p')
        inlines(node.children, p)
        into.appendChild(p)
        break
      }
      case 'code-block': {
        const pre = document.createElement('pre')
        const code = document.createElement('code')
        code.textContent = node.text
        if (node.lang !== undefined) code.dataset.lang = node.lang
        pre.appendChild(code)
        // Scrollable by keyboard when its lines are wider than the bubble.
        pre.tabIndex = 0
        into.appendChild(pre)
        break
      }
      case 'quote': {
        const quote = document.createElement('blockquote')
        blocks(node.children, quote)
        into.appendChild(quote)
        break
      }
    }
  }
}

/** The element showing a message's text: `div.text`, direction from its content (dir="auto"). */
export function renderMessageText(text: string): HTMLDivElement {
  const div = document.createElement('div')
  div.className = 'text'
  div.dir = 'auto'
  blocks(parseMessage(text), div)
  return div
}
