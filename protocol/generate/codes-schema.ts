// schema/codes.json: the error codes and close codes as a JSON Schema, one
// `const` branch per code with its meaning and retry advice, so it is both
// a validator for `code` values and the machine-readable code table.
import { CloseCodes, ErrorCodes, type CloseCodeInfo, type ErrorCodeInfo } from '../codes.ts'
import { PROTOCOL_VERSION } from '../primitives.ts'
import { canonicalSchema, JSON_SCHEMA_DIALECT, type Json } from './canonical-json.ts'

/** The close-code ranges, as documented in codes.ts and PROTOCOL.md §12. */
export function closeCodeRange(code: number): string {
  if (code < 4000) return 'RFC 6455'
  if (code < 4100) return 'terminal'
  if (code < 4200) return 'reconnect'
  return 'reserved'
}

export function codesSchema(): Json {
  const errorBranches = Object.entries(ErrorCodes as Record<string, ErrorCodeInfo>).map(([code, info]) => ({
    const: code,
    description: info.meaning,
    'x-retryable': info.retryable,
  }))
  const closeBranches = Object.entries(CloseCodes as Record<string, CloseCodeInfo>).map(([code, info]) => ({
    const: Number(code),
    title: info.name,
    description: info.meaning,
    'x-reconnect': info.reconnect,
    'x-range': closeCodeRange(Number(code)),
  }))
  return canonicalSchema({
    $schema: JSON_SCHEMA_DIALECT,
    $id: 'codes.json',
    title: 'codes',
    description: `Error codes of \`error\` frames and WebSocket close codes of protocol ${PROTOCOL_VERSION}. \`x-retryable\`: sending the same request again later can succeed. \`x-reconnect\`: never | after-fix | backoff | immediately. Close codes 4000–4099 are terminal, 4100–4199 ask for a reconnect with backoff and resume.`,
    $defs: {
      errorCode: { type: 'string', description: 'The `code` of an `error` frame.', oneOf: errorBranches },
      closeCode: { type: 'integer', description: 'A WebSocket close code the server uses.', oneOf: closeBranches },
    },
    anyOf: [{ $ref: '#/$defs/errorCode' }, { $ref: '#/$defs/closeCode' }],
  })
}
