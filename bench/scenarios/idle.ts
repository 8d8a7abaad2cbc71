// Idle connections: N logged-in sockets in rooms of 10, nobody talking. The
// server's RSS after a forced GC, before and after, gives bytes per
// connection; after a hold, every socket must still be open.
import type { SetupReply, StatusReply } from '../load/commands.ts'
import { rssBytes, sleep } from '../process.ts'
import { withTarget } from './harness.ts'
import type { Scenario } from './types.ts'

const ROOM_SIZE = 10

export function idle(connections: number, holdMs: number): Scenario {
  return {
    id: `idle-${connections}`,
    title: `Idle ${connections.toLocaleString('en')}`,
    describe: `${connections} logged-in idle connections in rooms of ${ROOM_SIZE}; RSS after forced GC; held ${holdMs / 1000} s`,
    run: (target, options) =>
      withTarget(target, options, async (server, load) => {
        await server.gc()
        const rssBeforeBytes = rssBytes(server.pid)
        const ready = await load.request<SetupReply>({ cmd: 'setup', rooms: Math.ceil(connections / ROOM_SIZE), membersPerRoom: ROOM_SIZE, sendersPerRoom: 0 }, 300_000)
        await sleep(1000) // let join alarms and history reads settle
        await server.gc()
        const rssAfterBytes = rssBytes(server.pid)
        await sleep(holdMs)
        const status = await load.request<StatusReply>({ cmd: 'status' }, 10_000)
        return {
          kind: 'idle',
          idle: {
            connections,
            connected: ready.connected,
            open: status.open,
            dropped: status.dropped + ready.failed,
            rssBeforeBytes,
            rssAfterBytes,
            rssPerConnectionBytes: ready.connected > 0 ? (rssAfterBytes - rssBeforeBytes) / ready.connected : Number.NaN,
            setupMs: ready.ms,
          },
        }
      }),
  }
}
