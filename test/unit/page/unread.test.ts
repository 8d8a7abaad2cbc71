// Where "New messages" goes, and which read markers the page sends.
import t from 'tap'
import { SentMarkers, badgeText, firstUnreadLine } from '../../../client/page/unread.ts'

const msg = (seq: number, own = false) => ({ kind: 'message', id: `m${seq}`, seq, own })
const sys = { kind: 'system', id: 's' }

t.test('the line goes above the first message of someone else after the marker', async (t) => {
  const lines = [msg(1), msg(2), sys, msg(3, true), msg(4), msg(5)]
  t.equal(firstUnreadLine(lines, 2, true)?.id, 'm4', 'own messages are never unread')
  t.equal(firstUnreadLine(lines, 5, false), undefined, 'all read')
  t.equal(firstUnreadLine(lines, 0, false)?.id, 'm1', 'nothing read, everything loaded')
  t.equal(firstUnreadLine([msg(10), msg(11)], 3, true), undefined, 'the first unread one may not be loaded yet')
  t.equal(firstUnreadLine([msg(10), msg(11)], 3, false)?.id, 'm10', 'unless there is no older history')
  t.equal(firstUnreadLine([msg(9), msg(10)], 9, true)?.id, 'm10', 'a read line is loaded: the place is known')
})

t.test('a marker goes out once per new position, again after a failure, not after another device set it', async (t) => {
  const markers = new SentMarkers()
  t.ok(markers.due('room:a', 5))
  markers.sent('room:a', 5)
  t.notOk(markers.due('room:a', 5))
  t.notOk(markers.due('room:a', 4))
  t.ok(markers.due('room:a', 6))
  markers.sent('room:a', 6)
  markers.failed('room:a', 6)
  t.ok(markers.due('room:a', 6), 'sent again after a failure')
  markers.heard('room:b', 9)
  t.notOk(markers.due('room:b', 9), 'another device read it')
  markers.clear()
  t.ok(markers.due('room:b', 1))
})

t.test('badges stay narrow', async (t) => {
  t.equal(badgeText(7), '7')
  t.equal(badgeText(100), '99+')
})
