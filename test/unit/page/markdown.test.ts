// The page's message markdown on its own (no DOM): what becomes bold, code,
// quotes and links, what stays text, and that hostile input is only text.
import fc from 'fast-check'
import t from 'tap'
import { type Block, type Inline, isSafeHref, MAX_QUOTE_DEPTH, parseInline, parseMessage, plainText } from '../../../client/page/markdown.ts'

const text = (s: string): Inline => ({ type: 'text', text: s })
const link = (href: string, label = href): Inline => ({ type: 'link', href, children: [text(label)] })

/** Every link anywhere in a tree of blocks or inlines. */
function links(nodes: readonly (Block | Inline)[]): Extract<Inline, { type: 'link' }>[] {
  const found: Extract<Inline, { type: 'link' }>[] = []
  for (const node of nodes) {
    if (node.type === 'link') found.push(node)
    if ('children' in node) found.push(...links(node.children))
  }
  return found
}

t.test('each marker makes its element', async (t) => {
  t.same(parseInline('**bold**'), [{ type: 'strong', children: [text('bold')] }])
  t.same(parseInline('*it* and _it_'), [{ type: 'em', children: [text('it')] }, text(' and '), { type: 'em', children: [text('it')] }])
  t.same(parseInline('~~gone~~'), [{ type: 'strike', children: [text('gone')] }])
  t.same(parseInline('run `npm test` now'), [text('run '), { type: 'code', text: 'npm test' }, text(' now')])
  t.same(parseInline('``a `tick` b``'), [{ type: 'code', text: 'a `tick` b' }], 'a longer fence holds shorter backticks')
  t.same(parseInline('` `` `'), [{ type: 'code', text: '``' }], 'one space of padding each side is dropped')
})

t.test('markers nest, and the innermost closes first', async (t) => {
  t.same(parseInline('**a *b* c**'), [{ type: 'strong', children: [text('a '), { type: 'em', children: [text('b')] }, text(' c')] }])
  t.same(parseInline('***both***'), [{ type: 'strong', children: [{ type: 'em', children: [text('both')] }] }])
  t.same(parseInline('~~**x**~~'), [{ type: 'strike', children: [{ type: 'strong', children: [text('x')] }] }])
  t.same(parseInline('_a **b**_'), [{ type: 'em', children: [text('a '), { type: 'strong', children: [text('b')] }] }])
})

t.test('crossing markers: the first pair to close wins, the other marker stays text', async (t) => {
  t.same(parseInline('*a **b* c**'), [{ type: 'em', children: [text('a **b')] }, text(' c**')])
  t.same(plainText(parseInline('**a _b** c_')), 'a _b c_')
})

t.test('unclosed or unusable markers stay literal', async (t) => {
  for (const s of ['**unclosed', 'open *', '`no end', '~single~', '2 * 3 * 4', 'a ** b ** c', '****', '__init__', 'snake_case_name', '[label]', '[label](', '***', '~~~x~~~']) {
    t.same(parseInline(s), [text(s)], JSON.stringify(s))
  }
  t.same(parseInline('[](https://x.example)'), [text('[]('), link('https://x.example/', 'https://x.example'), text(')')], 'an empty label is no link; the address in it still is')
})

t.test('a backslash keeps the next marker literal, and itself', async (t) => {
  t.same(parseInline('\\*not em\\*'), [text('\\*not em\\*')])
  t.same(parseInline('¯\\_(ツ)_/¯'), [text('¯\\_(ツ)_/¯')], 'the shrug survives')
  t.same(parseInline('\\`x\\`'), [text('\\`x\\`')])
  t.same(parseInline('\\```a```'), [text('\\```a```')], 'an escaped run is literal as a whole, and so is its former partner')
})

t.test('code spans suppress markdown and links inside them', async (t) => {
  t.same(parseInline('`**not bold** _nor this_`'), [{ type: 'code', text: '**not bold** _nor this_' }])
  t.same(parseInline('`https://example.com`'), [{ type: 'code', text: 'https://example.com' }])
  t.same(parseInline('`[x](https://example.com)`'), [{ type: 'code', text: '[x](https://example.com)' }])
  t.same(parseInline('**a `**` b**'), [{ type: 'strong', children: [text('a '), { type: 'code', text: '**' }, text(' b')] }])
})

t.test('bare addresses link, with trailing punctuation left out', async (t) => {
  t.same(parseInline('see https://example.com/a?b=1&c=2#d, ok'), [text('see '), link('https://example.com/a?b=1&c=2#d'), text(', ok')])
  t.same(parseInline('(https://example.com/wiki/A_(b))'), [text('('), link('https://example.com/wiki/A_(b)'), text(')')])
  t.same(parseInline('go to www.example.com.'), [text('go to '), link('https://www.example.com/', 'www.example.com'), text('.')])
  t.same(parseInline('mail mailto:ana@example.com'), [text('mail '), link('mailto:ana@example.com')])
  t.same(parseInline('HTTPS://EXAMPLE.COM'), [link('https://example.com/', 'HTTPS://EXAMPLE.COM')], 'schemes are case-insensitive')
  t.same(parseInline('xhttps://example.com'), [text('xhttps://example.com')], 'only at the start of a word')
  t.same(parseInline('snake_https://example.com'), [text('snake_'), link('https://example.com/', 'https://example.com')], 'a "_" before is a boundary')
  t.same(parseInline('example.com and ana@example.com'), [text('example.com and ana@example.com')], 'no scheme, no www.: text')
})

t.test('links inside bold, and bold inside link labels', async (t) => {
  t.same(parseInline('**https://example.com**'), [{ type: 'strong', children: [link('https://example.com/', 'https://example.com')] }])
  t.same(parseInline('**see [docs](https://example.com/d)**'), [{ type: 'strong', children: [text('see '), { type: 'link', href: 'https://example.com/d', children: [text('docs')] }] }])
  t.same(parseInline('[**b** `c`](http://x.example)'), [{ type: 'link', href: 'http://x.example/', children: [{ type: 'strong', children: [text('b')] }, text(' '), { type: 'code', text: 'c' }] }])
  t.same(parseInline('[see https://a.example](https://b.example)'), [{ type: 'link', href: 'https://b.example/', children: [text('see https://a.example')] }], 'no link inside a link')
})

t.test('markdown links to anything but http, https and mailto stay text, as typed', async (t) => {
  const hostile = [
    '[x](javascript:alert(1))',
    '[x](JaVaScRiPt:alert(1))',
    '[x](JAVASCRIPT:alert(1))',
    '[x](jav&#x09;ascript:alert(1))',
    '[x](jav&#9;ascript:alert(1))',
    '[x](java\tscript:alert(1))',
    '[x]( javascript:alert(1))',
    '[x](\u0001javascript:alert(1))',
    '[x](vbscript:msgbox(1))',
    '[x](data:text/html,<script>alert(1)</script>)',
    '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
    '[x](file:///etc/passwd)',
    '[x](//evil.example)',
    '[x](/relative)',
    '[x](ｊａｖａｓｃｒｉｐｔ:alert(1))',
    '[x](javascript&colon;alert(1))',
    '[x](http:evil.example)',
  ]
  for (const s of hostile) {
    const tree = parseMessage(s)
    t.same(links(tree), [], s)
    t.equal(plainText(tree.flatMap((b) => (b.type === 'paragraph' ? b.children : []))), s, `${JSON.stringify(s)} is shown as typed`)
  }
})

t.test('bare hostile schemes are text', async (t) => {
  for (const s of [
    'javascript:alert(1)',
    'JAVASCRIPT:alert(1)',
    ' javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox',
    '<img src=x onerror=alert(1)>',
    '<a href="javascript:alert(1)">x</a>',
  ]) {
    t.same(parseMessage(s), [{ type: 'paragraph', children: [text(s.trim() === s ? s : s)] }], s)
  }
})

t.test('isSafeHref accepts http(s) with a host and mailto with an address, normalised', async (t) => {
  t.equal(isSafeHref('https://example.com'), 'https://example.com/')
  t.equal(isSafeHref('HTTP://Example.COM/a b'), undefined, 'no spaces')
  t.equal(isSafeHref('www.example.com/x'), 'https://www.example.com/x')
  t.equal(isSafeHref('mailto:ana@example.com'), 'mailto:ana@example.com')
  t.equal(isSafeHref('mailto:nobody'), undefined)
  t.equal(isSafeHref('https://'), undefined)
  t.equal(isSafeHref('https:example.com'), undefined)
  t.equal(isSafeHref('\u200bhttps://example.com'), undefined, 'nothing before the scheme')
  t.equal(isSafeHref('https://example.com\n'), undefined)
  t.equal(isSafeHref(`https://example.com/${'a'.repeat(3000)}`), undefined, 'bounded length')
})

t.test('blocks: code fences, quotes and paragraphs', async (t) => {
  t.same(parseMessage('look:\n```ts\nconst a = `**x**`\n  indented\n```\nafter'), [
    { type: 'paragraph', children: [text('look:')] },
    { type: 'code-block', text: 'const a = `**x**`\n  indented', lang: 'ts' },
    { type: 'paragraph', children: [text('after')] },
  ])
  t.same(parseMessage('```\nhttps://example.com [x](https://a.example)\n```'), [{ type: 'code-block', text: 'https://example.com [x](https://a.example)' }], 'no links in code')
  t.same(parseMessage('```one line```'), [{ type: 'paragraph', children: [{ type: 'code', text: 'one line' }] }], 'one line is an inline span')
  t.same(parseMessage('```first line\nsecond```'), [{ type: 'code-block', text: 'first line\nsecond' }], 'text after the fence and before the closing one is code')
  t.same(parseMessage('```\nnever closed\n**b**'), [{ type: 'paragraph', children: [text('```\nnever closed\n'), { type: 'strong', children: [text('b')] }] }], 'an unclosed fence is text')
  t.same(parseMessage('> quoted **b**\n> more\nreply'), [
    { type: 'quote', children: [{ type: 'paragraph', children: [text('quoted '), { type: 'strong', children: [text('b')] }, text('\nmore')] }] },
    { type: 'paragraph', children: [text('reply')] },
  ])
  t.same(parseMessage('>_< and >.>'), [{ type: 'paragraph', children: [text('>_< and >.>')] }], 'emoticons are not quotes')
  t.same(parseMessage('>\n> \nhi'), [{ type: 'paragraph', children: [text('>\n> \nhi')] }], 'quote marks with nothing to quote are text')
  t.same(parseMessage('a\n\n\nb'), [{ type: 'paragraph', children: [text('a\n\n\nb')] }], 'blank lines inside a paragraph are kept')
  t.same(parseMessage('\n\n'), [], 'only blank lines: nothing')
})

t.test('quotes nest only so deep', async (t) => {
  const deep = parseMessage('> > > > > deep')
  let depth = 0
  let node: Block | undefined = deep[0]
  while (node?.type === 'quote') {
    depth++
    node = node.children[0]
  }
  t.equal(depth, MAX_QUOTE_DEPTH)
  t.same(node, { type: 'paragraph', children: [text('> > deep')] })
})

t.test('2,000-character adversarial inputs parse to the right, bounded answer', async (t) => {
  const same = (s: string) => t.same(parseInline(s), [text(s)], `${JSON.stringify(s.slice(0, 12))}… stays text`)
  same('['.repeat(2000))
  same('[a]('.repeat(500))
  same('[a](b '.repeat(333))
  same('*'.repeat(2000))
  same('a_'.repeat(1000))
  same('_'.repeat(2000))
  same('~'.repeat(2000))
  same('\\*'.repeat(1000))
  // Backtick runs of every length from 1 to 62, none with a partner.
  same(Array.from({ length: 62 }, (_, i) => '`'.repeat(i + 1)).join('a'))
  // Openers only: each stays text.
  same('**a '.repeat(500))
  same('~~a '.repeat(500))
  same('http://['.repeat(250))

  t.equal(parseInline('*a'.repeat(1000)).filter((n) => n.type === 'em').length, 500, '"*a*a…" pairs up left to right')
  t.equal(parseInline('`a` '.repeat(500)).filter((n) => n.type === 'code').length, 500, 'many code spans')
  const urls = parseInline('https://a.example '.repeat(111))
  t.equal(urls.filter((n) => n.type === 'link').length, 111, 'many links')
  t.same(parseInline('http://'.repeat(285)).length, 1, 'one long address, not 285 overlapping ones')

  const fences = parseMessage('```\n'.repeat(500))
  t.equal(fences.length, 250, 'fences pair up')
  t.ok(fences.every((b) => b.type === 'code-block' && b.text === ''))
  const quotes = parseMessage('> '.repeat(1000))
  t.equal(quotes.length, 1)
  t.equal(parseMessage('> a\n'.repeat(500)).length, 1, 'one quote of 500 lines')
  const nested = parseInline(`${'**'.repeat(500)}x${'**'.repeat(500)}`)
  t.equal(plainText(nested).replaceAll('*', ''), 'x', 'deep symmetric nesting keeps the text')
})

// Property: the parser never drops, reorders or invents a letter; links only ever point to http(s)/mailto.
t.test('any mix of markers keeps every letter in order and links only to safe places', async (t) => {
  const alphabet = fc.constantFrom('*', '**', '_', '~~', '`', '```', '[', ']', '(', ')', '\\', ' ', '\n', '> ', 'a', 'b', 'https://x.example', 'javascript:', 'www.', 'mailto:c@d.example')
  const letters = (s: string) => s.replace(/[^ab]/g, '')
  fc.assert(
    fc.property(
      fc.array(alphabet, { maxLength: 80 }).map((parts) => parts.join('')),
      (s) => {
        const inline = parseInline(s)
        for (const l of links(inline)) if (isSafeHref(l.href) !== l.href || !/^(https?:\/\/|mailto:)/.test(l.href)) return false
        // Without "(" no markdown link can replace its label by a destination, so every letter survives.
        const noParens = s.replace(/[()]/g, '')
        if (letters(plainText(parseInline(noParens))) !== letters(noParens)) return false
        parseMessage(s) // never throws
        return true
      },
    ),
    { numRuns: 2000 },
  )
  t.pass('2000 random mixes')
})
