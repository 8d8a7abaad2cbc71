// The ceiling: a minimal broadcast server on bare `ws`. No validation, no
// storage, no acks of its own: the sender's copy of the broadcast is its ack.
// JSON.stringify once per message, then send that string to every member.
import { randomUUID } from 'node:crypto'
import { WebSocketServer, type WebSocket } from 'ws'
import { announce, installHooks } from './hooks.ts'

const rooms = new Map<string, Set<WebSocket>>()
const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(process.env.PORT ?? 0), perMessageDeflate: false })

wss.on('connection', (socket) => {
  let name = ''
  const joined: string[] = []
  socket.on('error', () => {})
  socket.on('message', (data) => {
    const frame = JSON.parse(data.toString())
    if (frame.type === 'login') {
      name = frame.name
      for (const room of frame.rooms) {
        let members = rooms.get(room)
        if (!members) rooms.set(room, (members = new Set()))
        members.add(socket)
        joined.push(room)
      }
      socket.send(JSON.stringify({ type: 'login-ok', name }))
    } else if (frame.type === 'chat') {
      const message = { msgId: randomUUID(), room: frame.room, userId: name, name, text: frame.text, ts: Date.now(), clientMsgId: frame.clientMsgId }
      const text = JSON.stringify({ type: 'chat', message })
      for (const member of rooms.get(frame.room) ?? []) member.send(text)
    }
  })
  socket.on('close', () => {
    for (const room of joined) rooms.get(room)?.delete(socket)
  })
})

installHooks(() => new Promise<void>((resolve) => wss.close(() => resolve())))
wss.on('listening', () => {
  const address = wss.address()
  announce(typeof address === 'object' && address !== null ? address.port : 0)
})
