// The requests of protocol 1.0.0 and the fields each may carry, as released
// (protocol/released/1.0.0/client/*.json; test/protocol/compat.test.ts holds
// this table to those files). A client talking to a server whose welcome says
// 1.0.0 sends nothing else (PROTOCOL.md §1, OVR-8): the client library leaves
// later fields out and refuses later requests itself; the client kit checks it.
export const REQUESTS_1_0_0: Readonly<Record<string, readonly string[]>> = {
  chat: ['clientMsgId', 'id', 'room', 'text'],
  dm: ['clientMsgId', 'id', 'text', 'to'],
  history: ['after', 'before', 'id', 'limit', 'room'],
  'join-room': ['id', 'room', 'since'],
  'leave-room': ['id', 'room'],
  login: ['id', 'inbox', 'name', 'rooms', 'session', 'token'],
  logout: ['id'],
  ping: ['id'],
  presence: ['id', 'room'],
  rename: ['id', 'name'],
  typing: ['id', 'room', 'typing'],
}

/** True when a server announcing `version` (welcome.version) knows only the requests of 1.0.0. */
export const speaksOnly1_0_0 = (version: string): boolean => /^1\.0\.\d+$/.test(version)

/** What in a frame 1.0.0 did not have: its type, or its fields; empty when it is a 1.0.0 request. */
export function beyond1_0_0(frame: Record<string, unknown>): string[] {
  const type = String(frame.type)
  const fields = REQUESTS_1_0_0[type]
  if (fields === undefined) return [`the request type "${type}"`]
  return Object.keys(frame)
    .filter((f) => f !== 'type' && !fields.includes(f))
    .map((f) => `the field ${type}.${f}`)
}
