// The Ctrl+K switcher's list: filtered by title, waiting conversations first, then by recency.
import t from 'tap'
import type { Conversation } from '../../../client/page/conversations.ts'
import { switcherOrder } from '../../../client/page/switcher-order.ts'

function conv(kind: 'room' | 'dm', title: string, ts: number, unread = 0, mentions = 0): Conversation {
  return {
    key: `${kind}:${title}`,
    kind,
    id: title,
    title,
    lines: [{ kind: 'system', id: `${title}-last`, text: '', ts }],
    unread,
    mentions,
    hasOlder: false,
    hasNewer: false,
    oldestSeq: undefined,
  }
}

const all = [conv('room', 'lobby', 500), conv('room', 'design', 100, 3, 1), conv('room', 'random', 300, 2), conv('dm', 'bob', 400), conv('dm', 'carol', 200, 1)]
const titles = (list: readonly Conversation[]) => list.map((c) => c.title)

t.test('without a query: mentions, then unread, then the most recent; the shown one last', async (t) => {
  t.same(titles(switcherOrder(all, '')), ['design', 'random', 'carol', 'lobby', 'bob'])
  t.same(titles(switcherOrder(all, '', 'room:design')), ['random', 'carol', 'lobby', 'bob', 'design'])
})

t.test('a query keeps the titles containing it, those starting with it first; "#" and "@" are ignored', async (t) => {
  t.same(titles(switcherOrder(all, 'o')), ['random', 'carol', 'lobby', 'bob'], 'none starts with "o": unread first, then recent')
  t.same(titles(switcherOrder(all, 'b')), ['bob', 'lobby'], '"bob" starts with it, "lobby" only contains it')
  t.same(titles(switcherOrder(all, '#DES')), ['design'])
  t.same(titles(switcherOrder(all, '@car')), ['carol'])
  t.same(switcherOrder(all, 'nothing'), [])
})
