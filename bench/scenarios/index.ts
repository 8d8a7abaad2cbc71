// The scenario list, full size and smoke size. Fixed loads stay well below
// every target's limit; the ramp finds the limit.
import { fixedRate } from './fixed-rate.ts'
import { idle } from './idle.ts'
import { saturation } from './saturation.ts'
import { ROOM_SIZE_PREFIX, type Scenario } from './types.ts'

/**
 * How cost grows with the size of a room: `members` per room at a fixed total
 * delivery rate, over about `connections` clients (so the rate per room falls
 * as rooms grow), with 1 sender per 100 members (at least 1).
 */
function roomSize(members: number, p: { connections: number; deliveriesPerSec: number; durationMs: number; drainMs: number }): Scenario {
  const rooms = Math.max(1, Math.round(p.connections / members))
  return fixedRate({
    id: `${ROOM_SIZE_PREFIX}${members}`,
    title: `Room size ${members.toLocaleString('en')}`,
    topology: { rooms, membersPerRoom: members, sendersPerRoom: Math.max(1, Math.round(members / 100)) },
    rate: Math.max(1, Math.round(p.deliveriesPerSec / (members - 1))),
    durationMs: p.durationMs,
    drainMs: p.drainMs,
  })
}

export function scenarios(smoke: boolean): Scenario[] {
  if (smoke) {
    return [
      fixedRate({ id: 'fan-out', title: 'Fan-out', topology: { rooms: 1, membersPerRoom: 20, sendersPerRoom: 2 }, rate: 20, durationMs: 1000, drainMs: 2000 }),
      fixedRate({ id: 'many-rooms', title: 'Many rooms', topology: { rooms: 5, membersPerRoom: 4, sendersPerRoom: 1 }, rate: 20, durationMs: 1000, drainMs: 2000 }),
      idle(200, 300),
      saturation({ topology: { rooms: 5, membersPerRoom: 4, sendersPerRoom: 1 }, rates: [20, 40], stepMs: 500, drainMs: 2000, p99LimitMs: 100 }),
      ...[5, 10, 20].map((m) => roomSize(m, { connections: 40, deliveriesPerSec: 200, durationMs: 1000, drainMs: 2000 })),
    ]
  }
  return [
    fixedRate({ id: 'fan-out', title: 'Fan-out', topology: { rooms: 1, membersPerRoom: 200, sendersPerRoom: 10 }, rate: 100, durationMs: 10_000, drainMs: 5000 }),
    fixedRate({ id: 'many-rooms', title: 'Many rooms', topology: { rooms: 100, membersPerRoom: 10, sendersPerRoom: 1 }, rate: 1000, durationMs: 10_000, drainMs: 5000 }),
    fixedRate({ id: 'fan-out-cluster', title: 'Fan-out across two nodes', topology: { rooms: 1, membersPerRoom: 200, sendersPerRoom: 10 }, rate: 100, durationMs: 10_000, drainMs: 5000, nodes: 2 }),
    ...[10, 100, 1000, 5000].map((m) => roomSize(m, { connections: 1000, deliveriesPerSec: 10_000, durationMs: 10_000, drainMs: 5000 })),
    idle(1000, 5000),
    idle(5000, 5000),
    idle(10_000, 5000),
    idle(20_000, 5000),
    saturation({
      topology: { rooms: 100, membersPerRoom: 10, sendersPerRoom: 1 },
      rates: [500, 1000, 1500, 2000, 2500, 3000, 4000, 5000, 6000, 8000],
      stepMs: 4000,
      drainMs: 3000,
      p99LimitMs: 100,
    }),
    // The per-room seq of PostgreSQL is one row lock per message: how far one room goes with senders on three nodes.
    saturation({
      id: 'hot-room-cluster',
      title: 'One hot room on three nodes',
      nodes: 3,
      topology: { rooms: 1, membersPerRoom: 30, sendersPerRoom: 30 },
      rates: [100, 200, 400, 600, 800, 1000, 1500, 2000, 3000],
      stepMs: 4000,
      drainMs: 3000,
      p99LimitMs: 250,
    }),
  ]
}
