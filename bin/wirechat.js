#!/usr/bin/env node
// The repository's `wirechat` command, over the built packages (`npm run build`):
//   wirechat chat [--url URL] [--name NAME] …      the terminal client (default; @wirechat/terminal)
//   wirechat conformance ws://host:port/ws [...]   the conformance kit (@wirechat/conformance)
//   wirechat conformance client -- COMMAND [...]    its client kit
// Published, each is a package of its own with its own command
// (`wirechat-chat`, `wirechat-conformance`, `wirechat-server`).
import { existsSync } from 'node:fs'

const [command = 'chat', ...rest] = process.argv.slice(2)
const entry = command === 'chat' || command.startsWith('-') ? '../terminal/dist/main.js' : command === 'conformance' ? '../conformance/dist/cli.js' : undefined
if (entry === undefined) {
  process.stderr.write(
    `wirechat: unknown command "${command}"\nusage: wirechat chat [--url URL] [--name NAME] …\n       wirechat conformance ws://host:port/ws [options]\n       wirechat conformance client [options] -- COMMAND [args…]\n`,
  )
  process.exit(2)
}
if (!existsSync(new URL(entry, import.meta.url))) {
  process.stderr.write('wirechat: the packages are not built yet; run `npm run build` first\n')
  process.exit(2)
}
if (command === 'conformance') {
  const { main } = await import(entry)
  process.exitCode = await main(rest)
} else {
  if (command === 'chat') process.argv.splice(2, 1)
  await import(entry)
}
