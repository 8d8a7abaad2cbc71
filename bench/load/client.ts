// What the load driver needs from a target's client: connect, log in and join
// one room; send chat lines; report acks, deliveries and the end of the socket.
// One implementation per target, each speaking that target's protocol.

export interface ClientOptions {
  /** Base URL, e.g. http://127.0.0.1:PORT (each client adds its path). */
  url: string
  /** Unique display name (letters and digits). */
  name: string
  room: string
  /** Source address from 127.0.0.0/8, to spread over ephemeral port ranges. */
  localAddress: string
  /** A chat line from another member arrived; `text` is the line as sent. */
  onChat(text: string): void
  /** The server acknowledged one of our lines. */
  onAck(): void
  /** The server refused one of our lines. */
  onError(code: string): void
  /** The socket closed (after a successful connect). */
  onClose(): void
}

export interface BenchClient {
  /** Sends a chat line to the client's room. */
  chat(text: string, clientMsgId: string): void
  close(): void
}

/** Connects and resolves once logged in and in the room; rejects after `timeoutMs`. */
export type Connect = (options: ClientOptions, timeoutMs: number) => Promise<BenchClient>

/** Rejects `promise` after `ms` with `what` in the message. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string, onTimeout: () => void): Promise<T> {
  let timer: NodeJS.Timeout
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout()
      reject(new Error(`${what}: no answer within ${ms} ms`))
    }, ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}
