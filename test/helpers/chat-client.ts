// ChatClient under Node for tests: `ws` as the WebSocket, a fake clock, zero
// backoff, every wait bounded, and a handle on the client-side sockets.
import WebSocket from 'ws'
import { ChatClient, type ChatClientOptions, type ChatEvents } from '../../client/index.ts'
import type { WebSocketConstructor } from '../../client/socket.ts'
import { FakeClock } from './fake-clock.ts'
import type { TestServer } from './server.ts'

export const WAIT_MS = 3_000

interface Teardown {
  teardown(fn: () => unknown): void
}

export interface TestClient {
  client: ChatClient
  clock: FakeClock
  /** Client-side sockets in the order the client opened them. */
  sockets: WebSocket[]
  /** Reconnect attempts the backoff was asked about. */
  backoffCalls: number[]
}

/** A ChatClient on the test server, with a fake clock and a backoff of 0 ms (advance the clock by 0 to retry). */
export function createTestClient(t: Teardown, server: Pick<TestServer, 'url'>, options: Partial<ChatClientOptions> = {}): TestClient {
  const sockets: WebSocket[] = []
  class TrackedWebSocket extends WebSocket {
    constructor(url: string, protocols: string[]) {
      super(url, protocols)
      sockets.push(this)
      this.on('error', () => {}) // the close event reports it to the client
    }
  }
  const clock = new FakeClock()
  const backoffCalls: number[] = []
  const client = new ChatClient({
    url: server.url,
    WebSocket: TrackedWebSocket as unknown as WebSocketConstructor,
    clock,
    backoff: (attempt) => {
      backoffCalls.push(attempt)
      return 0
    },
    ...options,
  })
  t.teardown(() => client.disconnect())
  return { client, clock, sockets, backoffCalls }
}

/** Resolves with the next event payload that matches (bounded by `timeoutMs` of real time). */
export function nextEvent<K extends keyof ChatEvents>(client: ChatClient, event: K, match: (p: ChatEvents[K]) => boolean = () => true, timeoutMs = WAIT_MS): Promise<ChatEvents[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off()
      reject(new Error(`no "${String(event)}" event within ${timeoutMs} ms`))
    }, timeoutMs)
    const off = client.on(event, (payload) => {
      if (!match(payload)) return
      clearTimeout(timer)
      off()
      resolve(payload)
    })
  })
}

/** Records every payload of an event from now on. */
export function collect<K extends keyof ChatEvents>(client: ChatClient, event: K): Array<ChatEvents[K]> {
  const seen: Array<ChatEvents[K]> = []
  client.on(event, (payload) => seen.push(payload))
  return seen
}

/** The server-side socket of a client-side one (matched by TCP port). */
export function serverSocketOf(server: TestServer, clientSocket: WebSocket): WebSocket {
  const port = (clientSocket as unknown as { _socket: { localPort: number } })._socket.localPort
  for (const ws of server.app.websocketServer.clients as Set<WebSocket>) {
    if ((ws as unknown as { _socket: { remotePort: number } })._socket.remotePort === port) return ws
  }
  throw new Error(`no server socket for client port ${port}`)
}

/** Connects and logs in; resolves once the client is open and logged in. */
export async function connectAndLogin(t: Teardown, server: TestServer, name: string, rooms?: string[], options: Partial<ChatClientOptions> = {}): Promise<TestClient> {
  const tc = createTestClient(t, server, options)
  await tc.client.connect()
  await tc.client.login(rooms === undefined ? { name } : { name, rooms })
  return tc
}
