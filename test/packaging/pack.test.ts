// The published packages, as a stranger gets them: `npm pack` of every
// workspace, installed into a fresh project outside the repository, then used
// through their public entry points only — the server started from its bin, the
// client library on Node's own WebSocket, the conformance kit's bin against that
// server, the terminal client's bin. The install is done the way npm lays it
// out, without the registry (test traffic stays on loopback): each tarball
// unpacked into node_modules/<name>, each dependency a package declares linked
// to the repository's installed copy of it (same pinned versions, native addon
// built), each bin linked into node_modules/.bin. An import of a package that is
// not declared finds nothing there.
import { execFileSync, spawn } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { startChildServer } from '../helpers/child-server.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))
const WORKSPACES = ['protocol', 'client', 'terminal', 'conformance', 'server'] as const

interface Packed {
  name: string
  filename: string
  size: number
  files: Array<{ path: string }>
}

execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] })
const work = mkdtempSync(join(tmpdir(), 'wirechat-pack-'))
t.teardown(() => rmSync(work, { recursive: true, force: true }))
const packed: Packed[] = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work, ...WORKSPACES.flatMap((w) => ['-w', w])], { cwd: root, encoding: 'utf8' }))
const app = join(work, 'app')
const modules = join(app, 'node_modules')
mkdirSync(join(modules, '.bin'), { recursive: true })
writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'a-stranger', private: true, type: 'module' }))
for (const p of packed) {
  mkdirSync(join(modules, p.name), { recursive: true })
  execFileSync('tar', ['xzf', join(work, p.filename), '--strip-components=1', '-C', join(modules, p.name)])
}
for (const p of packed) {
  const m = JSON.parse(readFileSync(join(modules, p.name, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; bin?: Record<string, string> }
  for (const dep of Object.keys(m.dependencies ?? {})) {
    if (existsSync(join(modules, dep))) continue
    mkdirSync(dirname(join(modules, dep)), { recursive: true })
    symlinkSync(join(root, 'node_modules', dep), join(modules, dep), 'dir')
  }
  for (const [command, file] of Object.entries(m.bin ?? {})) {
    chmodSync(join(modules, p.name, file), 0o755)
    symlinkSync(join('..', p.name, file), join(modules, '.bin', command))
  }
}

const installed = (name: string, ...path: string[]) => join(app, 'node_modules', name, ...path)
const manifest = (name: string) => JSON.parse(readFileSync(installed(name, 'package.json'), 'utf8'))
/** A command as npm links it into node_modules/.bin (a symlink run through its shebang). */
const bin = (name: string) => join(app, 'node_modules', '.bin', name)
const env = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}` }

/** Runs a command in the project folder; resolves with the exit code and output. */
function run(command: string, args: string[], input?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: app, env, stdio: ['pipe', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString()
    })
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString()
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
    child.on('exit', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
    child.stdin.end(input ?? '')
  })
}

t.test('every workspace packs into a tarball of built JavaScript with its declarations', async (t) => {
  t.same(packed.map((p) => p.name).sort(), WORKSPACES.map((w) => `@wirechat/${w}`).sort())
  for (const p of packed) {
    const paths = p.files.map((f) => f.path)
    t.notOk(
      paths.some((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')),
      `${p.name}: no TypeScript sources`,
    )
    t.notOk(
      paths.some((f) => /(^|\/)(test|node_modules)\//.test(f) || f.endsWith('.tsbuildinfo')),
      `${p.name}: no tests, dependencies or build state`,
    )
    t.ok(paths.includes('README.md'), `${p.name}: has a README`)
    t.notMatch(readFileSync(installed(p.name, 'README.md'), 'utf8'), /\]\((?!https?:|#)/, `${p.name}: the README's links work outside the repository`)
    if (t.ok(paths.includes('LICENSE'), `${p.name}: has a LICENSE`))
      t.equal(readFileSync(installed(p.name, 'LICENSE'), 'utf8'), readFileSync(join(root, 'LICENSE'), 'utf8'), `${p.name}: the repository's LICENSE`)
    const m = manifest(p.name)
    t.same(m.repository, { type: 'git', url: 'git+https://github.com/wirechat/wirechat.git', directory: p.name.replace('@wirechat/', '') }, `${p.name}: names its folder in the repository`)
    t.match(m.engines, { node: '>=24' }, `${p.name}: needs Node 24`)
    const targets: string[] = []
    const walk = (v: unknown): void => {
      if (typeof v === 'string') targets.push(v)
      else if (v && typeof v === 'object') for (const x of Object.values(v)) walk(x)
    }
    walk(m.exports)
    walk(m.bin)
    for (const target of targets.filter((x) => !x.includes('*') && !x.endsWith('.ts'))) {
      t.ok(paths.includes(target.replace(/^\.\//, '')), `${p.name}: ${target} is in the tarball`)
    }
    for (const entry of Object.values<string>(m.bin ?? {})) {
      t.match(readFileSync(installed(p.name, entry), 'utf8'), /^#!\/usr\/bin\/env node\n/, `${p.name}: ${entry} starts with a node shebang`)
    }
  }
})

t.test('every package declares what its built code imports', async (t) => {
  const builtins = new Set(['node:'])
  for (const p of packed) {
    const m = manifest(p.name)
    const declared = new Set([...Object.keys(m.dependencies ?? {}), ...Object.keys(m.peerDependencies ?? {}), p.name])
    const missing = new Set<string>()
    const scan = (dir: string): void => {
      for (const entry of readdirSync(dir)) {
        const file = join(dir, entry)
        if (statSync(file).isDirectory()) scan(file)
        else if (entry.endsWith('.js')) {
          for (const [, spec] of readFileSync(file, 'utf8').matchAll(/(?:^|[\s;])(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm)) {
            if (spec === undefined || spec.startsWith('.') || spec.startsWith('node:') || [...builtins].some((b) => spec.startsWith(b))) continue
            const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!
            if (!declared.has(name)) missing.add(`${name} (${file.slice(app.length)})`)
          }
        }
      }
    }
    scan(installed(p.name, 'dist'))
    t.same([...missing], [], `${p.name}: every imported package is a dependency`)
  }
})

t.test('the packed server, client library, conformance kit and terminal client work together', async (t) => {
  const data = join(work, 'data')
  const server = await startChildServer(t, { DATA_DIR: data }, { entry: bin('wirechat-server'), cwd: app })

  const page = await fetch(server.httpUrl)
  t.equal(page.status, 200, 'the page is served')
  const script = /src="\/?([^"]+\.js)"/.exec(await page.text())?.[1]
  t.ok(script, 'the page loads its bundle')
  t.equal((await fetch(`${server.httpUrl}/${script}`)).status, 200, 'the bundle ships in the server package')
  const inspector = await fetch(`${server.httpUrl}/inspect`)
  t.equal(inspector.status, 200, 'the inspector is served')
  const assets = (await inspector.text()).match(/\/inspect\.(js|css)/g) ?? []
  t.same(assets.toSorted(), ['/inspect.css', '/inspect.js'], 'the inspector loads its own bundle')
  for (const asset of assets) t.equal((await fetch(`${server.httpUrl}${asset}`)).status, 200, `${asset} ships in the server package`)

  const protocol = await run(process.execPath, [
    '--input-type=module',
    '-e',
    `
    import { decodeClientFrame, SUBPROTOCOL } from '@wirechat/protocol'
    import { createRequire } from 'node:module'
    const schema = createRequire(process.cwd() + '/').resolve('@wirechat/protocol/schema/client-frame.json')
    const ok = decodeClientFrame('{"type":"chat","id":"1","room":"lobby","text":"hi"}')
    const bad = decodeClientFrame('{"type":"chat"}')
    console.log(JSON.stringify({ SUBPROTOCOL, ok: ok.ok, bad: bad.ok, schema: schema.endsWith('client-frame.json') }))`,
  ])
  t.same(JSON.parse(protocol.stdout || '{}'), { SUBPROTOCOL: 'chat.v1', ok: true, bad: false, schema: true }, `@wirechat/protocol decodes frames and ships its JSON Schema\n${protocol.stderr}`)

  const client = await run(process.execPath, [
    '--input-type=module',
    '-e',
    `
    import { ChatClient } from '@wirechat/client'
    const client = new ChatClient({ url: ${JSON.stringify(server.url)} })
    await client.connect()
    const me = await client.login({ name: 'packed', rooms: ['lobby'] })
    const message = await client.sendChat('lobby', 'hello from the packed client')
    console.log(JSON.stringify({ name: me.name, seq: message.seq, text: message.text }))
    client.disconnect()`,
  ])
  t.same(JSON.parse(client.stdout || '{}'), { name: 'packed', seq: 1, text: 'hello from the packed client' }, `@wirechat/client chats on Node's global WebSocket\n${client.stderr}`)

  const terminal = await run(bin('wirechat-chat'), ['--help'])
  t.equal(terminal.code, 0, 'wirechat-chat --help exits 0')
  t.match(terminal.stdout, /--url URL/, 'and prints its usage')

  const kit = await run(bin('wirechat-conformance'), [server.url, '--section', '6', '--format', 'json'])
  t.equal(kit.code, 0, `wirechat-conformance passes §6 against the packed server\n${kit.stdout.slice(-2000)}\n${kit.stderr.slice(-2000)}`)
})
