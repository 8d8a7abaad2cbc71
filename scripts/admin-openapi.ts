// `npm run generate:admin`: writes docs/admin-openapi.json from the admin API's route schemas.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ADMIN_OPENAPI_FILE, adminOpenApi } from '../server/admin/openapi.ts'

const root = fileURLToPath(new URL('..', import.meta.url))
writeFileSync(join(root, ADMIN_OPENAPI_FILE), await adminOpenApi())
console.log(`generate:admin: wrote ${ADMIN_OPENAPI_FILE}`)
