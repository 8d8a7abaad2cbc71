// The protocol package states limits without any server's defaults (it does
// not import the server). Where PROTOCOL.md quotes the reference server's
// values — the welcome example and the §13 table of settings clients observe —
// this test holds them to server/config.ts.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { serverExamples } from '../../protocol/generate/examples.ts'
import { REPO_ROOT } from '../../protocol/generate/index.ts'
import { announcedLimits, configEnvNames, defaultConfig, type Config } from '../../server/config.ts'

t.test('the welcome example carries the reference defaults', async (t) => {
  const welcome = serverExamples.welcome[0]!.payload
  t.same(welcome.limits, announcedLimits(defaultConfig))
  t.equal(welcome.heartbeatMs, defaultConfig.heartbeatMs)
  t.equal(welcome.loginTimeoutMs, defaultConfig.loginTimeoutMs)
})

t.test('numbers in the §13 settings table are the reference defaults', async (t) => {
  const md = readFileSync(join(REPO_ROOT, 'PROTOCOL.md'), 'utf8')
  const section = md.slice(md.indexOf('## 13 '), md.indexOf('## 14 '))
  const rows = [...section.matchAll(/^\| `([A-Z_]+)` \| (\d+) \|/gm)]
  t.ok(rows.length >= 5, `${rows.length} numeric rows`)
  const keyOf = new Map(Object.entries(configEnvNames).map(([key, env]) => [env, key as keyof Config]))
  for (const [, env, value] of rows) {
    const key = keyOf.get(env!)
    t.ok(key !== undefined, `${env} is a setting of the reference server`)
    if (key !== undefined) t.equal(Number(value), defaultConfig[key], `${env} default`)
  }
})
