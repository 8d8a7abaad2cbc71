import { launchChromium } from './helpers/browser.ts'
import { openReader, SEED_SERVER, seedRooms, loadAllByScrollingUp } from './helpers/page-scenario.ts'
import { startServer } from './helpers/server.ts'
import { buildPage } from '../client/build.ts'
const td: Array<() => unknown> = []
const t = { teardown: (f: () => unknown) => void td.push(f), fail: (m: string) => { throw new Error(m) } }
const N = Number(process.argv[2] ?? 2000)
try {
  await buildPage()
  const server = await startServer(t, SEED_SERVER)
  await seedRooms(t, server, N, 20)
  const browser = await launchChromium(t)
  const problems: string[] = []
  const page = await openReader(t, browser, server, problems, N)
  const r = await loadAllByScrollingUp(page, 100)
  console.log(r.pages, Math.max(...r.drifts), r.drifts.join(','))
  console.log(problems)
} catch (e) { console.log(e) } finally { for (const f of td.reverse()) await f() }
