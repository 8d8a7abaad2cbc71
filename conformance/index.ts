// The conformance kits' programmatic API:
//   const results = await runKit({ url: 'ws://127.0.0.1:3000/ws' })          // a server
//   const results = await runClientKit({ command: ['node', 'adapter.js'] })   // a client
//   if (results.summary.failed > 0) console.log(formatResults(results, 'pretty'))
export type { Failure, TestResult } from './harness.ts'
export { LEVEL_MEANING, LEVELS, type Level, type LevelReport, type LevelStatus } from './levels.ts'
export { type AnyKitResults, commandText, FORMATS, formatJunit, formatPretty, formatResults, formatTap, xmlText, type Format } from './report.ts'
export { listChecks, runKit, SECTIONS, type CheckResult, type DeclaredCheck, type KitResults, type RunOptions } from './run.ts'
export { UnreachableError, type DisposableServer, type TargetOptions } from './target.ts'
export { runClientKit, type ClientKitResults, type ClientRunOptions } from './client-kit/run.ts'
export { CommandError, DEFAULT_HINTS, type Hints, type Instruction } from './client-kit/client-process.ts'
export { CLIENT_CHECK_IDS, CLIENT_CHECKS, CLIENT_SECTIONS, type ClientCheck, type ClientCheckId } from './client-kit/ids.ts'
