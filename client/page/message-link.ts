// Links to one room message: the page's URL with "#room/seq" in the
// fragment. Opening such a link opens the page at that message (loading
// history around it). DMs get no links: their seqs count in one user's inbox
// and mean nothing to anyone else. The fragment never reaches the server, and
// the parser accepts only what the protocol allows in a room name and a seq.
import { ROOM_PATTERN } from '@wirechat/protocol/primitives'

/** Where a link points: a room and the seq of the message in it. */
export interface MessageTarget {
  room: string
  seq: number
}

const ROOM = new RegExp(ROOM_PATTERN, 'u')

/** "#design/42" for message 42 of #design (a Hangul or namespaced name percent-encoded). */
export function messageHash(target: MessageTarget): string {
  return `#${encodeURIComponent(target.room)}/${target.seq}`
}

/** The full link to a message, from the page's current address. */
export function messageLink(target: MessageTarget, base: string): string {
  const url = new URL(base)
  url.hash = messageHash(target).slice(1)
  return url.href
}

/** The message a fragment ("#design/42", with or without "#") points to, or undefined. */
export function parseMessageHash(hash: string): MessageTarget | undefined {
  const m = /^#?([^/]+)\/(\d{1,15})$/.exec(hash)
  if (!m) return undefined
  let room: string
  try {
    room = decodeURIComponent(m[1] ?? '')
  } catch {
    return undefined
  }
  const seq = Number(m[2])
  if (!ROOM.test(room) || !Number.isSafeInteger(seq) || seq < 1) return undefined
  return { room, seq }
}
