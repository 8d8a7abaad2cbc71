// PROTOCOL.md §5 Namespaces and rooms (protocol 1.2.0): namespaces announced
// in login-ok, room names with a namespace prefix, unknown namespaces
// answered not-found — and a 1.0.0 login seeing none of it. Skipped against a
// server that announces a version before 1.2.0.
import type { ServerFrameOf } from '@wirechat/protocol'
import type { Test } from '../harness.ts'
import { type Target, uniqueName, uniqueRoom } from '../target.ts'

/** The checks speak 1.2.0. */
export const V = '1.2.0'

/** Why the namespace checks cannot run against this server, or false when they can. */
export function namespacesSkip(welcome: ServerFrameOf<'welcome'>): string | false {
  const [major, minor] = welcome.version.split('.').map(Number) as [number, number]
  return major === 1 && minor < 2 ? `the server speaks ${welcome.version}; namespaces and room roles are 1.2.0` : false
}

/** A namespace name that the server's announced list does not have. */
export function unknownNamespace(ok: ServerFrameOf<'login-ok'>): string {
  const taken = new Set((ok.namespaces ?? []).map((ns) => ns.name))
  for (let i = 0; ; i++) if (!taken.has(`nokit${i}`)) return `nokit${i}`
}

export default async function checks(t: Test, target: Target): Promise<void> {
  const skip = namespacesSkip(target.welcome)

  t.test('§5 login-ok announces the namespaces to a 1.2.0 client, the default one ("") included; a 1.0.0 client gets none', { skip }, async (t) => {
    const { ok } = await target.login(t, { name: uniqueName('ns'), rooms: [], version: V })
    t.ok(Array.isArray(ok.namespaces), 'namespaces is a list')
    const names = (ok.namespaces ?? []).map((ns) => ns.name)
    t.ok(names.includes(''), 'the default namespace is listed')
    t.equal(new Set(names).size, names.length, 'names are unique')
    const { ok: old } = await target.login(t, { name: uniqueName('old'), rooms: [] })
    t.notOk('namespaces' in old, 'no namespaces for a client that announced no version')
  })

  t.test('§5 a room of an unknown namespace is not-found, in join-room and in login rooms', { skip }, async (t) => {
    const { wire, ok } = await target.login(t, { name: uniqueName('ns'), rooms: [], version: V })
    const room = `${unknownNamespace(ok)}:${uniqueRoom('x')}`
    t.match(await wire.request({ type: 'join-room', id: 'nf1', room }), { type: 'error', id: 'nf1', code: 'not-found', retryable: false })
    const other = await target.open(t)
    t.match(await other.request({ type: 'login', id: 'nf2', name: uniqueName('ns'), rooms: [{ room }], version: V }), { type: 'error', id: 'nf2', code: 'not-found' })
  })
}
