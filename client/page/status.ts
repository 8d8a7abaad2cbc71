// The connection indicator: never hides a lost connection. A pill for the
// state, and a banner with the reason and a retry button whenever not connected.
import type { RetryInfo, SocketState, StateChange } from '../index.ts'
import { t } from './i18n.ts'

export interface StatusElements {
  pills: HTMLElement[]
  banner: HTMLElement
  bannerText: HTMLElement
  retry: HTMLButtonElement
}

/** The banner's sentence for a closed connection (the client kit's page adapter reads the close code back from it). */
export function closedText(change: Pick<StateChange, 'reason' | 'code'>): string {
  switch (change.reason) {
    case 'logout':
      return t('status.loggedOut')
    case 'terminal-close':
      switch (change.code) {
        case 4001:
        case 4008:
        case 4011:
        case 4012:
        case 4013:
        case 4014:
          return t(`status.close.${change.code}`)
        default:
          return t('status.close.other', { code: String(change.code ?? '?') })
      }
    case 'session-rejected':
      return t('status.sessionRejected')
    case 'retries-exhausted':
      return t('status.unreachable')
    default:
      return t('status.offline')
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
      pill.querySelector('.status-text')!.textContent = t(`status.${this.#state}`)
    }
    clearInterval(this.#ticker)
    this.#ticker = undefined
    banner.hidden = this.#state === 'open' || this.#state === 'connecting'
    banner.dataset.state = this.#state
    if (this.#state === 'reconnecting') {
      const tick = () => {
        const seconds = Math.ceil((this.#retryAt - Date.now()) / 1000)
        bannerText.textContent = seconds > 0 ? t('status.lostIn', { count: seconds }) : t('status.lost')
      }
      tick()
      this.#ticker = setInterval(tick, 1000)
      retry.textContent = t('status.retryNow')
      retry.hidden = false
    } else if (this.#state === 'closed') {
      bannerText.textContent = this.#closed ? closedText(this.#closed) : t('status.offline')
      retry.textContent = t('status.reconnect')
      // After a server ban every login is refused until it ends: a Reconnect button would only fail.
      retry.hidden = this.#closed?.reason === 'logout' || this.#closed?.code === 4014
    }
  }
}
