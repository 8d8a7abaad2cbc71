// A tiny RFC 6455 client over node:net for hostile tests: it writes exactly
// the bytes asked for (masked or not, fragments, reserved bits, bad opcodes,
// invalid UTF-8, lying lengths) and parses what the server sends back, so a
// test sees the server's close code itself rather than a library's guess.
import { randomBytes } from 'node:crypto'
import { connect, type Socket } from 'node:net'
import { SUBPROTOCOL } from '../../protocol/index.ts'
import { WAIT_MS } from './raw-client.ts'
import { encodeFrame, Opcode, type FrameSpec } from '../../conformance/ws-frames.ts'

export { encodeFrame, fragmentedText, Opcode, type FrameSpec } from '../../conformance/ws-frames.ts'

/** A text frame (masked, final). */
export const textFrame = (text: string | Buffer, extra: Partial<FrameSpec> = {}): Buffer => encodeFrame({ opcode: Opcode.text, payload: text, ...extra })

/** A close frame with a code and reason. */
export function closeFrame(code: number, reason = ''): Buffer {
  const payload = Buffer.alloc(2 + Buffer.byteLength(reason))
  payload.writeUInt16BE(code)
  payload.write(reason, 2)
  return encodeFrame({ opcode: Opcode.close, payload })
}

export interface CloseInfo {
  /** The code in the server's close frame; 1006 when the TCP connection ended without one. */
  code: number
  reason: string
}

export interface RawSocketOptions {
  path?: string
  headers?: Record<string, string>
  localAddress?: string
}

/** A WebSocket connection driven byte by byte. */
export class RawSocket {
  readonly socket: Socket
  /** Text messages received, in order. */
  readonly texts: string[] = []
  #buffer: Buffer = Buffer.alloc(0)
  #close: CloseInfo | undefined
  #ended = false
  #listeners: (() => void)[] = []
  /** Bytes of data frames received (for tests that drain a paused reader). */
  receivedBytes = 0

  private constructor(socket: Socket, rest: Buffer) {
    this.socket = socket
    socket.on('data', (chunk: Buffer) => this.#onData(chunk))
    socket.on('close', () => {
      this.#ended = true
      this.#notify()
    })
    this.#onData(rest)
  }

  /** Opens a TCP connection and completes the opening handshake (expects 101). */
  static async open(t: { teardown(fn: () => unknown): void }, port: number, options: RawSocketOptions = {}): Promise<RawSocket> {
    const { status, socket, rest } = await RawSocket.handshake(port, options)
    t.teardown(() => socket.destroy())
    if (status !== 101) {
      socket.destroy()
      throw new Error(`expected 101, got ${status}`)
    }
    return new RawSocket(socket, rest)
  }

  /** Sends an upgrade request and returns the HTTP status with the socket. */
  static handshake(port: number, options: RawSocketOptions = {}): Promise<{ status: number; head: string; socket: Socket; rest: Buffer }> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host: '127.0.0.1', ...(options.localAddress !== undefined && { localAddress: options.localAddress }) })
      const timer = setTimeout(() => {
        socket.destroy()
        reject(new Error('handshake timed out'))
      }, WAIT_MS)
      let received = Buffer.alloc(0)
      const onData = (chunk: Buffer) => {
        received = Buffer.concat([received, chunk])
        const end = received.indexOf('\r\n\r\n')
        if (end < 0) return
        clearTimeout(timer)
        socket.off('data', onData)
        socket.pause()
        const head = received.subarray(0, end).toString('latin1')
        const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0)
        resolve({ status, head, socket, rest: received.subarray(end + 4) })
        queueMicrotask(() => socket.resume())
      }
      socket.on('data', onData)
      socket.on('error', (err) => {
        clearTimeout(timer)
        reject(err)
      })
      socket.once('connect', () => {
        const headers: Record<string, string> = {
          host: `127.0.0.1:${port}`,
          upgrade: 'websocket',
          connection: 'Upgrade',
          'sec-websocket-key': randomBytes(16).toString('base64'),
          'sec-websocket-version': '13',
          'sec-websocket-protocol': SUBPROTOCOL,
          ...options.headers,
        }
        const lines = [`GET ${options.path ?? '/ws'} HTTP/1.1`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)]
        socket.write(`${lines.join('\r\n')}\r\n\r\n`)
      })
    })
  }

  #onData(chunk: Buffer): void {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk])
    for (;;) {
      const b = this.#buffer
      if (b.length < 2) break
      const opcode = b[0]! & 0x0f
      let length = b[1]! & 0x7f
      let offset = 2
      if (length === 126) {
        if (b.length < 4) break
        length = b.readUInt16BE(2)
        offset = 4
      } else if (length === 127) {
        if (b.length < 10) break
        length = Number(b.readBigUInt64BE(2))
        offset = 10
      }
      if (b.length < offset + length) break
      const payload = b.subarray(offset, offset + length)
      this.#buffer = b.subarray(offset + length)
      if (opcode === Opcode.text) {
        this.receivedBytes += length
        this.texts.push(payload.toString('utf8'))
      } else if (opcode === Opcode.close && this.#close === undefined) {
        this.#close = { code: payload.length >= 2 ? payload.readUInt16BE(0) : 1005, reason: payload.subarray(2).toString('utf8') }
        // Complete the closing handshake, as a well-behaved client would.
        this.write(closeFrame(this.#close.code === 1005 ? 1000 : this.#close.code))
        this.socket.end()
      }
    }
    this.#notify()
  }

  #notify(): void {
    for (const fn of this.#listeners) fn()
  }

  #until<T>(probe: () => T | undefined, what: string, timeoutMs: number): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const value = probe()
        if (value === undefined) return false
        cleanup()
        resolve(value)
        return true
      }
      const timer = setTimeout(() => {
        cleanup()
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; texts: ${this.texts.slice(-3).join(' | ').slice(0, 400)}`))
      }, timeoutMs)
      const cleanup = () => {
        clearTimeout(timer)
        this.#listeners = this.#listeners.filter((l) => l !== listener)
      }
      const listener = () => void check()
      if (!check()) this.#listeners.push(listener)
    })
  }

  /** Writes raw bytes; errors (the server already hung up) are ignored. */
  write(bytes: Buffer): boolean {
    if (this.socket.destroyed || this.socket.writableEnded) return false
    return this.socket.write(bytes, () => {})
  }

  /** The first received text message (parsed JSON) matching `match`. */
  async json(match: (frame: Record<string, unknown>) => boolean = () => true, timeoutMs = WAIT_MS): Promise<Record<string, unknown>> {
    let seen = 0
    return this.#until(
      () => {
        for (; seen < this.texts.length; seen++) {
          const frame = JSON.parse(this.texts[seen]!) as Record<string, unknown>
          if (match(frame)) {
            seen++
            return frame
          }
        }
        return undefined
      },
      'a matching text message',
      timeoutMs,
    )
  }

  /** The server's close frame, or 1006 if the connection ended without one. */
  closed(timeoutMs = WAIT_MS): Promise<CloseInfo> {
    return this.#until(() => this.#close ?? (this.#ended ? { code: 1006, reason: '' } : undefined), 'close', timeoutMs)
  }

  /** True once a close frame has arrived. */
  get closeReceived(): CloseInfo | undefined {
    return this.#close
  }

  destroy(): void {
    this.socket.destroy()
  }
}
