// PROTOCOL.md §11 and §12: the error-code and close-code tables, from codes.ts.
// Each row is a clause of its own (clauses.ts): its anchor, `ERR-<code>` or
// `CLOSE-<code>`, is written here, so a code added to codes.ts is a clause at once.
import { CloseCodes, ErrorCodes, type CloseCodeInfo, type ErrorCodeInfo } from '../../codes.ts'
import { closeCodeRange } from '../codes-schema.ts'

const cell = (s: string): string => s.replace(/\|/g, '\\|')

/** The clause id of an error code's row. */
export const errorClause = (code: string): string => `ERR-${code}`

/** The clause id of a close code's row. */
export const closeClause = (code: number | string): string => `CLOSE-${code}`

/** The error-code table. */
export function renderErrorCodes(): string {
  const lines = ['| Code | Retryable | Meaning |', '| --- | --- | --- |']
  for (const [code, info] of Object.entries(ErrorCodes as Record<string, ErrorCodeInfo>)) {
    lines.push(`| <a id="${errorClause(code)}"></a>\`${code}\` | ${info.retryable ? 'yes' : 'no'} | ${cell(info.meaning)} |`)
  }
  return lines.join('\n')
}

/** The close-code table. */
export function renderCloseCodes(): string {
  const lines = ['| Code | Name | Range | Reconnect | Meaning |', '| --- | --- | --- | --- | --- |']
  for (const [code, info] of Object.entries(CloseCodes as Record<string, CloseCodeInfo>)) {
    lines.push(`| <a id="${closeClause(code)}"></a>${code} | \`${info.name}\` | ${closeCodeRange(Number(code))} | ${info.reconnect} | ${cell(info.meaning)} |`)
  }
  return lines.join('\n')
}
