#!/usr/bin/env node
// The `wirechat` command. The sources are TypeScript, so tsx is registered first.
//   wirechat chat [--url URL] [--name NAME] …      the terminal client (default)
//   wirechat conformance ws://host:port/ws [--format tap|json|junit] …  the protocol conformance kit
import 'tsx'

const [command = 'chat', ...rest] = process.argv.slice(2)
if (command === 'chat' || command.startsWith('-')) {
  await import('../terminal/main.ts')
} else if (command === 'conformance') {
  const { main } = await import('../conformance/cli.ts')
  process.exitCode = await main(rest)
} else {
  process.stderr.write(`wirechat: unknown command "${command}"\nusage: wirechat chat [--url URL] [--name NAME] …\n       wirechat conformance ws://host:port/ws [--help]\n`)
  process.exit(2)
}
