// Load client for the raw `ws` ceiling. That server echoes a line to its
// sender as well: the sender's own copy counts as the ack.
import WebSocket from 'ws'
import { withTimeout, type BenchClient, type Connect } from './client.ts'

export const connect: Connect = (o, timeoutMs) => {
  const ws = new WebSocket(o.url.replace('http', 'ws'), { localAddress: o.localAddress, perMessageDeflate: false })
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
    ws.on('open', () => ws.send(JSON.stringify({ type: 'login', name: o.name, rooms: [o.room] })))
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString())
      if (frame.type === 'chat') return frame.message.name === o.name ? o.onAck() : o.onChat(frame.message.text)
      if (frame.type === 'login-ok') {
        ready = true
        resolve(client)
      }
    })
  })
  return withTimeout(loggedIn, timeoutMs, `login of ${o.name}`, () => ws.terminate())
}
