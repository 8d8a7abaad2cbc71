// Every error code is documented somewhere in PROTOCOL.md §15: as a code
// every request can get, or as a code of at least one request.
import t from 'tap'
import { ERROR_CODES } from '../../protocol/codes.ts'
import { COMMON_ERRORS, FRAME_ERRORS } from '../../protocol/generate/frame-errors.ts'

t.test('every error code is listed for some request', async (t) => {
  const listed = new Set<string>([...COMMON_ERRORS, ...Object.values(FRAME_ERRORS).flat()])
  for (const code of ERROR_CODES) t.ok(listed.has(code), `${code} is listed`)
})
