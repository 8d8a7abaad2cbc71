// The room browser: the directory of public rooms (list-rooms), filtered by
// namespace and searched by the start of the name, a page at a time; join
// from it; and "create a room", which is joining a new name where the
// namespace lets this user.
import { type ChatClient, type DirectoryEntry, isChatError, type Namespace } from '../index.ts'
import { createPanel, type Panel, section } from './dialog.ts'
import { clear, h } from './dom.ts'
import { currentLocale, t } from './i18n.ts'

export interface RoomBrowserActions {
  /** Joins the room (or shows it when joined already); rejects with the server's refusal. */
  join(room: string): Promise<void>
  /** True when the page is in the room. */
  isJoined(room: string): boolean
  /** Plain words for a failed request. */
  failureText(err: unknown): string
}

const PAGE_SIZE = 20
const ALL = '*'
const SEARCH_DELAY_MS = 250

/** How the namespace's rules read to this user. */
export function namespaceRules(ns: Namespace, registered: boolean): string {
  const create = t(ns.create === 'registered' && !registered ? 'ns.create.guest' : `ns.create.${ns.create}`)
  const post = ns.post === 'moderators' ? t('ns.post.moderators') : ''
  const visibility = ns.visibility === 'private' ? t('ns.private') : ''
  return [create, post, visibility].filter(Boolean).join(' ')
}

/** "news:" for a namespace, "" for the default one. */
const prefixOf = (namespace: string): string => (namespace === '' ? '' : `${namespace}:`)

export class RoomBrowser {
  readonly #client: ChatClient
  readonly #actions: RoomBrowserActions
  readonly #panel: Panel
  readonly #namespace = h('select', { attrs: { id: 'browse-namespace', 'aria-label': t('browse.namespace') } })
  readonly #search = h('input', {
    attrs: { id: 'browse-search', type: 'search', placeholder: t('browse.search'), maxlength: '49', autocomplete: 'off', spellcheck: 'false', 'aria-label': t('browse.searchLabel') },
  })
  readonly #rules = h('p', { class: 'help', attrs: { id: 'browse-rules' } })
  readonly #list = h('ul', { class: 'directory', attrs: { id: 'browse-list', 'aria-label': t('browse.list') } })
  readonly #more = h('button', { class: 'ghost small more', text: t('browse.more'), attrs: { id: 'browse-more', type: 'button' } })
  readonly #status = h('p', { class: 'help directory-status', attrs: { id: 'browse-status', role: 'status' } })
  readonly #error = h('p', { class: 'form-error', attrs: { id: 'browse-error', role: 'alert' } })
  readonly #create = {
    form: h('form', { class: 'inline-field create-room', attrs: { id: 'create-room-form', novalidate: '' } }),
    prefix: h('span', { class: 'room-prefix', attrs: { id: 'create-room-prefix', 'aria-hidden': 'true' } }),
    name: h('input', {
      attrs: { id: 'create-room-name', maxlength: '49', autocomplete: 'off', spellcheck: 'false', placeholder: t('browse.newRoom'), 'aria-describedby': 'create-room-help create-room-error' },
    }),
    button: h('button', { class: 'primary', text: t('browse.create'), attrs: { type: 'submit' } }),
    help: h('p', { class: 'help', attrs: { id: 'create-room-help' } }),
    error: h('p', { class: 'form-error', attrs: { id: 'create-room-error', role: 'alert' } }),
  }
  #next: string | undefined
  /** The namespace filter's choice, kept across openings; every namespace at first. */
  #chosen = ALL
  /** Bumped by every new query: answers to older ones are dropped. */
  #query = 0
  #timer: ReturnType<typeof setTimeout> | undefined

  constructor(client: ChatClient, actions: RoomBrowserActions) {
    this.#client = client
    this.#actions = actions
    this.#panel = createPanel('room-browser', t('browse.title'), 'wide')
    this.#panel.subtitle.textContent = t('browse.subtitle')
    const { form, prefix, name, button, help, error } = this.#create
    form.append(h('label', { class: 'sr-only', text: t('browse.newRoomLabel'), attrs: { for: 'create-room-name' } }), h('span', { class: 'prefixed' }, prefix, name), button)
    this.#panel.body.append(
      h('div', { class: 'directory-filter' }, this.#namespace, this.#search),
      this.#rules,
      this.#list,
      this.#status,
      this.#more,
      this.#error,
      section(t('browse.createSection'), form, help, error),
    )
    this.#namespace.addEventListener('change', () => {
      this.#chosen = this.#namespace.value
      this.#describeNamespace()
      void this.#load(false)
    })
    this.#search.addEventListener('input', () => {
      clearTimeout(this.#timer)
      this.#timer = setTimeout(() => void this.#load(false), SEARCH_DELAY_MS)
    })
    this.#search.addEventListener('keydown', (event) => {
      if (event.key !== 'Enter') return
      event.preventDefault()
      clearTimeout(this.#timer)
      void this.#load(false)
    })
    this.#more.addEventListener('click', () => void this.#load(true))
    form.addEventListener('submit', (event) => {
      event.preventDefault()
      this.#createSubmit()
    })
  }

  open(): void {
    this.#fillNamespaces()
    this.#search.value = ''
    this.#create.name.value = ''
    this.#create.error.textContent = ''
    this.#panel.open()
    this.#search.focus()
    void this.#load(false)
  }

  close(): void {
    this.#panel.close()
  }

  /** The namespace filter: hidden when the server has only the default namespace. */
  #fillNamespaces(): void {
    const namespaces = this.#client.namespaces
    const chosen = this.#chosen
    clear(this.#namespace)
    this.#namespace.append(h('option', { text: t('browse.all'), attrs: { value: ALL } }))
    for (const ns of namespaces) this.#namespace.append(h('option', { text: ns.name === '' ? t('browse.noPrefix') : `${ns.name}:`, attrs: { value: ns.name } }))
    this.#namespace.value = namespaces.some((ns) => ns.name === chosen) ? chosen : ALL
    this.#namespace.hidden = namespaces.length <= 1
    this.#describeNamespace()
  }

  /** The namespace rooms are created in: the chosen one, or the default one under "All". */
  #createNamespace(): Namespace | undefined {
    const value = this.#namespace.value
    return this.#client.namespaces.find((ns) => ns.name === (value === ALL ? '' : value))
  }

  #describeNamespace(): void {
    const value = this.#namespace.value
    const shown = value === ALL ? undefined : this.#client.namespaces.find((ns) => ns.name === value)
    this.#rules.textContent = shown ? `${shown.description} ${namespaceRules(shown, this.#client.registered)}` : ''
    this.#rules.hidden = shown === undefined
    const ns = this.#createNamespace()
    const { prefix, name, button, help } = this.#create
    prefix.textContent = ns === undefined ? '' : prefixOf(ns.name)
    prefix.hidden = prefix.textContent === ''
    help.textContent = ns === undefined ? t('browse.createHelp') : t('browse.createHelpNs', { rules: namespaceRules(ns, this.#client.registered) })
    // Nobody may: say so and offer nothing to press. A guest where only registered users may is told the same way by the server.
    const nobody = ns?.create === 'nobody'
    name.disabled = nobody
    button.disabled = nobody
  }

  async #load(more: boolean): Promise<void> {
    const query = ++this.#query
    const namespace = this.#namespace.value === ALL ? undefined : this.#namespace.value
    const prefix = this.#search.value.trim().replace(/^#/, '').toLowerCase()
    this.#error.textContent = ''
    if (!more) {
      // "Show more" belongs to the page being replaced: gone until the new query answers.
      this.#next = undefined
      this.#more.hidden = true
      this.#status.textContent = t('browse.loading')
    }
    try {
      const page = await this.#client.listRooms({
        limit: PAGE_SIZE,
        ...(namespace !== undefined && { namespace }),
        ...(prefix !== '' && { prefix }),
        ...(more && this.#next !== undefined && { cursor: this.#next }),
      })
      if (query !== this.#query) return
      if (!more) clear(this.#list)
      for (const entry of page.rooms) this.#list.append(this.#row(entry))
      this.#next = page.next
      this.#more.hidden = page.next === undefined
      const shown = this.#list.children.length
      this.#status.textContent =
        shown === 0
          ? prefix === ''
            ? t('browse.empty')
            : t('browse.noMatch', { prefix })
          : t('browse.count', { count: shown, shown: `${new Intl.NumberFormat(currentLocale()).format(shown)}${page.next === undefined ? '' : '+'}` })
    } catch (err) {
      if (query !== this.#query) return
      this.#status.textContent = ''
      this.#more.hidden = true
      this.#error.textContent = isChatError(err, 'bad-frame') ? t('browse.badSearch') : t('browse.listFailed', { reason: this.#actions.failureText(err) })
    }
  }

  #row(entry: DirectoryEntry): HTMLLIElement {
    const joined = this.#actions.isJoined(entry.room)
    const button = h('button', {
      class: joined ? 'ghost small' : 'primary small',
      text: t(joined ? 'browse.open' : 'browse.join'),
      attrs: { type: 'button', 'aria-label': t(joined ? 'browse.openRoom' : 'browse.joinRoom', { room: entry.room }) },
    })
    const error = h('p', { class: 'form-error', attrs: { role: 'alert' } })
    const item = h(
      'li',
      { class: 'directory-room', attrs: { 'data-room': entry.room } },
      h('span', { class: 'conv-icon', text: '#', attrs: { 'aria-hidden': 'true' } }),
      h(
        'div',
        { class: 'directory-details' },
        h('span', { class: 'directory-line' }, h('span', { class: 'directory-name', text: entry.room }), h('span', { class: 'directory-count', text: t('browse.members', { count: entry.members }) })),
        h('span', { class: entry.topic === '' ? 'directory-topic none' : 'directory-topic', text: entry.topic === '' ? t('browse.noTopic') : entry.topic }),
        error,
      ),
      button,
    )
    button.addEventListener('click', () => {
      button.disabled = true
      error.textContent = ''
      this.#actions.join(entry.room).then(
        () => this.close(),
        (err: unknown) => {
          button.disabled = false
          error.textContent = t('browse.joinFailed', { reason: this.#actions.failureText(err) })
        },
      )
    })
    return item
  }

  #createSubmit(): void {
    const { name, error, button } = this.#create
    // Room names are lower case without spaces; be forgiving about "#Dev Team".
    const typed = name.value.trim().replace(/^#/, '').toLowerCase().replace(/\s+/g, '-')
    if (typed === '') return name.focus()
    const ns = this.#createNamespace()
    const room = typed.includes(':') || ns === undefined ? typed : `${prefixOf(ns.name)}${typed}`
    error.textContent = ''
    button.disabled = true
    this.#actions.join(room).then(
      () => {
        button.disabled = false
        this.close()
      },
      (err: unknown) => {
        button.disabled = false
        error.textContent = isChatError(err, 'bad-frame') ? t('browse.badName', { room }) : t('browse.createFailed', { room, reason: this.#actions.failureText(err) })
        name.focus()
      },
    )
  }
}
