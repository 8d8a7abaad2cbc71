// The page over real HTTP with its build-time compressed siblings: brotli, gzip
// and the plain file all carry the same bytes, with the headers a cache and a
// browser need (type, Vary, validators, the CSP), and a sibling older than its
// file is never sent.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { PassThrough } from 'node:stream'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import t, { type Test } from 'tap'
import { buildPage, distDir, isBundleStale } from '../../client/build.ts'
import { CONTENT_SECURITY_POLICY, INSPECTOR_CONTENT_SECURITY_POLICY } from '../../server/http/security-headers.ts'
import { writeSiblings } from '../../scripts/precompress.ts'
import { startServer } from '../helpers/server.ts'

interface Answer {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: Buffer
}

/** A GET with exactly these headers (fetch would add its own Accept-Encoding). */
function get(base: string, path: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { headers, timeout: 5_000 }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }))
      res.on('error', reject)
    })
    req.on('timeout', () => req.destroy(new Error(`GET ${path} timed out`)))
    req.on('error', reject)
    req.end()
  })
}

type Encoding = 'br' | 'gzip' | 'identity'
const decode: Record<Encoding, (b: Buffer) => Buffer> = { br: brotliDecompressSync, gzip: gunzipSync, identity: (b) => b }
const ACCEPT: Record<Encoding, Record<string, string>> = { br: { 'accept-encoding': 'gzip, deflate, br' }, gzip: { 'accept-encoding': 'gzip' }, identity: {} }
/** The hand-written part of the page (index.html, inspect.html). */
const publicDir = join(fileURLToPath(new URL('../..', import.meta.url)), 'client', 'public')

/** Asks for `path` in each encoding and checks each answer against `file`. */
async function checkAllEncodings(t: Test, base: string, path: string, file: string, type: RegExp, csp = CONTENT_SECURITY_POLICY): Promise<void> {
  const bytes = readFileSync(file)
  const etags = new Set<string>()
  for (const encoding of ['br', 'gzip', 'identity'] as const) {
    const res = await get(base, path, ACCEPT[encoding])
    t.equal(res.status, 200, `${path} ${encoding}: 200`)
    t.equal(res.headers['content-encoding'], encoding === 'identity' ? undefined : encoding, `${path} ${encoding}: Content-Encoding`)
    t.match(res.headers['content-type'], type, `${path} ${encoding}: the type of the file, not of its sibling`)
    t.match(res.headers.vary, /accept-encoding/i, `${path} ${encoding}: Vary: Accept-Encoding`)
    t.equal(Number(res.headers['content-length']), res.body.length, `${path} ${encoding}: Content-Length of what was sent`)
    t.ok(res.headers['cache-control'] && res.headers['last-modified'], `${path} ${encoding}: caching headers`)
    t.equal(res.headers['content-security-policy'], csp, `${path} ${encoding}: CSP`)
    t.equal(res.headers['x-content-type-options'], 'nosniff', `${path} ${encoding}: nosniff`)
    t.ok(decode[encoding](res.body).equals(bytes), `${path} ${encoding}: decodes to the file's bytes`)
    etags.add(String(res.headers.etag))
    if (encoding !== 'identity') t.ok(res.body.length < bytes.length, `${path} ${encoding}: smaller than the file (${res.body.length} < ${bytes.length})`)
  }
  t.equal(etags.size, 3, `${path}: each encoding has its own ETag, so a cache never mixes them`)
}

if (isBundleStale()) await buildPage()
const work = mkdtempSync(join(tmpdir(), 'wirechat-compressed-'))
t.teardown(() => rmSync(work, { recursive: true, force: true }))

t.test('in the repository: the bundle in every encoding, the hand-written HTML as it is', async (t) => {
  const server = await startServer(t)
  for (const file of ['app.js', 'app.css', 'inspect.js', 'inspect.css']) {
    await checkAllEncodings(t, server.httpUrl, `/${file}`, join(distDir, file), file.endsWith('.js') ? /^text\/javascript|^application\/javascript/ : /^text\/css/)
  }
  const page = await get(server.httpUrl, '/', ACCEPT.br)
  t.equal(page.status, 200)
  t.equal(page.headers['content-encoding'], undefined, 'client/public has no siblings: the plain file')
  t.match(page.headers.vary, /accept-encoding/i)
  t.ok(page.body.equals(readFileSync(join(publicDir, 'index.html'))))
})

t.test('laid out like the package: the HTML compressed too, /inspect with its own CSP', async (t) => {
  const pub = join(work, 'public')
  cpSync(publicDir, pub, { recursive: true })
  for (const file of readdirSync(distDir)) if (/\.(js|css)$/.test(file)) cpSync(join(distDir, file), join(pub, file))
  await writeSiblings(pub)
  const server = await startServer(t, {}, { pageDirs: [pub] })
  await checkAllEncodings(t, server.httpUrl, '/', join(pub, 'index.html'), /^text\/html/)
  await checkAllEncodings(t, server.httpUrl, '/index.html', join(pub, 'index.html'), /^text\/html/)
  await checkAllEncodings(t, server.httpUrl, '/inspect', join(pub, 'inspect.html'), /^text\/html/, INSPECTOR_CONTENT_SECURITY_POLICY)
  await checkAllEncodings(t, server.httpUrl, '/app.js', join(pub, 'app.js'), /javascript/)

  const star = await get(server.httpUrl, '/app.css', { 'accept-encoding': '*' })
  t.ok(['br', 'gzip'].includes(String(star.headers['content-encoding'])), 'Accept-Encoding: * gets a compressed file')
  const refused = await get(server.httpUrl, '/app.css', { 'accept-encoding': 'identity' })
  t.equal(refused.headers['content-encoding'], undefined, 'Accept-Encoding: identity gets the file')
  const etag = String((await get(server.httpUrl, '/app.js', ACCEPT.br)).headers.etag)
  const again = await get(server.httpUrl, '/app.js', { ...ACCEPT.br, 'if-none-match': etag })
  t.equal(again.status, 304, 'a revalidation of the brotli copy is answered 304')
  t.equal((await get(server.httpUrl, '/missing.js', ACCEPT.br)).status, 404)
})

t.test('a file newer than its siblings: served uncompressed, with a warning', async (t) => {
  const pub = join(work, 'edited')
  cpSync(join(work, 'public'), pub, { recursive: true, preserveTimestamps: true })
  const future = new Date(Date.now() + 60_000)
  utimesSync(join(pub, 'app.css'), future, future) // edited after the build
  const logs = new PassThrough()
  let logged = ''
  logs.on('data', (c: Buffer) => {
    logged += c.toString()
  })
  const server = await startServer(t, { logLevel: 'warn' }, { pageDirs: [pub], logStream: logs })
  for (const file of ['app.css', 'app.js', 'index.html']) {
    const res = await get(server.httpUrl, `/${file}`, ACCEPT.br)
    t.equal(res.headers['content-encoding'], undefined, `${file}: the plain file`)
    t.ok(res.body.equals(readFileSync(join(pub, file))), `${file}: its current bytes`)
  }
  t.match(logged, /compressed page files older than their originals/)
  t.match(logged, /app\.css\.(br|gz)/)
})
