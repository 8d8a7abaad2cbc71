// PROTOCOL.md §13: the limits announced in `welcome` (the Limits schema). The
// protocol states what each limit means, not what a server sets it to: a
// server's defaults are its own (the reference server's are in the README),
// so this package does not depend on any server.
import { Limits } from '../../frames/session.ts'
import { plainSchema } from '../json-schema.ts'
import { rulesOf, typeAnchor } from './shapes.ts'

const cell = (s: string): string => s.replace(/\|/g, '\\|')

export function renderLimits(): string {
  const schema = plainSchema(Limits)
  const props = schema.properties as Record<string, { type?: string; description?: string }>
  const required = new Set(schema.required as string[])
  const optional = Object.keys(props).filter((name) => !required.has(name))
  const rows = Object.entries(props).map(
    ([name, prop]) => `| \`${name}\` | ${prop.type ?? ''} | ${required.has(name) ? 'yes' : 'no'} | ${cell(rulesOf(prop as never).join('; '))} | ${cell(prop.description ?? '')} |`,
  )
  return [
    `<a id="${typeAnchor('Limits')}"></a>**\`Limits\`** (\`welcome.limits\`) — ${String(schema.description)}`,
    '',
    '| Field | Type | Required | Rules | Meaning |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
    optional.length === 0 ? 'Every field is required.' : `Every field is required except ${optional.map((n) => `\`${n}\``).join(', ')}, which were added after 1.0.0 and may be absent.`,
  ].join('\n')
}
