#!/usr/bin/env node
// `wirechat conformance <url>`: loads the TypeScript sources through tsx.
import { register } from 'tsx/esm/api'

register()
const [command, ...rest] = process.argv.slice(2)
if (command !== 'conformance') {
  console.error('usage: wirechat conformance <ws://host:port/ws> [--tap]')
  process.exit(2)
}
const { main } = await import('../conformance/cli.ts')
process.exitCode = await main(rest)
