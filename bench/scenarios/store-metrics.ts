// The store's own figures over a send window, from our server's /metrics:
// how many commits (and flushes) the window cost and how many writes shared
// each. Read at the start and the end of the window; only our server has them.
import type { StoreFigures } from './types.ts'

/** The counters this reads (wirechat_store_*), as one scrape saw them. */
export interface StoreCounters {
  commits: number
  writes: number
  flushes: number
  flushSeconds: number
}

const NAMES: Record<keyof StoreCounters, string> = {
  commits: 'wirechat_store_commits_total',
  writes: 'wirechat_store_writes_total',
  flushes: 'wirechat_store_flushes_total',
  flushSeconds: 'wirechat_store_flush_seconds_total',
}

/** The store counters in a Prometheus text exposition; undefined when it has none of them. */
export function parseStoreCounters(text: string): StoreCounters | undefined {
  const values = new Map<string, number>()
  for (const line of text.split('\n')) {
    const [name, value] = line.split(' ')
    if (name !== undefined && value !== undefined && name.startsWith('wirechat_store_')) values.set(name, Number(value))
  }
  if (!Object.values(NAMES).every((n) => values.has(n))) return undefined
  return { commits: values.get(NAMES.commits)!, writes: values.get(NAMES.writes)!, flushes: values.get(NAMES.flushes)!, flushSeconds: values.get(NAMES.flushSeconds)! }
}

/** Scrapes one server's /metrics; undefined when it cannot be read or has no store counters. */
export async function scrapeStoreCounters(url: string): Promise<StoreCounters | undefined> {
  try {
    const response = await fetch(`${url}/metrics`)
    return response.ok ? parseStoreCounters(await response.text()) : undefined
  } catch {
    return undefined
  }
}

/** The window's figures from the counters at its start and end. */
export function storeFigures(start: StoreCounters, end: StoreCounters, windowMs: number): StoreFigures {
  const commits = end.commits - start.commits
  const flushes = end.flushes - start.flushes
  const seconds = windowMs / 1000
  return {
    commitsPerSec: commits / seconds,
    writesPerCommit: commits > 0 ? (end.writes - start.writes) / commits : Number.NaN,
    flushesPerSec: flushes / seconds,
    flushMs: flushes > 0 ? ((end.flushSeconds - start.flushSeconds) * 1000) / flushes : Number.NaN,
  }
}
