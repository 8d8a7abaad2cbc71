// The two drawers of narrow screens: the conversation list slides in from the
// left, the member list from the right, over a scrim. While one is open focus
// is inside it and everything else is inert (not clickable, not focusable, not
// read), as in a modal dialog; Escape or a tap on the scrim closes it and focus
// goes back to the button that opened it.

export interface Drawer {
  panel: HTMLElement
  toggle: HTMLButtonElement
  /** The class on <body> that slides it in (style.css). */
  bodyClass: string
  /** Where it is a drawer at all; wider, the panel is part of the layout. */
  media: string
}

export class Drawers {
  readonly #scrim: HTMLElement
  /** The regions made inert while a drawer is open (the drawers themselves among them: the other one is inert too). */
  readonly #regions: readonly HTMLElement[]
  #open: Drawer | undefined

  constructor(drawers: readonly Drawer[], scrim: HTMLElement, regions: readonly HTMLElement[]) {
    this.#scrim = scrim
    this.#regions = regions
    for (const drawer of drawers) {
      drawer.toggle.addEventListener('click', () => (this.#open === drawer ? this.close() : this.open(drawer)))
      // Wider than a phone the panel is in the layout again: nothing may stay inert.
      matchMedia(drawer.media).addEventListener('change', (event) => {
        if (!event.matches && this.#open === drawer) this.close(null)
      })
    }
    scrim.addEventListener('click', () => this.close())
    document.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && this.#open !== undefined && !event.defaultPrevented && document.querySelector('dialog[open]') === null) {
        event.preventDefault()
        this.close()
      }
    })
  }

  get isOpen(): boolean {
    return this.#open !== undefined
  }

  /** Slides `drawer` in and puts focus in it: on the shown conversation if it is there, else on its first control. */
  open(drawer: Drawer): void {
    if (this.#open !== undefined) this.close(null)
    this.#open = drawer
    document.body.classList.add(drawer.bodyClass)
    drawer.toggle.setAttribute('aria-expanded', 'true')
    this.#scrim.hidden = false
    for (const region of this.#regions) region.inert = region !== drawer.panel
    const target = drawer.panel.querySelector<HTMLElement>('[aria-current="page"]') ?? drawer.panel.querySelector<HTMLElement>('button:not([hidden]), a[href], input:not([hidden]), [tabindex="0"]')
    if (target !== null) target.focus()
    else {
      drawer.panel.tabIndex = -1
      drawer.panel.focus()
    }
  }

  /**
   * Closes the open drawer. If focus was in it, it goes to `focusTo` (by default the drawer's
   * button; `null` leaves it where it is).
   */
  close(focusTo?: HTMLElement | null): void {
    const drawer = this.#open
    if (drawer === undefined) return
    this.#open = undefined
    const hadFocus = drawer.panel.contains(document.activeElement)
    document.body.classList.remove(drawer.bodyClass)
    drawer.toggle.setAttribute('aria-expanded', 'false')
    this.#scrim.hidden = true
    for (const region of this.#regions) region.inert = false
    const to = focusTo === undefined ? drawer.toggle : focusTo
    if (hadFocus && to !== null) to.focus()
  }
}
