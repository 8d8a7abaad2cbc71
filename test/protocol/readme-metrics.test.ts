// /metrics is part of what an operator relies on: every metric the server
// registers (besides prom-client's process metrics) is documented in the
// README's Metrics section, and the section names no metric that is gone.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { REPO_ROOT } from '../../protocol/generate/index.ts'
import { Metrics } from '../../server/metrics.ts'

t.test('the README documents every wirechat metric', async (t) => {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8')
  const section = readme.slice(readme.indexOf('## Metrics'), readme.indexOf('\n## ', readme.indexOf('## Metrics') + 1))
  t.match(section, '`GET /metrics`')
  const served = (await new Metrics({ loggedInUsers: () => 0, rooms: () => 0 }).registry.getMetricsAsJSON()).map((m) => m.name).filter((n) => !n.startsWith('wirechat_process_'))
  const documented = [...section.matchAll(/^\| `(wirechat_[a-z_]+)/gm)].map((m) => m[1]!).filter((n) => n !== 'wirechat_process_')
  t.same([...documented].sort(), [...served].sort())
})
