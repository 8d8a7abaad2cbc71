// What the session sees of the transport: three members, no socket library
// (graphql-ws's WebSocket, Centrifuge's Transport).

/** One client connection. */
export interface Connection {
  readonly id: string
  /** The client's address (the forwarded one behind a trusted proxy): the key of per-address limits. */
  readonly address: string
  /** Sends one text frame; a no-op once the socket is closing. */
  send(text: string): void
  /** Starts the closing handshake with a close code and its reason. */
  close(code: number, reason: string): void
}
