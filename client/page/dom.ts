// Tiny DOM helpers. Text only ever goes in through textContent, attributes
// through setAttribute with fixed names: no HTML strings anywhere on the page.

type Child = Node | string | null | undefined | false

export interface Props {
  class?: string
  text?: string
  /** Attributes; names are fixed in code, values may be user data (setAttribute escapes nothing because nothing is parsed). */
  attrs?: Record<string, string>
}

/** Creates an element with classes, text, attributes and children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag)
  if (props.class) el.className = props.class
  if (props.text !== undefined) el.textContent = props.text
  if (props.attrs) for (const [name, value] of Object.entries(props.attrs)) el.setAttribute(name, value)
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue
    el.append(typeof child === 'string' ? document.createTextNode(child) : child)
  }
  return el
}

/** The element with this id, of the expected type; throws when the page is not what the code expects. */
export function byId<T extends HTMLElement = HTMLElement>(id: string, type: new () => T = HTMLElement as unknown as new () => T): T {
  const el = document.getElementById(id)
  if (!(el instanceof type)) throw new Error(`#${id} missing or not a ${type.name}`)
  return el
}

/** Removes every child. */
export function clear(el: Element): void {
  el.replaceChildren()
}
