// The ChatClient the terminal runs on: `ws` as the WebSocket, and protocol
// 1.0.0 — the terminal uses only 1.0.0 features and says so, which makes it
// the suite's 1.0.0 client against every newer server (PROTOCOL.md, versions
// in a session). Shared by the program and its conformance adapter.
import WebSocket from 'ws'
import { type Backoff, ChatClient, type WebSocketConstructor } from '@wirechat/client'

/** `ws` as the client's WebSocket: an 'error' listener, since the close event reports failures. */
class NodeWebSocket extends WebSocket {
  constructor(url: string, protocols: string[]) {
    super(url, protocols)
    this.on('error', () => {})
  }
}

export interface TerminalClientOptions {
  /** Reconnect delays; default the library's. */
  backoff?: Backoff | undefined
}

export function createTerminalClient(url: string, options: TerminalClientOptions = {}): ChatClient {
  return new ChatClient({ url, WebSocket: NodeWebSocket as unknown as WebSocketConstructor, protocolVersion: '1.0.0', ...(options.backoff !== undefined && { backoff: options.backoff }) })
}
