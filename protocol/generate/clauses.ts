// The clauses of PROTOCOL.md: every normative rule carries a stable id
// (`SES-4`, `ERR-not-found`) that the conformance kits cite. The ids live in
// the document itself: a hand-written rule starts with
// `<a id="SES-4"></a>**[SES-4]**` (`**[SES-4 client]**` when the rule binds
// the client), and each row of the generated error-code and close-code
// tables carries the anchor `ERR-<code>` or `CLOSE-<code>` (code-tables.ts).
// This module reads them back, so schema/clauses.json is derived from the
// document and cannot disagree with it.
//
// A clause's text runs from its tag to the next tag or the end of its block
// (paragraph, list item or table row): a rule that takes two sentences keeps
// both. Ids are never reused nor renumbered: a new rule takes the next free
// number of its area, a removed one leaves a hole.

/** One normative rule of PROTOCOL.md. */
export interface Clause {
  /** Stable id: `AREA-N` for hand-written rules, `ERR-<code>` and `CLOSE-<code>` for table rows. */
  id: string
  /** The PROTOCOL.md section it stands in ("4", "7a"). */
  section: string
  /** MUST (MUST, MUST NOT, REQUIRED, or a rule stated as what happens) or SHOULD (SHOULD, SHOULD NOT). */
  level: 'MUST' | 'SHOULD'
  /** Who has to follow it: the server, the client, or both (a code's meaning for the server, its retry advice for the client). */
  party: 'server' | 'client' | 'both'
  /** The rule as the document states it (Markdown, on one line). */
  text: string
}

export interface ParsedClauses {
  clauses: Clause[]
  /** Ids that appear twice, tags whose bracket disagrees with their anchor: each one line. */
  problems: string[]
}

/** The anchor of a clause id, and the bold tag that shows it (absent on generated table rows). */
const TAG = /<a id="([A-Z]+-[A-Za-z0-9-]+)"><\/a>(?:\*\*\[([^\]]*)\]\*\* ?)?/g

/** Rows of the generated code tables (anchor only, both parties): `CLOSE-<code>`, and `ERR-<code>` (`ERR-<n>` are §11's hand-written rules). */
export const isCodeRow = (id: string): boolean => id.startsWith('CLOSE-') || (id.startsWith('ERR-') && !/^ERR-\d+$/.test(id))

interface Block {
  section: string
  text: string
  row: boolean
}

/** Paragraphs, list items and table rows, each with its section; code blocks left out. */
function blocks(markdown: string): Block[] {
  const out: Block[] = []
  let section = ''
  let current: Block | undefined
  let fenced = false
  const flush = (): void => {
    if (current !== undefined) out.push(current)
    current = undefined
  }
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) {
      flush()
      fenced = !fenced
      continue
    }
    if (fenced) continue
    const heading = /^(#{1,6}) /.exec(line)
    if (heading) {
      flush()
      if (heading[1] === '##') section = /^## (\d+[a-z]?) /.exec(line)?.[1] ?? ''
      continue
    }
    if (line.trim() === '') {
      flush()
      continue
    }
    if (line.startsWith('|')) {
      flush()
      out.push({ section, text: line, row: true })
      continue
    }
    if (/^\s*(?:[-*]|\d+\.) /.test(line)) flush()
    if (current === undefined) current = { section, text: line, row: false }
    else current.text += `\n${line}`
  }
  flush()
  return out
}

/** A table row as its cells, ` | `-separated, without the outer bars. */
const rowText = (s: string): string =>
  s
    .replace(/\|\s*$/, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim())
    .filter((c) => c !== '')
    .join(' | ')

const oneLine = (s: string): string => s.replace(/\s+/g, ' ').trim().replace(/[;,]$/, '')

const levelOf = (text: string): Clause['level'] => (/\bSHOULD\b/.test(text) && !/\bMUST\b|\bREQUIRED\b/.test(text) ? 'SHOULD' : 'MUST')

/** Every clause of a PROTOCOL.md text (with its generated regions filled), in document order. */
export function parseClauses(markdown: string): ParsedClauses {
  const clauses: Clause[] = []
  const problems: string[] = []
  const seen = new Set<string>()
  for (const block of blocks(markdown)) {
    const tags = [...block.text.matchAll(TAG)]
    tags.forEach((m, i) => {
      const [whole, id, bracket] = m as unknown as [string, string, string | undefined]
      const from = m.index + whole.length
      const to = tags[i + 1]?.index ?? block.text.length
      const raw = block.text.slice(from, to)
      let party: Clause['party'] = 'server'
      if (isCodeRow(id)) {
        party = 'both'
        if (bracket !== undefined) problems.push(`${id}: a code-table clause has no bracket tag (the generator writes only its anchor)`)
      } else if (bracket === undefined) problems.push(`${id}: the anchor has no **[${id}]** tag after it`)
      else if (bracket === `${id} client`) party = 'client'
      else if (bracket !== id) problems.push(`${id}: the anchor is followed by the tag **[${bracket}]**`)
      if (seen.has(id)) problems.push(`${id}: the id appears twice`)
      seen.add(id)
      const text = block.row ? rowText(raw) : oneLine(raw)
      clauses.push({ id, section: block.section, level: levelOf(text), party, text })
    })
  }
  return { clauses, problems }
}

/** The paragraphs of PROTOCOL.md that explain the keywords and the clause ids: they state no rule. */
const CONVENTIONS = ['MUST, MUST NOT, SHOULD and MAY are used as in RFC 2119', 'Each rule carries a stable clause id']

/**
 * RFC 2119 keywords (MUST, SHOULD, REQUIRED, with their NOT) that stand before
 * any clause tag of their paragraph, list item or table row: a rule written
 * without its id. Each is given as the start of its block. The paragraphs
 * that explain the keywords and the ids are not rules.
 */
export function untaggedKeywords(markdown: string): string[] {
  const out: string[] = []
  for (const block of blocks(markdown)) {
    if (CONVENTIONS.some((start) => block.text.startsWith(start))) continue
    const firstTag = block.text.search(TAG)
    const head = firstTag < 0 ? block.text : block.text.slice(0, firstTag)
    if (/\b(MUST|SHOULD|REQUIRED)\b/.test(head)) out.push(`§${block.section}: ${oneLine(head).slice(0, 120)}`)
  }
  return out
}

/** schema/clauses.json: the clauses of a PROTOCOL.md text; throws on a duplicate or malformed tag. */
export function clausesDocument(markdown: string, protocol: string, version: string): { $comment: string; protocol: string; version: string; clauses: Clause[] } {
  const { clauses, problems } = parseClauses(markdown)
  if (problems.length > 0) throw new Error(`PROTOCOL.md clause tags:\n${problems.join('\n')}`)
  return {
    $comment: 'Every normative rule of PROTOCOL.md with its stable id, read from the document by npm run generate (protocol/generate/clauses.ts). Link one as PROTOCOL.md#<id>.',
    protocol,
    version,
    clauses,
  }
}
