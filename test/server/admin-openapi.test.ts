// docs/admin-openapi.json must be exactly what the admin API's route schemas
// generate now: run `npm run generate:admin` after changing a route, and commit it.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { ADMIN_OPENAPI_FILE, adminOpenApi } from '../../server/admin/openapi.ts'
import { REPO_ROOT } from '../../protocol/generate/index.ts'

t.test('the committed OpenAPI document is up to date', async (t) => {
  const generated = await adminOpenApi()
  t.ok(readFileSync(join(REPO_ROOT, ADMIN_OPENAPI_FILE), 'utf8') === generated, `${ADMIN_OPENAPI_FILE} is up to date (run npm run generate:admin)`)
})

t.test('every route is documented with its parameters, body, responses and the bearer scheme', async (t) => {
  const doc = JSON.parse(await adminOpenApi()) as {
    openapi: string
    paths: Record<string, Record<string, { parameters?: unknown[]; requestBody?: unknown; responses: Record<string, unknown> }>>
    security: unknown[]
  }
  t.match(doc.openapi, /^3\./)
  t.same(doc.security, [{ bearer: [] }])
  const routes = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`))
  t.same(routes.sort(), [
    'DELETE /admin/rooms/{room}',
    'DELETE /admin/users/{userId}/ban',
    'GET /admin/users/{userId}/connections',
    'POST /admin/rooms/{room}/messages',
    'POST /admin/users/{userId}/ban',
    'POST /admin/users/{userId}/disconnect',
    'PUT /admin/rooms/{room}/roles/{userId}',
  ])
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      t.ok((op.parameters ?? []).length > 0, `${method} ${path} has parameters`)
      t.ok(op.responses['200'] && op.responses['400'] && op.responses['401'], `${method} ${path} documents 200, 400 and 401`)
      if (method === 'post' || method === 'put') t.ok(op.requestBody, `${method} ${path} has a body`)
    }
  }
})
