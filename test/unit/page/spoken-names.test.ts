// The words a screen reader hears around a visible name: the sidebar's and the
// switcher's rows are named by their content, so the kind of conversation and
// the counts go into hidden text before or after the title, where each
// language puts them. The name read must contain the name seen (axe's
// label-content-name-mismatch), in English and in Korean.
import t from 'tap'
import { textAround, useLanguage } from '../../../client/page/i18n.ts'
import { spokenAround } from '../../../client/page/sidebar.ts'

const spoken = (title: string, [before, after]: [string, string]) => `${before}${title}${after}`

t.test('English: the kind before the title, the counts after it', async (t) => {
  useLanguage('en')
  t.same(spokenAround('room', 0, 0), ['Room ', ''])
  t.equal(spoken('design', spokenAround('room', 3, 1)), 'Room design, 3 unread, 1 mention')
  t.equal(spoken('design', spokenAround('room', 1, 2)), 'Room design, 1 unread, 2 mentions')
  t.equal(spoken('bob', spokenAround('dm', 1, 0)), 'Direct messages with bob, 1 unread')
  t.same(textAround('members.message', 'name'), ['Message ', ''])
})

t.test('Korean: a person’s name first, then the kind and the counts', async (t) => {
  useLanguage('ko')
  t.teardown(() => useLanguage('en'))
  t.equal(spoken('design', spokenAround('room', 3, 1)), '방 design, 안 읽은 메시지 3개, 멘션 1개')
  t.same(spokenAround('dm', 0, 0), ['', ' 님과의 다이렉트 메시지'], 'nothing hidden before the name')
  t.equal(spoken('bob', spokenAround('dm', 1, 0)), 'bob 님과의 다이렉트 메시지, 안 읽은 메시지 1개')
  t.same(textAround('members.message', 'name'), ['', ' 님에게 메시지 보내기'])
})
