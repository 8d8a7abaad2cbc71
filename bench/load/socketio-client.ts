// Load client for the Socket.IO target: socket.io-client 4.8, WebSocket
// transport only, no reconnection (a drop must show as a drop).
import { io, type ManagerOptions, type SocketOptions } from 'socket.io-client'
import { withTimeout, type BenchClient, type Connect } from './client.ts'

export const connect: Connect = (o, timeoutMs) => {
  // engine.io-client passes localAddress on to `ws`; its types do not list it.
  const options = { transports: ['websocket'], forceNew: true, reconnection: false, localAddress: o.localAddress } as Partial<ManagerOptions & SocketOptions>
  const socket = io(o.url, options)
  let ready = false
  const client: BenchClient = {
    chat: (text, clientMsgId) =>
      socket.emit('chat', { room: o.room, text, clientMsgId }, (res: { message?: unknown; error?: string }) => (res.message ? o.onAck() : o.onError(res.error ?? 'unknown'))),
    close: () => socket.disconnect(),
  }
  socket.on('chat', (message: { text: string }) => o.onChat(message.text))
  const loggedIn = new Promise<BenchClient>((resolve, reject) => {
    socket.on('connect_error', (err) => reject(err))
    socket.on('disconnect', () => {
      if (ready) o.onClose()
      else reject(new Error('closed before login'))
    })
    socket.on('connect', () => {
      socket.emit('login', { name: o.name, rooms: [o.room] }, (res: { error?: string }) => {
        if (res.error) return reject(new Error(`login refused: ${res.error}`))
        ready = true
        resolve(client)
      })
    })
  })
  return withTimeout(loggedIn, timeoutMs, `login of ${o.name}`, () => socket.disconnect())
}
