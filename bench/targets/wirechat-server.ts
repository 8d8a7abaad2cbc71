// Our server for the benchmark: server/main.ts plus the bench hooks (forced GC
// on SIGUSR2, port announcement). Configuration comes from the environment,
// exactly as in production; the orchestrator sets only what it reports.
import { buildApp } from '../../server/app.ts'
import { loadConfig } from '../../server/config.ts'
import { announce, installHooks } from './hooks.ts'

const config = loadConfig(process.env)
const app = await buildApp(config)
installHooks(() => app.close())
await app.listen({ port: config.port, host: config.host })
const address = app.server.address()
announce(typeof address === 'object' && address !== null ? address.port : config.port)
