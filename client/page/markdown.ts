// Message text → a small tree of blocks and inlines: **bold**, *italic* or
// _italic_, ~~strike~~, `code`, ``` code blocks ```, > quotes, and links
// (markdown [label](url) and bare http(s)://, mailto: and www. addresses).
// Pure data, no DOM: message-text.ts turns the tree into elements, and the
// unit tests run it under Node.
//
// Safety and cost are properties of the construction, not of tuning:
// - Only http, https and mailto become links (isSafeHref); everything else,
//   `javascript:` and lookalikes included, stays the text it was. Nothing is
//   decoded (no HTML entities, no percent-decoding of schemes), so
//   `jav&#x09;ascript:` is just text.
// - Every scan is linear in the input: no regex runs over user text with
//   nested quantifiers; bracket and backtick partners are found through
//   tables computed in one pass; emphasis uses one stack per marker, each
//   opener pushed and popped at most once. A 2,000-character adversarial
//   message costs what a plain one does.
// - Unmatched markers stay literal, and a backslash before a marker keeps that
//   marker literal (the backslash stays too, so ¯\_(ツ)_/¯ survives).

/** Inline content of a paragraph, a link label or a quote line. */
export type Inline =
  | { type: 'text'; text: string }
  | { type: 'code'; text: string }
  | { type: 'strong' | 'em' | 'strike'; children: Inline[] }
  /** `href` is normalised and safe (see isSafeHref); `children` never hold another link. */
  | { type: 'link'; href: string; children: Inline[] }

export type Block =
  /** Consecutive ordinary lines; newlines inside are kept as text (the page renders with pre-wrap). */
  | { type: 'paragraph'; children: Inline[] }
  /** A fenced block; `lang` is the word after the opening fence, when there is one. */
  | { type: 'code-block'; text: string; lang?: string }
  | { type: 'quote'; children: Block[] }

/** Quotes inside quotes are recognised this deep; deeper `>` stay text (bounds the work per line). */
export const MAX_QUOTE_DEPTH = 3
/** Longest link destination taken as a link (longer ones stay text). */
export const MAX_URL_CHARS = 2048

const FENCE = '```'

// ---- links --------------------------------------------------------------------------------

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/
const ALLOWED_SCHEMES = new Set(['http', 'https', 'mailto'])

/**
 * The normalised URL when `raw` may be a link target, else undefined. Allowed: http and https
 * with a host, and mailto with an address; `www.` without a scheme means https. The scheme is
 * read from the raw text first (ASCII letters only, at the very start: no leading spaces or
 * controls, no entities), then the URL parser must agree — both checks, so neither a lookalike
 * scheme nor a parser quirk can smuggle `javascript:` through.
 */
export function isSafeHref(raw: string): string | undefined {
  if (raw.length === 0 || raw.length > MAX_URL_CHARS) return undefined
  // Whitespace and controls never belong in a link; the URL parser would silently drop some of them.
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i)
    if (c <= 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029 || c === 0xfeff) return undefined
  }
  const candidate = /^www\./i.test(raw) ? `https://${raw}` : raw
  const scheme = SCHEME.exec(candidate)?.[1]?.toLowerCase()
  if (scheme === undefined || !ALLOWED_SCHEMES.has(scheme)) return undefined
  let url: URL
  try {
    url = new URL(candidate)
  } catch {
    return undefined
  }
  const protocol = url.protocol.slice(0, -1)
  if (protocol !== scheme) return undefined
  if (protocol === 'mailto') return url.pathname.includes('@') ? url.href : undefined
  if (url.hostname === '' || !/^[a-z][a-z0-9+.-]*:\/\//i.test(candidate)) return undefined
  return url.href
}

// ---- characters ---------------------------------------------------------------------------

const isSpace = (ch: string | undefined): boolean => ch === undefined || ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || ch === '\u00a0' || ch === '\u3000'
const WORD = /[\p{L}\p{N}]/u
/** Letter or digit at `i` (a whole code point, so surrogate pairs count as one). */
function isWordAt(src: string, i: number): boolean {
  if (i < 0 || i >= src.length) return false
  const code = src.codePointAt(i)!
  // A low surrogate: look at the pair it ends.
  if (code >= 0xdc00 && code <= 0xdfff && i > 0) return WORD.test(String.fromCodePoint(src.codePointAt(i - 1)!))
  return WORD.test(String.fromCodePoint(code))
}

// ---- inline -------------------------------------------------------------------------------

type Kind = 'strong' | 'em*' | 'em_' | 'strike'
const NODE_OF: Record<Kind, 'strong' | 'em' | 'strike'> = { strong: 'strong', 'em*': 'em', em_: 'em', strike: 'strike' }
const MARK_OF: Record<Kind, string> = { strong: '**', 'em*': '*', em_: '_', strike: '~~' }

type Token =
  | { t: 'text'; text: string }
  | { t: 'leaf'; node: Inline }
  /** A delimiter: `partner` is the index of the matching token, once matched; unmatched ones print `MARK_OF[kind]`. */
  | { t: 'delim'; kind: Kind; open: boolean; partner?: number }

/** Index tables over one string, each built in one pass. */
class Tables {
  readonly #src: string
  #nextClose: Int32Array | undefined
  #nextOpen: Int32Array | undefined
  #nextStop: Int32Array | undefined
  #runs: Map<number, { len: number; next: number }> | undefined

  constructor(src: string) {
    this.#src = src
  }

  /** Smallest index ≥ i holding `ch`, from a table filled right to left; src.length when none. */
  static #nextOf(src: string, test: (ch: string) => boolean): Int32Array {
    const next = new Int32Array(src.length + 1)
    next[src.length] = src.length
    for (let i = src.length - 1; i >= 0; i--) next[i] = test(src[i]!) ? i : next[i + 1]!
    return next
  }

  nextClose(i: number): number {
    this.#nextClose ??= Tables.#nextOf(this.#src, (ch) => ch === ']')
    return this.#nextClose[Math.min(i, this.#src.length)]!
  }

  nextOpen(i: number): number {
    this.#nextOpen ??= Tables.#nextOf(this.#src, (ch) => ch === '[')
    return this.#nextOpen[Math.min(i, this.#src.length)]!
  }

  /** Next whitespace, '(' or ')': where a link destination may end or nest. */
  nextStop(i: number): number {
    this.#nextStop ??= Tables.#nextOf(this.#src, (ch) => isSpace(ch) || ch === '(' || ch === ')')
    return this.#nextStop[Math.min(i, this.#src.length)]!
  }

  /** The backtick run starting at `i`: its length and the start of the next run of the same length (-1: none); length 0 when no run starts at `i`. */
  run(i: number): { len: number; next: number } {
    if (this.#runs === undefined) {
      this.#runs = new Map()
      const lastOfLen = new Map<number, number>()
      const src = this.#src
      for (let p = 0; p < src.length; ) {
        if (src[p] !== '`') {
          p++
          continue
        }
        let end = p
        while (src[end] === '`') end++
        const len = end - p
        const before = lastOfLen.get(len)
        if (before !== undefined) this.#runs.get(before)!.next = p
        this.#runs.set(p, { len, next: -1 })
        lastOfLen.set(len, p)
        p = end
      }
    }
    return this.#runs.get(i) ?? { len: 0, next: -1 }
  }
}

/** Characters trimmed from the end of a bare URL: sentence punctuation and markers around it. */
const URL_TRAILING = new Set(['.', ',', ':', ';', '!', '?', '*', '_', '~', "'", '"'])
const URL_PREFIXES = ['https://', 'http://', 'mailto:', 'www.']

/** Length of the bare URL starting at `i` (before trimming), or 0 when none starts there. */
function bareUrlAt(src: string, i: number): number {
  // Only at a word start: "xhttp://" and "a.www.b" are not links.
  const prev = src[i - 1]
  if (prev !== undefined && (isWordAt(src, i - 1) || prev === '/' || prev === '.' || prev === '@' || prev === ':')) return 0
  const head = src.slice(i, i + 8).toLowerCase()
  const prefix = URL_PREFIXES.find((p) => head.startsWith(p))
  if (prefix === undefined) return 0
  let end = i + prefix.length
  while (end < src.length && !isSpace(src[end]) && src[end] !== '<' && src[end] !== '>' && src[end] !== '`' && src[end] !== '"') end++
  return end - i
}

/** Trims trailing punctuation and an unbalanced closing parenthesis from a bare URL. */
function trimUrl(url: string): string {
  let end = url.length
  for (;;) {
    const last = url[end - 1]
    if (last !== undefined && URL_TRAILING.has(last)) end--
    else if (last === ')') {
      let open = 0
      let close = 0
      for (let k = 0; k < end; k++) {
        if (url[k] === '(') open++
        else if (url[k] === ')') close++
      }
      if (close > open) end--
      else break
    } else break
  }
  return url.slice(0, end)
}

/** End (exclusive, after ')') of a link destination starting after `(` at `from`, or -1. One nested pair of parentheses is allowed. */
function destinationEnd(src: string, tables: Tables, from: number): number {
  let p = tables.nextStop(from)
  if (src[p] === ')') return p + 1
  if (src[p] !== '(') return -1
  p = tables.nextStop(p + 1)
  if (src[p] !== ')') return -1
  p = tables.nextStop(p + 1)
  return src[p] === ')' ? p + 1 : -1
}

/** Parses inline markdown; `links` false inside a link label (no links within links). */
export function parseInline(src: string, links = true): Inline[] {
  const tables = new Tables(src)
  const tokens: Token[] = []
  const stacks: Record<Kind, number[]> = { strong: [], 'em*': [], em_: [], strike: [] }
  let text = ''
  const flush = (): void => {
    if (text !== '') tokens.push({ t: 'text', text })
    text = ''
  }
  const leaf = (node: Inline): void => {
    flush()
    tokens.push({ t: 'leaf', node })
  }
  /** Closes `kind` with the nearest opener; openers of other kinds opened since stay literal. */
  const close = (kind: Kind): boolean => {
    const opener = stacks[kind].pop()
    if (opener === undefined) return false
    for (const other of Object.keys(stacks) as Kind[]) {
      const stack = stacks[other]
      while (stack.length > 0 && stack[stack.length - 1]! > opener) stack.pop()
    }
    const index = tokens.length
    tokens.push({ t: 'delim', kind, open: false, partner: opener })
    const open = tokens[opener]
    if (open?.t === 'delim') open.partner = index
    return true
  }
  const open = (kind: Kind): void => {
    stacks[kind].push(tokens.length)
    tokens.push({ t: 'delim', kind, open: true })
  }

  let i = 0
  while (i < src.length) {
    const ch = src[i]!
    if (ch === '\\' && i + 1 < src.length && '*_~`['.includes(src[i + 1]!)) {
      // An escaped marker is literal; both characters stay as typed.
      text += src.slice(i, i + 2)
      i += 2
      continue
    }
    if (ch === '`') {
      const { len, next } = tables.run(i)
      if (len === 0) {
        // The rest of a run whose first backtick was escaped: literal, like the escaped one.
        while (src[i] === '`') text += src[i++]
        continue
      }
      if (next >= 0) {
        let code = src.slice(i + len, next)
        // As in CommonMark: one space on each side is padding (lets a span start or end with a backtick).
        if (code.length >= 2 && code.startsWith(' ') && code.endsWith(' ') && code.trim() !== '') code = code.slice(1, -1)
        leaf({ type: 'code', text: code })
        i = next + len
      } else {
        text += src.slice(i, i + len)
        i += len
      }
      continue
    }
    if (ch === '[' && links) {
      const labelEnd = tables.nextClose(i + 1)
      // No "[" in between: each "]" then ends at most one label, so every destination is read once.
      if (labelEnd < src.length && labelEnd > i + 1 && tables.nextOpen(i + 1) > labelEnd && src[labelEnd + 1] === '(') {
        const end = destinationEnd(src, tables, labelEnd + 2)
        const href = end < 0 ? undefined : isSafeHref(src.slice(labelEnd + 2, end - 1))
        if (href !== undefined) {
          leaf({ type: 'link', href, children: parseInline(src.slice(i + 1, labelEnd), false) })
          i = end
          continue
        }
      }
      text += ch
      i++
      continue
    }
    if (links && (ch === 'h' || ch === 'H' || ch === 'm' || ch === 'M' || ch === 'w' || ch === 'W')) {
      const len = bareUrlAt(src, i)
      if (len > 0) {
        const raw = src.slice(i, i + len)
        const url = trimUrl(raw)
        const href = isSafeHref(url)
        if (href !== undefined && !URL_PREFIXES.includes(url.toLowerCase())) {
          leaf({ type: 'link', href, children: [{ type: 'text', text: url }] })
          i += url.length
        } else {
          // Not a usable address: the whole stretch is text (and is not looked at again).
          text += raw
          i += len
        }
        continue
      }
    }
    if (ch === '*' || ch === '_' || ch === '~') {
      let end = i
      while (src[end] === ch) end++
      const len = end - i
      // Simplified CommonMark flanking: an opener is followed by a non-space, a closer preceded by
      // one; "_" also needs a word boundary outside (snake_case stays text).
      const canOpen = !isSpace(src[end]) && (ch !== '_' || !isWordAt(src, i - 1))
      const canClose = i > 0 && !isSpace(src[i - 1]) && (ch !== '_' || !isWordAt(src, end))
      const kinds: Kind[] | undefined =
        ch === '*' ? (len === 1 ? ['em*'] : len === 2 ? ['strong'] : len === 3 ? ['strong', 'em*'] : undefined) : ch === '_' ? (len === 1 ? ['em_'] : undefined) : len === 2 ? ['strike'] : undefined
      if (kinds === undefined || (!canOpen && !canClose)) {
        text += src.slice(i, end)
        i = end
        continue
      }
      flush()
      let left = kinds
      if (canClose) {
        // The innermost open marker closes first: order by the position of their openers.
        const byRecency = [...kinds].sort((a, b) => (stacks[b].at(-1) ?? -1) - (stacks[a].at(-1) ?? -1))
        const unclosed = new Set<Kind>()
        for (const kind of byRecency) if (!close(kind)) unclosed.add(kind)
        left = kinds.filter((k) => unclosed.has(k))
      }
      for (const kind of left) {
        if (canOpen) open(kind)
        else tokens.push({ t: 'text', text: MARK_OF[kind] })
      }
      i = end
      continue
    }
    text += ch
    i++
  }
  flush()
  return build(tokens)
}

/** Turns tokens with matched delimiter pairs into a tree; unmatched delimiters become text. */
function build(tokens: readonly Token[]): Inline[] {
  const root: Inline[] = []
  const stack: Array<{ kind: Kind; children: Inline[] }> = []
  const current = (): Inline[] => stack.at(-1)?.children ?? root
  const pushText = (text: string): void => {
    const into = current()
    const last = into.at(-1)
    if (last?.type === 'text') last.text += text
    else into.push({ type: 'text', text })
  }
  for (const token of tokens) {
    if (token.t === 'text') pushText(token.text)
    else if (token.t === 'leaf') current().push(token.node)
    else if (token.partner === undefined) pushText(MARK_OF[token.kind])
    else if (token.open) stack.push({ kind: token.kind, children: [] })
    else if (stack.at(-1)?.kind === token.kind) {
      const frame = stack.pop()!
      current().push({ type: NODE_OF[frame.kind], children: frame.children })
    } else pushText(MARK_OF[token.kind]) // cannot happen (pairs nest by construction); text is the safe answer
  }
  // Likewise unreachable: a frame left open gives its marker and content back as they were.
  while (stack.length > 0) {
    const frame = stack.pop()!
    pushText(MARK_OF[frame.kind])
    current().push(...frame.children)
  }
  return root
}

// ---- blocks -------------------------------------------------------------------------------

/** `>` then a space or the end of the line: "> text". (">_<" and ">.>" are not quotes.) */
const isQuoteLine = (line: string): boolean => line.startsWith('>') && (line.length === 1 || line[1] === ' ')
const LANG = /^[\w+#.-]{1,20}$/
const isBlank = (line: string): boolean => line.trim() === ''

/** Parses a message into blocks. */
export function parseMessage(text: string): Block[] {
  return parseBlocks(text.replace(/\r\n?/g, '\n').split('\n'), 0)
}

function parseBlocks(lines: readonly string[], depth: number): Block[] {
  // closingAt[k]: the first line at or after k that can close a fence (it ends with ```), or -1.
  const closingAt = new Int32Array(lines.length + 1).fill(-1)
  for (let k = lines.length - 1; k >= 0; k--) closingAt[k] = lines[k]!.trimEnd().endsWith(FENCE) ? k : closingAt[k + 1]!
  const blocks: Block[] = []
  let paragraph: string[] = []
  const flush = (): void => {
    let start = 0
    let end = paragraph.length
    while (start < end && isBlank(paragraph[start]!)) start++
    while (end > start && isBlank(paragraph[end - 1]!)) end--
    if (end > start) blocks.push({ type: 'paragraph', children: parseInline(paragraph.slice(start, end).join('\n')) })
    paragraph = []
  }
  let i = 0
  while (i < lines.length) {
    const line = lines[i]!
    if (line.startsWith(FENCE)) {
      const rest = line.slice(FENCE.length)
      const closing = rest.includes(FENCE) ? -1 : closingAt[i + 1]!
      if (closing >= 0) {
        const body = lines.slice(i + 1, closing)
        const last = lines[closing]!.trimEnd().slice(0, -FENCE.length)
        if (last.trim() !== '') body.push(last)
        const word = rest.trim()
        let lang: string | undefined
        if (LANG.test(word)) lang = word
        else if (word !== '') body.unshift(rest)
        flush()
        blocks.push(lang === undefined ? { type: 'code-block', text: body.join('\n') } : { type: 'code-block', text: body.join('\n'), lang })
        i = closing + 1
        continue
      }
    }
    if (depth < MAX_QUOTE_DEPTH && isQuoteLine(line)) {
      const start = i
      const inner: string[] = []
      while (i < lines.length && isQuoteLine(lines[i]!)) inner.push(lines[i++]!.slice(2))
      const children = parseBlocks(inner, depth + 1)
      if (children.length === 0) {
        // Only ">" marks: nothing to quote, so they are text.
        paragraph.push(...lines.slice(start, i))
        continue
      }
      flush()
      blocks.push({ type: 'quote', children })
      continue
    }
    paragraph.push(line)
    i++
  }
  flush()
  return blocks
}

/** The plain text of inlines (for labels and tests). */
export function plainText(nodes: readonly Inline[]): string {
  let out = ''
  for (const node of nodes) out += node.type === 'text' || node.type === 'code' ? node.text : plainText(node.children)
  return out
}
