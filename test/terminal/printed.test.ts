// The terminal's printed lines read back as the client kit's shown lines
// (terminal/printed.ts): every form is produced by render.ts itself, so the
// conformance adapter and the renderer cannot drift apart.
import t from 'tap'
import type { StateChange } from '../../client/index.ts'
import { shownLines } from '../../terminal/printed.ts'
import * as render from '../../terminal/render.ts'

const o = { timeZone: 'UTC' }
const ts = Date.UTC(2026, 0, 1, 9, 5, 30)
const msg = (over: Record<string, unknown> = {}) => ({ msgId: 'm1', room: 'lobby', seq: 1, userId: 'u_bob', name: 'bob', text: 'hello there', ts, ...over })
const state = (change: Partial<StateChange>): string => render.renderState({ from: 'open', to: 'reconnecting', reason: 'connection-lost', ...change } as StateChange, 'ws://x/ws', o)!

t.test('room messages, own ones and several lines long', async (t) => {
  t.same(shownLines(render.renderChat(msg(), false, o)), [{ shown: 'message', room: 'lobby', name: 'bob', own: false, text: 'hello there' }])
  t.same(shownLines(render.renderChat(msg({ name: 'ana', room: 'news:dev' }), true, o)), [{ shown: 'message', room: 'news:dev', name: 'ana', own: true, text: 'hello there' }])
  t.same(shownLines(render.renderChat(msg({ text: 'one\ntwo <b> > c' }), false, o)), [{ shown: 'message', room: 'lobby', name: 'bob', own: false, text: 'one\ntwo <b> > c' }])
})

t.test('connection states, the end for good with its code, and errors', async (t) => {
  t.match(shownLines(state({ code: 1006 })), [{ shown: 'status', state: 'reconnecting' }])
  t.match(shownLines(state({ reason: 'heartbeat-timeout' })), [{ shown: 'status', state: 'reconnecting' }])
  t.match(shownLines(state({ from: 'reconnecting', to: 'open', reason: 'ready' })), [{ shown: 'status', state: 'open' }])
  t.same(shownLines(state({ to: 'closed', reason: 'terminal-close', code: 4011 })), [{ shown: 'stopped', reason: 'terminal-close', code: 4011 }])
  t.same(shownLines(state({ to: 'closed', reason: 'retries-exhausted' })), [{ shown: 'stopped', reason: 'retries-exhausted', code: null }])
  t.match(shownLines(render.renderError({ code: 'rate-limited', message: 'Too many requests.' }, o)), [{ shown: 'error', code: 'rate-limited' }])
})

t.test('everything else is a plain line, kept with its text', async (t) => {
  t.same(shownLines(render.renderInfo('talking in #lobby', o)), [{ shown: 'line', text: '-!- talking in #lobby' }])
  t.match(shownLines(render.renderDm({ msgId: 'd1', from: 'u_bob', fromName: 'bob', to: 'u_ana', seq: 1, text: 'psst', ts }, false, 'bob', o)), [{ shown: 'dm', from: 'bob', text: 'psst' }])
})
