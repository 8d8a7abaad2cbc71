// Load client for our server: raw chat.v1 frames over `ws`, as any
// non-browser client would send them (login with rooms, then chat).
import WebSocket from 'ws'
import { withTimeout, type BenchClient, type Connect } from './client.ts'

export const connect: Connect = (o, timeoutMs) => {
  const ws = new WebSocket(`${o.url.replace('http', 'ws')}/ws`, 'chat.v1', { localAddress: o.localAddress, perMessageDeflate: false })
  let ready = false
  const client: BenchClient = {
    chat: (text, clientMsgId) => ws.send(JSON.stringify({ type: 'chat', room: o.room, text, clientMsgId })),
    close: () => ws.close(),
  }
  const loggedIn = new Promise<BenchClient>((resolve, reject) => {
    ws.on('error', (err) => {
      if (!ready) reject(err)
    })
    ws.on('close', () => {
      if (ready) o.onClose()
      else reject(new Error('closed before login'))
    })
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString())
      switch (frame.type) {
        case 'chat':
          return o.onChat(frame.message.text)
        case 'chat-ok':
          return o.onAck()
        case 'error':
          return ready ? o.onError(frame.code) : reject(new Error(`login refused: ${frame.code}`))
        case 'welcome':
          return ws.send(JSON.stringify({ type: 'login', id: 'login', name: o.name, rooms: [{ room: o.room }] }))
        case 'login-ok':
          ready = true
          return resolve(client)
      }
    })
  })
  return withTimeout(loggedIn, timeoutMs, `login of ${o.name}`, () => ws.terminate())
}
