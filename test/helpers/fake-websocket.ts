// An in-memory WebSocket for unit tests of the client's state machine: the
// test plays the server by calling open(), serverSend() and serverClose().
import type { WebSocketLike } from '../../client/socket.ts'

export class FakeWebSocket implements WebSocketLike {
  /** Every socket constructed, newest last. */
  static instances: FakeWebSocket[] = []
  static reset(): void {
    FakeWebSocket.instances = []
  }
  static get last(): FakeWebSocket {
    const ws = FakeWebSocket.instances.at(-1)
    if (!ws) throw new Error('no FakeWebSocket constructed')
    return ws
  }

  readonly url: string
  readonly protocols: string[]
  readyState = 0
  /** Frames the client sent, decoded. */
  readonly sent: Array<Record<string, unknown>> = []
  closedWith: { code: number | undefined; reason: string | undefined } | undefined

  constructor(url: string, protocols: string[]) {
    this.url = url
    this.protocols = protocols
    FakeWebSocket.instances.push(this)
  }

  onopen(_event: unknown): void {}
  onmessage(_event: { data: unknown }): void {}
  onclose(_event: { code: number; reason: string }): void {}
  onerror(_event: unknown): void {}

  send(data: string): void {
    if (this.readyState !== 1) throw new Error('send on a socket that is not open')
    this.sent.push(JSON.parse(data) as Record<string, unknown>)
  }

  close(code?: number, reason?: string): void {
    this.closedWith = { code, reason }
    this.readyState = 3
  }

  // ---- the test's side ----

  open(): void {
    this.readyState = 1
    this.onopen({})
  }

  serverSend(frame: Record<string, unknown>): void {
    this.onmessage({ data: JSON.stringify(frame) })
  }

  serverClose(code: number, reason = ''): void {
    this.readyState = 3
    this.onclose({ code, reason })
  }

  /** The last frame the client sent of a type. */
  lastSent(type: string): Record<string, unknown> | undefined {
    return this.sent.filter((f) => f.type === type).at(-1)
  }
}

/** A welcome frame as the server sends it. */
export function welcomeFrame(name = 'user1234'): Record<string, unknown> {
  return {
    type: 'welcome',
    connectionId: 'c1',
    name,
    protocol: 'chat.v1',
    version: '1.0.0',
    serverTime: 0,
    heartbeatMs: 30_000,
    loginTimeoutMs: 10_000,
    authRequired: false,
    limits: { maxFrameBytes: 32768, maxTextChars: 2000, maxNameChars: 32, maxRooms: 50, messagesPerSecond: 10, messageBurst: 20, historyPageMax: 100, typingTtlMs: 5000 },
  }
}
