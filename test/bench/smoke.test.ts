// The benchmark's smoke mode, as CI runs it: all three targets under a tiny
// load; the harness itself fails the run (exit 1) on numbers that cannot be real.
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'

t.test('bench smoke mode exits 0 and writes the table and chart', async (t) => {
  const out = mkdtempSync(join(tmpdir(), 'wirechat-bench-smoke-'))
  t.teardown(() => rmSync(out, { recursive: true, force: true }))
  let stderr = ''
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, ['--conditions=wirechat-source', 'bench/run.ts', '--smoke', '--out', out], { stdio: ['ignore', 'ignore', 'pipe'] })
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), 110_000)
    child.on('exit', (c) => {
      clearTimeout(timer)
      resolve(c)
    })
  })
  t.equal(code, 0, `smoke run exits 0\n${stderr.slice(-4000)}`)
  const table = join(out, 'latest.md')
  t.ok(existsSync(table), 'latest.md written')
  const markdown = readFileSync(table, 'utf8')
  t.match(markdown, /\| delivered msgs\/s \| [\d,]+ \|/, 'the table has delivered msgs/s for wirechat')
  t.match(markdown, /\| commits\/s \| messages per commit \| flushes\/s \| mean flush \(ms\) \|\n\|[-:|]+\|\n\| [\d,]+ \| \d+\.\d\d \|/, "our store's figures from /metrics")
  t.match(markdown, /## Room size\n[\s\S]*\| 20 \| [\d.]+ · [\d.]+ \| [\d.]+ · [\d.]+ \| [\d.]+ · [\d.]+ \|/, 'the room-size table, every target measured')
  t.ok(existsSync(join(out, 'latest.svg')), 'latest.svg written')
})
