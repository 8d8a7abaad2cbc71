// `@name` mentions (protocol 1.3.0), resolved by the server when a message is
// sent, with the candidates of protocol/mentions.ts: for each "@", the
// longest candidate that names a member present in the room (compared the way
// names are compared: nameKey), else its shortest (the first word) as a
// registered name. The result is stored with the message, so a later rename
// changes nothing.
import { MAX_MENTIONS, mentionCandidates } from '@wirechat/protocol'
import type { Hub } from './hub.ts'
import { nameKey } from './names.ts'

/**
 * The user ids the text mentions, in order, once each; 'flood' when it names
 * more than MAX_MENTIONS users (the message is refused, not cut).
 */
export async function resolveMentions(hub: Pick<Hub, 'presence' | 'store'>, room: string, text: string): Promise<string[] | 'flood'> {
  const candidates = mentionCandidates(text)
  if (candidates.length === 0) return []
  const present = new Map<string, string>()
  for (const member of await hub.presence.list(room)) present.set(nameKey(member.name), member.userId)
  const ids = new Set<string>()
  for (const { names } of candidates) {
    let userId = names.map((name) => present.get(nameKey(name))).find((id) => id !== undefined)
    userId ??= (await hub.store.findAccountByNameKey(nameKey(names.at(-1)!)))?.userId
    if (userId !== undefined) ids.add(userId)
    if (ids.size > MAX_MENTIONS) return 'flood'
  }
  return [...ids]
}
