// The operator's namespaces (NAMESPACES_FILE), validated at start: a bad file
// stops the server with a message naming the file and the field. Without a
// file there is one default namespace, so `npm start` needs nothing.
import { readFileSync } from 'node:fs'
import Type from 'typebox'
import { Compile } from 'typebox/compile'
import { Namespace } from '@wirechat/protocol'

export const NamespacesFile = Type.Object(
  { namespaces: Type.Array(Namespace, { minItems: 1, maxItems: 64, description: 'The namespaces; a missing default namespace ("") gets DEFAULT_NAMESPACE.' }) },
  { additionalProperties: false },
)
export type NamespacesFile = Type.Static<typeof NamespacesFile>

/** The namespace of rooms without a prefix when the file names none: today's rules (anyone creates and posts, public). */
export const DEFAULT_NAMESPACE: Namespace = {
  name: '',
  description: 'Rooms without a namespace prefix.',
  create: 'anyone',
  post: 'members',
  visibility: 'public',
  historyDays: null,
  limits: {},
}

/** A room name split at its first ":"; a name without one is in the default namespace "". */
export function splitRoom(room: string): { namespace: string; local: string } {
  const at = room.indexOf(':')
  return at < 0 ? { namespace: '', local: room } : { namespace: room.slice(0, at), local: room.slice(at + 1) }
}

export class Namespaces {
  /** Every namespace, the default one first. */
  readonly list: readonly Namespace[]
  readonly #byName: ReadonlyMap<string, Namespace>

  constructor(namespaces: readonly Namespace[] = []) {
    const byName = new Map(namespaces.map((ns) => [ns.name, ns]))
    if (byName.size !== namespaces.length) throw new Error('two namespaces have the same name')
    if (!byName.has('')) byName.set('', DEFAULT_NAMESPACE)
    this.#byName = byName
    this.list = [byName.get('')!, ...namespaces.filter((ns) => ns.name !== '')]
  }

  get(name: string): Namespace | undefined {
    return this.#byName.get(name)
  }

  /** The namespace a room lives in; undefined when it names no configured namespace. */
  of(room: string): Namespace | undefined {
    return this.#byName.get(splitRoom(room).namespace)
  }
}

const checkFile = Compile(NamespacesFile)

/** Reads and checks NAMESPACES_FILE ("" : the default namespace only); throws naming the file and the field. */
export function loadNamespaces(file: string): Namespaces {
  if (file === '') return new Namespaces()
  const fail = (problem: string) => new Error(`Invalid NAMESPACES_FILE ${file}: ${problem}`)
  let data: unknown
  try {
    data = JSON.parse(readFileSync(file, 'utf8'))
  } catch (err) {
    throw fail((err as Error).message)
  }
  if (!checkFile.Check(data)) {
    const problems = [...checkFile.Errors(data)].slice(0, 5).map((e) => `${e.instancePath || '/'}: ${e.message}`)
    throw fail(problems.join('; '))
  }
  try {
    return new Namespaces(data.namespaces)
  } catch (err) {
    throw fail((err as Error).message)
  }
}
