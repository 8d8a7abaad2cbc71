// Starts a real server on 127.0.0.1 with a fresh SQLite file; torn down with the test.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { buildApp, type BuildOptions } from '../../server/app.ts'
import { loadConfig, type Config } from '../../server/config.ts'

export interface TestServer {
  app: FastifyInstance
  config: Config
  /** ws://127.0.0.1:PORT/ws */
  url: string
  /** http://127.0.0.1:PORT */
  httpUrl: string
  port: number
}

export interface Teardown {
  teardown(fn: () => unknown): void
}

/** Settings that keep tests quick without changing behaviour. */
export const testDefaults: Partial<Config> = {
  port: 0,
  host: '127.0.0.1',
  logLevel: 'silent',
  shutdownGraceMs: 500,
  // 2^10 instead of 2^15: a password hash in milliseconds, same code path.
  scryptCost: 10,
}

export async function startServer(t: Teardown, overrides: Partial<Config> = {}, options: BuildOptions = {}): Promise<TestServer> {
  const dataDir = overrides.dataDir ?? mkdtempSync(join(tmpdir(), 'wirechat-test-'))
  const config = loadConfig({}, { ...testDefaults, dataDir, ...overrides })
  const app = await buildApp(config, options)
  await app.listen({ port: config.port, host: config.host })
  const address = app.server.address()
  if (address === null || typeof address === 'string') throw new Error('no TCP address')
  t.teardown(async () => {
    await app.close()
    if (overrides.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true })
  })
  return { app, config, port: address.port, url: `ws://127.0.0.1:${address.port}/ws`, httpUrl: `http://127.0.0.1:${address.port}` }
}
