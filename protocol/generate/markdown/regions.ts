// Generated regions of a hand-written document: everything between
// `<!-- generated:NAME:start -->` and `<!-- generated:NAME:end -->` is
// replaced; the narrative around the markers is kept byte for byte.

const MARKER = /<!-- generated:([a-z0-9-]+):(start|end) -->/g

/** Names of the regions in a document, in order; throws on unbalanced markers. */
export function regionNames(doc: string): string[] {
  const names: string[] = []
  let open: string | undefined
  for (const m of doc.matchAll(MARKER)) {
    const [, name, edge] = m as unknown as [string, string, 'start' | 'end']
    if (edge === 'start') {
      if (open !== undefined) throw new Error(`region "${name}" starts inside region "${open}"`)
      if (names.includes(name)) throw new Error(`region "${name}" appears twice`)
      open = name
    } else {
      if (open !== name) throw new Error(`region end "${name}" does not close ${open === undefined ? 'any region' : `"${open}"`}`)
      names.push(name)
      open = undefined
    }
  }
  if (open !== undefined) throw new Error(`region "${open}" is not closed`)
  return names
}

/**
 * Replaces the content of every region with `content[name]`. Every region in
 * the document must have content and every content must have a region, so a
 * renamed marker cannot silently leave stale text behind; empty content is an
 * error too, so no heading is left over an empty region.
 */
export function fillRegions(doc: string, content: Record<string, string>): string {
  const names = regionNames(doc)
  const missing = Object.keys(content).filter((n) => !names.includes(n))
  if (missing.length > 0) throw new Error(`no region for: ${missing.join(', ')}`)
  const unknown = names.filter((n) => !(n in content))
  if (unknown.length > 0) throw new Error(`no content for region: ${unknown.join(', ')}`)
  const empty = names.filter((n) => content[n]!.trim() === '')
  if (empty.length > 0) throw new Error(`empty content for region: ${empty.join(', ')}`)
  let out = doc
  for (const name of names) {
    const start = `<!-- generated:${name}:start -->`
    const end = `<!-- generated:${name}:end -->`
    const from = out.indexOf(start) + start.length
    const to = out.indexOf(end, from)
    const body = content[name]!.trim()
    out = `${out.slice(0, from)}\n${body}\n${out.slice(to)}`
  }
  return out
}
