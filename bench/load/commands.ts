// The line protocol between the orchestrator and a load process: one JSON
// command per stdin line, one JSON reply per stdout line.

export const TARGETS = ['wirechat', 'socketio', 'raw-ws'] as const
export type Target = (typeof TARGETS)[number]

export interface Topology {
  rooms: number
  membersPerRoom: number
  /** The first `sendersPerRoom` members of each room send. */
  sendersPerRoom: number
}

export type Command = ({ cmd: 'setup' } & Topology) | { cmd: 'send'; rate: number; durationMs: number; drainMs: number } | { cmd: 'status' } | { cmd: 'exit' }

export interface SetupReply {
  event: 'ready'
  connected: number
  failed: number
  firstError?: string
  ms: number
}

export interface SendReply {
  event: 'sent'
  /** Lines sent, acknowledged and refused by the server. */
  sent: number
  acked: number
  refused: number
  /** Deliveries expected (sent × other members) and received. */
  expected: number
  received: number
  lost: number
  /** First send to last receipt (or to the end of the window), ms. */
  windowMs: number
  p50Ms: number
  p99Ms: number
  maxMs: number
  /** Connections that closed during the step. */
  dropped: number
}

export interface StatusReply {
  event: 'status'
  open: number
  dropped: number
}
export type Reply = SetupReply | SendReply | StatusReply
