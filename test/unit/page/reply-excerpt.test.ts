// The quote of a reply shows what the message shows, not how it was typed:
// markdown markers go, whitespace folds to one line, and long text is cut
// with an ellipsis at a code point boundary.
import t from 'tap'
import { replyExcerpt } from '../../../client/page/reply-bar.ts'

t.test('markdown markers do not show in a quote', async (t) => {
  t.equal(replyExcerpt('Thanks! I will fix the `copy` after lunch'), 'Thanks! I will fix the copy after lunch')
  t.equal(replyExcerpt('**bold**, _italic_ and ~~gone~~'), 'bold, italic and gone')
  t.equal(replyExcerpt('see https://example.com/a_b_c'), 'see https://example.com/a_b_c', 'a link stays as its text')
  t.equal(replyExcerpt('2 * 3 * 4 = 24'), '2 * 3 * 4 = 24', 'a lone asterisk is text')
})

t.test('one line, cut at the limit with an ellipsis', async (t) => {
  t.equal(replyExcerpt('one\n\n  two\tthree'), 'one two three')
  t.equal(replyExcerpt('😀'.repeat(10), 5), '😀😀😀😀…', 'code points, not UTF-16 units')
  t.equal(replyExcerpt('short', 5), 'short')
})
