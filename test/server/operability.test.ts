import { PassThrough } from 'node:stream'
import t from 'tap'
import { RawClient } from '../helpers/raw-client.ts'
import { startServer } from '../helpers/server.ts'

function metricValue(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `))
  return line === undefined ? undefined : Number(line.slice(series.length + 1))
}

t.test('/metrics exposes connections, users, rooms, frames, errors, closes and latencies', async (t) => {
  const server = await startServer(t)
  const { client: ana } = await RawClient.login(t, server.url, { name: 'ana' })
  const { client: bob } = await RawClient.login(t, server.url, { name: 'bob', rooms: [{ room: 'lobby' }, { room: 'dev' }] })
  await ana.request({ type: 'chat', room: 'lobby', text: 'one' })
  await ana.request({ type: 'chat', room: 'nowhere', text: 'two' })
  await bob.next('chat')
  bob.close()
  await bob.closed()
  const res = await fetch(`${server.httpUrl}/metrics`)
  t.equal(res.status, 200)
  t.match(res.headers.get('content-type'), /text\/plain/)
  const text = await res.text()
  t.equal(metricValue(text, 'wirechat_connections_open'), 1, 'open connections')
  t.equal(metricValue(text, 'wirechat_users_logged_in'), 1, 'logged-in users')
  t.equal(metricValue(text, 'wirechat_rooms'), 1, 'rooms with members (dev emptied when bob left)')
  t.equal(metricValue(text, 'wirechat_frames_in_total{type="chat"}'), 2)
  t.equal(metricValue(text, 'wirechat_frames_in_total{type="login"}'), 2)
  t.equal(metricValue(text, 'wirechat_frames_out_total{type="chat-ok"}'), 1)
  t.equal(metricValue(text, 'wirechat_frames_out_total{type="chat"}'), 1, 'one push, to bob')
  t.equal(metricValue(text, 'wirechat_errors_total{code="not-in-room"}'), 1)
  t.equal(metricValue(text, 'wirechat_errors_total{code="rate-limited"}'), 0, 'every code has a series')
  t.equal(metricValue(text, 'wirechat_closes_total{code="1000"}'), 1)
  t.equal(metricValue(text, 'wirechat_slow_consumer_drops_total'), 0)
  t.equal(metricValue(text, 'wirechat_store_append_seconds_count'), 1)
  t.ok((metricValue(text, 'wirechat_broadcast_fanout_count') ?? 0) >= 1)
  // The SQLite store's group commit: logins and the chat were written through it, each batch flushed before its answer.
  const commits = metricValue(text, 'wirechat_store_commits_total') ?? 0
  t.ok(commits >= 1, `commits counted (${commits})`)
  t.ok((metricValue(text, 'wirechat_store_writes_total') ?? 0) >= commits, 'at least one write per commit')
  t.ok((metricValue(text, 'wirechat_store_flushes_total') ?? 0) >= 1, 'flushes counted')
  t.equal(metricValue(text, 'wirechat_store_batch_size_count'), commits, 'one batch size per commit')
})

t.test('connection log lines carry the connection and user id, never message text', async (t) => {
  const stream = new PassThrough()
  const lines: Array<Record<string, unknown>> = []
  stream.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>)
  })
  const server = await startServer(t, { logLevel: 'info' }, { logStream: stream })
  const { client } = await RawClient.login(t, server.url, { name: 'ana' })
  const secret = 'the secret text of a message'
  await client.request({ type: 'chat', room: 'lobby', text: secret })
  client.close()
  await client.closed()
  await new Promise((resolve) => setImmediate(resolve))
  const about = lines.filter((l) => l.msg === 'logged in' || l.msg === 'connection closed')
  t.equal(about.length, 2, 'login and close are logged')
  for (const line of about) {
    t.equal(line.connectionId, client.welcome.connectionId, `"${line.msg}" has the connection id`)
    t.type(line.userId, 'string', `"${line.msg}" has the user id`)
  }
  t.notOk(
    lines.some((l) => JSON.stringify(l).includes(secret)),
    'no message text in info logs',
  )
})

t.test('/healthz and /readyz answer for load balancers', async (t) => {
  const server = await startServer(t)
  t.same(await (await fetch(`${server.httpUrl}/healthz`)).json(), { status: 'ok' })
  const ready = await fetch(`${server.httpUrl}/readyz`)
  t.equal(ready.status, 200)
})
