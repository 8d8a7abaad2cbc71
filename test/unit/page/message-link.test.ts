// Links to a message: "#room/seq", parsed strictly.
import t from 'tap'
import { messageHash, messageLink, parseMessageHash } from '../../../client/page/message-link.ts'

t.test('a link round-trips room and seq', async (t) => {
  for (const target of [
    { room: 'design', seq: 42 },
    { room: '회의실', seq: 1 },
    { room: 'acme:general', seq: 9007199254740 },
  ]) {
    t.same(parseMessageHash(messageHash(target)), target, messageHash(target))
  }
  t.equal(messageLink({ room: 'design', seq: 42 }, 'https://chat.example/?x=1#old/1'), 'https://chat.example/?x=1#design/42', 'the old fragment is replaced')
})

t.test('anything else points nowhere', async (t) => {
  for (const hash of ['', '#', '#design', '#design/0', '#design/-1', '#design/1.5', '#Design/3', '#a b/3', '#design/3/4', '#%E0%A4%A/3', '#javascript:alert(1)/3', '#design/99999999999999999']) {
    t.equal(parseMessageHash(hash), undefined, JSON.stringify(hash))
  }
  t.same(parseMessageHash('design/7'), { room: 'design', seq: 7 }, 'the "#" is optional')
})
