// Validity checks for the kits' report formats, shared by the conformance tests:
// TAP 14 line by line, and XML well-formedness for the JUnit report.

/** Lines that break TAP 14: version line, plans, numbered points, subtests, YAML blocks. */
export function tapProblems(tap: string): string[] {
  const lines = tap.replace(/\n$/, '').split('\n')
  const problems: string[] = []
  if (lines[0] !== 'TAP version 14') problems.push('first line is not "TAP version 14"')
  // Per indent level: points seen and the plan.
  const levels = new Map<number, { points: number; plan: number | undefined }>()
  const level = (indent: number) => levels.get(indent) ?? levels.set(indent, { points: 0, plan: undefined }).get(indent)!
  let yamlIndent: number | undefined
  for (const [i, line] of lines.slice(1).entries()) {
    const indent = /^ */.exec(line)![0].length
    const body = line.slice(indent)
    if (yamlIndent !== undefined) {
      if (indent === yamlIndent && body === '...') yamlIndent = undefined
      else if (indent < yamlIndent) problems.push(`line ${i + 2}: YAML block not closed`)
      continue
    }
    if (indent % 4 !== 0 && body !== '---') {
      problems.push(`line ${i + 2}: indent ${indent}`)
      continue
    }
    if (body === '---') {
      yamlIndent = indent
      continue
    }
    if (/^# /.test(body)) continue
    const plan = /^1\.\.(\d+)$/.exec(body)
    if (plan) {
      level(indent).plan = Number(plan[1])
      continue
    }
    const point = /^(not ok|ok) (\d+)(?: - ((?:[^#\\]|\\.)*?))?(?: # (SKIP|TODO)\b.*)?$/.exec(body)
    if (!point) {
      problems.push(`line ${i + 2}: not TAP: ${line}`)
      continue
    }
    const l = level(indent)
    if (Number(point[2]) !== ++l.points) problems.push(`line ${i + 2}: point ${point[2]}, expected ${l.points}`)
    // A finished subtest's level starts over.
    levels.delete(indent + 4)
    if (l.plan !== undefined && indent > 0 && l.points > l.plan) problems.push(`line ${i + 2}: more points than planned`)
  }
  const top = levels.get(0)
  if (top === undefined || top.plan !== top.points) problems.push(`plan ${top?.plan} but ${top?.points} points`)
  if (yamlIndent !== undefined) problems.push('YAML block not closed at the end')
  return problems
}

/** Why `xml` is not well-formed XML 1.0 (a checker for what formatJunit writes), or undefined. */
export function xmlProblem(xml: string): string | undefined {
  const text = xml.replace(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n?/, '')
  if (/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u.test(text)) return 'a character XML cannot hold'
  const badText = (s: string): boolean => /<|&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[\da-fA-F]+);)/.test(s)
  const token = /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*="[^"]*")*)\s*(\/?)>|([^<]+)/y
  const stack: string[] = []
  let roots = 0
  while (token.lastIndex < text.length) {
    const start = token.lastIndex
    const m = token.exec(text)
    if (m === null) return `bad markup at ${start}: ${text.slice(start, start + 40)}`
    if (m[5] !== undefined) {
      if (badText(m[5])) return `bad text: ${m[5].slice(0, 40)}`
      if (stack.length === 0 && m[5].trim() !== '') return 'text outside the root'
      continue
    }
    const [, closing, name, attrs, selfClosing] = m
    for (const [, value] of attrs!.matchAll(/="([^"]*)"/g)) if (badText(value!)) return `bad attribute value: ${value!.slice(0, 40)}`
    if (closing) {
      if (stack.pop() !== name) return `</${name}> does not close the open element`
    } else if (!selfClosing) {
      if (stack.length === 0) roots++
      stack.push(name!)
    } else if (stack.length === 0) roots++
  }
  if (stack.length > 0) return `unclosed <${stack.at(-1)}>`
  return roots === 1 ? undefined : `${roots} root elements`
}
