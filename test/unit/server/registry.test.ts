import t from 'tap'
import { ChannelRegistry } from '../../../server/rooms/registry.ts'

t.test('the first member of a channel is reported as first, the last as last', async (t) => {
  const r = new ChannelRegistry<string>()
  t.equal(r.add('lobby', 'a'), true)
  t.equal(r.add('lobby', 'b'), false)
  t.equal(r.remove('lobby', 'a'), false)
  t.equal(r.remove('lobby', 'b'), true)
  t.equal(r.size, 0, 'empty channels are deleted')
})

t.test('removing a member that is not there changes nothing', async (t) => {
  const r = new ChannelRegistry<string>()
  r.add('lobby', 'a')
  t.equal(r.remove('lobby', 'zz'), false)
  t.equal(r.remove('other', 'a'), false)
  t.same([...r.members('lobby')!], ['a'])
})

t.test('a member is indexed both ways', async (t) => {
  const r = new ChannelRegistry<string>()
  r.add('lobby', 'a')
  r.add('dev', 'a')
  t.same([...r.channelsOf('a')].sort(), ['dev', 'lobby'])
  r.remove('dev', 'a')
  t.same([...r.channelsOf('a')], ['lobby'])
  r.remove('lobby', 'a')
  t.same([...r.channelsOf('a')], [])
  t.equal(r.has('lobby', 'a'), false)
})
