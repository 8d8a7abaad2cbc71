// The admin API's OpenAPI document as committed in docs/admin-openapi.json:
// generated from the route schemas by a server built only for it (memory
// store, a throwaway token), so it does not depend on any running node.
import { randomBytes } from 'node:crypto'
import { buildApp } from '../app.ts'
import { loadConfig } from '../config.ts'

/** Path of the committed document, relative to the repository root. */
export const ADMIN_OPENAPI_FILE = 'docs/admin-openapi.json'

/** The OpenAPI 3 document of the admin API, as the committed file's text. */
export async function adminOpenApi(): Promise<string> {
  const token = randomBytes(24).toString('base64url')
  const app = await buildApp(loadConfig({}, { store: 'memory', logLevel: 'silent', adminToken: token }))
  try {
    const res = await app.inject({ method: 'GET', url: '/admin/openapi.json', headers: { authorization: `Bearer ${token}` } })
    if (res.statusCode !== 200) throw new Error(`GET /admin/openapi.json answered ${res.statusCode}`)
    return `${JSON.stringify(res.json(), null, 2)}\n`
  } finally {
    await app.close()
  }
}
