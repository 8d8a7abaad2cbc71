// PROTOCOL.md §12 Close codes: every close code of protocol/codes.ts that a
// client can cause, with the code's name as the close reason where the server
// chooses the code itself. 1002, 1007 and 1009 are raised by the WebSocket
// layer, which (in ws, and in many stacks) sends no reason; only the code is
// checked for those. 1011 and 4100 cannot be provoked reliably from outside,
// nor 4012 (a token expiring while connected) by a kit that cannot sign tokens.
import type { Socket } from 'node:net'
import { CLOSE_CODES, CloseCodes, type CloseCode } from '@wirechat/protocol'
import type { Test } from '../harness.ts'
import { accountsSkip } from './14-accounts.ts'
import { skipLongTimer, type Target, uniqueName } from '../target.ts'
import { Wire, type Teardown } from '../wire.ts'
import { fragmentedText } from '../ws-frames.ts'

export default async function checks(t: Test, target: Target): Promise<void> {
  const { loginTimeoutMs, limits } = target.welcome
  const { startServer } = target
  /** Refused frames the kit sends at most while waiting for 4008. */
  const ABUSE_BOUND = 2_000

  type Closer = (t: Teardown) => Promise<Wire>

  const closers: Record<CloseCode, Closer | { skip: string }> = {
    1000: async (tt) => {
      const { wire } = await target.login(tt, { name: uniqueName('out'), rooms: [] })
      wire.send({ type: 'logout' })
      return wire
    },
    1001:
      startServer === undefined
        ? { skip: 'needs a server to shut down while connected: runKit({ startServer }) gives the kit one' }
        : async (tt) => {
            const server = await startServer()
            tt.teardown(() => server.close())
            const { wire } = await Wire.login(tt, server.url, { rooms: [] })
            void server.close()
            return wire
          },
    1002: async (tt) => {
      const wire = await target.open(tt)
      const payload = Buffer.from('{"type":"ping"}')
      ;(wire.ws as unknown as { _socket: Socket })._socket.write(Buffer.concat([Buffer.from([0x81, payload.length]), payload]))
      return wire
    },
    1003: async (tt) => {
      const wire = await target.open(tt)
      wire.sendNow(Buffer.from('{"type":"ping"}'), { binary: true })
      return wire
    },
    1007: async (tt) => {
      const wire = await target.open(tt)
      wire.sendNow(Buffer.from([0x22, 0xc3, 0x28, 0x22]), { binary: false })
      return wire
    },
    1008:
      limits.maxFragments === undefined
        ? { skip: 'the server announces no limits.maxFragments' }
        : async (tt) => {
            // One text message split into more fragments than announced (masked, as a client must).
            const wire = await target.open(tt)
            const frames = fragmentedText('{"type":"ping"}'.padEnd(limits.maxFragments! + 8, ' '), limits.maxFragments! + 4)
            ;(wire.ws as unknown as { _socket: Socket })._socket.write(frames)
            return wire
          },
    1009: async (tt) => {
      const wire = await target.open(tt)
      wire.sendNow(`{"type":"ping","pad":"${'x'.repeat(limits.maxFrameBytes)}"}`)
      return wire
    },
    1011: { skip: 'needs an unexpected server failure: not provokable by a client' },
    4001: skipLongTimer('loginTimeoutMs', loginTimeoutMs, target)
      ? { skip: skipLongTimer('loginTimeoutMs', loginTimeoutMs, target) as string }
      : async (tt) => {
          const wire = await target.open(tt)
          if (target.clock !== undefined) await target.wait(loginTimeoutMs)
          return wire
        },
    4008: async (tt) => {
      const wire = await target.open(tt, { pace: false })
      // Refused frames (bad-frame) at full speed: they also run into the rate limit.
      for (let i = 0; i < ABUSE_BOUND && !wire.isClosed; i++) {
        wire.sendNow(JSON.stringify({ type: 'ping', id: `ab${i}`, junk: i }))
        if (i % 50 === 49) await new Promise((resolve) => setImmediate(resolve))
      }
      return wire
    },
    4011: accountsSkip(target.welcome)
      ? { skip: accountsSkip(target.welcome) as string }
      : async (tt) => {
          // Revoking the current session: the reply, then the close.
          const { wire, ok } = await target.login(tt, { name: uniqueName('revoked'), rooms: [], version: '1.1.0' })
          wire.send({ type: 'revoke-session', sessionId: ok.sessionId })
          return wire
        },
    4012: { skip: 'needs a token that expires while connected, which only the token issuer can sign: not provokable by the kit' },
    4013: { skip: "needs an operator's disconnect through the admin HTTP API, which is not part of the protocol" },
    4014: { skip: "needs an operator's server-wide ban through the admin HTTP API, which is not part of the protocol" },
    4100: { skip: "needs the server's outgoing buffer to overflow, which socket buffers make unreliable to provoke" },
  }

  /** Codes whose reason the application chooses: the reason must be the code's name. */
  const REASON_CHECKED = new Set<number>([1000, 1001, 1003, 4001, 4008, 4011])

  t.test('§12 the kit has a check for every close code in protocol/codes.ts', async (t) => {
    t.same(Object.keys(closers).map(Number).sort(), [...CLOSE_CODES].sort())
  })

  for (const code of CLOSE_CODES) {
    const close = closers[code]
    const info = CloseCodes[code]
    t.test(`§12 ${code} ${info.name}: ${info.meaning}`, { skip: 'skip' in close ? close.skip : false }, async (t) => {
      if (typeof close !== 'function') return
      const wire = await close(t)
      const wait = code === 4001 ? loginTimeoutMs + 2_000 : undefined
      const closed = await wire.closed(wait)
      t.equal(closed.code, code, `closed with ${code}`)
      if (REASON_CHECKED.has(code)) t.equal(closed.reason, info.name, `reason "${info.name}"`)
      t.ok(Buffer.byteLength(closed.reason) <= 123, 'the reason fits a close frame')
    })
  }
}
