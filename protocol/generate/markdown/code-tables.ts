// PROTOCOL.md §11 and §12: the error-code and close-code tables, from codes.ts.
import { CloseCodes, ErrorCodes, type CloseCodeInfo, type ErrorCodeInfo } from '../../codes.ts'
import { closeCodeRange } from '../codes-schema.ts'

const cell = (s: string): string => s.replace(/\|/g, '\\|')

/** The error-code table. */
export function renderErrorCodes(): string {
  const lines = ['| Code | Retryable | Meaning |', '| --- | --- | --- |']
  for (const [code, info] of Object.entries(ErrorCodes as Record<string, ErrorCodeInfo>)) {
    lines.push(`| \`${code}\` | ${info.retryable ? 'yes' : 'no'} | ${cell(info.meaning)} |`)
  }
  return lines.join('\n')
}

/** The close-code table. */
export function renderCloseCodes(): string {
  const lines = ['| Code | Name | Range | Reconnect | Meaning |', '| --- | --- | --- | --- | --- |']
  for (const [code, info] of Object.entries(CloseCodes as Record<string, CloseCodeInfo>)) {
    lines.push(`| ${code} | \`${info.name}\` | ${closeCodeRange(Number(code))} | ${info.reconnect} | ${cell(info.meaning)} |`)
  }
  return lines.join('\n')
}
