import t from 'tap'
import { RawClient } from '../helpers/raw-client.ts'
import { startServer } from '../helpers/server.ts'

t.test('two users chat in the lobby and see each other join and leave', async (t) => {
  const server = await startServer(t)
  const { client: ana } = await RawClient.login(t, server.url, { name: 'ana' })
  const { client: bob, login } = await RawClient.login(t, server.url, { name: 'bob' })
  t.same(login.rooms[0]!.members.map((m) => m.name).sort(), ['ana', 'bob'])
  const joined = await ana.next('alarm')
  t.match(joined, { kind: 'joined', name: 'bob', room: 'lobby', text: 'bob joined' })

  const ack = await bob.request({ type: 'chat', room: 'lobby', text: 'hi ana' })
  t.match(ack, { type: 'chat-ok', message: { room: 'lobby', seq: 1, name: 'bob', text: 'hi ana' } })
  const push = await ana.next('chat')
  t.same(push.message, (ack as { message: unknown }).message, 'the push is the server copy the sender was acknowledged with')
  t.same(await bob.framesBeforePong(), [], 'the sender gets no second copy')

  bob.close()
  t.match(await ana.next('alarm'), { kind: 'left', name: 'bob' })
})
