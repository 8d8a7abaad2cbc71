// The error reply: errors are data, with a stable code and retry advice.
import Type from 'typebox'
import { ERROR_CODES } from '../codes.ts'
import { reply } from './define.ts'

export const ErrorCodeSchema = Type.Enum(ERROR_CODES, { description: 'Stable machine code; see the error code table.' })

export const ErrorFrame = reply(
  'error',
  {
    code: ErrorCodeSchema,
    message: Type.String({ maxLength: 500, description: 'Short human explanation; do not parse it.' }),
    retryable: Type.Boolean({ description: 'True when the same request may succeed if sent again later.' }),
    retryAfterMs: Type.Optional(Type.Integer({ minimum: 0, description: 'With `rate-limited`: wait this long.' })),
    details: Type.Optional(Type.Array(Type.String({ maxLength: 200 }), { maxItems: 10, description: 'With `bad-frame`: the offending paths and rules.' })),
  },
  'A request failed; the connection stays open. Carries the request `id` when the request had one (and it could be read).',
)
