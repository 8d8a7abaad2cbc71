#!/usr/bin/env node
// The `wirechat` command: registers tsx (the sources are TypeScript) and runs
// the terminal client. `wirechat chat --url … --name …`; `chat` is the default
// and only subcommand so far.
import 'tsx'

const [command = 'chat'] = process.argv.slice(2)
if (command === 'chat' || command.startsWith('-')) {
  await import('../terminal/main.ts')
} else {
  process.stderr.write(`wirechat: unknown command "${command}"\nusage: wirechat chat [--url URL] [--name NAME] … (wirechat chat --help)\n`)
  process.exit(2)
}
