// Search tokens: how a message becomes index tokens and a user's query
// becomes terms. Every store indexes and looks up exactly these tokens (the
// engines only store and find them), so memory, SQLite and PostgreSQL find the
// same messages by construction.
//
// Text is folded first: NFKC (full-width ＡＢＣ and half-width ｶﾅ become
// ABC and カナ), lower case, and for words outside Chinese, Japanese and
// Korean: accents removed (é → e, ł → l, ß → ss). Then it is cut in runs:
// - A word: letters, digits and marks of any other script. Everything else
//   (spaces, punctuation, symbols, emoji) only separates words, so "e-mail"
//   is the two tokens `e` `mail`, and "l'homme" is `l` `homme`.
// - A CJK run: Han, Hiragana, Katakana, Hangul (and the prolonged sound mark
//   ー). These languages do not put spaces between words (Korean does, but
//   glues particles to them: 회의가 is 회의 + 가), so a run is indexed as
//   overlapping bigrams: 明日の会議は → 明日 日の の会 会議 議は. A word of two or
//   more characters is then found inside any run containing it: the query 会議
//   is the bigram 会議, 회의실 is the phrase 회의 의실. This is the classic
//   n-gram approach (Lucene's CJKBigramFilter, PostgreSQL's pg_bigm).
// - Single CJK characters are found in a second index with every CJK
//   character of the text as a token (a bigram index cannot find the 会 of
//   大会 by one character). A run of one character (the 가 in "3시 가") gets
//   no bigram; it is in the character index like every other.
//
// A query has words and "quoted phrases"; every term must match (AND). A
// word or phrase that folds to several tokens (e-mail, 회의실, "red car")
// must match them adjacent and in order. A single CJK character in a query
// (alone or inside a word, like the を of iphoneを) becomes a character term:
// the character anywhere in the message. Nothing else is syntax: *, -, :,
// NEAR, AND, parentheses … are separators or plain words, so no engine ever
// sees an operator from a user. Words match whole words (no prefix matching:
// results are the same on every store and predictable; CJK words are found
// inside longer runs anyway).
import { MAX_SEARCH_QUERY_CHARS } from '@wirechat/protocol'
import type { SearchHitRow, SearchPosition, SearchTerm } from './store.ts'

/** Longest query, in code points (the protocol's limit). */
export const MAX_QUERY_CHARS = MAX_SEARCH_QUERY_CHARS
/** Longest token, in code points: longer words are cut to this (in the index and in queries alike), which keeps every token far below the engines' limits (PostgreSQL: 2047 bytes). */
export const MAX_TOKEN_CHARS = 64

/** The tokens of one text: what a store indexes. */
export interface IndexTokens {
  /** Words and CJK bigrams, in text order (positions matter for phrases). */
  words: string[]
  /** Every distinct CJK character of the text, in order of first appearance. */
  chars: string[]
}

/** A parsed query: its terms, or why there are none. */
export type ParsedQuery =
  | { ok: true; terms: SearchTerm[] }
  /** too-long: over MAX_QUERY_CHARS code points; no-words: nothing searchable (only punctuation, spaces, emoji …). */
  | { ok: false; reason: 'too-long' | 'no-words' }

// Script_Extensions, so that letters shared by Hiragana and Katakana (ー)
// stay inside the run; only letters, digits and marks (CJK punctuation like 。
// has these scripts too, and separates).
const CJK = /[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}]/u
const WORD = /[\p{L}\p{N}\p{M}]/u
const SPACE = /\s/u
const QUOTE = /["“”„]/u
/** Combining diacritical marks (U+0300–U+036F): the accents of Latin, Greek and Cyrillic letters after NFD. */
const ACCENTS = /[\u0300-\u036f]/gu
/** Letters NFD does not take apart. */
const FOLDS: Record<string, string> = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', đ: 'd', ð: 'd', ł: 'l', ħ: 'h', ı: 'i', ŀ: 'l', þ: 'th' }
const FOLDABLE = new RegExp(`[${Object.keys(FOLDS).join('')}]`, 'gu')

type CharClass = 'cjk' | 'word' | 'space' | 'other'

const classify = (c: string): CharClass => (WORD.test(c) ? (CJK.test(c) ? 'cjk' : 'word') : SPACE.test(c) ? 'space' : 'other')

/** NFKC and lower case: the form both the index and queries are cut from. */
export const foldText = (text: string): string => text.normalize('NFKC').toLowerCase()

/** A non-CJK word without accents, at most MAX_TOKEN_CHARS code points. */
function foldWord(word: string): string {
  const bare = word
    .normalize('NFD')
    .replace(ACCENTS, '')
    .normalize('NFC')
    .replace(FOLDABLE, (c) => FOLDS[c]!)
  const points = [...bare]
  return points.length > MAX_TOKEN_CHARS ? points.slice(0, MAX_TOKEN_CHARS).join('') : bare
}

/** A piece of folded text: a word, a CJK run (as code points), or a break (spaces: `space`; punctuation and symbols: `other`). */
type Piece = { kind: 'word'; token: string } | { kind: 'cjk'; chars: string[] } | { kind: 'space' | 'other' }

/** Cuts folded text into words, CJK runs and breaks (each break one piece). */
function pieces(folded: string): Piece[] {
  const out: Piece[] = []
  let run = ''
  let runKind: CharClass | undefined
  const flush = () => {
    if (runKind === 'word') {
      const token = foldWord(run)
      if (token !== '') out.push({ kind: 'word', token })
    } else if (runKind === 'cjk') out.push({ kind: 'cjk', chars: [...run] })
    run = ''
    runKind = undefined
  }
  for (const c of folded) {
    const kind = classify(c)
    if (kind === 'space' || kind === 'other') {
      flush()
      out.push({ kind })
    } else {
      if (kind !== runKind) flush()
      runKind = kind
      run += c
    }
  }
  flush()
  return out
}

/** Overlapping bigrams of a CJK run of two or more characters. */
const bigrams = (chars: string[]): string[] => chars.slice(1).map((c, i) => chars[i]! + c)

/** The tokens a store indexes for a message text. */
export function indexTokens(text: string): IndexTokens {
  const words: string[] = []
  const chars = new Set<string>()
  for (const p of pieces(foldText(text))) {
    if (p.kind === 'word') words.push(p.token)
    else if (p.kind === 'cjk') {
      words.push(...bigrams(p.chars))
      for (const c of p.chars) chars.add(c)
    }
  }
  return { words, chars: [...chars] }
}

/**
 * The terms of a piece of a query (a word between spaces, or a quoted
 * phrase): its words and bigrams as one term (adjacent, in order), and each
 * single CJK character as a character term.
 */
function termsOfPiece(folded: string): SearchTerm[] {
  const tokens: string[] = []
  const terms: SearchTerm[] = []
  for (const p of pieces(folded)) {
    if (p.kind === 'word') tokens.push(p.token)
    else if (p.kind === 'cjk') {
      if (p.chars.length === 1) terms.push({ tokens: p.chars, phrase: false, char: true })
      else tokens.push(...bigrams(p.chars))
    }
  }
  if (tokens.length > 0) terms.unshift({ tokens, phrase: tokens.length > 1 })
  return terms
}

const termKey = (t: SearchTerm): string => `${t.char ? 'c' : t.phrase ? 'p' : 'w'}\u0000${t.tokens.join('\u0000')}`

/**
 * Parses a user's query into terms that must all match: words and "quoted
 * phrases" (an unclosed quote runs to the end). Nothing in it is an operator.
 */
export function parseSearchQuery(query: string): ParsedQuery {
  let length = 0
  for (const _ of query) if (++length > MAX_QUERY_CHARS) return { ok: false, reason: 'too-long' }
  const terms = new Map<string, SearchTerm>()
  const add = (piece: string) => {
    for (const term of termsOfPiece(piece)) terms.set(termKey(term), term)
  }
  // Quote marks alternate outside / inside a phrase; NFKC has made ＂ a ".
  foldText(query)
    .split(QUOTE)
    .forEach((part, i) => {
      if (i % 2 === 1) add(part)
      else for (const word of part.split(/\s+/u)) add(word)
    })
  return terms.size === 0 ? { ok: false, reason: 'no-words' } : { ok: true, terms: [...terms.values()] }
}

/** True when `token` can be in the index: a folded word, a CJK bigram, or (for a char term) one CJK character. */
function isIndexToken(token: string, char: boolean): boolean {
  const found = pieces(foldText(token))
  if (found.length !== 1) return false
  const p = found[0]!
  if (char) return p.kind === 'cjk' && p.chars.length === 1 && p.chars[0] === token
  return (p.kind === 'word' && p.token === token) || (p.kind === 'cjk' && p.chars.length === 2 && p.chars.join('') === token)
}

/**
 * The terms as a store looks them up, or none at all (the search finds
 * nothing) when a term could never match: no tokens, or a token that no
 * text indexes (search() takes terms from anyone, not only from
 * parseSearchQuery, and every store must then agree: nothing).
 */
export function usableTerms(terms: readonly SearchTerm[]): SearchTerm[] {
  const usable = terms.every((t) => t.tokens.length > 0 && t.tokens.every((token) => isIndexToken(token, t.char === true)))
  return usable ? [...terms] : []
}

/** True when `tokens` appear in `words` adjacent and in this order. */
function hasPhrase(words: readonly string[], tokens: readonly string[]): boolean {
  outer: for (let i = 0; i + tokens.length <= words.length; i++) {
    for (let j = 0; j < tokens.length; j++) if (words[i + j] !== tokens[j]) continue outer
    return true
  }
  return false
}

/** The meaning of terms, as every store implements it: true when the indexed text matches all of them. */
export function matchesTerms(index: IndexTokens, terms: readonly SearchTerm[]): boolean {
  if (terms.length === 0) return false
  return terms.every((t) => {
    if (t.char) return t.tokens.every((c) => index.chars.includes(c))
    if (t.phrase) return hasPhrase(index.words, t.tokens)
    return t.tokens.every((w) => index.words.includes(w))
  })
}

// ---- results --------------------------------------------------------------

// The order of the SQL stores' indexes: UTF-8 bytes, which is code point order (not UTF-16 units).
const compareCodePoints = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b))

/** Newest first: ts descending, then msgId descending (in code point order, as the SQL stores sort). */
export const compareHits = (a: SearchPosition, b: SearchPosition): number => b.ts - a.ts || compareCodePoints(b.msgId, a.msgId)

/** True when the hit comes after `before` in the order of results (no `before`: every hit). */
export const isBelow = (hit: SearchPosition, before: SearchPosition | undefined): boolean => before === undefined || compareHits(before, hit) < 0

const positionOf = (hit: SearchHitRow): SearchPosition => (hit.kind === 'room' ? hit.message : hit.dm)

/** The first `limit` hits, newest first, of hits found in any order (each source read with a limit of `limit + 1`). */
export function pageOfHits(hits: SearchHitRow[], limit: number): { hits: SearchHitRow[]; hasMore: boolean } {
  hits.sort((a, b) => compareHits(positionOf(a), positionOf(b)))
  return { hits: hits.slice(0, limit), hasMore: hits.length > limit }
}
