// The same chat job on Socket.IO 4.8: login, join rooms, chat to a room with
// an ack to the sender. WebSocket transport only; the message carries the
// fields of our protocol's ChatMessage. Validation is the light kind a
// Socket.IO app typically does: types and lengths, no schema.
import { randomBytes, randomUUID } from 'node:crypto'
import { createServer } from 'node:http'
import { Server } from 'socket.io'
import { announce, installHooks } from './hooks.ts'

interface SocketData {
  userId: string
  name: string
}

const MAX_TEXT_CHARS = 2000
const MAX_NAME_CHARS = 32

const isName = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= MAX_NAME_CHARS
const seqs = new Map<string, number>()

const http = createServer()
const io = new Server<Record<string, (...args: any[]) => void>, Record<string, (...args: any[]) => void>, Record<string, never>, SocketData>(http, {
  transports: ['websocket'],
  serveClient: false,
  maxHttpBufferSize: 32 * 1024,
})

io.on('connection', (socket) => {
  socket.on('login', (frame: { name?: unknown; rooms?: unknown }, ack: unknown) => {
    if (typeof ack !== 'function') return
    const rooms = Array.isArray(frame?.rooms) ? frame.rooms : []
    if (!isName(frame?.name) || rooms.length > 50 || !rooms.every(isName)) return ack({ error: 'bad-frame' })
    socket.data.userId = `u_${randomBytes(9).toString('base64url')}`
    socket.data.name = frame.name
    socket.join(rooms as string[])
    ack({ userId: socket.data.userId, name: frame.name })
  })

  socket.on('chat', (frame: { room?: unknown; text?: unknown; clientMsgId?: unknown }, ack: unknown) => {
    if (typeof ack !== 'function') return
    const { room, text, clientMsgId } = frame ?? {}
    if (socket.data.userId === undefined) return ack({ error: 'not-logged-in' })
    if (!isName(room) || typeof text !== 'string' || text.length === 0 || text.length > MAX_TEXT_CHARS) return ack({ error: 'bad-frame' })
    if (!socket.rooms.has(room)) return ack({ error: 'not-in-room' })
    const seq = (seqs.get(room) ?? 0) + 1
    seqs.set(room, seq)
    const message: Record<string, unknown> = { msgId: randomUUID(), room, seq, userId: socket.data.userId, name: socket.data.name, text, ts: Date.now() }
    if (typeof clientMsgId === 'string') message.clientMsgId = clientMsgId
    socket.to(room).emit('chat', message)
    ack({ message })
  })
})

installHooks(() => new Promise<void>((resolve) => io.close(() => resolve())))
http.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = http.address()
  announce(typeof address === 'object' && address !== null ? address.port : 0)
})
