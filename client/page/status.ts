// The connection indicator: never hides a lost connection. A pill for the
// state, and a banner with the reason and a retry button whenever not connected.
import type { RetryInfo, SocketState, StateChange } from '../index.ts'

export interface StatusElements {
  pills: HTMLElement[]
  banner: HTMLElement
  bannerText: HTMLElement
  retry: HTMLButtonElement
}

const LABELS: Record<SocketState, string> = {
  connecting: 'Connecting…',
  open: 'Connected',
  reconnecting: 'Reconnecting…',
  closed: 'Offline',
}

/** The banner's sentence for a closed connection (the client kit's page adapter reads the close code back from it). */
export function closedText(change: Pick<StateChange, 'reason' | 'code'>): string {
  switch (change.reason) {
    case 'logout':
      return 'You logged out.'
    case 'terminal-close':
      if (change.code === 4001) return 'Disconnected: the login took too long.'
      if (change.code === 4008) return 'Disconnected by the server for sending too much.'
      if (change.code === 4011) return 'This session was signed out from another device.'
      if (change.code === 4012) return 'Your session expired, sign in again.'
      if (change.code === 4013) return 'An operator disconnected you. Reload to connect again.'
      if (change.code === 4014) return 'An operator banned you from this server.'
      return `Disconnected by the server (code ${change.code ?? '?'}).`
    case 'session-rejected':
      return 'The server refused this session. Reload to start again.'
    case 'retries-exhausted':
      return 'Could not reach the server.'
    default:
      return 'You are offline.'
  }
}

export class StatusView {
  readonly #el: StatusElements
  #state: SocketState = 'connecting'
  #retryAt = 0
  #ticker: ReturnType<typeof setInterval> | undefined
  #closed: StateChange | undefined

  constructor(elements: StatusElements) {
    this.#el = elements
  }

  get state(): SocketState {
    return this.#state
  }

  update(change: StateChange): void {
    this.#state = change.to
    this.#closed = change.to === 'closed' ? change : undefined
    if (change.to !== 'reconnecting') this.#retryAt = 0
    this.#render()
  }

  retry(info: RetryInfo): void {
    this.#retryAt = Date.now() + info.delayMs
    this.#render()
  }

  #render(): void {
    const { pills, banner, bannerText, retry } = this.#el
    for (const pill of pills) {
      pill.dataset.state = this.#state
      pill.querySelector('.status-text')!.textContent = LABELS[this.#state]
    }
    clearInterval(this.#ticker)
    this.#ticker = undefined
    banner.hidden = this.#state === 'open' || this.#state === 'connecting'
    banner.dataset.state = this.#state
    if (this.#state === 'reconnecting') {
      const tick = () => {
        const seconds = Math.ceil((this.#retryAt - Date.now()) / 1000)
        bannerText.textContent =
          seconds > 0 ? `Connection lost. Reconnecting in ${seconds} s… Messages you send now go out when it is back.` : 'Connection lost. Reconnecting… Messages you send now go out when it is back.'
      }
      tick()
      this.#ticker = setInterval(tick, 1000)
      retry.textContent = 'Retry now'
      retry.hidden = false
    } else if (this.#state === 'closed') {
      bannerText.textContent = this.#closed ? closedText(this.#closed) : 'You are offline.'
      retry.textContent = 'Reconnect'
      // After a server ban every login is refused until it ends: a Reconnect button would only fail.
      retry.hidden = this.#closed?.reason === 'logout' || this.#closed?.code === 4014
    }
  }
}
