// The conformance kit's programmatic API:
//   const results = await runKit({ url: 'ws://127.0.0.1:3000/ws' })
//   if (results.summary.failed > 0) console.log(formatResults(results, 'pretty'))
export type { Failure, TestResult } from './harness.ts'
export { LEVEL_MEANING, LEVELS, type Level, type LevelReport, type LevelStatus } from './levels.ts'
export { FORMATS, formatJunit, formatPretty, formatResults, formatTap, xmlText, type Format } from './report.ts'
export { runKit, SECTIONS, type CheckResult, type KitResults, type RunOptions } from './run.ts'
export { UnreachableError, type DisposableServer, type TargetOptions } from './target.ts'
